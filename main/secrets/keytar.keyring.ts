// Runs inside a private D-Bus session with GNOME Keyring (see keytar-secret-store.test.ts):
// keytar for real, the accounts service over it, and the "no secret in plaintext" scan after
// a real send (composition root, outbox, SMTP engine, test server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../store/database.js';
import { createRepositories } from '../store/index.js';
import { createAccountsService } from '../services/accounts-service.js';
import { createServices } from '../services/index.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { startTestSmtpServer } from '../testing/smtp-test-server.js';
import type { SmtpSettings } from '../../shared/domain.js';
import { KeytarSecretStore } from './keytar-secret-store.js';
import { SECRET_SERVICE } from './secret-store.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'postbote-keyring-test-'));

test('KeytarSecretStore stores, reads, reports and deletes per account and kind under "Postbote"', async () => {
  const store = new KeytarSecretStore();
  assert.equal(await store.has('acc-1', 'password'), false);
  await store.set('acc-1', 'password', 'pässwört 1');
  await store.set('acc-1', 'oauth-refresh', 'refresh-token');
  assert.equal(await store.get('acc-1', 'password'), 'pässwört 1');
  assert.equal(await store.get('acc-1', 'oauth-refresh'), 'refresh-token');
  assert.equal(await store.has('acc-1', 'oauth-access'), false);
  await store.set('acc-1', 'password', 'replaced');
  assert.equal(await store.get('acc-1', 'password'), 'replaced');
  // The entry is visible to other keychain clients under service "Postbote", account "<id>:<kind>".
  const keytar = (await import('keytar')).default;
  assert.equal(await keytar.getPassword(SECRET_SERVICE, 'acc-1:password'), 'replaced');
  assert.equal(await store.delete('acc-1', 'password'), true);
  assert.equal(await store.delete('acc-1', 'password'), false);
  assert.equal(await store.has('acc-1', 'password'), false);
  await store.delete('acc-1', 'oauth-refresh');
});

test('accounts service: create with password, status, replace, delete removes the secrets', async (t) => {
  const dir = tempDir();
  const db = openDatabase(dir);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const secrets = new KeytarSecretStore();
  const seen: (string | undefined)[] = [];
  const events: number[] = [];
  const service = createAccountsService({
    db,
    secrets,
    testConnection: async (_s: SmtpSettings, password) => {
      seen.push(password);
      return { ok: true, capabilities: { authMechanisms: ['PLAIN'] } };
    },
    onChanged: (list) => events.push(list.length),
  });
  const input = { displayName: 'Erika', address: 'erika@example.de', host: 'smtp.example.de', port: 587, security: 'starttls' as const, username: 'erika' };
  const a = await service['accounts.create'](input, 'erstes-Passwort');
  assert.equal(a.hasSecret, true);
  assert.equal(a.isDefault, true);
  const b = await service['accounts.create']({ ...input, address: 'b@example.de' });
  assert.equal(b.hasSecret, false);
  assert.equal(await service['accounts.hasSecret'](a.id, 'password'), true);
  await service['accounts.testConnection']({ accountId: a.id });
  await service['accounts.testConnection']({ accountId: a.id, password: 'typed-now' });
  await service['accounts.testConnection']({ settings: { host: 'h.example', port: 465, security: 'tls' }, password: 'setup-form' });
  assert.deepEqual(seen, ['erstes-Passwort', 'typed-now', 'setup-form']);
  assert.equal(await secrets.get(a.id, 'password'), 'erstes-Passwort', 'a typed test password is not stored');
  const replaced = await service['accounts.setSecret'](a.id, 'password', 'zweites');
  assert.equal(replaced.hasSecret, true);
  await service['accounts.setSecret'](a.id, 'oauth-access', 'access-token');
  await service['accounts.delete'](a.id);
  assert.equal(await secrets.has(a.id, 'password'), false);
  assert.equal(await secrets.has(a.id, 'oauth-access'), false);
  const left = await service['accounts.list']();
  assert.deepEqual(left.map((x) => x.id), [b.id]);
  assert.equal(left[0]?.isDefault, true);
  const none = await service['accounts.deleteSecret'](b.id, 'password');
  assert.equal(none.hasSecret, false);
  assert.ok(events.length >= 5);
  // Invalid input is refused before anything reaches the keychain.
  await assert.rejects(service['accounts.create']({ ...input, port: 70000 }, 'pw'), (e: unknown) => (e as { appError: { kind: string; params: { field: string } } }).appError.params.field === 'port');
  assert.equal((await service['accounts.list']()).length, 1);
});

