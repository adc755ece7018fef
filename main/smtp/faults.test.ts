/**
 * The engine against a scripted misbehaving server: every fault ends in a specific
 * structured error within its timeout, nothing hangs, and nothing is sent that must not be.
 */
import { rejection } from '../testing/expect-smtp-error.js';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import test from 'node:test';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { greetAndEhlo, startFaultServer, type FaultScript, type FaultServer } from '../testing/smtp-fault-server.js';
import { sharedTestCa } from '../testing/smtp-test-server.js';
import { SmtpSession, probe, sendMail, type SmtpConnectOptions, type TranscriptEntry } from './index.js';

const T = { timeout: 20_000 };
const fast = { connect: 2000, tlsHandshake: 2000, greeting: 2000, command: 2000, dataBlock: 2000, endOfData: 2000 };

function options(srv: FaultServer, extra: Partial<SmtpConnectOptions> = {}): SmtpConnectOptions {
  return { host: srv.host, port: srv.port, security: 'none', timeouts: fast, ...extra };
}

async function withServer(script: FaultScript, fn: (srv: FaultServer) => Promise<void>): Promise<void> {
  const srv = await startFaultServer(script);
  try {
    await fn(srv);
  } finally {
    await srv.close();
  }
}


const msg = { envelope: { from: 'a@example.test', to: ['b@example.test'] }, body: 'Subject: t\r\n\r\nhello\r\n' };
const creds = { username: 'alice', password: 'Sup3r-Secret' };
const secretB64 = Buffer.from(`\0alice\0Sup3r-Secret`).toString('base64');

test('no greeting: greeting timeout, nothing sent', T, async () => {
  await withServer(async () => { /* silence */ }, async (srv) => {
    const t0 = Date.now();
    const err = await rejection(probe(options(srv, { timeouts: { ...fast, greeting: 400 } })));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'timeout');
    assert.equal(err.detail.context?.timeout, 'greeting');
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(srv.allReceived(), '');
  });
});

test('554 greeting: reply error with code and text, nothing sent', T, async () => {
  await withServer(async (c) => { c.send('554 5.7.1 no service for you\r\n'); }, async (srv) => {
    const err = await rejection(probe(options(srv)));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'reply');
    assert.equal(err.detail.code, 554);
    assert.match(err.detail.serverText ?? '', /no service/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(srv.allReceived(), '');
  });
});

test('replies split into single bytes still parse', T, async () => {
  const dribble = async (c: { send(s: string): void }, s: string): Promise<void> => {
    for (const ch of s) {
      c.send(ch);
      await new Promise((r) => setImmediate(r));
    }
  };
  await withServer(async (c) => {
    await dribble(c, '220-fault.test\r\n220 ready\r\n');
    await c.expect(/^EHLO /);
    await dribble(c, '250-fault.test\r\n250-SIZE 1000\r\n250-AUTH=PLAIN LOGIN\r\n250 8BITMIME\r\n');
    await c.expect(/^QUIT/);
    c.send('221 bye\r\n');
    c.end();
  }, async (srv) => {
    const info = await probe(options(srv));
    assert.equal(info.capabilities.size, 1000);
    assert.equal(info.capabilities.eightBitMime, true);
    assert.deepEqual(info.capabilities.authMechanisms, ['PLAIN', 'LOGIN']);
  });
});

test('reply without a line end: timeout, not a hang', T, async () => {
  await withServer(async (c) => { c.send('220 almost there'); }, async (srv) => {
    const err = await rejection(probe(options(srv, { timeouts: { ...fast, greeting: 300 } })));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'timeout');
  });
});

test('overlong reply: protocol error long before the timeout', T, async () => {
  await withServer(async (c) => { c.send(`220 ${'x'.repeat(100_000)}`); }, async (srv) => {
    const t0 = Date.now();
    const err = await rejection(probe(options(srv, { timeouts: { ...fast, greeting: 10_000 } })));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'protocol');
    assert.match(err.message, /longer than/);
    assert.ok(Date.now() - t0 < 5000);
  });
});

test('endless multi-line reply and garbage: protocol errors', T, async () => {
  await withServer(async (c) => { c.send('220-x\r\n'.repeat(1000)); }, async (srv) => {
    const err = await rejection(probe(options(srv)));
    assert.equal(err.detail.cause, 'protocol');
    assert.match(err.message, /lines/);
  });
  await withServer(async (c) => { c.send('HTTP/1.1 400 Bad Request\r\n\r\n'); }, async (srv) => {
    const err = await rejection(probe(options(srv)));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'protocol');
    assert.match(err.message, /not an SMTP reply/);
  });
});

