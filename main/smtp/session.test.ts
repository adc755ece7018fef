/**
 * The engine against the npm smtp-server package on loopback (a server nobody here
 * wrote), with a test CA: STARTTLS, implicit TLS, every AUTH mechanism it offers, SIZE,
 * refused recipients, 8BITMIME, SMTPUTF8, DSN, PIPELINING, several messages per session,
 * warm sessions, certificate checks.
 */
import { rejection } from '../testing/expect-smtp-error.js';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type PeerCertificate } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { createSelfSigned } from '../testing/test-ca.js';
import { startFaultServer } from '../testing/smtp-fault-server.js';
import { sharedTestCa, startTestSmtpServer, type TestSmtpServer } from '../testing/smtp-test-server.js';
import { verifyServerIdentity } from './session.js';
import { SmtpSession, WarmSession, isLoopbackHost, probe, sendMail, type SmtpConnectOptions, type TranscriptEntry } from './index.js';

const T = { timeout: 20_000 };
// Made before any socket exists (openssl runs synchronously).
const self = createSelfSigned();
const users = { alice: 'correct horse battery' };
const creds = { username: 'alice', password: users.alice };
const msg = (to = ['bob@example.test']) => ({ envelope: { from: 'alice@example.test', to }, body: 'From: alice@example.test\r\nSubject: hello\r\n\r\nHi Bob.\r\n' });


