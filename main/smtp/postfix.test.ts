/**
 * Our engine against a real Postfix with Dovecot SASL on loopback
 * (scripts/test-servers/postfix-dovecot.sh; skipped on a laptop without it, required
 * under CI). Delivered messages are read back from the Maildir and compared byte for byte
 * with what was sent, minus the trace headers Postfix puts on top.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { Readable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { skipUnless } from '../testing/environment.js';
import {
  loadPostfixInfo, postfixUnavailableReason, readCaCert, readDeliveredMessages, removeDelivered, waitForDelivery,
  type DeliveredMessage, type PostfixInfo,
} from '../testing/postfix.js';
import { SmtpError, SmtpSession, probe, sendMail } from './index.js';
import type { AuthMechanism, SmtpConnectOptions, TranscriptEntry } from './index.js';

const infoPromise = loadPostfixInfo();
const caseTimeout = { timeout: 30_000 };

async function postfix(t: TestContext): Promise<PostfixInfo | null> {
  const info = await infoPromise;
  return skipUnless(t, info !== null, postfixUnavailableReason()) ? null : info;
}

function connectOptions(info: PostfixInfo, kind: 'submission' | 'submissions' | 'smtp', extra: Partial<SmtpConnectOptions> = {}): SmtpConnectOptions {
  return {
    host: info.host,
    port: info.ports[kind],
    security: kind === 'submissions' ? 'tls' : 'starttls',
    servername: info.tlsServername,
    extraCaPem: readCaCert(info),
    clientName: 'client.postbote.test',
    timeouts: { connect: 5000, greeting: 15_000, command: 10_000, endOfData: 15_000 }, // generous: CI machines are shared
    ...extra,
  };
}

/** A message with a unique marker, dot-leading lines, an 8-bit line and CRLF line ends. */
function messageFor(info: PostfixInfo, marker: string, to: string[]): string {
  return [
    `From: Postbote Test <${info.address}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: Postfix integration ${marker}`,
    `Message-ID: <${marker}@${info.domain}>`,
    'Date: Mon, 1 Jun 2026 10:00:00 +0200',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße aus dem Test — "wenn E-Mail die Post ist, ist SMTP der Postbote".',
    '.a line that starts with a dot',
    '..two dots',
    '.',
    ' leading space, trailing space ',
    'x'.repeat(900),
    'end',
    '',
  ].join('\r\n');
}

const byMarker = (marker: string) => (m: DeliveredMessage): boolean => m.original.includes(marker);

function assertNoSecret(transcript: TranscriptEntry[], secret: string): void {
  const b64 = Buffer.from(secret).toString('base64');
  for (const e of transcript) {
    assert.ok(!e.line.includes(secret) && !e.line.includes(b64), `transcript leaks the password: ${e.line}`);
  }
}