test('disconnect after the final dot: may have been delivered', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING']);
    await c.expect(/^MAIL FROM:<a@example.test>/);
    await c.expect(/^RCPT TO:<b@example.test>/);
    await c.expect(/^DATA/); // all three before any reply: PIPELINING honoured
    c.send('250 ok\r\n250 ok\r\n354 go\r\n');
    await c.readData();
    c.destroy();
  }, async (srv) => {
    const err = await rejection(sendMail(options(srv), msg));
    assert.equal(err.detail.phase, 'data');
    assert.equal(err.detail.cause, 'network');
    assert.equal(err.mayHaveBeenDelivered, true);
  });
});

test('silence after the final dot: endOfData timeout, may have been delivered', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, []);
    await c.expect(/^MAIL/); c.send('250 ok\r\n');
    await c.expect(/^RCPT/); c.send('250 ok\r\n');
    await c.expect(/^DATA/); c.send('354 go\r\n');
    await c.readData();
    await c.nextLine(5000);
  }, async (srv) => {
    const err = await rejection(sendMail(options(srv, { timeouts: { ...fast, endOfData: 300 } }), msg));
    assert.equal(err.detail.phase, 'data');
    assert.equal(err.detail.cause, 'timeout');
    assert.equal(err.detail.context?.timeout, 'endOfData');
    assert.equal(err.mayHaveBeenDelivered, true);
  });
});

test('421 in mid-session: reply error, session closed', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['ENHANCEDSTATUSCODES']);
    await c.expect(/^MAIL/);
    c.send('421 4.3.2 System shutting down\r\n');
    c.end();
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv));
    const err = await rejection(s.send(msg));
    assert.equal(err.detail.phase, 'mail');
    assert.equal(err.detail.code, 421);
    assert.equal(err.detail.enhancedCode, '4.3.2');
    assert.equal(err.mayHaveBeenDelivered, false);
    assert.equal(s.isOpen, false);
    s.close();
  });
});

test('454 to STARTTLS: stops before any credential or message byte', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['STARTTLS', 'AUTH PLAIN LOGIN', 'ENHANCEDSTATUSCODES']);
    await c.expect(/^STARTTLS/);
    c.send('454 4.7.0 TLS not available due to temporary reason\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { security: 'starttls' }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'starttls');
    assert.equal(err.detail.code, 454);
    assert.equal(err.detail.enhancedCode, '4.7.0');
    const got = srv.allReceived();
    assert.doesNotMatch(got, /AUTH|MAIL|alice/);
    assert.ok(!got.includes(secretB64));
  });
});

test('STARTTLS not offered while TLS is required: security error, nothing sent', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['AUTH PLAIN']);
    await c.nextLine(1000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { security: 'starttls' }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'starttls');
    assert.equal(err.detail.cause, 'security');
    assert.doesNotMatch(srv.allReceived(), /STARTTLS|AUTH|MAIL/);
  });
});

test('bytes injected after the STARTTLS 220: security error, no handshake, no credentials', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['STARTTLS']);
    await c.expect(/^STARTTLS/);
    c.send('220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { security: 'starttls' }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'starttls');
    assert.equal(err.detail.cause, 'security');
    assert.match(err.message, /injection/);
    const got = srv.allReceived();
    assert.ok(got.endsWith('STARTTLS\r\n'), `nothing after STARTTLS, got ${JSON.stringify(got)}`);
  });
});

test('STARTTLS then a real TLS handshake with the test CA, EHLO again, AUTH only after TLS', T, async () => {
  const ca = sharedTestCa();
  const cert = ca.issue();
  await withServer(async (c) => {
    await greetAndEhlo(c, ['STARTTLS', 'AUTH PLAIN']);
    await c.expect(/^STARTTLS/);
    c.send('220 go ahead\r\n');
    await c.startTls({ key: cert.keyPem, cert: cert.certPem });
    await c.expect(/^EHLO /);
    c.send('250-fault.test\r\n250 AUTH PLAIN\r\n');
    await c.expect(/^AUTH PLAIN /);
    c.send('235 ok\r\n');
    await c.expect(/^QUIT/);
    c.send('221 bye\r\n');
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv, { security: 'starttls', extraCaPem: ca.caCertPem, servername: 'localhost' }));
    assert.equal(s.info.capabilities.startTls, false, 'post-TLS capabilities replaced pre-TLS ones');
    assert.ok(s.info.tls?.protocol.startsWith('TLSv1.'));
    await s.authenticate(creds);
    assert.equal(s.info.authMechanism, 'PLAIN');
    assert.ok(!s.info.transcript.some((e) => e.line.includes(secretB64)), 'transcript redacted');
    await s.quit();
  });
});