describe('against smtp-server', () => {
  let starttls: TestSmtpServer;
  let implicit: TestSmtpServer;
  const conn = (srv: TestSmtpServer, extra: Partial<SmtpConnectOptions> = {}): SmtpConnectOptions =>
    ({ host: srv.host, port: srv.port, security: srv === implicit ? 'tls' : 'starttls', extraCaPem: srv.caPem, servername: 'localhost', ...extra });

  before(async () => {
    starttls = await startTestSmtpServer({ users, tokens: { alice: 'tok-123' }, size: 64 * 1024, rejectRecipients: ['nobody@example.test'] });
    implicit = await startTestSmtpServer({ secure: true, users, size: 64 * 1024 });
  });
  after(async () => {
    await starttls.close();
    await implicit.close();
  });

  test('STARTTLS: TLS verified, capabilities after TLS, message delivered byte for byte', T, async () => {
    const transcript: TranscriptEntry[] = [];
    const r = await sendMail({ ...conn(starttls, { onTranscript: (e) => transcript.push(e) }), credentials: creds }, msg());
    assert.equal(r.session.tls?.authorized, true);
    assert.match(r.session.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.match(r.session.tls?.certificate?.issuer ?? '', /Postbote Test CA/);
    assert.equal(r.session.capabilities.startTls, false);
    assert.equal(r.session.capabilities.enhancedStatusCodes, true);
    assert.deepEqual(r.accepted, ['bob@example.test']);
    assert.match(r.queueId ?? '', /^Q\d+$/);
    const got = starttls.messages.at(-1);
    assert.equal(got?.raw.toString(), msg().body);
    assert.equal(got?.secure, true);
    assert.equal(got?.user, 'alice');
    const pw = Buffer.from(`\0alice\0${users.alice}`).toString('base64');
    assert.ok(!transcript.some((e) => e.line.includes(pw) || e.line.includes(users.alice)), 'no secret in the transcript');
    assert.ok(transcript.some((e) => e.dir === 'I' && e.phase === 'tls'));
    for (const k of ['connect', 'greeting', 'ehlo', 'starttls', 'tls', 'auth']) assert.equal(typeof r.session.timings[k], 'number', k);
  });

  test('implicit TLS', T, async () => {
    const r = await sendMail({ ...conn(implicit), credentials: creds }, msg());
    assert.equal(r.session.tls?.authorized, true);
    assert.equal(implicit.messages.at(-1)?.raw.toString(), msg().body);
  });

  for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
    test(`AUTH ${mechanism} (pinned): success, and failure keeps code, enhanced code and text`, T, async () => {
      const s = await SmtpSession.open(conn(starttls));
      await s.authenticate(creds, { mechanism });
      assert.equal(s.info.authMechanism, mechanism);
      await s.quit();
      const s2 = await SmtpSession.open(conn(starttls));
      const err = await rejection(s2.authenticate({ username: 'alice', password: 'wrong' }, { mechanism }));
      assert.equal(err.detail.phase, 'auth');
      assert.equal(err.detail.code, 535);
      assert.equal(err.detail.enhancedCode, '5.7.8');
      assert.match(err.detail.serverText ?? '', /credentials invalid/);
      assert.equal(err.detail.context?.mechanism, mechanism);
      s2.close();
      const last = starttls.authAttempts.at(-1);
      assert.equal(last?.method, mechanism);
      assert.equal(last?.secure, true);
    });
  }

  test('AUTH XOAUTH2 with an access token', T, async () => {
    const s = await SmtpSession.open(conn(starttls));
    await s.authenticate({ username: 'alice', accessToken: 'tok-123' });
    assert.equal(s.info.authMechanism, 'XOAUTH2');
    await s.quit();
    const s2 = await SmtpSession.open(conn(starttls));
    const err = await rejection(s2.authenticate({ username: 'alice', accessToken: 'expired' }));
    assert.equal(err.detail.phase, 'auth');
    assert.ok(err.detail.code && err.detail.code >= 500);
    s2.close();
  });

  test('strongest mutual mechanism is chosen; a pinned mechanism the server lacks is never downgraded', T, async () => {
    const s = await SmtpSession.open(conn(starttls));
    await s.authenticate(creds);
    assert.equal(s.info.authMechanism, 'PLAIN');
    s.close();
    const before_ = starttls.authAttempts.length;
    const s2 = await SmtpSession.open(conn(starttls));
    const err = await rejection(s2.authenticate(creds, { mechanism: 'SCRAM-SHA-256' }));
    assert.equal(err.detail.cause, 'auth-unsupported');
    assert.equal(starttls.authAttempts.length, before_, 'no other mechanism was tried');
    s2.close();
  });

  test('SIZE: over the advertised limit fails before any body byte; SIZE= sent', T, async () => {
    const n = starttls.messages.length;
    const err = await rejection(sendMail({ ...conn(starttls), credentials: creds }, { ...msg(), body: `Subject: big\r\n\r\n${'x'.repeat(70 * 1024)}\r\n` }));
    assert.equal(err.detail.phase, 'mail');
    assert.equal(err.detail.cause, 'size-limit');
    assert.equal(starttls.messages.length, n);
    await sendMail({ ...conn(starttls), credentials: creds }, msg());
    assert.equal(starttls.messages.at(-1)?.mailParams.SIZE, String(Buffer.byteLength(msg().body)));
  });

  test('streamed body of unknown size beyond the limit: the server\'s 552 is reported', T, async () => {
    const body = Readable.from(Array.from({ length: 300 }, () => Buffer.from(`${'y'.repeat(998)}\r\n`)));
    const err = await rejection(sendMail({ ...conn(starttls), credentials: creds }, { ...msg(), body }));
    assert.equal(err.detail.phase, 'data');
    assert.ok(err.detail.code === 552 || err.detail.cause === 'size-limit', JSON.stringify(err.detail));
  });

  test('refused recipients: reported per recipient, the others still get the message', T, async () => {
    const r = await sendMail({ ...conn(starttls), credentials: creds }, msg(['bob@example.test', 'nobody@example.test', 'carol@example.test']));
    assert.deepEqual(r.accepted, ['bob@example.test', 'carol@example.test']);
    assert.equal(r.rejected[0]?.address, 'nobody@example.test');
    assert.equal(r.rejected[0]?.code, 550);
    assert.equal(r.rejected[0]?.enhancedCode, '5.1.1');
    assert.deepEqual(starttls.messages.at(-1)?.to, ['bob@example.test', 'carol@example.test']);
    const err = await rejection(sendMail({ ...conn(starttls), credentials: creds }, msg(['nobody@example.test'])));
    assert.equal(err.detail.phase, 'rcpt');
    assert.equal(err.detail.code, 550);
    assert.deepEqual(err.detail.recipients, ['nobody@example.test']);
  });

  test('8BITMIME, SMTPUTF8 and DSN parameters', T, async () => {
    const body = 'From: jörg@bücher.test\r\nSubject: Grüße\r\n\r\nSchöne Grüße!\r\n';
    await sendMail({ ...conn(starttls), credentials: creds }, {
      envelope: { from: 'jörg@bücher.test', to: ['bob@example.test'] }, body, eightBit: true,
      dsn: { ret: 'HDRS', envid: 'env 1', notify: ['FAILURE', 'DELAY'] },
    });
    const m = starttls.messages.at(-1);
    assert.equal(m?.from, 'jörg@bücher.test');
    assert.equal(m?.mailParams.BODY, '8BITMIME');
    assert.equal(m?.mailParams.SMTPUTF8, true);
    assert.equal(m?.mailParams.RET, 'HDRS');
    assert.equal(m?.mailParams.ENVID, 'env 1', 'xtext decoded by the server');
    assert.equal(m?.rcptParams[0]?.NOTIFY, 'FAILURE,DELAY');
    assert.equal(m?.raw.toString('utf8'), body);
  });

  test('8-bit body or UTF-8 address without the extension: clear error, nothing sent', T, async () => {
    const plain = await startTestSmtpServer({ hide: ['8BITMIME', 'SMTPUTF8'], noStartTls: true });
    try {
      const s = await SmtpSession.open({ host: plain.host, port: plain.port, security: 'none' });
      const e1 = await rejection(s.send({ ...msg(), eightBit: true }));
      assert.equal(e1.detail.cause, 'unsupported');
      const e2 = await rejection(s.send({ ...msg(['jörg@bücher.test']) }));
      assert.equal(e2.detail.cause, 'unsupported');
      const r = await s.send(msg());
      assert.deepEqual(r.accepted, ['bob@example.test']);
      assert.equal(plain.messages.length, 1);
      await s.quit();
    } finally {
      await plain.close();
    }
  });

  test('several messages over one session; NOOP, RSET, VRFY, EXPN, QUIT', T, async () => {
    const s = await SmtpSession.open(conn(starttls));
    await s.authenticate(creds);
    const n = starttls.messages.length;
    for (let i = 0; i < 5; i++) await s.send({ ...msg(), body: `Subject: ${i}\r\n\r\nbody ${i}\r\n` });
    assert.equal(starttls.messages.length, n + 5);
    assert.equal(starttls.messages.at(-1)?.raw.toString(), 'Subject: 4\r\n\r\nbody 4\r\n');
    assert.equal((await s.noop()).code, 250);
    assert.equal((await s.rset()).code, 250);
    const v = await s.vrfy('bob@example.test');
    assert.ok(v.code >= 250 && v.code < 600);
    const x = await s.expn('staff');
    assert.ok(x.code >= 250 && x.code < 600);
    await s.quit();
    assert.equal(s.isOpen, false);
  });

  test('a large streamed body over TLS with back-pressure', T, async () => {
    const big = await startTestSmtpServer({ secure: true, users });
    try {
      let progress = 0;
      const line = Buffer.from(`${'Q'.repeat(76)}\r\n`);
      const body = Readable.from((function* () { yield Buffer.from('Subject: big\r\n\r\n'); for (let i = 0; i < 40_000; i++) yield line; })());
      const r = await sendMail({ ...conn(big, { security: 'tls' }), credentials: creds }, { ...msg(), body, onProgress: (p) => { progress = p.bytesSent; } });
      assert.equal(big.messages[0]?.raw.length, 16 + 40_000 * 78);
      assert.ok(progress >= 16 + 40_000 * 78);
      assert.ok(r.bytesSent > 3_000_000);
    } finally {
      await big.close();
    }
  });

  test('certificate checks: unknown issuer, wrong host name, self-signed fail in phase tls', T, async () => {
    const err = await rejection(probe({ host: implicit.host, port: implicit.port, security: 'tls', servername: 'localhost' }));
    assert.equal(err.detail.phase, 'tls');
    assert.equal(err.detail.cause, 'tls');
    assert.match(err.detail.systemCode ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    const e2 = await rejection(probe({ ...conn(implicit), servername: 'mail.wrong.test' }));
    assert.equal(e2.detail.phase, 'tls');
    assert.equal(e2.detail.systemCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
    const selfSrv = await startFaultServer(async (c) => { c.send('220 self\r\n'); await c.nextLine(1000); }, { tls: { key: self.keyPem, cert: self.certPem } });
    try {
      const e3 = await rejection(probe({ host: selfSrv.host, port: selfSrv.port, security: 'tls', servername: 'localhost' }));
      assert.equal(e3.detail.phase, 'tls');
      assert.equal(e3.detail.systemCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      // The extra CA is added to the system roots, not a bypass: a self-signed cert stays untrusted.
      const e4 = await rejection(probe({ host: selfSrv.host, port: selfSrv.port, security: 'tls', servername: 'localhost', extraCaPem: sharedTestCa().caCertPem }));
      assert.equal(e4.detail.phase, 'tls');
      assert.equal(selfSrv.allReceived().includes('EHLO'), false);
    } finally {
      await selfSrv.close();
    }
  });

  test('warm session: one open, sends reuse it, a dropped connection is reopened transparently', T, async () => {
    const warm = new WarmSession({ ...conn(starttls), credentials: creds });
    try {
      await warm.open();
      const c0 = starttls.connections;
      await warm.send(msg());
      await warm.send(msg());
      assert.equal(starttls.connections, c0, 'no new connection for warm sends');
      starttls.dropConnections();
      await new Promise((r) => setTimeout(r, 50));
      const r = await warm.send(msg());
      assert.deepEqual(r.accepted, ['bob@example.test']);
      assert.equal(starttls.connections, c0 + 1);
    } finally {
      await warm.close();
    }
  });

  test('warm session keeps the connection alive with NOOP and closes after the idle limit', T, async () => {
    const warm = new WarmSession({ ...conn(starttls), credentials: creds, timeouts: { keepAlive: 100 }, idleCloseMs: 600 });
    try {
      await warm.open();
      await new Promise((r) => setTimeout(r, 350));
      const noops = warm.info?.transcript.filter((e) => e.line === 'NOOP').length ?? 0;
      assert.ok(noops >= 2, `expected NOOPs, saw ${noops}`);
      assert.equal(warm.isOpen, true);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(warm.isOpen, false, 'closed after the idle limit');
      // Warming up again after an idle close opens a fresh session (it used to be refused).
      const c0 = starttls.connections;
      const info = await warm.open();
      assert.equal(warm.isOpen, true);
      assert.ok(info.authMechanism);
      assert.equal(starttls.connections, c0 + 1);
    } finally {
      await warm.close();
    }
  });

  test('connection refused and unknown host: phases connect and dns with the system code', T, async () => {
    const srv = await startTestSmtpServer({ noStartTls: true });
    const port = srv.port;
    await srv.close();
    const e1 = await rejection(probe({ host: '127.0.0.1', port, security: 'none' }));
    assert.equal(e1.detail.phase, 'connect');
    assert.equal(e1.detail.systemCode, 'ECONNREFUSED');
    const e2 = await rejection(probe({ host: 'does-not-exist.invalid', port: 25, security: 'none', timeouts: { connect: 5000 } }));
    assert.equal(e2.detail.phase, 'dns');
    assert.match(e2.detail.systemCode ?? '', /ENOTFOUND|EAI_AGAIN/);
  });

  test('IPv6 loopback', T, async () => {
    let v6: TestSmtpServer;
    try {
      v6 = await startTestSmtpServer({ host: '::1', users });
    } catch {
      return; // no IPv6 on this machine
    }
    try {
      const r = await sendMail({ host: '::1', port: v6.port, security: 'starttls', extraCaPem: v6.caPem, credentials: creds }, msg());
      assert.equal(r.session.tls?.authorized, true);
      assert.ok(r.session.transcript.some((e) => e.line.startsWith('EHLO [IPv6:::1]')));
    } finally {
      await v6.close();
    }
  });
});

test('TLS below 1.2 is refused (a 1.0 client can talk to this server: the test can fail)', T, async () => {
  const cert = sharedTestCa().issue();
  const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => { s.end('220 old\r\n'); });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    const control = await new Promise<string>((resolve) => {
      const c = tlsConnect({ port, host: '127.0.0.1', ca: sharedTestCa().caCertPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0', servername: 'localhost' }, () => { resolve(c.getProtocol() ?? ''); c.destroy(); });
      c.on('error', () => resolve('failed'));
    });
    if (control !== 'TLSv1.1') return; // this OpenSSL cannot speak old TLS at all
    const err = await rejection(probe({ host: '127.0.0.1', port, security: 'tls', servername: 'localhost', extraCaPem: sharedTestCa().caCertPem }));
    assert.equal(err.detail.phase, 'tls');
    assert.match(err.detail.systemCode ?? '', /PROTOCOL|VERSION/);
  } finally {
    server.close();
  }
});

test('IP hosts are matched against IP SANs (Node mishandles IPv6 literals)', () => {
  const cert = { subjectaltname: 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' } as PeerCertificate;
  assert.equal(verifyServerIdentity('::1', cert), undefined);
  assert.equal(verifyServerIdentity('127.0.0.1', cert), undefined);
  assert.ok(verifyServerIdentity('::2', cert));
  assert.ok(verifyServerIdentity('127.0.0.2', cert));
  assert.ok(verifyServerIdentity('mail.example.test', { ...cert, subject: { CN: 'localhost' } } as PeerCertificate));
});

test('isLoopbackHost', () => {
  for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'a.localhost']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['example.com', '10.0.0.1', '::2', 'localhost.example.com', '128.0.0.1']) assert.equal(isLoopbackHost(h), false, h);
});
