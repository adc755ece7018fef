/**
 * Real failures, made by the real engine against real servers (npm smtp-server on
 * loopback, certificates made at test time) and Postfix's captured replies, explained.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { sendMail, type SendResult } from '../smtp/index.js';
import { startTestSmtpServer, sharedTestCa, type TestSmtpServer } from '../testing/smtp-test-server.js';
import { createTestCa } from '../testing/test-ca.js';
import { explainDeliveryError, explainPartialSuccess } from './explain.js';
import { composeMessage } from '../mime/index.js';
import { renderExplanation, type Explanation } from '../../shared/explanation.js';
import type { FailureDetail } from '../../shared/errors.js';

const fast = { connect: 3000, tlsHandshake: 3000, greeting: 3000, command: 3000, dataBlock: 3000, endOfData: 3000 };
const body = 'From: a@postbote.test\r\nTo: b@postbote.test\r\nSubject: t\r\n\r\nhello\r\n';

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the send to fail');
}

function readable(e: Explanation): void {
  for (const lang of ['de', 'en'] as const) {
    const r = renderExplanation(e, lang);
    for (const t of [r.title, r.happened, r.cause, ...r.actions]) {
      assert.ok(t.length > 3 && !/undefined|\{\w+\}|…/.test(t), `${lang}: "${t}"`);
      assert.notEqual(t, e.technical.message);
    }
    assert.ok(r.actions.length > 0 && r.technical.length > 1);
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return typeof addr === 'object' && addr ? addr.port : 1;
}

test('real engine failures against smtp-server', { timeout: 60_000 }, async (t) => {
  const ca = sharedTestCa();
  const servers: TestSmtpServer[] = [];
  t.after(async () => { await Promise.all(servers.map((s) => s.close())); });
  const plain = await startTestSmtpServer({ ca, users: { alice: 'secret' }, rejectRecipients: ['nobody@postbote.test'], size: 2000 });
  servers.push(plain);
  const base = { host: plain.host, port: plain.port, security: 'starttls' as const, extraCaPem: plain.caPem, timeouts: fast };

  await t.test('wrong password', async () => {
    const err = await failure(sendMail({ ...base, credentials: { username: 'alice', password: 'wrong' } }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'auth.wrongCredentials');
    assert.equal(e.technical.code, 535);
    readable(e);
  });

  await t.test('unknown user among others: partial success', async () => {
    // One recipient accepted, so the message goes out: the engine resolves with each recipient's reply.
    const result: SendResult = await sendMail({ ...base, credentials: { username: 'alice', password: 'secret' } }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test', 'nobody@postbote.test'] }, body });
    assert.deepEqual(result.accepted, ['b@postbote.test']);
    const e = explainPartialSuccess(result.recipients);
    assert.equal(e.kind, 'recipient.partialSuccess');
    assert.deepEqual(e.recipients, ['nobody@postbote.test']);
    assert.deepEqual(e.actions.map((a) => a.key), ['act.correctRecipient']);
    readable(e);
  });

  await t.test('every recipient unknown: one reason, naming them all', async () => {
    const err = await failure(sendMail({ ...base, credentials: { username: 'alice', password: 'secret' } }, { envelope: { from: 'a@postbote.test', to: ['nobody@postbote.test', 'NOBODY@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'recipient.unknownUser');
    assert.deepEqual(e.recipients, ['nobody@postbote.test', 'NOBODY@postbote.test']);
    assert.equal(renderExplanation(e, 'en').happened, 'These mailboxes do not exist: nobody@postbote.test, NOBODY@postbote.test.');
    readable(e);
  });

  await t.test('only recipient unknown', async () => {
    const err = await failure(sendMail({ ...base, credentials: { username: 'alice', password: 'secret' } }, { envelope: { from: 'a@postbote.test', to: ['nobody@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'recipient.unknownUser');
    readable(e);
  });

  await t.test('message too large (SIZE pre-check)', async () => {
    const big = body + 'x'.repeat(5000) + '\r\n';
    const err = await failure(sendMail({ ...base, credentials: { username: 'alice', password: 'secret' } }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body: big, size: Buffer.byteLength(big) }));
    const e = explainDeliveryError(err);
    // The engine knows the message's size and the server's SIZE limit, so it does not even try.
    assert.equal(e.kind, 'content.tooLargeBeforeSend');
    assert.equal(e.technical.phase, 'mail');
    const [size, limit] = [...renderExplanation(e, 'en').happened.matchAll(/([\d.,]+) (?:MB|bytes)/g)].map((m) => m[1]);
    assert.ok(size !== undefined && limit !== undefined && size !== limit, renderExplanation(e, 'en').happened);
    readable(e);
  });

  await t.test('TLS spoken to a plaintext (STARTTLS) port', async () => {
    const err = await failure(sendMail({ ...base, security: 'tls' }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'tls.wrongPortSecurity', JSON.stringify((err as { detail?: FailureDetail }).detail));
    assert.deepEqual(e.actions[0]?.params, { security: 'STARTTLS', port: 587 });
    readable(e);
  });

  await t.test('certificate from an unknown issuer', async () => {
    const { extraCaPem: _drop, ...noCa } = base;
    const err = await failure(sendMail(noCa, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'tls.untrustedCertificate', JSON.stringify((err as { detail?: FailureDetail }).detail));
    readable(e);
  });

  await t.test('certificate for another host name', async () => {
    const err = await failure(sendMail({ ...base, servername: 'wrong.postbote.test' }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'tls.hostnameMismatch', JSON.stringify((err as { detail?: FailureDetail }).detail));
    readable(e);
  });

  await t.test('refused port', async () => {
    const port = await freePort();
    const err = await failure(sendMail({ ...base, port }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'network.connectionRefused', JSON.stringify((err as { detail?: FailureDetail }).detail));
    readable(e);
  });

  await t.test('unresolvable name', async () => {
    const err = await failure(sendMail({ ...base, host: 'nonexistent.invalid' }, { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    // Without a resolver at all (sandboxes) the lookup fails temporarily instead: each code has its own kind.
    const code = (err as { detail?: FailureDetail }).detail?.systemCode;
    assert.equal(e.kind, code === 'EAI_AGAIN' ? 'network.dnsTemporary' : 'network.hostNotFound', `${e.kind} ${JSON.stringify((err as { detail?: FailureDetail }).detail)}`);
    readable(e);
    // The same failure when this computer has no network at all: that is the explanation.
    assert.equal(explainDeliveryError(err, { online: false }).kind, 'network.offline');
  });

  await t.test('an attachment that changes while it is being sent: explained as that, and nothing arrives', async () => {
    const open = await startTestSmtpServer({ ca, users: { alice: 'secret' } });
    servers.push(open);
    const dir = await mkdtemp(join(tmpdir(), 'postbote-explain-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'Bericht.pdf');
    // Shrunk to 400 kB, the file fails while the body streams (part of it already sent); shrunk to
    // 50 kB, while the engine reads a small body ahead, before any of it is sent.
    for (const [shrunkTo, partlySent] of [[400_000, true], [50_000, false]] as const) {
      await writeFile(path, randomBytes(600_000));
      const message = await composeMessage({ from: { address: 'a@postbote.test' }, to: 'b@postbote.test', subject: 'Bericht', text: 'anbei', attachments: [{ path }] }, { eightBitMime: true, smtpUtf8: false });
      await writeFile(path, randomBytes(shrunkTo));
      let sent = 0;
      const err = await failure(sendMail({ ...base, host: open.host, port: open.port, extraCaPem: open.caPem, credentials: { username: 'alice', password: 'secret' } }, {
        envelope: message.envelope, body: message.stream(), size: message.size, onProgress: (p) => { sent = p.bytesSent; },
      }));
      assert.equal(sent > 0, partlySent, `bytes sent before the failure: ${sent}`);
      const e = explainDeliveryError(err);
      assert.equal(e.kind, 'input.attachmentUnreadable', JSON.stringify((err as { detail?: FailureDetail }).detail));
      assert.equal(e.permanent, false);
      assert.match(renderExplanation(e, 'en').happened, /could not read Bericht\.pdf to the end.*Nothing was delivered/);
      readable(e);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(open.messages.length, 0, 'no end of data, so the server has nothing');
  });
});

interface CapturedReply { id: string; phase: FailureDetail['phase']; code: number; enhancedCode?: string; text: string; lines: string[] }

const expectedForPostfix: Record<string, string> = {
  'relay-denied-unauthenticated': 'sender.relayDenied',
  'relay-denied-authenticated': 'sender.relayDenied',
  'unknown-recipient': 'recipient.unknownUser',
  'unknown-recipient-authenticated': 'recipient.unknownUser',
  'auth-wrong-password-plain': 'auth.wrongCredentials',
  'auth-unknown-user-plain': 'auth.wrongCredentials',
  'auth-wrong-password-login': 'auth.wrongCredentials',
  'auth-wrong-password-cram-md5': 'auth.wrongCredentials',
  'auth-unsupported-mechanism': 'auth.mechanismUnsupported',
  'auth-before-starttls': 'tls.serverRequiresEncryption',
  'mail-before-starttls': 'tls.serverRequiresEncryption',
  'mail-without-auth': 'auth.required',
  'mail-size-too-large': 'content.tooLarge',
  'data-too-large': 'content.tooLarge',
  'mail-bad-syntax': 'sender.rejected',
  'rcpt-bad-syntax': 'recipient.badSyntax',
};

test('an expired server certificate is explained as such', { timeout: 30_000 }, async () => {
  const ca = createTestCa('Postbote Expired-Cert CA');
  const expired = ca.issue({ notBefore: '20240101000000Z', notAfter: '20240201000000Z' });
  const server = createTlsServer({ key: expired.keyPem, cert: expired.certPem }, (socket) => {
    socket.on('error', () => {});
    socket.write('220 expired.postbote.test ESMTP\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const err = await failure(sendMail({ host: '127.0.0.1', servername: 'localhost', port, security: 'tls', extraCaPem: ca.caCertPem, timeouts: fast },
      { envelope: { from: 'a@postbote.test', to: ['b@postbote.test'] }, body }));
    const e = explainDeliveryError(err);
    assert.equal(e.kind, 'tls.certificateExpired', JSON.stringify((err as { detail?: FailureDetail }).detail));
    assert.equal(e.technical.systemCode, 'CERT_HAS_EXPIRED');
    readable(e);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('captured Postfix replies are explained', (t) => {
  const path = join(import.meta.dirname, '..', 'testing', 'fixtures', 'postfix-replies.json');
  if (!existsSync(path)) {
    t.skip('no captured Postfix replies');
    return;
  }
  const replies = (JSON.parse(readFileSync(path, 'utf8')) as { replies: CapturedReply[] }).replies.filter((r) => r.code >= 400);
  assert.ok(replies.length >= 10);
  for (const r of replies) {
    const rcpt = /<([^<>\s]+@[^<>\s]+)>/.exec(r.text)?.[1];
    const detail: FailureDetail = {
      phase: r.phase, cause: 'reply', code: r.code, serverText: r.text, message: `server replied ${r.lines.join(' ')}`,
      ...(r.enhancedCode ? { enhancedCode: r.enhancedCode } : {}),
      ...(r.phase === 'rcpt' && rcpt ? { recipients: [rcpt] } : {}),
    };
    const e = explainDeliveryError(detail);
    const want = expectedForPostfix[r.id];
    if (want) assert.equal(e.kind, want, r.id);
    readable(e);
  }
});