test('EHLO refused: HELO fallback on plaintext; no fallback when STARTTLS is required', T, async () => {
  await withServer(async (c) => {
    c.send('220 old.test\r\n');
    await c.expect(/^EHLO /); c.send('502 5.5.1 what?\r\n');
    await c.expect(/^HELO /); c.send('250 old.test\r\n');
    await c.expect(/^MAIL FROM:<a@example.test>$/); c.send('250 ok\r\n');
    await c.expect(/^RCPT/); c.send('250 ok\r\n');
    await c.expect(/^DATA/); c.send('354 go\r\n');
    await c.readData(); c.send('250 queued as 12345ABC\r\n');
    await c.expect(/^QUIT/); c.send('221 bye\r\n');
  }, async (srv) => {
    const r = await sendMail(options(srv), msg);
    assert.equal(r.session.capabilities.heloOnly, true);
    assert.equal(r.queueId, '12345ABC');
  });
  await withServer(async (c) => {
    c.send('220 old.test\r\n');
    await c.expect(/^EHLO /); c.send('500 unrecognised\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { security: 'starttls' }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'ehlo');
    assert.equal(err.detail.code, 500);
    assert.doesNotMatch(srv.allReceived(), /HELO |AUTH|MAIL/);
  });
});

test('452 after some recipients: partial acceptance, body sent to the accepted ones', T, async () => {
  let body: Buffer | null = null;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'ENHANCEDSTATUSCODES']);
    for (const re of [/^MAIL/, /^RCPT/, /^RCPT/, /^RCPT/, /^DATA/]) await c.expect(re);
    c.send('250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n452 4.5.3 Too many recipients\r\n354 go\r\n');
    body = await c.readData();
    c.send('250 2.0.0 ok\r\n');
  }, async (srv) => {
    const r = await sendMail(options(srv), { ...msg, envelope: { from: 'a@example.test', to: ['x@e.test', 'y@e.test', 'z@e.test'] } });
    assert.deepEqual(r.accepted, ['x@e.test', 'y@e.test']);
    assert.equal(r.rejected.length, 1);
    assert.equal(r.rejected[0]?.code, 452);
    assert.equal(r.rejected[0]?.enhancedCode, '4.5.3');
    assert.ok(body);
  });
});

test('every recipient refused: no body byte is sent', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING']);
    for (const re of [/^MAIL/, /^RCPT/, /^RCPT/, /^DATA/]) await c.expect(re);
    c.send('250 ok\r\n550 no such user\r\n550 no such user\r\n554 no valid recipients\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const transcript: TranscriptEntry[] = [];
    const err = await rejection(sendMail(options(srv, { onTranscript: (e) => transcript.push(e) }), { ...msg, envelope: { from: 'a@example.test', to: ['x@e.test', 'y@e.test'] } }));
    assert.equal(err.detail.phase, 'rcpt');
    assert.equal(err.detail.code, 550);
    assert.deepEqual(err.detail.recipients, ['x@e.test', 'y@e.test']);
    assert.doesNotMatch(srv.allReceived(), /Subject|hello/);
    // Each recipient's own reply travels with the error.
    assert.deepEqual(err.recipientResults, [
      { address: 'x@e.test', accepted: false, code: 550, message: 'no such user' },
      { address: 'y@e.test', accepted: false, code: 550, message: 'no such user' },
    ]);
    // Pipelined replies arrive together, but each is filed under the command it answers.
    const replies = transcript.filter((e) => e.dir === 'S' && !e.line.startsWith('220') && !/^250[- ](fault|PIPELINING)/.test(e.line));
    assert.deepEqual(replies.map((e) => [e.phase, e.line]), [['mail', '250 ok'], ['rcpt', '550 no such user'], ['rcpt', '550 no such user'], ['data', '554 no valid recipients']]);
  });
});

test('onEndOfData: called once right before the end of the message; a hook that throws keeps the end back', T, async () => {
  // DATA, small body: the hook runs after 354, before the body with its dot.
  let calls = 0;
  let receivedAtHook = '';
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING']);
    await c.expect(/^MAIL/); await c.expect(/^RCPT/); await c.expect(/^DATA/);
    c.send('250 ok\r\n250 ok\r\n354 go\r\n');
    await c.readData();
    c.send('250 2.0.0 queued as Q1\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail(options(srv), { ...msg, onEndOfData: () => { calls++; receivedAtHook = srv.allReceived(); } });
    assert.equal(r.queueId, 'Q1');
    assert.equal(calls, 1);
    assert.match(receivedAtHook, /DATA/);
    assert.doesNotMatch(receivedAtHook, /hello/);
  });
  // DATA, streamed large body: the hook throws, so the dot never goes out and nothing may have been delivered.
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING']);
    await c.expect(/^MAIL/); await c.expect(/^RCPT/); await c.expect(/^DATA/);
    c.send('250 ok\r\n250 ok\r\n354 go\r\n');
    await c.readData(1500);
  }, async (srv) => {
    const chunks = Array.from({ length: 400 }, () => Buffer.from(`${'b'.repeat(998)}\r\n`));
    const err = await rejection(sendMail(options(srv), { ...msg, body: Readable.from(chunks), onEndOfData: () => { throw new Error('disk full'); } }));
    assert.equal(err.detail.cause, 'cancelled');
    assert.equal(err.mayHaveBeenDelivered, false);
    assert.match(err.message, /disk full/);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(srv.allReceived().includes('b'.repeat(998)), 'the body went out');
    assert.doesNotMatch(srv.allReceived(), /\r\n\.\r\n/);
  });
  // CHUNKING, one flight: the hook aborts the send, so neither envelope nor BDAT LAST is written.
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING']);
    await c.nextLine(1000);
  }, async (srv) => {
    const ctl = new AbortController();
    const err = await rejection(sendMail(options(srv), { ...msg, signal: ctl.signal, onEndOfData: () => ctl.abort() }));
    assert.equal(err.detail.cause, 'cancelled');
    assert.equal(err.mayHaveBeenDelivered, false);
    await new Promise((r) => setTimeout(r, 50));
    assert.doesNotMatch(srv.allReceived(), /BDAT|MAIL/);
  });
});

