/**
 * The built command line (bin/postbote.mjs → out/cli/postbote.mjs) as a child process
 * against real servers on loopback: smtp-server (STARTTLS and implicit TLS), Postfix, a
 * dns2 DNS server and HTTPS autoconfig servers; the real keychain (run-tests.mjs wraps the
 * run in a private D-Bus session with gnome-keyring).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from '../testing/smtp-server.js';
import { configXml, startDnsServer, startWebServers, xmlRoute, type TestDns, type TestWeb } from '../autoconfig/test-servers.js';
import { keyringAvailable } from '../secrets/keyring-session.js';
import { skipUnless } from '../testing/environment.js';
import { loadPostfixInfo, postfixUnavailableReason, readCaCert, waitForDelivery, type PostfixInfo } from '../testing/postfix.js';
import { greetAndEhlo, startFaultServer } from '../testing/smtp-fault-server.js';
import { sharedTestCa, startTestSmtpServer, type TestSmtpServer } from '../testing/smtp-test-server.js';
import { binPath, ensureCliBuilt, repoRoot } from './testing/build-cli.js';

interface Run { code: number | null; stdout: string; stderr: string }

let dataDir: string;
let work: string;
let caFile: string;
let starttls: TestSmtpServer;
let implicit: TestSmtpServer;

function cli(args: string[], o: { stdin?: string; env?: Record<string, string>; timeoutMs?: number; keyring?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: work, LANG: 'en_GB.UTF-8', POSTBOTE_DATA_DIR: dataDir, POSTBOTE_NO_ISPDB: '1', ...o.env };
    // The keychain commands run in a private D-Bus session with a GNOME Keyring of their own,
    // kept in a private HOME, so the entries survive from one command to the next.
    const [cmd, argv] = o.keyring
      ? ['dbus-run-session', ['--', 'sh', '-c', `printf 'postbote-cli-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$@"`, process.execPath, binPath, ...args]] as const
      : [process.execPath, [binPath, ...args]] as const;
    if (o.keyring) env.HOME = join(work, 'keyring-home');
    const child = spawn(cmd, [...argv], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`postbote ${args.join(' ')} did not finish\n${stdout}\n${stderr}`)); }, o.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
  });
}

/** Output with its soft line wrapping undone, for matching whole sentences. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

const adhoc = (srv: TestSmtpServer, security: 'tls' | 'starttls'): string[] =>
  ['--host', 'localhost', '--port', String(srv.port), '--security', security, '--ca', caFile, '--user', 'alice'];

before(async () => {
  await ensureCliBuilt();
  work = mkdtempSync(join(tmpdir(), 'postbote-cli-'));
  dataDir = join(work, 'data');
  mkdirSync(join(work, 'keyring-home'), { recursive: true });
  const ca = sharedTestCa();
  caFile = join(work, 'ca.pem');
  writeFileSync(caFile, ca.caCertPem);
  starttls = await startTestSmtpServer({ ca, users: { alice: 'wonderland' }, rejectRecipients: ['nobody@example.test', 'ghost@example.test'] });
  implicit = await startTestSmtpServer({ ca, secure: true, users: { alice: 'wonderland' } });
});

after(async () => {
  await starttls?.close();
  await implicit?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('postbote send', () => {
  test('STARTTLS, password from the environment: exit 0 and the JSON shape', async () => {
    const before = starttls.messages.length;
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'Alice <alice@example.test>', '--to', 'bob@example.test',
      '--bcc', 'secret@example.test', '--subject', 'Grüße aus dem Test', '--text', 'Hallo Bob', '--json', '--transcript'], { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j).filter((k) => !['status', 'logId'].includes(k)).sort(),
      ['accepted', 'authMechanism', 'durationMs', 'error', 'messageId', 'ok', 'queueId', 'rejected', 'tls', 'transcript'].sort());
    assert.equal(j.ok, true);
    assert.deepEqual(j.accepted, ['bob@example.test', 'secret@example.test']);
    assert.deepEqual(j.rejected, []);
    assert.equal(j.error, null);
    assert.match(String(j.queueId), /^Q\d+/);
    assert.match(String(j.messageId), /@example\.test>?$/);
    assert.equal((j.tls as { protocol: string }).protocol.startsWith('TLSv1.'), true);
    assert.equal(typeof j.authMechanism, 'string');
    const transcript = j.transcript as Array<{ dir: string; line: string }>;
    assert.ok(transcript.some((l) => l.dir === 'C' && l.line === 'STARTTLS'));
    assert.ok(!transcript.some((l) => l.line.includes('wonderland')), 'the password never appears in the transcript');
    const msg = starttls.messages[before];
    assert.ok(msg);
    assert.equal(msg.secure, true);
    const raw = msg.raw.toString('utf8');
    assert.match(raw, /^Subject: /m);
    assert.doesNotMatch(raw, /^Bcc:/im);
    assert.ok(r.stdout.indexOf('wonderland') < 0);
  });

  test('implicit TLS, password from stdin, readable output', async () => {
    const r = await cli(['send', ...adhoc(implicit, 'tls'), '--password-stdin', '--from', 'alice@example.test', '--to', 'bob@example.test',
      '--subject', 'Implicit', '--text', 'x'], { stdin: 'wonderland\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Sent\.$/m);
    assert.match(r.stdout, /Queue ID\s+Q\d+/);
    assert.match(r.stdout, /SSL\/TLS; TLSv1\.[23]/);
    assert.equal(implicit.messages.at(-1)?.secure, true);
  });

  test('message text from stdin and an attachment', async () => {
    const file = join(work, 'report.txt');
    writeFileSync(file, 'attached bytes');
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'bob@example.test', '--attach', file],
      { stdin: 'Body from stdin\n', env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(r.code, 0, r.stderr);
    const raw = starttls.messages.at(-1)?.raw.toString('utf8') ?? '';
    assert.match(raw, /Body from stdin/);
    assert.match(raw, /filename="?report\.txt/);
  });

  test('one address refused, one accepted: exit 67, rejected with codes', async () => {
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'bob@example.test', '--to', 'nobody@example.test',
      '--text', 'x', '--json'], { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(r.code, 67, r.stderr);
    const j = JSON.parse(r.stdout) as { ok: boolean; accepted: string[]; rejected: Array<{ address: string; code: number; enhancedCode: string | null }> };
    assert.equal(j.ok, false);
    assert.deepEqual(j.accepted, ['bob@example.test']);
    assert.equal(j.rejected[0]?.address, 'nobody@example.test');
    assert.equal(j.rejected[0]?.code, 550);
  });

  test('every recipient refused: exit 69 with the explanation', async () => {
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'nobody@example.test', '--to', 'ghost@example.test', '--text', 'x'],
      { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(r.code, 69, r.stdout + r.stderr);
    assert.match(r.stderr, /What to do:/);
    assert.match(r.stderr, /550/);
  });

  test('every recipient refused, as JSON: each address with its own reply', async () => {
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'nobody@example.test', '--to', 'ghost@example.test', '--text', 'x', '--json'],
      { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(r.code, 69, r.stdout + r.stderr);
    const j = JSON.parse(r.stdout) as { ok: boolean; accepted: string[]; rejected: Array<{ address: string; code: number; message: string }> };
    assert.equal(j.ok, false);
    assert.deepEqual(j.accepted, []);
    assert.deepEqual(j.rejected.map((x) => [x.address, x.code]), [['nobody@example.test', 550], ['ghost@example.test', 550]]);
    for (const x of j.rejected) assert.match(x.message, new RegExp(`^<${x.address}>: Recipient address rejected`));
  });

  test('wrong password: exit 69, explained in German with --lang de', async () => {
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x', '--lang', 'de'],
      { env: { POSTBOTE_PASSWORD: 'wrong' } });
    assert.equal(r.code, 69, r.stderr);
    assert.match(r.stderr, /Fehler: /);
    assert.match(r.stderr, /Was Sie tun können:/);
    assert.match(r.stderr, /535/);
  });

  test('a temporary refusal (451) → exit 75, and the words say to run the command again', async () => {
    const busy = new SMTPServer({
      authOptional: true, hideSTARTTLS: true, logger: false,
      onMailFrom: (_a, _s, cb) => cb(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 })),
    });
    busy.on('error', () => undefined);
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (busy.server.address() as AddressInfo).port;
      const r = await cli(['send', '--host', '127.0.0.1', '--port', String(port), '--security', 'none', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x', '--json']);
      assert.equal(r.code, 75, r.stdout + r.stderr);
      const j = JSON.parse(r.stdout) as { ok: boolean; error: { kind: string; phase: string; code: number; retryable: boolean; title: string; action: string } };
      assert.equal(j.ok, false);
      assert.equal(j.error.phase, 'mail');
      assert.equal(j.error.code, 451);
      assert.equal(j.error.retryable, true);
      assert.ok(j.error.title.length > 0 && j.error.action.length > 0);
      assert.doesNotMatch(j.error.action, /automatically/, 'only the app\'s outbox retries by itself');
      const human = await cli(['send', '--host', '127.0.0.1', '--port', String(port), '--security', 'none', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x']);
      assert.equal(human.code, 75, human.stderr);
      assert.match(flat(human.stderr), /run the command again later/);
      assert.doesNotMatch(human.stderr, /tries again automatically/);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  test('network failures are temporary for a one-shot send: connection refused and unknown host → 75', async () => {
    const refused = await cli(['send', '--host', '127.0.0.1', '--port', '9', '--security', 'starttls', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x', '--json']);
    assert.equal(refused.code, 75, refused.stdout + refused.stderr);
    const j = JSON.parse(refused.stdout) as { status: string; error: { kind: string; retryable: boolean } };
    assert.equal(j.error.kind, 'network.connectionRefused');
    assert.equal(j.error.retryable, true);
    const human = await cli(['send', '--host', '127.0.0.1', '--port', '9', '--security', 'starttls', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x']);
    assert.equal(human.code, 75);
    assert.match(human.stderr, /Connection refused/);
    assert.doesNotMatch(human.stderr, /automatically/);
    const unknown = await cli(['send', '--host', 'no-such-host.invalid', '--security', 'starttls', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x', '--json']);
    assert.equal(unknown.code, 75, unknown.stdout + unknown.stderr);
    assert.match((JSON.parse(unknown.stdout) as { error: { kind: string } }).error.kind, /^network\./);
  });

  test('the connection breaks after the final dot: exit 76, status "unconfirmed", not retryable', async () => {
    const dropping = await startFaultServer(async (c) => {
      await greetAndEhlo(c, ['PIPELINING']);
      await c.expect(/^MAIL FROM:/);
      await c.expect(/^RCPT TO:/);
      await c.expect(/^DATA/);
      c.send('250 ok\r\n250 ok\r\n354 go\r\n');
      await c.readData();
      c.destroy();
    });
    try {
      const args = ['send', '--host', '127.0.0.1', '--port', String(dropping.port), '--security', 'none', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x'];
      const r = await cli([...args, '--json']);
      assert.equal(r.code, 76, r.stdout + r.stderr);
      const j = JSON.parse(r.stdout) as { ok: boolean; status: string; error: { kind: string; retryable: boolean } };
      assert.equal(j.ok, false);
      assert.equal(j.status, 'unconfirmed');
      assert.equal(j.error.kind, 'uncertain.mayHaveBeenDelivered');
      assert.equal(j.error.retryable, false);
      const human = await cli(args);
      assert.equal(human.code, 76);
      assert.match(flat(human.stderr), /arrived, before sending it again/);
      assert.match(dropping.allReceived(), /\r\n\.\r\n/, 'the whole message went out before the connection broke');
    } finally {
      await dropping.close();
    }
  });

  test('a password as an argument is refused: exit 64, no connection', async () => {
    const conns = starttls.connections;
    const r = await cli(['send', ...adhoc(starttls, 'starttls'), '--password', 'wonderland', '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x']);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /never accepted as a command-line argument/);
    assert.equal(starttls.connections, conns);
  });

  test('usage errors: missing recipient, unknown option, bad security → 64', async () => {
    for (const args of [
      ['send', '--host', 'localhost', '--from', 'a@example.test', '--text', 'x'],
      ['send', '--to', 'b@example.test', '--frobnicate'],
      ['send', '--host', 'localhost', '--security', 'ssl3', '--to', 'b@example.test', '--from', 'a@example.test', '--text', 'x'],
      ['nonsense'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^Error: /m);
    }
  });

  test('bad message input: invalid address, unreadable attachment → 65, nothing sent', async () => {
    const conns = starttls.connections;
    const bad = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'bob@', '--text', 'x', '--json'], { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(bad.code, 65, bad.stderr);
    assert.equal((JSON.parse(bad.stdout) as { error: { kind: string } }).error.kind, 'input.invalidAddress');
    const missing = await cli(['send', ...adhoc(starttls, 'starttls'), '--from', 'alice@example.test', '--to', 'bob@example.test', '--text', 'x', '--attach', join(work, 'nope.pdf')],
      { env: { POSTBOTE_PASSWORD: 'wonderland' } });
    assert.equal(missing.code, 65, missing.stderr);
    assert.match(flat(missing.stderr), /The attachment ".*nope\.pdf" cannot be read \(no such file or folder\)\./);
    assert.doesNotMatch(missing.stderr, /ENOENT/);
    assert.match(missing.stderr, /Nothing was sent/);
    assert.equal(starttls.connections, conns, 'bad input never connects');
  });

  test('configuration errors → 78: unreadable CA, unknown account', async () => {
    const ca = await cli(['send', '--host', 'localhost', '--ca', join(work, 'missing.pem'), '--from', 'a@example.test', '--to', 'b@example.test', '--text', 'x']);
    assert.equal(ca.code, 78, ca.stderr);
    const acc = await cli(['send', '--account', 'nobody@nowhere.test', '--to', 'b@example.test', '--text', 'x'], { env: { POSTBOTE_DATA_DIR: join(work, 'empty') } });
    assert.equal(acc.code, 78, acc.stderr);
    assert.match(acc.stderr, /accounts list/);
    const none = await cli(['send', '--to', 'b@example.test', '--text', 'x'], { env: { POSTBOTE_DATA_DIR: join(work, 'empty') } });
    assert.equal(none.code, 78, none.stderr);
    assert.match(flat(none.stderr), /or give the server with --host/);
    // sendmail mode takes no --host, so it does not suggest one.
    const sendmailNone = await cli(['sendmail', 'b@example.test'], { stdin: 'Subject: x\n\nhi\n', env: { POSTBOTE_DATA_DIR: join(work, 'empty') } });
    assert.equal(sendmailNone.code, 78, sendmailNone.stderr);
    assert.match(sendmailNone.stderr, /No account is set up/);
    assert.doesNotMatch(sendmailNone.stderr, /--host/);
  });
});

describe('accounts, sendmail and the send log (real keychain)', () => {
  test('accounts add → list → test → sendmail (-t, Bcc removed) → log → remove', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const add = await cli(['accounts', 'add', 'alice@example.test', '--name', 'Alice', '--host', 'localhost', '--port', String(starttls.port),
      '--security', 'starttls', '--user', 'alice', '--ca', caFile, '--password-stdin'], { stdin: 'wonderland\n', keyring: true });
    assert.equal(add.code, 0, add.stderr + add.stdout);
    assert.match(add.stdout, /Account alice@example\.test added/);
    assert.match(add.stdout, /stored in the keychain/);

    const list = await cli(['accounts', 'list', '--json'], { keyring: true });
    assert.equal(list.code, 0, list.stderr);
    const accounts = (JSON.parse(list.stdout) as { accounts: Array<{ id: string; address: string; hasSecret: boolean; isDefault: boolean }> }).accounts;
    const alice = accounts.find((a) => a.address === 'alice@example.test');
    assert.ok(alice);
    assert.equal(alice.hasSecret, true);
    assert.equal(alice.isDefault, true);
    const human = await cli(['accounts', 'list'], { keyring: true });
    assert.match(human.stdout, /\*\s+\S{8}\s+alice@example\.test\s+localhost:\d+\s+STARTTLS\s+alice\s+in keychain/);
    // Without a reachable keychain the accounts are still listed, their password state said to be unknown.
    const noKeychain = await cli(['accounts', 'list']);
    assert.equal(noKeychain.code, 0, noKeychain.stderr);
    assert.match(noKeychain.stdout, /alice@example\.test.*keychain not reachable/);
    const noKeychainJson = JSON.parse((await cli(['accounts', 'list', '--json'])).stdout) as { accounts: Array<{ address: string; secretStatus: string; hasSecret: boolean }> };
    assert.deepEqual(noKeychainJson.accounts.map((a) => [a.address, a.secretStatus, a.hasSecret]), [['alice@example.test', 'unknown', false]]);

    const tested = await cli(['accounts', 'test', 'alice@example.test'], { keyring: true });
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /connection for alice@example\.test works/);

    const before = starttls.messages.length;
    const message = [
      'From: Alice <alice@example.test>', 'To: Bob <bob@example.test>', 'Cc: carol@example.test', 'Bcc: hidden@example.test',
      'Subject: via sendmail', 'Message-ID: <sendmail-test@example.test>', '', 'Line one', '.', 'Line after a lone dot', '',
    ].join('\n');
    const sm = await cli(['sendmail', '-t', '-i', '--json'], { stdin: message, keyring: true });
    assert.equal(sm.code, 0, sm.stderr + sm.stdout);
    const j = JSON.parse(sm.stdout) as { accepted: string[]; logId: number };
    assert.deepEqual(j.accepted.sort(), ['bob@example.test', 'carol@example.test', 'hidden@example.test']);
    const got = starttls.messages[before];
    assert.ok(got);
    assert.deepEqual(got.to.sort(), ['bob@example.test', 'carol@example.test', 'hidden@example.test']);
    assert.equal(got.from, 'alice@example.test');
    const raw = got.raw.toString('utf8');
    assert.doesNotMatch(raw, /^Bcc:/im);
    assert.doesNotMatch(raw, /hidden@example\.test/);
    assert.match(raw, /\r\nLine one\r\n\.\r\nLine after a lone dot\r\n/);

    // Recipients as arguments, -f as the envelope sender, -oi as git send-email passes it.
    const sm2 = await cli(['sendmail', '-oi', '-f', 'bounces@example.test', 'dave@example.test'], { stdin: 'Subject: args\n\nhi\n', keyring: true });
    assert.equal(sm2.code, 0, sm2.stderr);
    assert.deepEqual(starttls.messages.at(-1)?.to, ['dave@example.test']);
    assert.equal(starttls.messages.at(-1)?.from, 'bounces@example.test');

    const noRcpt = await cli(['sendmail'], { stdin: 'Subject: x\n\nhi\n', keyring: true });
    assert.equal(noRcpt.code, 64);

    const log = await cli(['log', '--limit', '5'], { keyring: true });
    assert.equal(log.code, 0, log.stderr);
    assert.match(log.stdout, /via sendmail/);
    const show = await cli(['log', 'show', String(j.logId)], { keyring: true });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Send log #\d+: sent/);
    assert.match(show.stdout, /Conversation with the server/);
    assert.match(show.stdout, />\s+MAIL FROM:<alice@example\.test>/);
    assert.doesNotMatch(show.stdout, /wonderland/);
    const searched = await cli(['log', '--search', 'sendmail', '--since', '1h', '--json'], { keyring: true });
    assert.equal((JSON.parse(searched.stdout) as { entries: unknown[] }).entries.length >= 1, true);
    const failedOnly = await cli(['log', '--failed', '--json'], { keyring: true });
    assert.equal(failedOnly.code, 0);

    const removed = await cli(['accounts', 'remove', 'alice@example.test'], { keyring: true });
    assert.equal(removed.code, 0, removed.stderr);
    const after = await cli(['accounts', 'list', '--json'], { keyring: true });
    assert.equal((JSON.parse(after.stdout) as { accounts: unknown[] }).accounts.length, 0);
    const gone = await cli(['log', 'show', '99999'], { keyring: true });
    assert.equal(gone.code, 65);
  });
});

describe('sendmail mode through a relay account without sign-in (real keychain)', () => {
  let relay: TestSmtpServer;
  const env = (): Record<string, string> => ({ POSTBOTE_DATA_DIR: join(work, 'relay-data') });
  before(async () => { relay = await startTestSmtpServer({ ca: sharedTestCa() }); });
  after(async () => { await relay?.close(); });
  const lastRaw = (): string => relay.messages.at(-1)?.raw.toString('utf8') ?? '';

  test('accounts add --no-auth: no user name, no password, tested and stored', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const conflict = await cli(['accounts', 'add', 'cron@host.example.test', '--host', 'localhost', '--no-auth', '--user', 'x'], { env: env(), keyring: true });
    assert.equal(conflict.code, 64, conflict.stderr);
    const add = await cli(['accounts', 'add', 'cron@host.example.test', '--name', 'Cron Daemon', '--host', 'localhost', '--port', String(relay.port),
      '--security', 'starttls', '--ca', caFile, '--no-auth'], { env: env(), keyring: true });
    assert.equal(add.code, 0, add.stdout + add.stderr);
    assert.match(add.stdout, /Password\s+none needed \(no sign-in\)/);
    const list = JSON.parse((await cli(['accounts', 'list', '--json'], { env: env(), keyring: true })).stdout) as { accounts: Array<{ address: string; username?: string; hasSecret: boolean }> };
    assert.deepEqual(list.accounts.map((a) => [a.address, a.username, a.hasSecret]), [['cron@host.example.test', undefined, false]]);
    const tested = await cli(['accounts', 'test', 'cron@host.example.test'], { env: env(), keyring: true });
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /works \(the server takes mail without sign-in\)/);
    assert.equal(relay.authAttempts.length, 0, 'nothing tried to sign in');
  });

  test('cron-style input: Date, Message-ID and From added, the rest byte for byte', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const r = await cli(['sendmail', 'root@example.test'], { stdin: 'Subject: cron output\n\nhello\n', env: env(), keyring: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(relay.messages.at(-1)?.to, ['root@example.test']);
    assert.equal(relay.messages.at(-1)?.from, 'cron@host.example.test');
    assert.match(lastRaw(), /^From: Cron Daemon <cron@host\.example\.test>\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\nMessage-ID: <[^<>@\s]+@host\.example\.test>\r\nSubject: cron output\r\n\r\nhello\r\n$/);
  });

  test('input without headers ("echo hello world | postbote sendmail bob") is a text; -F names the sender', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const r = await cli(['sendmail', '-F', 'Nightly Backup', 'bob@example.test'], { stdin: 'hello world\n', env: env(), keyring: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(lastRaw(), /^From: Nightly Backup <cron@host\.example\.test>\r\nDate: [^\r\n]+\r\nMessage-ID: <[^<>@\s]+@host\.example\.test>\r\n\r\nhello world\r\n$/);
  });

  test('a message with its own From, Date and Message-ID is not touched; -t still drops Bcc and sends each address once', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const message = 'From: Alice <alice@example.test>\nTo: Bob@EXAMPLE.test\nBcc: hidden@example.test\nDate: Thu, 01 Jan 2026 00:00:00 +0000\nMessage-ID: <own@example.test>\nSubject: as is\n\nbody\n';
    const r = await cli(['sendmail', '-t', '-F', 'Ignored Name', 'Bob@example.TEST'], { stdin: message, env: env(), keyring: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(relay.messages.at(-1)?.to, ['Bob@example.test', 'hidden@example.test']);
    assert.equal(lastRaw(), 'From: Alice <alice@example.test>\r\nTo: Bob@EXAMPLE.test\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <own@example.test>\r\nSubject: as is\r\n\r\nbody\r\n');
  });

  test('sendmail options with values are consumed, -r sets the envelope sender, -bm is accepted, -bs refused', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const before = relay.messages.length;
    const r = await cli(['sendmail', '-oem', '-oi', '-B', '8BITMIME', '-N', 'never', '-X', join(work, 'smtp.log'), '-O', 'DeliveryMode=b', '-bm', '-r', 'bounces@example.test', 'dave@example.test'],
      { stdin: 'Subject: options\n\nhi\n', env: env(), keyring: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(relay.messages.length, before + 1);
    assert.deepEqual(relay.messages.at(-1)?.to, ['dave@example.test']);
    assert.equal(relay.messages.at(-1)?.from, 'bounces@example.test');
    const smtpMode = await cli(['sendmail', '-bs'], { env: env(), keyring: true });
    assert.equal(smtpMode.code, 64, smtpMode.stderr);
    assert.match(flat(smtpMode.stderr), /mode -bs is not supported/);
  });

  test('a line that is no header inside the header section: exit 65, the line quoted in words', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    const before = relay.connections;
    for (const [lang, words] of [['en', /the line "not a header" stands among the header fields/], ['de', /Die Zeile „not a header“ steht zwischen den Kopfzeilen/]] as const) {
      const r = await cli(['sendmail', 'bob@example.test', '--lang', lang], { stdin: 'Subject: x\nnot a header\n\nbody\n', env: env(), keyring: true });
      assert.equal(r.code, 65, r.stderr);
      assert.match(flat(r.stderr), words);
      assert.doesNotMatch(r.stderr, /badHeaderLine/);
    }
    assert.equal(relay.connections, before, 'nothing was sent');
  });
});

describe('postbote probe', () => {
  test('STARTTLS server: TLS, certificate, extensions and AUTH explained', async () => {
    const r = await cli(['probe', `localhost:${starttls.port}`, '--ca', caFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Encryption\s+STARTTLS/);
    assert.match(r.stdout, /TLS\s+TLSv1\.[23]/);
    assert.match(r.stdout, /Verified\s+yes/);
    assert.match(r.stdout, /PIPELINING\s+Several commands/);
    assert.match(r.stdout, /PLAIN\s+Password, sent inside the encryption/);
    const j = JSON.parse((await cli(['probe', `localhost:${implicit.port}`, '--security', 'tls', '--ca', caFile, '--json'])).stdout) as { ok: boolean; tls: { protocol: string }; authMechanisms: string[] };
    assert.equal(j.ok, true);
    assert.ok(j.authMechanisms.includes('PLAIN'));
  });

  test('--security none: password mechanisms are described as sent readable, not "inside the encryption"', async () => {
    const plain = await startTestSmtpServer({ ca: sharedTestCa(), noStartTls: true, allowInsecureAuth: true, users: { alice: 'wonderland' } });
    try {
      const r = await cli(['probe', `localhost:${plain.port}`, '--security', 'none']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /PLAIN\s+Password, sent readable: this connection is not encrypted/);
      assert.match(r.stdout, /LOGIN\s+Password, sent readable \(older form\)/);
      assert.doesNotMatch(r.stdout, /inside the encryption/);
      const de = await cli(['probe', `localhost:${plain.port}`, '--security', 'none', '--lang', 'de']);
      assert.match(de.stdout, /PLAIN\s+Passwort, lesbar gesendet/);
    } finally {
      await plain.close();
    }
  });

  test('an untrusted certificate is explained, exit 69', async () => {
    const r = await cli(['probe', `localhost:${implicit.port}`, '--security', 'tls', '--lang', 'de']);
    assert.equal(r.code, 69, r.stdout + r.stderr);
    assert.match(r.stderr, /Fehler: .*Zertifikat/i);
  });
});

describe('against Postfix', () => {
  let info: PostfixInfo | null = null;
  before(async () => { info = await loadPostfixInfo(); });

  test('send over STARTTLS (587) and implicit TLS (465), delivered to the Maildir', async (t) => {
    if (skipUnless(t, info !== null, postfixUnavailableReason())) return;
    const p = info as PostfixInfo;
    const pf = join(work, 'postfix-ca.pem');
    writeFileSync(pf, readCaCert(p));
    for (const [port, security] of [[p.ports.submission, 'starttls'], [p.ports.submissions, 'tls']] as const) {
      const marker = `cli-${security}-${Date.now()}`;
      const r = await cli(['send', '--host', p.tlsServername, '--port', String(port), '--security', security, '--ca', pf, '--user', p.user,
        '--from', p.address, '--to', p.address, '--subject', marker, '--text', 'über Postfix', '--json'], { env: { POSTBOTE_PASSWORD: p.password } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const j = JSON.parse(r.stdout) as { queueId: string | null };
      assert.ok(j.queueId, 'Postfix names its queue id');
      const [msg] = await waitForDelivery(p, (m) => m.original.includes(marker), 15_000);
      assert.ok(msg);
    }
  });

  test('probe Postfix: capabilities and AUTH mechanisms', async (t) => {
    if (skipUnless(t, info !== null, postfixUnavailableReason())) return;
    const p = info as PostfixInfo;
    const pf = join(work, 'postfix-ca2.pem');
    writeFileSync(pf, readCaCert(p));
    const r = await cli(['probe', `${p.tlsServername}:${p.ports.submission}`, '--ca', pf, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { serverName: string; authMechanisms: string[]; size: number };
    assert.equal(j.serverName, p.serverName);
    assert.deepEqual([...j.authMechanisms].sort(), [...p.authMechanisms].sort());
    assert.equal(j.size, p.sizeLimit);
  });
});

describe('postbote discover', () => {
  let dns: TestDns;
  let web: TestWeb;
  before(async () => {
    const ca = sharedTestCa();
    const cert = ca.issue({ names: ['autoconfig.acme.test', 'acme.test'] });
    dns = await startDnsServer({
      'acme.test': { mx: [{ exchange: 'mx.acme.test', priority: 10 }] },
      '_submissions._tcp.srvonly.test': { srv: [{ target: 'mail.srvonly.test', port: 465 }] },
      'srvonly.test': { mx: [{ exchange: 'mx.srvonly.test', priority: 10 }] },
    });
    web = await startWebServers(cert, {
      'https://autoconfig.acme.test/mail/config-v1.1.xml': xmlRoute(configXml([
        { host: 'smtp.%EMAILDOMAIN%', port: 465, socketType: 'SSL', username: '%EMAILLOCALPART%' },
        { host: 'smtp.acme.test', port: 587, socketType: 'STARTTLS', username: '%EMAILLOCALPART%' },
      ], 'ACME Mail')),
    });
  });
  after(async () => {
    await web?.close();
    await dns?.close();
  });
  const hooks = (): Record<string, string> => ({
    POSTBOTE_TEST_DNS: `127.0.0.1:${dns.port}`, POSTBOTE_TEST_CA: caFile, POSTBOTE_TEST_CONNECT: '127.0.0.1',
    // Nothing listens on the SMTP ports: probing finds nothing, quickly.
    POSTBOTE_TEST_PORT_MAP: `443:${web.httpsPort},80:${web.httpPort},465:9,587:9,25:9`,
  });

  test('the autoconfig file over HTTPS wins; sources in words', async () => {
    const r = await cli(['discover', 'anna@acme.test'], { env: hooks() });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /1\s+smtp\.acme\.test:465\s+SSL\/TLS\s+anna\s+Reliable\s+The provider's autoconfig file/);
    assert.match(r.stdout, /2\s+smtp\.acme\.test:587\s+STARTTLS/);
    const j = JSON.parse((await cli(['discover', 'anna@acme.test', '--json'], { env: hooks() })).stdout) as { status: string; candidates: Array<{ rank: number; source: string; sourceText: string }> };
    assert.equal(j.status, 'found');
    assert.equal(j.candidates[0]?.source, 'autoconfig');
    assert.equal(j.candidates[0]?.rank, 1);
  });

  test('accounts add with only an address and a password: discovery, connection test, saved', async (t) => {
    if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
    // The provider's autoconfig file names smtp.acme.test:465 (SSL) with the local part as user name.
    const acme = await startTestSmtpServer({ ca: sharedTestCa(), secure: true, users: { anna: 'acme-pw' }, certNames: ['smtp.acme.test'] });
    t.after(() => acme.close());
    const env = { ...hooks(), POSTBOTE_TEST_PORT_MAP: `443:${web.httpsPort},80:${web.httpPort},465:${acme.port},587:9,25:9` };
    const wrong = await cli(['accounts', 'add', 'anna@acme.test', '--password-stdin'], { stdin: 'not-it\n', env, keyring: true });
    assert.equal(wrong.code, 69, wrong.stdout + wrong.stderr);
    const none = await cli(['accounts', 'list', '--json'], { env, keyring: true });
    assert.equal((JSON.parse(none.stdout) as { accounts: Array<{ address: string }> }).accounts.some((a) => a.address === 'anna@acme.test'), false, 'a failing account is not saved');

    const add = await cli(['accounts', 'add', 'anna@acme.test', '--name', 'Anna', '--password-stdin', '--json'], { stdin: 'acme-pw\n', env, keyring: true });
    assert.equal(add.code, 0, add.stdout + add.stderr);
    const list = await cli(['accounts', 'list', '--json'], { env, keyring: true });
    const anna = (JSON.parse(list.stdout) as { accounts: Array<{ id: string; address: string; host: string; port: number; security: string; username?: string; hasSecret: boolean }> })
      .accounts.find((a) => a.address === 'anna@acme.test');
    assert.deepEqual(anna && { host: anna.host, port: anna.port, security: anna.security, username: anna.username, hasSecret: anna.hasSecret },
      { host: 'smtp.acme.test', port: 465, security: 'tls', username: 'anna', hasSecret: true });
    assert.ok(acme.authAttempts.some((a) => a.username === 'anna' && a.ok), 'the connection test signed in before saving');
    const removed = await cli(['accounts', 'remove', anna?.id ?? 'x'], { env, keyring: true });
    assert.equal(removed.code, 0, removed.stdout + removed.stderr);
  });

  test('DNS SRV from the local DNS server; a preset domain; nothing found → 69 with what was tried', async () => {
    const srv = await cli(['discover', 'x@srvonly.test', '--lang', 'de'], { env: hooks() });
    assert.equal(srv.code, 0, srv.stderr + srv.stdout);
    assert.match(srv.stdout, /mail\.srvonly\.test:465\s+SSL\/TLS/);
    assert.match(srv.stdout, /SRV/);
    const preset = await cli(['discover', 'max@web.de'], { env: hooks() });
    assert.equal(preset.code, 0);
    assert.match(preset.stdout, /smtp\.web\.de:465/);
    const none = await cli(['discover', 'x@nothing-here.test', '--timeout', '3'], { env: hooks() });
    assert.equal(none.code, 69, none.stdout + none.stderr);
    assert.match(none.stdout, /What was tried:/);
    const invalid = await cli(['discover', 'not-an-address']);
    assert.equal(invalid.code, 65);
  });
});

describe('bin/postbote.mjs', () => {
  test('help in both languages', async () => {
    const en = await cli(['--help']);
    assert.equal(en.code, 0);
    assert.match(en.stdout, /Commands:/);
    const de = await cli(['send', '--help'], { env: { LANG: 'de_DE.UTF-8' } });
    assert.match(de.stdout, /Aufruf: postbote send/);
    assert.doesNotMatch(de.stderr, /ExperimentalWarning/);
  });
});
