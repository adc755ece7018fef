import { MemorySecretStore } from '../testing/memory-secret-store.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppError } from '../../shared/errors.js';
import { openDatabase } from '../store/database.js';
import { tempDataDir } from '../store/test-support.js';
import { providerHintOf as providerHintFor } from '../delivery/pipeline.js';
import { checkIdentity, type Account, type IdentityProblem, type SecretKind } from '../../shared/account.js';
import { translate } from '../../shared/i18n/index.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { createRepositories } from '../store/index.js';
import { isStoreError, storeError } from '../store/errors.js';
import { createAccountsService, type AccountsNotice, type AccountWithStatus, type TestConnection } from './accounts-service.js';
import { createServices, engineConnectionTest } from './index.js';


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

  // Other settings tested against the account (the edit form, with the password typed) say nothing about the saved server.
  await service['accounts.testConnection']({ accountId: created.id, settings: { ...settings, host: 'other.example.org' }, password: 'typed' });
  assert.equal((await service['accounts.list']())[0]?.learnt?.testedAt, 1_700_000_006_000);

  // A form test long ago does not count for a new account.
  const second = { ...settings, host: 'smtp2.example.org' };
  await service['accounts.testConnection']({ settings: second, password: 'pw' });
  tick(60 * 60_000);
  const late = await service['accounts.create']({ ...second, displayName: 'B', address: 'b@example.org' }, 'pw');
  assert.equal(late.learnt, undefined);
});

/** A keychain that can be switched off, like a Linux desktop without (or with a locked) Secret Service. */
class SwitchableSecretStore extends MemorySecretStore {
  down = false;
  private check(): void {
    if (this.down) throw storeError('keychain.unavailable', { platform: 'linux', reason: 'The name org.freedesktop.secrets was not provided by any .service files' });
  }
  override async get(id: string, kind: SecretKind) { this.check(); return super.get(id, kind); }
  override async set(id: string, kind: SecretKind, secret: string) { this.check(); return super.set(id, kind, secret); }
  override async delete(id: string, kind: SecretKind) { this.check(); return super.delete(id, kind); }
  override async has(id: string, kind: SecretKind) { this.check(); return super.has(id, kind); }
}

const kindOf = async (p: Promise<unknown>): Promise<{ kind: string; params: Record<string, unknown> }> => {
  try {
    await p;
  } catch (e) {
    assert.ok(isStoreError(e), String(e));
    return { kind: e.appError.kind, params: e.appError.params ?? {} };
  }
  return assert.fail('expected an error');
};

function setupWithKeychain(t: import('node:test').TestContext, testConnection: TestConnection = async () => ({ ok: true })) {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  const secrets = new SwitchableSecretStore();
  const notices: AccountsNotice[] = [];
  const lists: Account[][] = [];
  const service = createAccountsService({ db, secrets, testConnection, onNotice: (n) => notices.push(n), onChanged: (l) => lists.push(l) });
  return { db, secrets, notices, lists, service, repos: createRepositories(db) };
}

const erika = { displayName: 'Erika', address: 'erika@example.de', host: 'smtp.example.de', port: 587, security: 'starttls' as const, username: 'erika' };

test('without a keychain: accounts list with status unknown, edit, and create without a password; a password is refused and nothing is saved', async (t) => {
  const { secrets, service, lists } = setupWithKeychain(t);
  const a = await service['accounts.create'](erika, 'pw-1');
  secrets.down = true;
  const listed = await service['accounts.list']() as AccountWithStatus[];
  assert.deepEqual(listed.map((x) => [x.id, x.hasSecret, x.secretStatus]), [[a.id, false, 'unknown']]);
  const edited = await service['accounts.update'](a.id, { signature: 'Grüße' }) as AccountWithStatus;
  assert.equal(edited.secretStatus, 'unknown');
  assert.equal(lists.at(-1)?.length, 1, 'accounts.changed still goes out');
  const noPassword = await service['accounts.create']({ ...erika, address: 'b@example.de', username: 'b' }) as AccountWithStatus;
  assert.equal(noPassword.secretStatus, 'unknown');

  // With a password the keychain is needed: the error says so, and no account row is left behind…
  for (let attempt = 0; attempt < 2; attempt++) {
    const e = await kindOf(service['accounts.create']({ ...erika, address: 'c@example.de' }, 'pw-c'));
    assert.equal(e.kind, 'keychain.unavailable');
  }
  assert.deepEqual((await service['accounts.list']()).map((x) => x.address), ['erika@example.de', 'b@example.de']);
  // … so trying again once the keychain works gives exactly one account.
  secrets.down = false;
  const c = await service['accounts.create']({ ...erika, address: 'c@example.de' }, 'pw-c') as AccountWithStatus;
  assert.equal(c.secretStatus, 'stored');
  assert.equal(await secrets.get(c.id, 'password'), 'pw-c');
  const statuses = (await service['accounts.list']() as AccountWithStatus[]).map((x) => [x.address, x.secretStatus]);
  assert.deepEqual(statuses, [['erika@example.de', 'stored'], ['b@example.de', 'missing'], ['c@example.de', 'stored']]);
});