test('552 at end of data: data error, session survives for the next message (RSET first)', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'ENHANCEDSTATUSCODES']);
    for (const re of [/^MAIL/, /^RCPT/, /^DATA/]) await c.expect(re);
    c.send('250 ok\r\n250 ok\r\n354 go\r\n');
    await c.readData();
    c.send('552 5.3.4 Message too big\r\n');
    for (const re of [/^RSET/, /^MAIL/, /^RCPT/, /^DATA/]) await c.expect(re);
    c.send('250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n');
    await c.readData();
    c.send('250 2.0.0 Ok: queued as ABCDEF123\r\n');
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv));
    const err = await rejection(s.send(msg));
    assert.equal(err.detail.phase, 'data');
    assert.equal(err.detail.code, 552);
    assert.equal(err.detail.enhancedCode, '5.3.4');
    assert.equal(err.mayHaveBeenDelivered, false);
    const r = await s.send(msg);
    assert.equal(r.queueId, 'ABCDEF123');
    s.close();
  });
});

test('a server answering one byte per second: bounded by the greeting timeout', T, async () => {
  await withServer(async (c) => {
    for (const ch of '220 slow.test ESMTP\r\n') {
      if (c.closed) return;
      c.send(ch);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, async (srv) => {
    const t0 = Date.now();
    const err = await rejection(probe(options(srv, { timeouts: { ...fast, greeting: 1500 } })));
    assert.equal(err.detail.phase, 'greeting');
    assert.equal(err.detail.cause, 'timeout');
    assert.ok(Date.now() - t0 < 3000, 'not reset by each trickling byte');
  });
});

test('AbortSignal cancels while waiting and closes the socket', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, []);
    await c.nextLine(5000);
    await c.nextLine(5000);
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await rejection(s.send({ ...msg, signal: ac.signal }));
    assert.equal(err.detail.cause, 'cancelled');
    assert.equal(s.isOpen, false);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(srv.connections[0]?.closed, true);
  });
});

test('plaintext AUTH refused except to loopback with explicit permission', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['AUTH PLAIN LOGIN']);
    const l = await c.nextLine(2000);
    if (l?.startsWith('AUTH')) c.send('235 ok\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv));
    const err = await rejection(s.authenticate(creds));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.cause, 'security');
    assert.doesNotMatch(srv.allReceived(), /AUTH/);
    s.close();
    const s2 = await SmtpSession.open(options(srv, { allowInsecureAuthOnLoopback: true }));
    await s2.authenticate(creds);
    assert.equal(s2.info.authMechanism, 'PLAIN');
    s2.close();
  });
});

test('bare CR and bare LF never reach the wire; dot-stuffing; SMTP smuggling attempt neutralised', T, async () => {
  let raw = '';
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING']);
    for (const re of [/^MAIL/, /^RCPT/, /^DATA/]) await c.expect(re);
    c.send('250 ok\r\n250 ok\r\n354 go\r\n');
    const start = c.received().length;
    await c.readData();
    raw = c.received().slice(start);
    c.send('250 ok\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    // A streamed body split at awkward places, with a smuggling payload "\n.\r\n" / "\r\n.\n".
    const parts = ['Subject: x\nX: y\r', '\n\r\nline\n.\n', 'MAIL FROM:<evil@x>\r\n.', '\rend\r\n.', 'dot\r\n'];
    await sendMail(options(srv), { ...msg, body: Readable.from(parts.map((p) => Buffer.from(p))) });
  });
  assert.equal(raw, 'Subject: x\r\nX: y\r\n\r\nline\r\n..\r\nMAIL FROM:<evil@x>\r\n..\r\nend\r\n..dot\r\n.\r\n');
  assert.doesNotMatch(raw.replace(/\r\n/g, ''), /[\r\n]/);
});

