/**
 * The per-account extra CA: trusted in addition to the default roots (never instead of
 * them), only by the account that gave it, and never leaking into Node's shared store.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTestCa, type TestCa } from '../testing/test-ca.js';
import { SmtpError, probe } from './index.js';

const T = { timeout: 30_000 };

/** Just enough SMTP over implicit TLS for probe(): greeting, EHLO, QUIT. */
function miniServer(key: string, cert: string): Promise<Server> {
  const srv = createServer({ key, cert }, (s) => {
    s.on('error', () => undefined);
    s.write('220 mini ESMTP\r\n');
    s.on('data', (d: Buffer) => {
      const line = d.toString('latin1');
      if (/^EHLO/i.test(line)) s.write('250 mini\r\n');
      else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
    });
  });
  srv.on('tlsClientError', () => undefined);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

describe('extra CA per account', () => {
  let caB: TestCa;
  let caC: TestCa;
  let srvB: Server;
  before(async () => {
    caB = createTestCa('Postbote Extra CA B');
    caC = createTestCa('Postbote Extra CA C');
    const cert = caB.issue();
    srvB = await miniServer(cert.keyPem, cert.certPem);
  });
  after(() => new Promise<void>((r) => srvB.close(() => r())));
  const at = (extraCaPem?: string) => ({ host: '127.0.0.1', port: (srvB.address() as AddressInfo).port, security: 'tls' as const, servername: 'localhost', ...(extraCaPem ? { extraCaPem } : {}) });

  test('is trusted by the account that gives it, and by no other', T, async () => {
    const ok = await probe(at(caB.caCertPem));
    assert.equal(ok.tls?.authorized, true);
    // Neither the default store nor another account's extra CA has picked it up.
    for (const other of [undefined, caC.caCertPem]) {
      await assert.rejects(probe(at(other)), (e: unknown) => e instanceof SmtpError && e.detail.phase === 'tls');
    }
    // And the first account still works (its cached context is intact).
    assert.equal((await probe(at(caB.caCertPem))).tls?.authorized, true);
  });

  test('adds to the default roots instead of replacing them', T, () => {
    // Node's default roots, made to include a CA of ours through NODE_EXTRA_CA_CERTS (read at
    // start-up, hence a child process): a server under that CA must stay trusted when the
    // account adds a different extra CA.
    const caA = createTestCa('Postbote Default-Store CA A');
    const certA = caA.issue();
    const script = join(caA.dir, 'child.mts');
    const here = fileURLToPath(new URL('.', import.meta.url));
    writeFileSync(script, `
      import { createServer } from 'node:tls';
      const { probe } = await import(${JSON.stringify(pathToFileURL(join(here, 'index.ts')).href)});
      const srv = createServer({ key: ${JSON.stringify(certA.keyPem)}, cert: ${JSON.stringify(certA.certPem)} }, (s) => {
        s.on('error', () => undefined);
        s.write('220 mini ESMTP\\r\\n');
        s.on('data', (d) => { const l = String(d); if (/^EHLO/i.test(l)) s.write('250 mini\\r\\n'); else if (/^QUIT/i.test(l)) s.end('221 bye\\r\\n'); });
      });
      await new Promise((r) => srv.listen(0, '127.0.0.1', r));
      const port = srv.address().port;
      const out = {};
      for (const [name, extraCaPem] of [['none', undefined], ['other extra CA', ${JSON.stringify(caB.caCertPem)}]]) {
        try { const i = await probe({ host: '127.0.0.1', port, security: 'tls', servername: 'localhost', ...(extraCaPem ? { extraCaPem } : {}) }); out[name] = i.tls.authorized; }
        catch (e) { out[name] = String(e.message); }
      }
      srv.close();
      console.log(JSON.stringify(out));
    `);
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: caA.caCertPath }, encoding: 'utf8', timeout: 25_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}'), { none: true, 'other extra CA': true });
  });
});