/** Every file under dir (the database, its WAL, attachment snapshots, staging), recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));

test('a real send through the outbox with the real keychain leaves no form of the password in the database, send log, transcript, events or IPC results', async (t) => {
  const username = 'erika.mustermann@example.test';
  const password = 'Sehr-Geheim!Passw0rt-ß-7731';
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
  const needles = [
    password,
    b64(password),
    b64url(password),
    // What AUTH PLAIN really sends (RFC 4616): [authzid] NUL authcid NUL password, base64.
    b64(`\0${username}\0${password}`),
    b64(`${username}\0${username}\0${password}`),
    Buffer.from(password, 'utf8').toString('hex'),
  ];
  const srv = await startTestSmtpServer({ secure: true, users: { [username]: password }, authMethods: ['PLAIN', 'LOGIN'] });
  t.after(() => srv.close());
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The composition root with its default keychain: keytar against this session's GNOME Keyring.
  const services = createServices({ dataDir: dir, appVersion: 'test', systemLanguage: 'de-DE' });
  let closed = false;
  t.after(async () => { if (!closed) await services.close(); });
  assert.equal(services.secrets.backend, 'keytar');
  const events: unknown[] = [];
  services.events.subscribe((name, payload) => events.push({ name, payload }));
  // Everything goes through the validating dispatcher, exactly as the renderer's calls do.
  const dispatch = createDispatcher(services.service);
  const results: unknown[] = [];
  const call = async (method: string, ...args: unknown[]): Promise<unknown> => {
    const outcome = await dispatch(method, args);
    results.push(outcome);
    assert.ok(outcome.ok, `${method}: ${JSON.stringify(outcome)}`);
    return outcome.value;
  };

  await call('settings.set', { undoSendSeconds: 0 });
  const account = await call('accounts.create', {
    displayName: 'Erika Mustermann', address: username, host: 'localhost', port: srv.port, security: 'tls',
    username, authMechanism: 'PLAIN', extraCaPem: srv.caPem,
  }, password) as { id: string; hasSecret: boolean };
  assert.equal(account.hasSecret, true);
  const keytar = (await import('keytar')).default;
  assert.equal(await keytar.getPassword(SECRET_SERVICE, `${account.id}:password`), password, 'the password is in the real keychain');
  t.after(() => keytar.deletePassword(SECRET_SERVICE, `${account.id}:password`));

  const tested = await call('accounts.testConnection', { accountId: account.id }) as { ok: boolean };
  assert.equal(tested.ok, true);
  const staged = await call('attachments.stage', { name: 'angebot.txt', dataBase64: b64('Angebot Nr. 4711\n') }) as { path: string };
  await services.outbox.start();
  const queued = await call('outbox.enqueue', {
    from: { name: 'Erika Mustermann', address: username }, to: ['kunde@firma.example'], subject: 'Angebot', text: 'Guten Tag',
    attachments: [{ path: staged.path, name: 'angebot.txt' }],
  }, { accountId: account.id }) as { id: string };
  const deadline = Date.now() + 30_000;
  let state = '';
  while (state !== 'sent') {
    assert.ok(Date.now() < deadline, `not sent in time (state ${state})`);
    await new Promise((r) => setTimeout(r, 20));
    state = (await dispatch('outbox.get', [queued.id]) as { ok: boolean; value?: { state: string } }).value?.state ?? '';
  }
  results.push(await dispatch('outbox.get', [queued.id]));

  // The server got the keychain's password through AUTH PLAIN: a leak, had there been one, was on this path.
  assert.deepEqual(srv.authAttempts.filter((a) => a.ok).map((a) => [a.method, a.username, a.password]), [['PLAIN', username, password], ['PLAIN', username, password]]);
  assert.equal(srv.messages.length, 1);

  const page = await call('log.list', { limit: 100 }) as { entries: Array<{ id: number }> };
  assert.equal(page.entries.length, 1);
  const entryId = page.entries[0]?.id ?? 0;
  const logged = await call('log.get', entryId) as { transcript: Array<{ phase: string; line: string }> };
  await call('log.list', { search: 'Angebot', limit: 100 });
  await call('accounts.list');
  await call('outbox.list');
  await call('app.info');
  // The transcript is the engine's own, with its AUTH exchange in it (redacted), not a stand-in.
  const authLines = logged.transcript.filter((l) => /^AUTH\b/i.test(l.line));
  assert.ok(authLines.length > 0, `an AUTH line is in the transcript: ${JSON.stringify(logged.transcript.map((l) => l.line))}`);
  assert.ok(logged.transcript.some((l) => l.line.startsWith('MAIL FROM')));
  // The stored row as the repository reads it, beside what the contract returns.
  const stored = createRepositories(services.db).sendLog.get(entryId);
  assert.ok(stored);

  const textOf = (label: string, value: unknown): void => {
    const text = JSON.stringify(value);
    for (const n of needles) assert.equal(text.includes(n), false, `${label} contains a form of the password (${n.slice(0, 4)}…)`);
  };
  textOf('an IPC result', results);
  textOf('an event', events);
  textOf('the send-log entry', stored);
  textOf('the transcript', logged.transcript);
  const scanFiles = (label: string): void => {
    const files = filesUnder(dir);
    assert.ok(files.some((f) => f.endsWith('postbote.sqlite')));
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) assert.equal(bytes.indexOf(Buffer.from(n, 'utf8')), -1, `${label}: ${f} contains a form of the password (${n.slice(0, 4)}…)`);
    }
  };
  // While open, recent pages live in postbote.sqlite-wal: it is scanned too.
  assert.ok(filesUnder(dir).some((f) => f.endsWith('postbote.sqlite-wal')));
  scanFiles('open');
  await services.close();
  closed = true;
  scanFiles('closed');

  // The scan has teeth: the same bytes planted in the database, or a transcript line carrying the payload, are found.
  const control = openDatabase(dir);
  control.sql.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?)').run('control', JSON.stringify(needles[3]));
  control.close();
  assert.throws(() => scanFiles('control'), /contains a form of the password/);
  assert.throws(() => textOf('control', [{ line: `AUTH PLAIN ${needles[3] ?? ''}` }]), /contains a form of the password/);
});