test('create is not failed by what follows the commit (a throwing change listener), so a retry cannot duplicate', async (t) => {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  const service = createAccountsService({ db, secrets: new MemorySecretStore(), testConnection: async () => ({ ok: true }), onChanged: () => { throw new Error('window closed'); } });
  const a = await service['accounts.create'](erika, 'pw');
  assert.equal(a.hasSecret, true);
  assert.equal((await service['accounts.list']()).length, 1);
});

test('without a keychain an account can be deleted: the row goes, a notice says the password stays, and it is removed once the keychain is back', async (t) => {
  const { secrets, service, notices, repos } = setupWithKeychain(t);
  const a = await service['accounts.create'](erika, 'pw-1');
  await service['accounts.setSecret'](a.id, 'oauth-refresh', 'refresh-1');
  secrets.down = true;
  assert.equal(await service['accounts.delete'](a.id), null);
  assert.deepEqual(await service['accounts.list'](), []);
  assert.deepEqual(notices, [{ kind: 'keychain.secretsNotRemoved', messageKey: 'store.keychain.secretsNotRemoved', params: { address: 'erika@example.de', reason: 'The name org.freedesktop.secrets was not provided by any .service files' } }]);
  assert.deepEqual(repos.accounts.secretsToRemove(), [a.id]);
  secrets.down = false;
  assert.equal(await secrets.has(a.id, 'password'), true, 'still there while the keychain was away');
  await service['accounts.list']();
  assert.equal(await secrets.has(a.id, 'password'), false);
  assert.equal(await secrets.has(a.id, 'oauth-refresh'), false);
  assert.deepEqual(repos.accounts.secretsToRemove(), []);

  // With a working keychain nothing is left over and nobody is told anything.
  const b = await service['accounts.create']({ ...erika, address: 'b@example.de' }, 'pw-b');
  await service['accounts.delete'](b.id);
  assert.equal(await secrets.has(b.id, 'password'), false);
  assert.equal(notices.length, 1);
  assert.deepEqual(repos.accounts.secretsToRemove(), []);
});

test('deleting an account with failed or cancelled messages is refused with their number; its password stays', async (t) => {
  const { secrets, service, repos } = setupWithKeychain(t);
  const a = await service['accounts.create'](erika, 'pw-1');
  const entry = repos.outbox.create({ accountId: a.id, state: 'queued', draft: { subject: 'Angebot' }, envelope: { from: a.address, to: ['x@example.org'] } });
  repos.outbox.transition(entry.id, ['queued'], 'failed');
  const e = await kindOf(service['accounts.delete'](a.id));
  assert.deepEqual([e.kind, e.params.count], ['account.hasUnsentMessages', 1]);
  assert.equal((await service['accounts.list']()).length, 1);
  assert.equal(await secrets.get(a.id, 'password'), 'pw-1');
  repos.outbox.delete(entry.id);
  await service['accounts.delete'](a.id);
  assert.equal(await secrets.has(a.id, 'password'), false);
});

test('the stored password goes only to the saved server settings; other settings need a typed password', async (t) => {
  const seen: Array<{ host: string; password: string | undefined }> = [];
  const { service } = setupWithKeychain(t, async (settings, password) => {
    seen.push({ host: settings.host, password });
    return { ok: true };
  });
  const a = await service['accounts.create']({ ...erika, extraCaPem: '-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----' }, 'stored-pw');
  const saved = { host: erika.host, port: erika.port, security: erika.security, username: erika.username, extraCaPem: '-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----' };
  const others = [
    { ...saved, host: 'evil.example' },
    { ...saved, port: 25 },
    { ...saved, security: 'none' as const },
    { ...saved, username: 'someone-else' },
    { ...saved, extraCaPem: '-----BEGIN CERTIFICATE-----\nEVIL\n-----END CERTIFICATE-----' },
    { ...saved, extraCaPem: undefined },
    { ...saved, allowInsecureAuthOnLoopback: true },
  ];
  for (const settings of others) {
    const e = await kindOf(service['accounts.testConnection']({ accountId: a.id, settings }));
    assert.equal(e.kind, 'account.passwordRequired', JSON.stringify(settings));
    assert.equal(e.params.host, settings.host);
  }
  assert.deepEqual(seen, [], 'nothing was sent anywhere');
  // A password typed now may go to other settings: the person chose to send it there.
  await service['accounts.testConnection']({ accountId: a.id, settings: { ...saved, host: 'evil.example' }, password: 'typed-now' });
  // The saved settings themselves (host in other case, another mechanism) use the stored one.
  await service['accounts.testConnection']({ accountId: a.id, settings: { ...saved, host: 'SMTP.Example.DE', authMechanism: 'LOGIN' } });
  await service['accounts.testConnection']({ accountId: a.id });
  assert.deepEqual(seen, [
    { host: 'evil.example', password: 'typed-now' },
    { host: 'SMTP.Example.DE', password: 'stored-pw' },
    { host: 'smtp.example.de', password: 'stored-pw' },
  ]);
});