test('SIZE pre-check: over the limit fails before MAIL; SIZE= announced otherwise', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'SIZE 100']);
    const l = await c.nextLine(2000);
    if (l) c.send('250 ok\r\n');
  }, async (srv) => {
    const err = await rejection(sendMail(options(srv), { ...msg, body: `Subject: big\r\n\r\n${'a'.repeat(200)}\r\n` }));
    assert.equal(err.detail.phase, 'mail');
    assert.equal(err.detail.cause, 'size-limit');
    assert.equal(err.detail.context?.limit, 100);
    assert.doesNotMatch(srv.allReceived(), /MAIL|Subject/);
  });
});

test('CHUNKING + PIPELINING: MAIL, RCPTs and BDAT LAST with the body in one flight', T, async () => {
  let body = '';
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'SIZE 10000', '8BITMIME', 'SMTPUTF8', 'DSN']);
    const mail = await c.expect(/^MAIL FROM:<a@example.test> SIZE=\d+ BODY=8BITMIME RET=HDRS ENVID=id\+2B1$/);
    await c.expect(/^RCPT TO:<b@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.test$/);
    await c.expect(/^RCPT TO:<c@example.test> NOTIFY=SUCCESS,FAILURE/);
    const bdat = await c.expect(/^BDAT \d+ LAST$/);
    const n = Number(bdat.split(' ')[1]);
    assert.equal(mail.match(/SIZE=(\d+)/)?.[1], String(n));
    body = (await c.readBytes(n))?.toString('utf8') ?? '';
    c.send('250 ok\r\n250 ok\r\n250 ok\r\n250 2.0.0 queued as QID77\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail(options(srv), {
      envelope: { from: 'a@example.test', to: ['b@example.test', 'c@example.test'] },
      body: 'Subject: ü\n\n.no stuffing in BDAT\n', eightBit: true,
      dsn: { ret: 'HDRS', envid: 'id+1', notify: ['SUCCESS', 'FAILURE'] },
    });
    assert.equal(r.queueId, 'QID77');
  });
  assert.equal(body, 'Subject: ü\r\n\r\n.no stuffing in BDAT\r\n');
});

test('CHUNKING with a large streamed body: several BDAT blocks, recipients checked before the body', T, async () => {
  let total = 0;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING']);
    await c.expect(/^MAIL/); await c.expect(/^RCPT/);
    await new Promise((r) => setTimeout(r, 100));
    if (c.received().includes('BDAT')) throw new Error('body sent before the recipients were known');
    c.send('250 ok\r\n250 ok\r\n');
    for (;;) {
      const head = await c.expect(/^BDAT \d+( LAST)?$/);
      const n = Number(head.split(' ')[1]);
      const b = await c.readBytes(n);
      total += b?.length ?? 0;
      c.send('250 ok\r\n');
      if (head.endsWith('LAST')) break;
    }
    await c.nextLine(1000);
  }, async (srv) => {
    const line = `${'b'.repeat(998)}\r\n`;
    const chunks = Array.from({ length: 1000 }, () => Buffer.from(line));
    const r = await sendMail(options(srv), { ...msg, body: Readable.from(chunks) });
    assert.equal(r.bytesSent, 1000 * 1000);
  });
  assert.equal(total, 1000 * 1000);
});