async function expectSmtpError(p: Promise<unknown>): Promise<SmtpError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SmtpError, `expected an SmtpError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the operation to fail');
}

describe('SMTP engine against Postfix + Dovecot on loopback', () => {
  test('probe: the plain port offers STARTTLS, SIZE, PIPELINING, CHUNKING and no AUTH; TLS is verified', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const result = await probe(connectOptions(info, 'smtp'));
    assert.equal(result.capabilities.serverName.split(' ')[0], info.serverName);
    assert.equal(result.capabilities.size, info.sizeLimit);
    assert.ok(result.capabilities.pipelining && result.capabilities.chunking && result.capabilities.eightBitMime);
    assert.ok(result.capabilities.enhancedStatusCodes && result.capabilities.smtpUtf8 && result.capabilities.dsn);
    assert.deepEqual(result.capabilities.authMechanisms, []);
    assert.ok(result.tls?.authorized, 'the certificate from the test CA is verified');
    assert.match(result.tls?.protocol ?? '', /^TLSv1\.[23]$/);
  });

  test('submission: STARTTLS, AUTH, two messages over one session, delivered byte for byte', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const session = await SmtpSession.open(connectOptions(info, 'submission'));
    try {
      assert.ok(session.info.tls?.authorized);
      for (const m of info.authMechanisms) assert.ok(session.info.capabilities.authMechanisms.includes(m), `AUTH ${m} offered after STARTTLS`);
      await session.authenticate({ username: info.user, password: info.password });
      assert.ok(info.authMechanisms.includes(session.info.authMechanism ?? ''), `used ${session.info.authMechanism}`);

      const sent: Array<{ marker: string; body: string }> = [];
      for (let i = 0; i < 2; i++) {
        const marker = `sub-${randomUUID()}`;
        const body = messageFor(info, marker, [info.address]);
        const result = await session.send({ envelope: { from: info.address, to: [info.address] }, body, eightBit: true });
        assert.deepEqual(result.accepted, [info.address]);
        assert.deepEqual(result.rejected, []);
        assert.equal(result.response.code, 250);
        assert.equal(result.response.enhancedCode, '2.0.0');
        assert.match(result.queueId ?? '', /^[0-9A-F]{6,}$/, 'Postfix queue id from "queued as …"');
        sent.push({ marker, body });
      }
      for (const { marker, body } of sent) {
        const [delivered] = await waitForDelivery(info, byMarker(marker), 10_000, { maildirs: [info.maildir] });
        assert.ok(delivered);
        assert.equal(delivered.returnPath, info.address);
        assert.equal(delivered.deliveredTo, info.address);
        assert.ok(delivered.original.equals(Buffer.from(body, 'utf8')),
          `delivered message differs from the one sent:\n${delivered.original.toString('utf8').slice(0, 600)}`);
        removeDelivered([delivered]);
      }
      assertNoSecret(session.info.transcript, info.password);
    } finally {
      await session.quit();
    }
  });

  test('submissions: implicit TLS with every AUTH mechanism; a streamed body arrives intact at both mailboxes', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    for (const mechanism of info.authMechanisms as AuthMechanism[]) {
      const session = await SmtpSession.open(connectOptions(info, 'submissions'));
      try {
        assert.ok(session.info.tls?.authorized);
        await session.authenticate({ username: info.user, password: info.password }, { mechanism });
        assert.equal(session.info.authMechanism, mechanism);
        assertNoSecret(session.info.transcript, info.password);
      } finally {
        await session.quit();
      }
    }

    const second = info.users[1];
    assert.ok(second, 'the test server has a second user');
    const marker = `tls-${randomUUID()}`;
    const body = messageFor(info, marker, [info.address, second.address]);
    // Chunks cut at awkward places: inside CRLF and right before a line-leading dot.
    const bytes = Buffer.from(body, 'utf8');
    const cuts = [1, bytes.indexOf('\r\n.a') + 1, bytes.indexOf('\r\n.a') + 2, bytes.indexOf('\r\n..') + 2, bytes.length - 1];
    const chunks: Buffer[] = [];
    let last = 0;
    for (const cut of [...cuts, bytes.length]) {
      chunks.push(bytes.subarray(last, cut));
      last = cut;
    }
    const result = await sendMail(
      { ...connectOptions(info, 'submissions'), credentials: { username: info.user, password: info.password } },
      { envelope: { from: info.address, to: [info.address, second.address] }, body: Readable.from(chunks), eightBit: true },
    );
    assert.deepEqual([...result.accepted].sort(), [info.address, second.address].sort());
    const delivered = await waitForDelivery(info, byMarker(marker), 10_000, { count: 2 });
    assert.deepEqual(delivered.map((m) => m.maildir).sort(), [info.maildir, second.maildir].sort());
    for (const m of delivered) assert.ok(m.original.equals(bytes), `delivered copy in ${m.maildir} differs`);
    removeDelivered(delivered);
  });

  test('an unknown recipient is refused at RCPT with 550 5.1.1; the other recipient gets the message', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const marker = `rcpt-${randomUUID()}`;
    const body = messageFor(info, marker, [info.address, info.unknownRecipient]);
    const result = await sendMail(
      { ...connectOptions(info, 'submission'), credentials: { username: info.user, password: info.password } },
      { envelope: { from: info.address, to: [info.unknownRecipient, info.address] }, body, eightBit: true },
    );
    assert.deepEqual(result.accepted, [info.address]);
    assert.equal(result.rejected.length, 1);
    const [refused] = result.rejected;
    assert.equal(refused?.address, info.unknownRecipient);
    assert.equal(refused?.accepted, false);
    assert.equal(refused?.code, 550);
    assert.equal(refused?.enhancedCode, '5.1.1');
    assert.match(refused?.message ?? '', /User unknown/);
    const delivered = await waitForDelivery(info, byMarker(marker), 10_000);
    assert.equal(delivered.length, 1);
    assert.ok(delivered[0]?.original.equals(Buffer.from(body, 'utf8')));
    removeDelivered(delivered);
  });

  test('relaying to another domain is refused at RCPT (554 5.7.1); no body follows and nothing is delivered', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const marker = `relay-${randomUUID()}`;
    const transcript: TranscriptEntry[] = [];
    const err = await expectSmtpError(sendMail(
      { ...connectOptions(info, 'submission', { onTranscript: (e) => transcript.push(e) }), credentials: { username: info.user, password: info.password } },
      { envelope: { from: info.address, to: [info.relayRecipient] }, body: messageFor(info, marker, [info.relayRecipient]) },
    ));
    assert.equal(err.detail.phase, 'rcpt');
    assert.equal(err.detail.code, 554);
    assert.equal(err.detail.enhancedCode, '5.7.1');
    assert.match(err.detail.serverText ?? '', /Relay access denied/);
    assert.deepEqual(err.detail.recipients, [info.relayRecipient]);
    assert.equal(err.mayHaveBeenDelivered, false);
    // With PIPELINING + CHUNKING a small body may travel in the same write as MAIL and RCPT
    // (RFC 3030: the server then refuses the BDAT too); but once the refusals are in, nothing
    // more may follow: no DATA and no BDAT sent after the first reply.
    const mailAt = transcript.findIndex((e) => e.dir === 'C' && /^MAIL FROM:/i.test(e.line));
    const firstReply = transcript.findIndex((e, i) => i > mailAt && e.dir === 'S');
    assert.ok(mailAt >= 0 && firstReply > mailAt);
    const bodyCommands = transcript.flatMap((e, i) => (e.dir === 'C' && /^(DATA|BDAT)\b/i.test(e.line) ? [i] : []));
    assert.ok(bodyCommands.every((i) => i < firstReply), 'no DATA or BDAT after the server refused every recipient');
    assert.ok(!transcript.some((e) => e.dir === 'C' && /^DATA\b/i.test(e.line)), 'no DATA command at all');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(readDeliveredMessages(info).filter(byMarker(marker)), []);
  });

  test('a wrong password gives a structured auth error with 535 and 5.7.8 and leaks nothing', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const wrong = `wrong-${info.password}`;
    for (const mechanism of ['PLAIN', 'LOGIN'] as const) {
      const transcript: TranscriptEntry[] = [];
      const session = await SmtpSession.open(connectOptions(info, 'submissions', { onTranscript: (e) => transcript.push(e) }));
      try {
        const err = await expectSmtpError(session.authenticate({ username: info.user, password: wrong }, { mechanism }));
        assert.equal(err.detail.phase, 'auth');
        assert.equal(err.detail.cause, 'reply');
        assert.equal(err.detail.code, 535);
        assert.equal(err.detail.enhancedCode, '5.7.8');
        assert.match(err.detail.serverText ?? '', /authentication failed/);
        assertNoSecret(transcript, wrong);
      } finally {
        await session.quit();
      }
    }
  });

  test('AUTH PLAIN pipelined with the transaction (RFC 4954 §4) for a streamed body: delivered byte for byte; with a wrong password: 535, nothing delivered', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const marker = `pipe-auth-${randomUUID()}`;
    // Over the read-ahead limit, so the body streams in BDAT blocks after the envelope.
    const bytes = Buffer.from(`${messageFor(info, marker, [info.address])}${'z'.repeat(76).concat('\r\n').repeat(5000)}`, 'utf8');
    const send = (password: string, transcript: TranscriptEntry[]) => sendMail(
      { ...connectOptions(info, 'submissions', { onTranscript: (e) => transcript.push(e) }), credentials: { username: info.user, password }, mechanism: 'PLAIN' },
      { envelope: { from: info.address, to: [info.address] }, body: Readable.from([bytes]), eightBit: true },
    );
    const wrongTranscript: TranscriptEntry[] = [];
    const wrong = `wrong-${info.password}`;
    const err = await expectSmtpError(send(wrong, wrongTranscript));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.code, 535);
    assert.ok(!wrongTranscript.some((e) => e.dir === 'C' && /^BDAT\b/.test(e.line)), 'no body after a refused AUTH');
    assertNoSecret(wrongTranscript, wrong);

    const transcript: TranscriptEntry[] = [];
    const result = await send(info.password, transcript);
    assert.deepEqual(result.accepted, [info.address]);
    const sent = transcript.filter((e) => e.dir === 'C').map((e) => e.line.split(/[ :]/)[0]);
    assert.deepEqual(sent.slice(sent.indexOf('AUTH'), sent.indexOf('AUTH') + 3), ['AUTH', 'MAIL', 'RCPT'], 'AUTH, MAIL and RCPT went out together');
    assertNoSecret(transcript, info.password);
    const delivered = await waitForDelivery(info, byMarker(marker), 10_000);
    assert.equal(delivered.length, 1, 'delivered once (never for the refused attempt)');
    assert.ok(delivered[0]?.original.equals(bytes));
    removeDelivered(delivered);
  });

  test('the test Postfix is strict about pipelining (smtpd_forbid_unauth_pipelining): EHLO with a command behind it is cut off', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    // Proves the next test means something: this server disconnects clients that break RFC 2920.
    const replies = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: info.host, port: info.ports.submissions, servername: info.tlsServername, ca: readCaCert(info) });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        text += d;
        if (/^220 /m.test(text) && !text.includes('EHLO-SENT')) { text += 'EHLO-SENT\n'; socket.write('EHLO client.postbote.test\r\nNOOP\r\n'); }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => { socket.destroy(); resolve(text); }, 5000);
    });
    assert.match(replies, /554 5\.5\.0 Error: SMTP protocol synchronization/);
  });

  test('fresh implicit TLS, small message: AUTH PLAIN, MAIL, RCPT and BDAT LAST in one write (5 round trips), accepted by a strict Postfix; a wrong password: 535, nothing delivered, not "may have arrived"', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const marker = `bdat-auth-${randomUUID()}`;
    const body = messageFor(info, marker, [info.address]);
    const send = (password: string, transcript: TranscriptEntry[]) => sendMail(
      { ...connectOptions(info, 'submissions', { onTranscript: (e) => transcript.push(e) }), credentials: { username: info.user, password } },
      { envelope: { from: info.address, to: [info.address, info.users[1]?.address ?? info.address] }, body, eightBit: true },
    );
    const wrongTranscript: TranscriptEntry[] = [];
    const wrong = `wrong-${info.password}`;
    const err = await expectSmtpError(send(wrong, wrongTranscript));
    assert.equal(err.detail.phase, 'auth');
    assert.equal(err.detail.code, 535);
    assert.equal(err.mayHaveBeenDelivered, false);
    assert.ok(wrongTranscript.some((e) => e.dir === 'S' && /^530 5\.7\.0/.test(e.line)), 'Postfix refused the MAIL behind the failed AUTH');
    assertNoSecret(wrongTranscript, wrong);

    const transcript: TranscriptEntry[] = [];
    const result = await send(info.password, transcript);
    assert.deepEqual(result.accepted.length, 2);
    assert.equal(result.authRefused, undefined);
    assert.equal(result.session.authMechanism, 'PLAIN');
    // After the EHLO reply, the client's next lines are the whole group, before any server line.
    const afterEhlo = transcript.slice(transcript.findIndex((e) => e.dir === 'C' && e.line.startsWith('AUTH')));
    const group = afterEhlo.slice(0, afterEhlo.findIndex((e) => e.dir === 'S')).filter((e) => e.dir === 'C').map((e) => e.line.split(/[ :]/)[0]);
    assert.deepEqual(group, ['AUTH', 'MAIL', 'RCPT', 'RCPT', 'BDAT']);
    assertNoSecret(transcript, info.password);
    await new Promise((r) => setTimeout(r, 300)); // a copy from the refused attempt would be in by now too
    const delivered = await waitForDelivery(info, byMarker(marker), 10_000, { count: 2, maildirs: info.users.map((u) => u.maildir) });
    assert.equal(delivered.length, 2, 'one copy per mailbox, none from the refused attempt');
    for (const copy of delivered) assert.ok(copy.original.equals(Buffer.from(body, 'utf8')));
    removeDelivered(delivered);
  });

  test('MAIL before AUTH on submission is refused with 530 5.7.0', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const err = await expectSmtpError(sendMail(connectOptions(info, 'submission'),
      { envelope: { from: info.address, to: [info.address] }, body: messageFor(info, `noauth-${randomUUID()}`, [info.address]) }));
    assert.equal(err.detail.phase, 'mail');
    assert.equal(err.detail.code, 530);
    assert.equal(err.detail.enhancedCode, '5.7.0');
  });

  test('message size limit: SIZE pre-check before MAIL, the engine stops an oversized stream, Postfix answers 552 5.3.4', caseTimeout, async (t) => {
    const info = await postfix(t);
    if (!info) return;
    const transcript: TranscriptEntry[] = [];
    const session = await SmtpSession.open(connectOptions(info, 'submissions', { onTranscript: (e) => transcript.push(e) }));
    const since = Date.now() - 1000;
    const markers: string[] = [];
    try {
      await session.authenticate({ username: info.user, password: info.password });
      const header = (marker: string): string => `Subject: size ${marker}\r\nMessage-ID: <${marker}@${info.domain}>\r\n\r\n`;
      const line = `${'y'.repeat(78)}\r\n`;
      const bodyOf = (marker: string, bytes: number): Buffer => {
        const head = header(marker);
        return Buffer.from(head + line.repeat(Math.ceil((bytes - head.length) / line.length))).subarray(0, bytes - 2);
      };

      // 1. Declared size above the announced SIZE: refused before MAIL, nothing on the wire.
      const m1 = `size1-${randomUUID()}`;
      markers.push(m1);
      const tBefore = transcript.length;
      const big = Buffer.concat([bodyOf(m1, info.sizeLimit + 1024), Buffer.from('\r\n')]);
      const e1 = await expectSmtpError(session.send({ envelope: { from: info.address, to: [info.address] }, body: big, size: big.length }));
      assert.equal(e1.detail.phase, 'mail');
      assert.equal(e1.detail.cause, 'size-limit');
      assert.ok(!transcript.slice(tBefore).some((e) => e.dir === 'C' && /^MAIL\b/i.test(e.line)), 'no MAIL command for a message over the limit');

      // 2. A stream of unknown size that grows past the limit: the engine stops sending.
      const m2 = `size2-${randomUUID()}`;
      markers.push(m2);
      const limit = info.sizeLimit;
      async function* endless(): AsyncGenerator<Buffer> {
        yield Buffer.from(header(m2));
        const block = Buffer.from(line.repeat(800));
        for (let sent = 0; sent < limit * 2; sent += block.length) yield block;
      }
      const e2 = await expectSmtpError(session.send({ envelope: { from: info.address, to: [info.address] }, body: endless() }));
      assert.equal(e2.detail.phase, 'data');
      assert.ok(e2.detail.cause === 'size-limit' || e2.detail.code === 552, `size error expected, got ${JSON.stringify(e2.detail)}`);
    } finally {
      await session.quit();
    }

    // 3. Just under SIZE by our count but over Postfix's (which includes its own headers and
    //    the envelope): the server's own 552 5.3.4 at end of data, as a structured error.
    const m3 = `size3-${randomUUID()}`;
    markers.push(m3);
    const head = `Subject: size ${m3}\r\n\r\n`;
    const line = `${'z'.repeat(78)}\r\n`;
    const body = head + line.repeat(Math.floor((info.sizeLimit - 64 - head.length) / line.length));
    assert.ok(body.length < info.sizeLimit);
    const e3 = await expectSmtpError(sendMail(
      { ...connectOptions(info, 'submissions'), credentials: { username: info.user, password: info.password } },
      { envelope: { from: info.address, to: [info.address] }, body, size: body.length },
    ));
    assert.equal(e3.detail.phase, 'data');
    assert.equal(e3.detail.code, 552);
    assert.equal(e3.detail.enhancedCode, '5.3.4');
    assert.equal(e3.mayHaveBeenDelivered, false);

    // None of the three reached the mailbox.
    await new Promise((r) => setTimeout(r, 300));
    const leaked = readDeliveredMessages(info, since).filter((m) => markers.some((mk) => m.original.includes(mk)));
    assert.deepEqual(leaked.map((m) => m.id), []);
  });
});
