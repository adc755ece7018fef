import { MemorySecretStore } from '../testing/memory-secret-store.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../shared/errors.js';
import { openDatabase } from '../store/database.js';
import { tempDataDir } from '../store/test-support.js';
import { providerHintOf as providerHintFor } from '../delivery/pipeline.js';
import { createAccountsService, type TestConnection } from './accounts-service.js';


const wrongPassword: AppError = {
  kind: 'auth.failed', messageKey: 'err.auth.wrongCredentials.title',
  detail: { phase: 'auth', cause: 'reply', code: 535, enhancedCode: '5.7.8', serverText: '5.7.8 Username and Password not accepted', message: 'AUTH PLAIN refused' },
};
const gmail = { displayName: 'Anna', address: 'anna@gmail.com', host: 'smtp.gmail.com', port: 465, security: 'tls' as const, username: 'anna@gmail.com' };

function setup(t: import('node:test').TestContext, testConnection: TestConnection) {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  let now = 1_700_000_000_000;
  const changes: number[] = [];
  const service = createAccountsService({ db, secrets: new MemorySecretStore(), testConnection, clock: () => now, onChanged: (list) => changes.push(list.length) });
  return { service, changes, tick: (ms: number) => { now += ms; } };
}

test('the provider of a test is found by the account\'s preset or by the server it names', () => {
  assert.equal(providerHintFor('gmail', '127.0.0.1')?.name, 'Gmail');
  assert.equal(providerHintFor(undefined, 'SMTP.gmail.com')?.id, 'gmail');
  assert.equal(providerHintFor(undefined, 'mail.example.org'), undefined);
  assert.equal(providerHintFor(undefined, '127.0.0.1'), undefined, 'a local server is not taken for a bridge');
  assert.equal(providerHintFor(undefined, 'localhost'), undefined);
});

test('a failed connection test comes back explained, with the provider hint, for the form and for a saved account', async (t) => {
  const { service } = setup(t, async () => ({ ok: false, error: wrongPassword }));
  const form = await service['accounts.testConnection']({ settings: { host: 'smtp.gmail.com', port: 465, security: 'tls', username: 'anna@gmail.com' }, password: 'x' });
  assert.equal(form.ok, false);
  assert.deepEqual(form.error, wrongPassword, 'the AppError stays');
  assert.equal(form.explanation?.provider?.id, 'gmail');
  assert.match(form.explanation?.kind ?? '', /^auth\./);
  assert.equal(form.explanation?.technical.code, 535);
  const recognised = await service['accounts.testConnection']({ settings: { host: '127.0.0.1', port: 1025, security: 'starttls', username: 'anna' }, password: 'x', providerId: 'gmail' });
  assert.equal(recognised.explanation?.provider?.id, 'gmail', 'the provider the form recognised');

  const saved = await service['accounts.create']({ ...gmail, host: '127.0.0.1', providerId: 'gmail' }, 'pw');
  const again = await service['accounts.testConnection']({ accountId: saved.id });
  assert.equal(again.explanation?.provider?.name, 'Gmail', 'the account\'s preset names the provider');
  assert.equal(again.explanation?.technical.host, '127.0.0.1');

  // A failure without engine facts (e.g. the keychain) keeps its own words and gets no invented explanation.
  const { service: other } = setup(t, async () => { throw Object.assign(new Error('locked'), { appError: { kind: 'keychain.unavailable', messageKey: 'store.keychain.unavailable', params: { reason: 'locked' } } }); });
  const locked = await other['accounts.testConnection']({ settings: { host: 'h.example', port: 465, security: 'tls' } });
  assert.equal(locked.ok, false);
  assert.equal(locked.error?.kind, 'keychain.unavailable');
  assert.equal(locked.explanation, undefined);
});

test('a successful test leaves SIZE, 8BITMIME and SMTPUTF8 on the account; a form test counts for the account created from it', async (t) => {
  const capabilities = { size: 26_214_400, eightBitMime: true, smtpUtf8: false, pipelining: true };
  const { service, changes, tick } = setup(t, async () => ({ ok: true, capabilities }));
  const settings = { host: 'smtp.example.org', port: 587, security: 'starttls' as const, username: 'anna@example.org' };
  const form = await service['accounts.testConnection']({ settings, password: 'pw' });
  assert.equal(form.ok, true);
  assert.equal(form.explanation, undefined);
  tick(1000);
  const created = await service['accounts.create']({ ...settings, displayName: 'Anna', address: 'anna@example.org' }, 'pw');
  assert.deepEqual(created.learnt, { sizeLimit: 26_214_400, eightBitMime: true, smtpUtf8: false, testedAt: 1_700_000_000_000 });

  // A later test of the saved account replaces the facts and tells the renderer.
  capabilities.size = 0; // announced without a limit
  tick(5000);
  const before = changes.length;
  await service['accounts.testConnection']({ accountId: created.id });
  const [account] = await service['accounts.list']();
  assert.deepEqual(account?.learnt, { eightBitMime: true, smtpUtf8: false, testedAt: 1_700_000_006_000 });
  assert.equal(changes.length, before + 1, 'accounts.changed after learning');

  // Other settings tested against the account (the edit form) say nothing about the saved server.
  await service['accounts.testConnection']({ accountId: created.id, settings: { ...settings, host: 'other.example.org' } });
  assert.equal((await service['accounts.list']())[0]?.learnt?.testedAt, 1_700_000_006_000);

  // A form test long ago does not count for a new account.
  const second = { ...settings, host: 'smtp2.example.org' };
  await service['accounts.testConnection']({ settings: second, password: 'pw' });
  tick(60 * 60_000);
  const late = await service['accounts.create']({ ...second, displayName: 'B', address: 'b@example.org' }, 'pw');
  assert.equal(late.learnt, undefined);
});