test('with no password stored or typed, the test says so instead of signing in with an empty one', async (t) => {
  const seen: Array<string | undefined> = [];
  const { service } = setupWithKeychain(t, async (_s, password) => {
    seen.push(password);
    return { ok: true };
  });
  const a = await service['accounts.create'](erika);
  const e = await kindOf(service['accounts.testConnection']({ accountId: a.id }));
  assert.deepEqual([e.kind, e.params.username], ['account.passwordMissing', 'erika']);
  const form = await kindOf(service['accounts.testConnection']({ settings: { host: 'h.example', port: 465, security: 'tls', username: 'anna' } }));
  assert.equal(form.kind, 'account.passwordMissing');
  assert.deepEqual(seen, []);
  // Without a user name there is no sign-in, so no password is needed.
  const open = await service['accounts.create']({ ...erika, address: 'relay@example.de', username: undefined });
  assert.equal((await service['accounts.testConnection']({ accountId: open.id })).ok, true);
  assert.deepEqual(seen, [undefined]);
  // The real engine test refuses the same way, without touching the network.
  const direct = await kindOf(engineConnectionTest({ host: '192.0.2.1', port: 465, security: 'tls', username: 'anna' }, undefined));
  assert.equal(direct.kind, 'account.passwordMissing');
});

test('identities over the service: added, edited and removed with accounts.changed each time; refusals are store.identity.* errors', async (t) => {
  const { service, changes } = setup(t, async () => ({ ok: true }));
  const account = await service['accounts.create'](gmail, 'pw');
  const before = changes.length;
  const added = await service['accounts.addIdentity'](account.id, { name: 'Anna (Verein)', address: 'kasse@verein.example', replyTo: 'vorstand@verein.example', signature: 'Kassenwartin' });
  assert.equal(added.hasSecret, true, 'the account comes back with its keychain status');
  assert.equal(added.secretStatus, 'stored');
  const [identity] = added.identities ?? [];
  assert.ok(identity);
  assert.deepEqual({ ...identity, id: '' }, { id: '', name: 'Anna (Verein)', address: 'kasse@verein.example', replyTo: 'vorstand@verein.example', signature: 'Kassenwartin' });
  assert.equal(changes.length, before + 1, 'accounts.changed after adding');
  assert.deepEqual((await service['accounts.list']())[0]?.identities, added.identities, 'the list carries them too');

  const edited = await service['accounts.updateIdentity'](account.id, identity.id, { replyTo: null, name: 'Anna – Verein' });
  assert.deepEqual(edited.identities?.map((i) => [i.name, i.replyTo]), [['Anna – Verein', undefined]]);
  assert.equal(changes.length, before + 2);

  const refusal = async (run: () => Promise<unknown>): Promise<AppError> => {
    try {
      await run();
    } catch (e) {
      assert.ok(isStoreError(e), String(e));
      return e.appError;
    }
    return assert.fail('expected a refusal');
  };
  const duplicate = await refusal(() => service['accounts.addIdentity'](account.id, { name: 'ANNA', address: 'Anna@Gmail.com' }));
  assert.equal(duplicate.messageKey, 'store.identity.duplicate');
  assert.equal(duplicate.params?.sender, 'ANNA <Anna@Gmail.com>');
  const invalid = await refusal(() => service['accounts.updateIdentity'](account.id, identity.id, { replyTo: 'vorstand(at)verein.example' }));
  assert.deepEqual([invalid.messageKey, invalid.params?.field, invalid.params?.address], ['store.identity.replyToInvalid', 'replyTo', 'vorstand(at)verein.example']);
  const gone = await refusal(() => service['accounts.removeIdentity'](account.id, 'no-such-identity'));
  assert.equal(gone.messageKey, 'store.identity.notFound');
  assert.equal(changes.length, before + 2, 'a refusal changes nothing and tells nobody');

  const removed = await service['accounts.removeIdentity'](account.id, identity.id);
  assert.deepEqual(removed.identities, []);
  assert.equal(changes.length, before + 3);
  assert.deepEqual((await service['accounts.list']())[0]?.identities, []);
});