test('SCRAM-SHA-256 against a scripted server: mutual authentication; a wrong server signature is refused', T, async () => {
  const ca = sharedTestCa();
  const cert = ca.issue();
  const password = 'pencil';
  const scramServer = (lie: boolean): FaultScript => async (c) => {
    c.send('220 x\r\n');
    await c.expect(/^EHLO /);
    c.send('250-x\r\n250-STARTTLS\r\n250 AUTH SCRAM-SHA-256 PLAIN\r\n');
    await c.expect(/^STARTTLS/);
    c.send('220 go\r\n');
    await c.startTls({ key: cert.keyPem, cert: cert.certPem });
    await c.expect(/^EHLO /);
    c.send('250-x\r\n250 AUTH SCRAM-SHA-256 PLAIN\r\n');
    const auth = await c.expect(/^AUTH SCRAM-SHA-256 /);
    const clientFirst = Buffer.from(auth.split(' ')[2] ?? '', 'base64').toString();
    const bare = clientFirst.slice(3);
    const cnonce = /r=([^,]+)/.exec(bare)?.[1] ?? '';
    const salt = Buffer.from('salty-salt');
    const serverFirst = `r=${cnonce}SERVER,s=${salt.toString('base64')},i=4096`;
    c.send(`334 ${Buffer.from(serverFirst).toString('base64')}\r\n`);
    const finalLine = await c.nextLine();
    const clientFinal = Buffer.from(finalLine ?? '', 'base64').toString();
    const withoutProof = clientFinal.replace(/,p=.*$/, '');
    const salted = pbkdf2Sync(password, salt, 4096, 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const stored = createHash('sha256').update(clientKey).digest();
    const authMsg = `${bare},${serverFirst},${withoutProof}`;
    const sig = createHmac('sha256', stored).update(authMsg).digest();
    const proof = Buffer.from(/,p=(.*)$/.exec(clientFinal)?.[1] ?? '', 'base64');
    const recovered = Buffer.from(proof.map((b, i) => b ^ (sig[i] ?? 0)));
    if (!createHash('sha256').update(recovered).digest().equals(stored)) {
      c.send('535 5.7.8 bad proof\r\n');
      return;
    }
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    const ss = createHmac('sha256', serverKey).update(lie ? 'nope' : authMsg).digest('base64');
    c.send(`334 ${Buffer.from(`v=${ss}`).toString('base64')}\r\n`);
    await c.expect(/^$/);
    c.send('235 2.7.0 ok\r\n');
    await c.nextLine(1000);
  };
  await withServer(scramServer(false), async (srv) => {
    const s = await SmtpSession.open(options(srv, { security: 'starttls', extraCaPem: ca.caCertPem, servername: 'localhost' }));
    await s.authenticate({ username: 'user', password });
    assert.equal(s.info.authMechanism, 'SCRAM-SHA-256', 'strongest mutual mechanism chosen');
    s.close();
  });
  await withServer(scramServer(true), async (srv) => {
    const s = await SmtpSession.open(options(srv, { security: 'starttls', extraCaPem: ca.caCertPem, servername: 'localhost' }));
    const err = await rejection(s.authenticate({ username: 'user', password }));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.cause, 'security');
    assert.match(err.message, /signature/);
    s.close();
  });
});

test('OAUTHBEARER: RFC 7628 initial response; error challenge answered with %x01; 535 kept', T, async () => {
  const ca = sharedTestCa();
  let initial = '';
  let dummy = '';
  await withServer(async (c) => {
    c.send('220 x\r\n');
    await c.expect(/^EHLO /);
    c.send('250-x\r\n250 AUTH OAUTHBEARER XOAUTH2 PLAIN\r\n');
    initial = Buffer.from((await c.expect(/^AUTH OAUTHBEARER /)).split(' ')[2] ?? '', 'base64').toString();
    c.send(`334 ${Buffer.from('{"status":"invalid_token"}').toString('base64')}\r\n`);
    dummy = Buffer.from((await c.nextLine()) ?? '', 'base64').toString();
    c.send('535 5.7.8 token expired\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv, { allowInsecureAuthOnLoopback: true, extraCaPem: ca.caCertPem }));
    const err = await rejection(s.authenticate({ username: 'u@example.test', accessToken: 'ya29.token' }));
    assert.equal(err.detail.code, 535);
    assert.equal(err.detail.enhancedCode, undefined, 'no ENHANCEDSTATUSCODES advertised');
    assert.match(err.detail.serverText ?? '', /5\.7\.8 token expired/);
    assert.ok(!s.info.transcript.some((e) => e.line.includes('ya29')), 'token never in the transcript');
    s.close();
  });
  assert.equal(initial, `n,a=u@example.test,\x01host=127.0.0.1\x01port=${initial.match(/port=(\d+)/)?.[1]}\x01auth=Bearer ya29.token\x01\x01`);
  assert.equal(dummy, '\x01');
});

test('concurrent sends over CHUNKING + PIPELINING go out back to back; replies matched in order', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'ENHANCEDSTATUSCODES']);
    const bodies: string[] = [];
    // All three transactions arrive before the server says a word: no waiting between messages.
    for (let i = 0; i < 3; i++) {
      if (i > 0) await c.expect(/^RSET$/);
      await c.expect(/^MAIL FROM:<a@example.test>/);
      await c.expect(/^RCPT TO:/);
      const n = Number((await c.expect(/^BDAT \d+ LAST$/)).split(' ')[1]);
      bodies.push((await c.readBytes(n))?.toString() ?? '');
    }
    assert.deepEqual(bodies, ['m0\r\n', 'm1\r\n', 'm2\r\n']);
    c.send('250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 queued as A0\r\n');
    c.send('250 ok\r\n250 2.1.0 ok\r\n550 5.1.1 no such user\r\n554 5.5.1 no valid recipients\r\n');
    c.send('250 ok\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 queued as A2\r\n');
    await c.nextLine(2000);
  }, async (srv) => {
    const s = await SmtpSession.open(options(srv));
    const sends = [0, 1, 2].map((i) => s.send({ envelope: { from: 'a@example.test', to: [`r${i}@example.test`] }, body: `m${i}\n` }));
    const [r0, r1, r2] = await Promise.all([sends[0], rejection(sends[1] ?? Promise.resolve()), sends[2]]);
    assert.equal(r0?.queueId, 'A0');
    assert.equal(r1.detail.phase, 'rcpt');
    assert.equal(r1.detail.code, 550);
    assert.equal(r1.detail.enhancedCode, '5.1.1');
    assert.equal(r2?.queueId, 'A2');
    s.close();
  });
});

