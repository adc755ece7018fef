// Runs inside a private D-Bus session with GNOME Keyring (see keytar-secret-store.test.ts):
// keytar for real, the accounts service over it, and the "no secret in plaintext" scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../store/database.js';
import { createRepositories } from '../store/index.js';
import { createAccountsService } from '../services/accounts-service.js';
import { createSendLogService } from '../services/sendlog-service.js';
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

test('after a full send path worth of writes, no form of the password is in the database files or any service result', async (t) => {
  const dir = tempDir();
  const db = openDatabase(dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const secrets = new KeytarSecretStore();
  const username = 'erika.mustermann@example.de';
  const password = 'Sehr-Geheim!Passw0rt-ß-7731';
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
  const needles = [
    password,
    b64(password),
    b64url(password),
    b64(`\0${username}\0${password}`),
    b64(`${username}\0${username}\0${password}`),
    Buffer.from(password, 'utf8').toString('hex'),
  ];
  let received: string | undefined;
  const accounts = createAccountsService({
    db,
    secrets,
    testConnection: async (_s, pw) => {
      received = pw;
      return { ok: true, capabilities: { authMechanisms: ['PLAIN', 'LOGIN'], serverName: 'mx.example.de' } };
    },
  });
  const log = createSendLogService({ db });
  const repos = createRepositories(db);
  const results: unknown[] = [];
  const account = await accounts['accounts.create'](
    { displayName: 'Erika Mustermann', address: username, host: 'smtp.example.de', port: 465, security: 'tls', username, authMechanism: 'PLAIN' },
    password,
  );
  results.push(account);
  results.push(await accounts['accounts.testConnection']({ accountId: account.id }));
  assert.equal(received, password, 'the connection test got the password from the keychain');

  // What the outbox does around one send: draft, outbox row, transitions, send log, address history.
  const draft = repos.drafts.save({ accountId: account.id, draft: { to: ['kunde@firma.example'], subject: 'Angebot', body: 'Guten Tag' } });
  const entry = repos.outbox.create({ accountId: account.id, state: 'queued', draft: draft.draft, envelope: { from: username, to: ['kunde@firma.example'] }, messageId: '<a1@example.de>', size: 2048 });
  repos.outbox.transition(entry.id, ['queued'], 'sending', { countAttempt: true });
  const stored = await secrets.get(account.id, 'password');
  // The engine receives the password here and redacts the AUTH exchange in its transcript.
  const authLine = `AUTH PLAIN ${b64(`\0${username}\0${stored ?? ''}`)}`;
  assert.ok(authLine.length > 20);
  const transcript = [
    { t: 0, dir: 'I' as const, phase: 'connect', line: 'connected to smtp.example.de:465 (TLSv1.3)' },
    { t: 5, dir: 'S' as const, phase: 'greeting', line: '220 smtp.example.de ESMTP' },
    { t: 6, dir: 'C' as const, phase: 'ehlo', line: 'EHLO client.example' },
    { t: 9, dir: 'S' as const, phase: 'ehlo', line: '250-smtp.example.de\r\n250 AUTH PLAIN LOGIN' },
    { t: 10, dir: 'C' as const, phase: 'auth', line: 'AUTH PLAIN ****' },
    { t: 30, dir: 'S' as const, phase: 'auth', line: '235 2.7.0 Authentication successful' },
    { t: 31, dir: 'C' as const, phase: 'mail', line: `MAIL FROM:<${username}> SIZE=2048` },
    { t: 40, dir: 'S' as const, phase: 'data', line: '250 2.0.0 Ok: queued as 4F2A' },
  ];
  repos.outbox.transition(entry.id, ['sending'], 'sending', { endOfDataAt: Date.now() });
  repos.outbox.transition(entry.id, ['sending'], 'sent', { endOfDataAt: null });
  const logId = repos.sendLog.append({
    time: Date.now(), accountId: account.id, outboxId: entry.id, envelopeFrom: username, recipients: ['kunde@firma.example'],
    subject: 'Angebot', size: 2048, status: 'sent', results: [{ address: 'kunde@firma.example', accepted: true, code: 250, message: 'OK' }],
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true }, timings: { connect: 5, auth: 20, total: 40 },
    transcript, explanation: { outcome: 'sent' }, durationMs: 40,
  });
  repos.addressHistory.record([{ address: 'kunde@firma.example', name: 'Kunde' }]);
  repos.drafts.delete(draft.id);

  results.push(await accounts['accounts.list']());
  results.push(await accounts['accounts.update'](account.id, { signature: '-- \nErika' }));
  results.push(await accounts['accounts.setDefault'](account.id));
  results.push(await accounts['accounts.hasSecret'](account.id, 'password'));
  results.push(await accounts['accounts.setSecret'](account.id, 'password', password));
  results.push(await log['log.list']({ limit: 100 }));
  results.push(await log['log.get'](logId));
  results.push(await log['log.list']({ search: 'Angebot', limit: 100 }));

  const scanFiles = (label: string): void => {
    const files = readdirSync(dir);
    assert.ok(files.includes('postbote.sqlite'));
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      for (const n of needles) assert.equal(bytes.indexOf(Buffer.from(n, 'utf8')), -1, `${label}: ${f} contains a form of the password (${n.slice(0, 4)}…)`);
    }
  };
  // While open, recent pages live in postbote.sqlite-wal: scan it too.
  assert.ok(readdirSync(dir).includes('postbote.sqlite-wal'));
  scanFiles('open');
  const text = JSON.stringify(results);
  for (const n of needles) assert.equal(text.includes(n), false, `a service result contains a form of the password (${n.slice(0, 4)}…)`);
  db.close();
  scanFiles('closed');

  // The scan itself works: the same bytes in the database are found.
  const control = openDatabase(dir);
  control.sql.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?)').run('control', JSON.stringify(needles[3]));
  const found = readdirSync(dir).some((f) => readFileSync(join(dir, f)).indexOf(Buffer.from(needles[3] ?? '', 'utf8')) !== -1);
  control.close();
  assert.equal(found, true, 'the scanner finds a planted AUTH PLAIN payload');
  await secrets.delete(account.id, 'password');
});
