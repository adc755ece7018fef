import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from '../testing/smtp-server.js';
import { createSelfSigned, createTestCa, type TestCa } from '../testing/test-ca.js';
import { classifyProbeFailure, createEngineProber, testConnection } from './engine-probe.js';

let ca: TestCa;
const servers: SMTPServer[] = [];
const ports: Record<string, number> = {};

async function start(name: string, opts: SMTPServerOptions): Promise<void> {
  const s = new SMTPServer({ logger: false, ...opts });
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  ports[name] = ((s as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  servers.push(s);
}

before(async () => {
  ca = createTestCa();
  const cert = ca.issue({ names: ['smtp.example.test'] });
  const self = createSelfSigned(['smtp.example.test']);
  const onAuth: SMTPServerOptions['onAuth'] = (auth, _s, cb) =>
    auth.username === 'anna@example.test' && auth.password === 'right' ? cb(null, { user: 'anna' }) : cb(new Error('Invalid username or password'));
  await start('tls', { secure: true, key: cert.keyPem, cert: cert.certPem, size: 10 * 1024 * 1024, onAuth });
  await start('starttls', { key: cert.keyPem, cert: cert.certPem, authMethods: ['PLAIN', 'LOGIN'], onAuth });
  await start('nostarttls', { hideSTARTTLS: true, key: cert.keyPem, cert: cert.certPem, onAuth });
  await start('selfsigned', { secure: true, key: self.keyPem, cert: self.certPem, onAuth });
});
after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const via = { extraCaPem: '', connectAddress: () => '127.0.0.1' };

test('prober: implicit TLS and STARTTLS, capabilities without credentials', async () => {
  const probe = createEngineProber({ ...via, extraCaPem: ca.caCertPem, portMap: { 465: ports['tls']!, 587: ports['starttls']! } });
  const ac = new AbortController();
  const a = await probe('smtp.example.test', 465, 'tls', ac.signal);
  assert.ok(a.ok && a.tls);
  assert.ok(a.ok && a.authMechanisms.includes('PLAIN'));
  assert.equal(a.ok && a.size, 10 * 1024 * 1024);
  const b = await probe('smtp.example.test', 587, 'starttls', ac.signal);
  assert.ok(b.ok && b.tls);
});

test('prober: no STARTTLS, bad certificate, refused', async () => {
  const probe = createEngineProber({ ...via, extraCaPem: ca.caCertPem, portMap: { 25: ports['nostarttls']!, 465: ports['selfsigned']!, 587: 1 } });
  const s = new AbortController().signal;
  const plain = await probe('smtp.example.test', 25, 'starttls', s);
  assert.deepEqual(plain.ok ? 'ok' : plain.reason, 'noTls');
  const cert = await probe('smtp.example.test', 465, 'tls', s);
  assert.deepEqual(cert.ok ? 'ok' : cert.reason, 'certificate');
  const refused = await probe('smtp.example.test', 587, 'starttls', s);
  assert.deepEqual(refused.ok ? 'ok' : refused.reason, 'refused');
});

test('connection test: connect, TLS, EHLO, AUTH, QUIT — no message', async () => {
  const r = await testConnection({ host: 'smtp.example.test', port: ports['tls']!, security: 'tls', username: 'anna@example.test' }, 'right',
    { ...via, extraCaPem: ca.caCertPem });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(r.tls?.authorized, true);
  assert.equal(r.capabilities.size, 10 * 1024 * 1024);
  assert.ok(r.authMechanism);
  assert.ok(!r.transcript.some((e) => /MAIL FROM|DATA/.test(e.line)));
  // The password on the wire is base64 (AUTH PLAIN / LOGIN): look for every form it can take.
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const forms = ['right', b64('right'), b64('\0anna@example.test\0right'), b64('anna@example.test\0anna@example.test\0right')];
  const leaked = forms.filter((form) => r.transcript.some((e) => e.line.includes(form)));
  assert.deepEqual(leaked, [], 'password never in the transcript, in any form');
  assert.ok(r.transcript.some((e) => e.dir === 'C' && /^AUTH \S+/.test(e.line)), 'an AUTH line is there, redacted');
  assert.ok(r.transcript.some((e) => e.line.startsWith('QUIT')));
});

test('connection test: a wrong password comes back as an explained error value', async () => {
  const r = await testConnection({ host: 'smtp.example.test', port: ports['starttls']!, security: 'starttls', username: 'anna@example.test' }, 'wrong',
    { ...via, extraCaPem: ca.caCertPem });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'connectionTest');
  assert.equal(r.error.detail?.phase, 'auth');
  assert.equal(r.error.detail?.code, 535);
  assert.equal(r.error.retryable, false);
});

test('connection test: certificate problem and missing STARTTLS are errors, never a silent downgrade', async () => {
  const cert = await testConnection({ host: 'smtp.example.test', port: ports['selfsigned']!, security: 'tls', username: 'a' }, 'x', { ...via, extraCaPem: ca.caCertPem });
  assert.equal(cert.ok, false);
  if (!cert.ok) assert.equal(classifyProbeFailure(cert.error.detail!), 'certificate');
  const plain = await testConnection({ host: 'smtp.example.test', port: ports['nostarttls']!, security: 'starttls', username: 'a' }, 'x', { ...via, extraCaPem: ca.caCertPem });
  assert.equal(plain.ok, false);
  if (!plain.ok) assert.equal(classifyProbeFailure(plain.error.detail!), 'noTls');
});