test('a BDAT block refused mid-stream stops the body early with a data error', T, async () => {
  let blocksSeen = 0;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING']);
    await c.expect(/^MAIL/); await c.expect(/^RCPT/);
    c.send('250 ok\r\n250 ok\r\n');
    const head = await c.expect(/^BDAT \d+$/);
    await c.readBytes(Number(head.split(' ')[1]));
    blocksSeen++;
    c.send('552 5.3.4 too much\r\n');
    await c.nextLine(3000);
  }, async (srv) => {
    const line = Buffer.from(`${'z'.repeat(998)}\r\n`);
    const body = Readable.from((function* () { for (let i = 0; i < 20_000; i++) yield line; })());
    const err = await rejection(sendMail(options(srv), { ...msg, body }));
    assert.equal(err.detail.phase, 'data');
    assert.equal(err.detail.code, 552);
  });
  assert.equal(blocksSeen, 1);
});

test('AbortSignal during connect/greeting: cancelled promptly, socket closed', T, async () => {
  await withServer(async (c) => { await c.nextLine(5000); }, async (srv) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const err = await rejection(SmtpSession.open(options(srv, { signal: ac.signal, timeouts: { ...fast, greeting: 10_000 } })));
    assert.equal(err.detail.cause, 'cancelled');
    assert.equal(err.detail.phase, 'greeting');
    assert.ok(Date.now() - t0 < 2000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(srv.connections[0]?.closed, true);
  });
});

test('fresh sendMail with AUTH PLAIN to a DATA-only server: AUTH, MAIL, RCPT and DATA in one group (RFC 4954 §4), body after 235 and 354', T, async () => {
  const arrivedBeforeAnyReply: string[] = [];
  let body: Buffer | null = null;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'AUTH PLAIN LOGIN']);
    // The whole group is on the wire before the server has said anything.
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/, /^DATA$/]) arrivedBeforeAnyReply.push(await c.expect(re, 1000));
    c.send('235 2.7.0 ok\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go\r\n');
    body = await c.readData();
    c.send('250 2.0.0 queued as ABC123\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg);
    assert.deepEqual(r.accepted, ['b@example.test']);
    assert.equal(r.session.authMechanism, 'PLAIN');
    assert.equal(r.queueId, 'ABC123');
    const auth = r.session.transcript.filter((e) => e.dir === 'C' && e.line.startsWith('AUTH'));
    assert.deepEqual(auth.map((e) => e.line), ['AUTH PLAIN <redacted>']);
    assert.ok(!r.session.transcript.some((e) => e.line.includes(secretB64)), 'credentials never in the transcript');
  });
  assert.equal(arrivedBeforeAnyReply[0], `AUTH PLAIN ${secretB64}`);
  assert.equal(String(body), 'Subject: t\r\n\r\nhello\r\n');
});

test('pipelined AUTH PLAIN refused: auth error with the server\'s reply, no body byte even after a 354, connection closed', T, async () => {
  let afterData = '';
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'AUTH PLAIN', 'ENHANCEDSTATUSCODES']);
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/, /^DATA$/]) await c.expect(re, 1000);
    // A server that lets unauthenticated mail through to this recipient would answer 354.
    c.send('535 5.7.8 bad credentials\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go\r\n');
    const before = c.received().length;
    await new Promise((r) => setTimeout(r, 300));
    afterData = c.received().slice(before);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.code, 535);
    assert.equal(err.detail.enhancedCode, '5.7.8');
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(srv.connections[0]?.closed, 'the client closed the connection');
  });
  assert.equal(afterData, '', 'nothing after DATA: no body, no final dot');
});

test('pipelined AUTH: a small message to a CHUNKING server goes whole behind AUTH PLAIN (AUTH, MAIL, RCPT, BDAT LAST in one write)', T, async () => {
  let group: string[] = [];
  let chunk: Buffer | null = null;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN']);
    // Everything is on the wire before the server has answered anything.
    group = [await c.expect(/^AUTH PLAIN /, 1000), await c.expect(/^MAIL FROM:/, 1000), await c.expect(/^RCPT TO:/, 1000), await c.expect(/^BDAT \d+ LAST$/, 1000)];
    chunk = await c.readBytes(Number(group[3]?.split(' ')[1]), 1000);
    c.send('235 2.7.0 ok\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 queued as Q1\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg);
    assert.deepEqual(r.accepted, ['b@example.test']);
    assert.equal(r.queueId, 'Q1');
    assert.equal(r.authRefused, undefined);
    assert.equal(r.session.authMechanism, 'PLAIN');
    assert.ok(!r.session.transcript.some((e) => e.line.includes(secretB64)), 'credentials never in the transcript');
  });
  assert.equal(group[0], `AUTH PLAIN ${secretB64}`);
  assert.equal(String(chunk), msg.body);
});