test('identities through the validating dispatcher: shapes refused at the contract, meanings refused in German and English words', async (t) => {
  const services = createServices({ dataDir: tempDataDir(t), appVersion: '0.0.0-test', systemLanguage: 'de-DE', secrets: new MemorySecretStore() });
  t.after(() => services.close());
  const dispatch = createDispatcher(services.service);
  const account = await services.service['accounts.create']({ ...gmail, host: 'smtp.example.org' }, 'pw');
  // The renderer is untrusted: unknown fields and wrong types never reach the store.
  for (const args of [
    [account.id, { name: 'A', address: 'a@example.org', password: 'x' }],
    [account.id, { name: 5, address: 'a@example.org' }],
    [account.id, { name: 'A', address: 'a'.repeat(5000) }],
    ['', { name: 'A', address: 'a@example.org' }],
  ]) {
    const outcome = await dispatch('accounts.addIdentity', args);
    assert.equal(!outcome.ok && outcome.error.kind, 'ipc.invalidArguments', JSON.stringify(args).slice(0, 80));
  }
  const refused = await dispatch('accounts.addIdentity', [account.id, { name: 'Anna', address: 'anna@' }]);
  assert.ok(!refused.ok);
  assert.equal(refused.error.kind, 'identity.addressInvalid');
  assert.equal(refused.error.params?.field, 'address');
  assert.equal(translate('de', refused.error.messageKey, refused.error.params), '„anna@“ ist keine gültige E-Mail-Adresse. Eine Adresse braucht einen Namen, ein @-Zeichen und eine Domain, etwa anna@example.de.');
  assert.match(translate('en', refused.error.messageKey, refused.error.params), /^“anna@” is not a valid e-mail address\./);

  const added = await dispatch('accounts.addIdentity', [account.id, { name: 'Vertrieb', address: 'vertrieb@example.org' }]);
  assert.ok(added.ok);
  const identityId = (added.value as Account).identities?.[0]?.id ?? '';
  const twice = await dispatch('accounts.addIdentity', [account.id, { name: 'vertrieb', address: 'VERTRIEB@example.org' }]);
  assert.ok(!twice.ok);
  assert.equal(translate('en', twice.error.messageKey, twice.error.params),
    'This account already has the sender vertrieb <VERTRIEB@example.org>. Give this identity another name or address, so that the two can be told apart in the From list.');
  const removed = await dispatch('accounts.removeIdentity', [account.id, identityId]);
  assert.ok(removed.ok);
  assert.deepEqual((removed.value as Account).identities, []);
});

test('every identity refusal has a German and an English text with the same placeholders, all of them filled', () => {
  const kinds: IdentityProblem['kind'][] = ['identity.nameTooLong', 'identity.nameLineBreak', 'identity.addressMissing', 'identity.addressInvalid',
    'identity.replyToInvalid', 'identity.signatureTooLong', 'identity.duplicate'];
  const params = { field: 'address', address: 'a@', sender: 'A <a@example.org>', max: 200 };
  for (const kind of [...kinds, 'identity.notFound', 'identity.tooMany']) {
    for (const lang of ['de', 'en'] as const) {
      const text = translate(lang, `store.${kind}`, params);
      assert.notEqual(text, `store.${kind}`, `${lang}: store.${kind} has a text`);
      assert.doesNotMatch(text, /\{\w+\}/, `${lang}: store.${kind} leaves no placeholder`);
    }
  }
  // The ones checkIdentity gives are the ones above (a new kind without a text fails here).
  const seen = new Set<string>();
  for (const input of [{ name: 'a\nb', address: 'x@example.org' }, { name: 'n'.repeat(201), address: 'x@example.org' }, { name: '', address: '' },
    { name: '', address: 'x' }, { name: '', address: 'x@example.org', replyTo: 'y' }, { name: '', address: 'x@example.org', signature: 's'.repeat(20_001) }]) {
    const checked = checkIdentity(input);
    assert.ok(!checked.ok, JSON.stringify(input).slice(0, 60));
    seen.add(checked.problem.kind);
  }
  assert.deepEqual([...seen].sort(), kinds.filter((k) => k !== 'identity.duplicate').sort());
});
