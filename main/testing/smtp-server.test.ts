import test from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import './smtp-server.js';
import { sharedTestCa } from './smtp-test-server.js';

test('a server-side TLS socket torn down mid-handshake reports no protocol instead of reaching freed SSL', async () => {
  const issued = sharedTestCa().issue();
  const server = new TLSSocket(new Socket(), { isServer: true, secureContext: createSecureContext({ key: issued.keyPem, cert: issued.certPem }) });
  server.on('error', () => { /* the handshake never happens */ });
  server.destroy();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.getProtocol(), null);
  // The exact state of the crash: SSL freed, native handle still there (unguarded, this segfaults).
  const halfDead = new TLSSocket(new Socket(), { isServer: true, secureContext: createSecureContext({ key: issued.keyPem, cert: issued.certPem }) });
  halfDead.on('error', () => { /* never connected */ });
  (halfDead as unknown as { _destroySSL(): void })._destroySSL();
  assert.equal(halfDead.getProtocol(), null);
  halfDead.destroy();
  const client = new TLSSocket(new Socket());
  client.on('error', () => { /* unused */ });
  assert.equal(typeof client.getProtocol, 'function');
  client.destroy();
});