test('pipelined AUTH with BDAT LAST refused by a submission server (530 to MAIL): the AUTH error, nothing delivered, the client closes', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN', 'ENHANCEDSTATUSCODES']);
    await c.expect(/^AUTH PLAIN /);
    await c.expect(/^MAIL FROM:/);
    await c.expect(/^RCPT TO:/);
    const bdat = await c.expect(/^BDAT \d+ LAST$/);
    await c.readBytes(Number(bdat.split(' ')[1]));
    // What Postfix answers (see postfix.test.ts): the chunk is read and dropped.
    c.send('535 5.7.8 Error: authentication failed\r\n530 5.7.0 Authentication required\r\n503 5.5.1 Error: need MAIL command\r\n503 5.5.1 Error: need RCPT command\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.code, 535);
    assert.equal(err.detail.enhancedCode, '5.7.8');
    assert.equal(err.mayHaveBeenDelivered, false, 'the server said it took nothing');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(srv.connections[0]?.closed, 'the session, not signed in, is closed');
  });
});

test('pipelined AUTH with BDAT LAST: a server that closes after 535 gives the AUTH error, not "may have been delivered"', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN']);
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/, /^BDAT \d+ LAST$/]) await c.expect(re);
    c.send('535 5.7.8 bad credentials\r\n');
    c.end();
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.code, 535);
    assert.equal(err.mayHaveBeenDelivered, false);
  });
});

test('pipelined AUTH with BDAT LAST: refused sign-in but the server delivers anyway → a success that carries authRefused (never sent twice)', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN', 'ENHANCEDSTATUSCODES']);
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/]) await c.expect(re);
    const bdat = await c.expect(/^BDAT \d+ LAST$/);
    await c.readBytes(Number(bdat.split(' ')[1]));
    // A server that trusts the client's network without sign-in.
    c.send('535 5.7.8 bad credentials\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 queued as Q2\r\n');
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, msg);
    assert.deepEqual(r.accepted, ['b@example.test']);
    assert.equal(r.queueId, 'Q2');
    assert.deepEqual(r.authRefused, { code: 535, enhancedCode: '5.7.8', message: 'bad credentials' });
    assert.equal(r.session.authMechanism, null, 'not signed in');
    assert.ok(r.session.transcript.some((e) => e.dir === 'I' && /refused the sign-in but accepted the message/.test(e.line)));
  });
});

test('pipelined AUTH with BDAT LAST: sender and recipient taken after a refused AUTH, then silence → may have been delivered', T, async () => {
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN']);
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/]) await c.expect(re);
    const bdat = await c.expect(/^BDAT \d+ LAST$/);
    await c.readBytes(Number(bdat.split(' ')[1]));
    c.send('535 5.7.8 bad credentials\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n');
    await c.nextLine(2000);
  }, async (srv) => {
    const err = await rejection(sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true, timeouts: { ...fast, endOfData: 300 } }), credentials: creds }, msg));
    assert.equal(err.mayHaveBeenDelivered, true);
  });
});

test('pipelined AUTH: a streamed body to a CHUNKING server: AUTH, MAIL and RCPT in one group, BDAT only after 235', T, async () => {
  const big = `Subject: big\r\n\r\n${'0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstu\r\n'.repeat(5000)}`;
  let received = 0;
  await withServer(async (c) => {
    await greetAndEhlo(c, ['PIPELINING', 'CHUNKING', 'AUTH PLAIN']);
    for (const re of [/^AUTH PLAIN /, /^MAIL FROM:/, /^RCPT TO:/]) await c.expect(re, 1000);
    assert.equal(await c.nextLine(200), null, 'no BDAT before the AUTH result');
    c.send('235 2.7.0 ok\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n');
    for (;;) {
      const cmd = await c.expect(/^BDAT \d+( LAST)?$/);
      received += (await c.readBytes(Number(cmd.split(' ')[1])))?.length ?? 0;
      c.send(cmd.endsWith('LAST') ? '250 2.0.0 queued\r\n' : '250 2.0.0 chunk ok\r\n');
      if (cmd.endsWith('LAST')) break;
    }
    await c.nextLine(1000);
  }, async (srv) => {
    const r = await sendMail({ ...options(srv, { allowInsecureAuthOnLoopback: true }), credentials: creds }, { ...msg, body: Readable.from([Buffer.from(big)]) });
    assert.deepEqual(r.accepted, ['b@example.test']);
  });
  assert.equal(received, Buffer.byteLength(big));
});
