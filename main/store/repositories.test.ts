import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from './database.js';
import { isStoreError } from './errors.js';
import { createRepositories, type Repositories } from './index.js';
import { tempDataDir } from './test-support.js';
import type { TestContext } from 'node:test';
import { sendLogCursorOf } from '../../shared/sendlog.js';
import { MAX_IDENTITIES_PER_ACCOUNT } from '../../shared/account.js';

const validAccount = {
  displayName: 'Erika Mustermann',
  address: 'erika@example.de',
  host: 'mail.example.de',
  port: 587,
  security: 'starttls' as const,
  username: 'erika@example.de',
};

function setup(t: TestContext): { db: Database; repos: Repositories; clock: { now: number } } {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  const clock = { now: 1_700_000_000_000 };
  return { db, repos: createRepositories(db, () => clock.now), clock };
}

function kindOf(fn: () => unknown): { kind: string; params: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    assert.ok(isStoreError(e), String(e));
    return { kind: e.appError.kind, params: e.appError.params ?? {} };
  }
  assert.fail('expected an error');
}

test('accounts: create, read back, first is default, update with null clears a field', (t) => {
  const { repos, clock } = setup(t);
  const a = repos.accounts.create({ ...validAccount, signature: '-- \nErika', extraCaPem: '-----BEGIN CERTIFICATE-----' });
  assert.equal(a.isDefault, true);
  assert.equal(a.port, 587);
  assert.equal(a.signature, '-- \nErika');
  const b = repos.accounts.create({ ...validAccount, address: 'info@example.de', security: 'tls', port: 465 });
  assert.equal(b.isDefault, false);
  clock.now += 1000;
  const updated = repos.accounts.update(a.id, { signature: null, port: 2525, authMechanism: 'PLAIN' });
  assert.equal(updated.signature, undefined);
  assert.equal(updated.port, 2525);
  assert.equal(updated.authMechanism, 'PLAIN');
  assert.equal(updated.updatedAt, a.createdAt + 1000);
  assert.deepEqual(repos.accounts.list().map((x) => x.id), [a.id, b.id]);
  repos.accounts.setDefault(b.id);
  assert.equal(repos.accounts.getDefault()?.id, b.id);
  assert.equal(repos.accounts.get(a.id)?.isDefault, false);
  repos.accounts.delete(b.id);
  assert.equal(repos.accounts.getDefault()?.id, a.id, 'the default passes to the remaining account');
});

test('accounts: what a connection test learnt is kept, survives other edits, and is cleared when the server changes', (t) => {
  const { repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  assert.equal(a.learnt, undefined, 'not tested yet');
  const learnt = { sizeLimit: 35_882_577, eightBitMime: true, smtpUtf8: false, testedAt: 1_700_000_000_500 };
  assert.deepEqual(repos.accounts.recordCapabilities(a.id, learnt).learnt, learnt);
  assert.deepEqual(repos.accounts.update(a.id, { displayName: 'Erika M.' }).learnt, learnt, 'a new name does not change the server');
  // No SIZE announced: no limit is kept.
  assert.deepEqual(repos.accounts.recordCapabilities(a.id, { eightBitMime: false, smtpUtf8: true, testedAt: 2 }).learnt, { eightBitMime: false, smtpUtf8: true, testedAt: 2 });
  assert.equal(repos.accounts.update(a.id, { port: 465, security: 'tls' }).learnt, undefined, 'another server: learnt again by the next test');
  assert.equal(kindOf(() => repos.accounts.recordCapabilities(a.id, { sizeLimit: -1, eightBitMime: true, smtpUtf8: true, testedAt: 1 })).kind, 'account.invalid');
  assert.equal(kindOf(() => repos.accounts.recordCapabilities('nope', learnt)).kind, 'account.notFound');
});

test('accounts: invalid fields are refused with the field named, and nothing is written', (t) => {
  const { repos } = setup(t);
  const cases: [Record<string, unknown>, string][] = [
    [{ ...validAccount, port: 0 }, 'port'],
    [{ ...validAccount, port: 70000 }, 'port'],
    [{ ...validAccount, port: 25.5 }, 'port'],
    [{ ...validAccount, host: '' }, 'host'],
    [{ ...validAccount, host: '   ' }, 'host'],
    [{ ...validAccount, address: 'erika.example.de' }, 'address'],
    [{ ...validAccount, address: 'erika@' }, 'address'],
    [{ ...validAccount, address: 'a b@example.de' }, 'address'],
    [{ ...validAccount, address: 'x@example.de\r\nBcc: y@evil.test' }, 'address'],
    [{ ...validAccount, security: 'ssl' }, 'security'],
    [{ ...validAccount, displayName: 'Erika\r\nBcc: x' }, 'displayName'],
  ];
  for (const [input, field] of cases) {
    const e = kindOf(() => repos.accounts.create(input));
    assert.equal(e.kind, 'account.invalid', JSON.stringify(input));
    assert.equal(e.params.field, field, JSON.stringify(input));
  }
  assert.equal(repos.accounts.list().length, 0);
  const a = repos.accounts.create(validAccount);
  assert.equal(kindOf(() => repos.accounts.update(a.id, { port: 0 })).params.field, 'port');
  assert.equal(kindOf(() => repos.accounts.update(a.id, { host: '' })).params.field, 'host');
  assert.equal(kindOf(() => repos.accounts.update(a.id, { password: 'x' })).kind, 'account.invalid');
  assert.equal(repos.accounts.require(a.id).port, 587);
  assert.equal(kindOf(() => repos.accounts.update('nope', { port: 25 })).kind, 'account.notFound');
});

test('accounts: deleting refuses while messages wait or failed/cancelled ones remain; the send log keeps entries of deleted accounts', (t) => {
  const { repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  const message = (subject: string) => repos.outbox.create({ accountId: a.id, state: 'queued', draft: { subject }, envelope: { from: a.address, to: ['b@example.org'] } });
  const entry = message('x');
  const failed = message('failed');
  repos.outbox.transition(failed.id, ['queued'], 'failed');
  const sent = message('sent');
  repos.outbox.transition(sent.id, ['queued'], 'sending');
  repos.outbox.transition(sent.id, ['sending'], 'sent');
  const logId = repos.sendLog.append({ time: 1, accountId: a.id, outboxId: entry.id, envelopeFrom: a.address, recipients: ['b@example.org'], subject: 'x', status: 'sent' });
  const e = kindOf(() => repos.accounts.delete(a.id));
  assert.equal(e.kind, 'account.hasPendingMessages');
  assert.equal(e.params.count, 1);
  // Failed and cancelled messages hold text the person wrote: they would vanish with the account (ON DELETE CASCADE).
  repos.outbox.transition(entry.id, ['queued'], 'cancelled');
  const unsent = kindOf(() => repos.accounts.delete(a.id));
  assert.equal(unsent.kind, 'account.hasUnsentMessages');
  assert.equal(unsent.params.count, 2);
  assert.equal(repos.accounts.list().length, 1, 'nothing was deleted');
  assert.equal(repos.outbox.get(failed.id)?.state, 'failed');
  assert.deepEqual(repos.accounts.secretsToRemove(), [], 'a refused delete leaves no keychain work behind');
  repos.outbox.delete(entry.id);
  repos.outbox.delete(failed.id);
  repos.accounts.delete(a.id);
  assert.equal(repos.accounts.list().length, 0);
  assert.equal(repos.outbox.get(sent.id), undefined, 'a sent message goes with the account; the send log is its record');
  const kept = repos.sendLog.get(logId);
  assert.equal(kept?.accountId, null);
  assert.equal(kept?.subject, 'x');
});

test('accounts: a deleted account stays on the keychain to-do list until its secrets are removed; create never replaces an account', (t) => {
  const { db, repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  const b = repos.accounts.create({ ...validAccount, address: 'b@example.de' }, 'chosen-id');
  assert.equal(b.id, 'chosen-id');
  assert.equal(kindOf(() => repos.accounts.create({ ...validAccount, address: 'c@example.de' }, 'chosen-id')).params.field, 'id');
  assert.equal(repos.accounts.require('chosen-id').address, 'b@example.de', 'the existing account is unchanged');
  repos.accounts.delete(a.id);
  repos.accounts.delete(b.id);
  assert.deepEqual(repos.accounts.secretsToRemove(), [a.id, b.id]);
  // A second connection (another process, or the next start) sees the list: it is in the file.
  const other = openDatabase(db.dataDir);
  assert.deepEqual(createRepositories(other).accounts.secretsToRemove(), [a.id, b.id]);
  other.close();
  repos.accounts.secretsRemoved(a.id);
  assert.deepEqual(repos.accounts.secretsToRemove(), [b.id]);
  repos.accounts.secretsRemoved(b.id);
  repos.accounts.secretsRemoved('never-listed');
  assert.deepEqual(repos.accounts.secretsToRemove(), []);
  assert.equal(repos.settings.get('keychain.secretsToRemove'), undefined, 'an empty list leaves no row');
});

test('identities: added, listed with their account in order, edited (null clears), removed; the account\'s updatedAt follows', (t) => {
  const { repos, clock } = setup(t);
  const a = repos.accounts.create(validAccount);
  const b = repos.accounts.create({ ...validAccount, address: 'info@example.de' });
  clock.now += 10;
  const withSales = repos.accounts.addIdentity(a.id, { name: '  Erika (Vertrieb) ', address: ' vertrieb@example.de ', replyTo: 'team@example.de', signature: 'Vertrieb\nBeispiel GmbH' });
  const sales = withSales.identities[0];
  assert.ok(sales);
  assert.deepEqual({ ...sales, id: 'x' }, { id: 'x', name: 'Erika (Vertrieb)', address: 'vertrieb@example.de', replyTo: 'team@example.de', signature: 'Vertrieb\nBeispiel GmbH' }, 'trimmed as typed');
  assert.equal(withSales.updatedAt, clock.now);
  clock.now += 10;
  // The same address under another name is another sender (e.g. a shared mailbox used with two names).
  repos.accounts.addIdentity(a.id, { name: 'Support', address: 'vertrieb@example.de', replyTo: '', signature: '   ' });
  repos.accounts.addIdentity(b.id, { name: 'Erika (Vertrieb)', address: 'vertrieb@example.de' });
  const listed = repos.accounts.list();
  assert.deepEqual(listed.map((x) => x.identities.map((i) => `${i.name} <${i.address}>`)), [
    ['Erika (Vertrieb) <vertrieb@example.de>', 'Support <vertrieb@example.de>'],
    ['Erika (Vertrieb) <vertrieb@example.de>'],
  ], 'each account its own, in the order they were added; the same sender on another account is allowed');
  const support = listed[0]?.identities[1];
  assert.equal(support?.replyTo, undefined, 'an empty reply-to is none');
  assert.equal(support?.signature, undefined, 'a blank signature is none: the account\'s is used');

  clock.now += 10;
  const edited = repos.accounts.updateIdentity(a.id, sales.id, { name: 'Erika Mustermann (Vertrieb)', replyTo: null });
  assert.deepEqual(edited.identities.find((i) => i.id === sales.id), { id: sales.id, name: 'Erika Mustermann (Vertrieb)', address: 'vertrieb@example.de', signature: 'Vertrieb\nBeispiel GmbH' });
  assert.equal(edited.updatedAt, clock.now);
  assert.equal(repos.accounts.updateIdentity(a.id, sales.id, { signature: null }).identities[0]?.signature, undefined);
  // Editing the account keeps its identities.
  assert.equal(repos.accounts.update(a.id, { port: 465, security: 'tls' }).identities.length, 2);

  const removed = repos.accounts.removeIdentity(a.id, sales.id);
  assert.deepEqual(removed.identities.map((i) => i.name), ['Support']);
  assert.equal(kindOf(() => repos.accounts.removeIdentity(a.id, sales.id)).kind, 'identity.notFound');
  // Another account's identity is not this account's to change.
  const foreign = repos.accounts.require(b.id).identities[0]?.id ?? '';
  assert.equal(kindOf(() => repos.accounts.removeIdentity(a.id, foreign)).kind, 'identity.notFound');
  assert.equal(kindOf(() => repos.accounts.updateIdentity(a.id, foreign, { name: 'x' })).kind, 'identity.notFound');
  assert.equal(repos.accounts.require(b.id).identities.length, 1);
  assert.equal(kindOf(() => repos.accounts.addIdentity('nope', { name: 'N', address: 'n@example.de' })).kind, 'account.notFound');

  // Identities go with their account.
  repos.accounts.delete(a.id);
  assert.deepEqual(repos.accounts.list().flatMap((x) => x.identities.map((i) => i.name)), ['Erika (Vertrieb)'], 'only the other account\'s is left');
});

test('identities: invalid values are refused naming the field, duplicates within an account too, and nothing is written', (t) => {
  const { repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  const cases: [Record<string, unknown>, string, string][] = [
    [{ name: 'E', address: '' }, 'identity.addressMissing', 'address'],
    [{ name: 'E', address: '   ' }, 'identity.addressMissing', 'address'],
    [{ name: 'E', address: 'vertrieb.example.de' }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: 'vertrieb@' }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: 'a b@example.de' }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: 'x@example.de\r\nBcc: y@evil.test' }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: 'E <e@example.de>' }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: `${'a'.repeat(250)}@example.de` }, 'identity.addressInvalid', 'address'],
    [{ name: 'E', address: 'e@example.de', replyTo: 'team@' }, 'identity.replyToInvalid', 'replyTo'],
    [{ name: 'E', address: 'e@example.de', replyTo: 'team@example.de\nBcc: y@evil.test' }, 'identity.replyToInvalid', 'replyTo'],
    [{ name: 'Erika\r\nBcc: x@evil.test', address: 'e@example.de' }, 'identity.nameLineBreak', 'name'],
    [{ name: 'E'.repeat(201), address: 'e@example.de' }, 'identity.nameTooLong', 'name'],
    [{ name: 'E', address: 'e@example.de', signature: 's'.repeat(20_001) }, 'identity.signatureTooLong', 'signature'],
    // The account's own sender, in other case and with spaces around it.
    [{ name: ' erika mustermann ', address: 'ERIKA@example.de' }, 'identity.duplicate', 'address'],
  ];
  for (const [input, kind, field] of cases) {
    const e = kindOf(() => repos.accounts.addIdentity(a.id, input));
    assert.equal(e.kind, kind, JSON.stringify(input));
    assert.equal(e.params.field, field, JSON.stringify(input));
  }
  // Not even the shape: no unknown fields, no wrong types (the contract refuses these first).
  assert.equal(kindOf(() => repos.accounts.addIdentity(a.id, { name: 'E', address: 'e@example.de', password: 'x' })).kind, 'account.invalid');
  assert.equal(kindOf(() => repos.accounts.addIdentity(a.id, { name: 5, address: 'e@example.de' })).kind, 'account.invalid');
  assert.deepEqual(repos.accounts.require(a.id).identities, [], 'nothing was written');

  const first = repos.accounts.addIdentity(a.id, { name: 'Vertrieb', address: 'vertrieb@example.de' }).identities[0];
  const second = repos.accounts.addIdentity(a.id, { name: 'Support', address: 'support@example.de' }).identities[1];
  assert.ok(first && second);
  const dup = kindOf(() => repos.accounts.addIdentity(a.id, { name: 'VERTRIEB', address: 'Vertrieb@Example.de' }));
  assert.equal(dup.kind, 'identity.duplicate');
  assert.equal(dup.params.sender, 'VERTRIEB <Vertrieb@Example.de>', 'the text names the sender as typed');
  // An edit may not make one identity the same as another, or as the account's own …
  assert.equal(kindOf(() => repos.accounts.updateIdentity(a.id, second.id, { name: 'Vertrieb', address: 'vertrieb@example.de' })).kind, 'identity.duplicate');
  assert.equal(kindOf(() => repos.accounts.updateIdentity(a.id, second.id, { name: 'Erika Mustermann', address: 'erika@example.de' })).kind, 'identity.duplicate');
  assert.equal(kindOf(() => repos.accounts.updateIdentity(a.id, second.id, { address: 'nope' })).params.field, 'address');
  // … but keeping its own name and address is no clash with itself.
  assert.equal(repos.accounts.updateIdentity(a.id, second.id, { name: 'Support', signature: 'Ihr Support' }).identities[1]?.signature, 'Ihr Support');
  // Nor may the account's own sender become one of its identities.
  const clash = kindOf(() => repos.accounts.update(a.id, { displayName: 'Support', address: 'support@example.de' }));
  assert.equal(clash.kind, 'identity.duplicate');
  assert.equal(repos.accounts.require(a.id).address, 'erika@example.de');
  assert.deepEqual(repos.accounts.require(a.id).identities.map((i) => i.address), ['vertrieb@example.de', 'support@example.de']);
});

test('identities: an account has at most MAX_IDENTITIES_PER_ACCOUNT', (t) => {
  const { repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  for (let i = 0; i < MAX_IDENTITIES_PER_ACCOUNT; i++) repos.accounts.addIdentity(a.id, { name: `Alias ${i}`, address: `alias${i}@example.de` });
  const e = kindOf(() => repos.accounts.addIdentity(a.id, { name: 'One more', address: 'more@example.de' }));
  assert.equal(e.kind, 'identity.tooMany');
  assert.equal(e.params.max, MAX_IDENTITIES_PER_ACCOUNT);
  assert.equal(repos.accounts.require(a.id).identities.length, MAX_IDENTITIES_PER_ACCOUNT);
});

test('outbox: legal transitions with patches; racing and illegal moves are refused', (t) => {
  const { repos, clock } = setup(t);
  const a = repos.accounts.create(validAccount);
  const e = repos.outbox.create({
    accountId: a.id, state: 'queued', draft: { subject: 'Hallo' }, envelope: { from: a.address, to: ['x@example.org'] },
    messageId: '<1@example.de>', size: 1234, attachmentPaths: ['/tmp/snap/1.pdf'],
  });
  assert.equal(e.attemptCount, 0);
  clock.now += 10;
  const sending = repos.outbox.transition(e.id, ['queued', 'deferred'], 'sending', { countAttempt: true });
  assert.equal(sending.state, 'sending');
  assert.equal(sending.attemptCount, 1);
  assert.equal(sending.firstAttemptAt, clock.now);
  // A second worker that also saw "queued" loses.
  assert.equal(kindOf(() => repos.outbox.transition(e.id, ['queued'], 'sending')).kind, 'outbox.transitionRefused');
  // Staying in a state is allowed: it only applies the patch (e.g. the end-of-data mark).
  const marked = repos.outbox.transition(e.id, ['sending'], 'sending', { endOfDataAt: clock.now });
  assert.equal(marked.endOfDataAt, clock.now);
  assert.equal(marked.attemptCount, 1);
});

test('outbox: end-of-data marker, deferral, terminal states and due()', (t) => {
  const { repos, clock } = setup(t);
  const a = repos.accounts.create(validAccount);
  const e = repos.outbox.create({ accountId: a.id, state: 'queued', draft: {}, envelope: { from: a.address, to: ['x@example.org'] } });
  repos.outbox.transition(e.id, ['queued'], 'sending', { countAttempt: true });
  const err = { kind: 'smtp.temporary', messageKey: 'err.x', detail: { phase: 'rcpt' as const, cause: 'reply', code: 451, message: 'try later' } };
  const deferred = repos.outbox.transition(e.id, ['sending'], 'deferred', { nextAttemptAt: clock.now + 60_000, lastError: err });
  assert.deepEqual(deferred.lastError, err);
  assert.equal(repos.outbox.due(clock.now).length, 0);
  assert.deepEqual(repos.outbox.due(clock.now + 60_000).map((x) => x.id), [e.id]);
  repos.outbox.transition(e.id, ['deferred'], 'sending', { countAttempt: true, endOfDataAt: clock.now });
  const crashed = repos.outbox.list({ states: ['sending'] });
  assert.equal(crashed[0]?.endOfDataAt, clock.now, 'crash reconciliation sees the body was fully sent');
  const unconfirmed = repos.outbox.transition(e.id, ['sending'], 'unconfirmed');
  assert.equal(unconfirmed.attemptCount, 2);
  const sent = repos.outbox.transition(e.id, ['unconfirmed'], 'sent', { lastError: null });
  assert.equal(sent.lastError, null);
  // Terminal: nothing leads out of "sent".
  assert.equal(kindOf(() => repos.outbox.transition(e.id, ['sent'], 'queued')).kind, 'outbox.transitionRefused');
  // An illegal move even from the expected state.
  const f = repos.outbox.create({ accountId: a.id, state: 'scheduled', draft: {}, envelope: { from: a.address, to: ['x@example.org'] } });
  assert.equal(kindOf(() => repos.outbox.transition(f.id, ['scheduled'], 'sent')).kind, 'outbox.transitionRefused');
  assert.equal(kindOf(() => repos.outbox.transition('missing', ['queued'], 'sending')).kind, 'outbox.notFound');
  assert.equal(kindOf(() => repos.outbox.delete(f.id)).kind, 'outbox.transitionRefused');
  repos.outbox.delete(e.id);
  assert.equal(repos.outbox.get(e.id), undefined);
});

test('drafts: autosave replaces, newest first, only JSON objects', (t) => {
  const { repos, clock } = setup(t);
  const d1 = repos.drafts.save({ draft: { subject: 'eins', to: ['a@example.org'] } });
  clock.now += 5;
  const d2 = repos.drafts.save({ draft: { subject: 'zwei' } });
  clock.now += 5;
  const d1b = repos.drafts.save({ id: d1.id, draft: { subject: 'eins, geändert' } });
  assert.equal(d1b.createdAt, d1.createdAt);
  assert.equal(d1b.updatedAt, clock.now);
  assert.deepEqual(repos.drafts.list().map((d) => d.id), [d1.id, d2.id]);
  assert.equal(repos.drafts.get(d1.id)?.draft.subject, 'eins, geändert');
  assert.equal(kindOf(() => repos.drafts.save({ draft: ['not', 'an', 'object'] })).kind, 'draft.invalid');
  assert.equal(repos.drafts.delete(d2.id), true);
  assert.equal(repos.drafts.delete(d2.id), false);
});

test('send log: newest first, keyset pages, filters, full-text search', (t) => {
  const { repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  const b = repos.accounts.create({ ...validAccount, address: 'b@example.de' });
  const statuses = ['sent', 'failed', 'deferred'] as const;
  for (let i = 0; i < 250; i += 1) {
    repos.sendLog.append({
      time: 1000 + Math.floor(i / 2), // pairs share a time: the id breaks the tie
      accountId: i % 2 === 0 ? a.id : b.id,
      envelopeFrom: 'erika@example.de',
      recipients: [`kunde${i}@firma.example`, 'team@example.org'],
      subject: i === 77 ? 'Angebot Überweisung' : `Nachricht ${i}`,
      status: statuses[i % 3]!,
      errorText: i % 3 === 1 ? '550 5.1.1 mailbox unavailable' : null,
      results: [{ address: `kunde${i}@firma.example`, accepted: i % 3 !== 1, code: i % 3 === 1 ? 550 : 250, message: 'ok' }],
      transcript: [{ t: 0, dir: 'S', phase: 'greeting', line: '220 hi' }],
      explanation: { title: 'x' },
    });
  }
  const all: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = repos.sendLog.list({ limit: 100, ...(cursor ? { before: cursor } : {}) });
    all.push(...page.entries.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  assert.equal(pages, 3);
  assert.equal(all.length, 250);
  assert.equal(new Set(all).size, 250);
  assert.deepEqual(all, [...all].sort((x, y) => y - x), 'newest (highest time, then id) first');
  // The first page counts what matches (so a list can size itself); later pages do not.
  assert.equal(repos.sendLog.list({ limit: 100 }).total, 250);
  assert.equal(repos.sendLog.list({ limit: 100, before: repos.sendLog.list({ limit: 100 }).nextCursor ?? '' }).total, undefined);
  assert.equal(repos.sendLog.list({ status: ['failed'], accountId: a.id, limit: 10 }).total, repos.sendLog.list({ status: ['failed'], accountId: a.id, limit: 500 }).entries.length);
  assert.equal(repos.sendLog.list({ from: 1010, to: 1020, limit: 5 }).total, 20);
  assert.equal(repos.sendLog.list({ search: 'mailbox unavail', limit: 10 }).total, 83, 'a search alone: the match count');
  assert.equal(repos.sendLog.list({ search: 'mailbox', accountId: b.id, limit: 10 }).total,
    repos.sendLog.list({ search: 'mailbox', accountId: b.id, limit: 500 }).entries.length, 'a search with a filter');
  assert.equal(repos.sendLog.list({ search: 'uberweisung' }).total, 1, 'one page: the entries are the total');

  const failedOfA = repos.sendLog.list({ status: ['failed'], accountId: a.id, limit: 500 });
  assert.ok(failedOfA.entries.length > 0);
  assert.ok(failedOfA.entries.every((e) => e.status === 'failed' && e.accountId === a.id));
  const ranged = repos.sendLog.list({ from: 1010, to: 1020, limit: 500 });
  assert.equal(ranged.entries.length, 20);

  assert.deepEqual(repos.sendLog.list({ search: 'uberweisung' }).entries.map((e) => e.subject), ['Angebot Überweisung']);
  assert.equal(repos.sendLog.list({ search: 'kunde42@firma.example' }).entries[0]?.recipients[0], 'kunde42@firma.example');
  const mailbox = repos.sendLog.list({ search: 'mailbox unavail', limit: 500 });
  assert.equal(mailbox.entries.length, 83);
  // FTS syntax in user input is taken literally, not as a query language.
  assert.doesNotThrow(() => repos.sendLog.list({ search: '"unbalanced AND OR NEAR( * ^' }));
  assert.equal(repos.sendLog.list({ search: '   ' }).entries.length, 100, 'an empty search is no filter');

  const full = repos.sendLog.get(all[0]!);
  assert.equal(full?.transcript[0]?.line, '220 hi');
  assert.deepEqual(full?.explanation, { title: 'x' });

  // Random access (a list jumping to its end): an offset page is the same slice as the cursor
  // walk, carries no total, and continues exactly by cursor from its last row.
  const deep = repos.sendLog.list({ limit: 30, offset: 200 });
  assert.deepEqual(deep.entries.map((e) => e.id), all.slice(200, 230));
  assert.equal(deep.total, undefined);
  assert.deepEqual(repos.sendLog.list({ limit: 100, before: deep.nextCursor ?? '' }).entries.map((e) => e.id), all.slice(230, 250));
  assert.deepEqual(repos.sendLog.list({ limit: 5, offset: 248 }).entries.map((e) => e.id), all.slice(248), 'the last page is short');
  assert.equal(repos.sendLog.list({ limit: 5, offset: 248 }).nextCursor, null);
  assert.deepEqual(repos.sendLog.list({ offset: 250 }).entries, [], 'past the end: nothing, no error');
  const failedAll = repos.sendLog.list({ status: ['failed'], limit: 500 }).entries.map((e) => e.id);
  assert.deepEqual(repos.sendLog.list({ status: ['failed'], limit: 10, offset: 40 }).entries.map((e) => e.id), failedAll.slice(40, 50), 'offset counts filtered entries');
  assert.deepEqual(repos.sendLog.list({ limit: 10, before: sendLogCursorOf({ time: repos.sendLog.get(all[9]!)!.time, id: all[9]! }) }).entries.map((e) => e.id),
    all.slice(10, 20), 'the cursor of any row continues right after it');
  assert.equal(kindOf(() => repos.sendLog.list({ offset: 10, before: deep.nextCursor ?? '' })).kind, 'log.invalidQuery', 'offset and before together');
  assert.equal(kindOf(() => repos.sendLog.list({ offset: -1 })).kind, 'log.invalidQuery');

  assert.equal(kindOf(() => repos.sendLog.list({ before: 'garbage' })).kind, 'log.invalidCursor');
  assert.equal(kindOf(() => repos.sendLog.list({ limit: 501 })).kind, 'log.invalidQuery');
  assert.equal(kindOf(() => repos.sendLog.append({ time: 1, envelopeFrom: 'x', recipients: [], subject: 's', status: 'exploded' as never })).kind, 'log.invalid');
});

test('send log: the search index follows updates and deletes (triggers)', (t) => {
  const { db, repos } = setup(t);
  const id = repos.sendLog.append({ time: 1, envelopeFrom: 'a@example.org', recipients: ['b@example.org'], subject: 'Quartalsbericht', status: 'sent' });
  assert.equal(repos.sendLog.list({ search: 'quartal' }).entries.length, 1);
  db.sql.prepare("UPDATE send_log SET subject = 'Jahresbericht' WHERE id = ?").run(id);
  assert.equal(repos.sendLog.list({ search: 'quartal' }).entries.length, 0);
  assert.equal(repos.sendLog.list({ search: 'jahres' }).entries.length, 1);
  db.sql.prepare('DELETE FROM send_log WHERE id = ?').run(id);
  assert.equal(repos.sendLog.list({ search: 'jahres' }).entries.length, 0);
  db.sql.exec("INSERT INTO send_log_fts(send_log_fts) VALUES ('integrity-check')");
});

test('address history: counts, case-insensitive prefix on address and name, ranked by use', (t) => {
  const { repos, clock } = setup(t);
  repos.addressHistory.record([{ address: 'max@example.org', name: 'Max Muster' }, { address: 'maria@example.org' }]);
  clock.now += 1;
  repos.addressHistory.record([{ address: 'MAX@example.org' }, { address: 'anna@example.org', name: 'Marianne Weber' }]);
  const s = repos.addressHistory.suggest('ma');
  assert.deepEqual(s.map((x) => x.address), ['max@example.org', 'anna@example.org', 'maria@example.org']);
  assert.equal(s[0]?.useCount, 2);
  assert.equal(s[0]?.name, 'Max Muster', 'a later use without a name keeps the name');
  assert.deepEqual(repos.addressHistory.suggest('MARI').map((x) => x.address).sort(), ['anna@example.org', 'maria@example.org']);
  assert.deepEqual(repos.addressHistory.suggest('m_x'), [], 'LIKE wildcards in input are literal');
  assert.deepEqual(repos.addressHistory.suggest(''), []);
  assert.equal(repos.addressHistory.suggest('ma', 1).length, 1);
  assert.equal(repos.addressHistory.forget('max@EXAMPLE.org'), true);
});

test('address history suggest uses the indexes', (t) => {
  const { db } = setup(t);
  const plan = db.sql
    .prepare("EXPLAIN QUERY PLAN SELECT * FROM address_history WHERE address LIKE 'ab%' ESCAPE '\\' UNION SELECT * FROM address_history WHERE name LIKE 'ab%' ESCAPE '\\'")
    .all()
    .map((r) => String(r.detail));
  assert.ok(plan.every((d) => !/^SCAN address_history$/.test(d)), plan.join('\n'));
});

test('settings: key/value JSON and typed app settings with defaults', (t) => {
  const { repos } = setup(t);
  assert.equal(repos.settings.get('nothing'), undefined);
  repos.settings.set('ui.columns', { widths: [1, 2] });
  assert.deepEqual(repos.settings.get('ui.columns'), { widths: [1, 2] });
  assert.equal(repos.settings.getSettings().undoSendSeconds, 5);
  const s = repos.settings.updateSettings({ language: 'de', undoSendSeconds: 10 });
  assert.equal(s.language, 'de');
  assert.equal(s.undoSendSeconds, 10);
  assert.equal(kindOf(() => repos.settings.updateSettings({ undoSendSeconds: 7 })).kind, 'settings.invalid');
  repos.settings.set('app.theme', 'neon');
  assert.equal(repos.settings.getSettings().theme, 'system', 'an unknown stored value falls back to the default');
});

test('send log: a search with many matches (time-index plan) pages and filters like the default plan', (t) => {
  const { db, repos } = setup(t);
  const a = repos.accounts.create(validAccount);
  db.transaction(() => {
    for (let i = 0; i < 2400; i += 1) {
      repos.sendLog.append({
        time: 5000 - (i % 7) * 3 + i, // not in id order
        accountId: i % 3 === 0 ? a.id : null,
        envelopeFrom: 'e@example.de',
        recipients: ['x@example.org'],
        subject: i % 5 === 0 ? `Sonstiges ${i}` : `Rechnung ${i}`,
        status: i % 4 === 0 ? 'failed' : 'sent',
      });
    }
  });
  const expected = (where: string, ...p: (string | number)[]): number[] =>
    db.sql.prepare(`SELECT id FROM send_log WHERE subject LIKE 'Rechnung%' ${where} ORDER BY time DESC, id DESC`).all(...p).map((r) => Number(r.id));
  const collect = (q: Record<string, unknown>): number[] => {
    const ids: number[] = [];
    let before: string | undefined;
    do {
      const page = repos.sendLog.list({ ...q, limit: 500, ...(before ? { before } : {}) });
      ids.push(...page.entries.map((e) => e.id));
      before = page.nextCursor ?? undefined;
    } while (before);
    // The first page's total is what paging through finds.
    assert.equal(repos.sendLog.list({ ...q, limit: 10 }).total, ids.length);
    return ids;
  };
  assert.deepEqual(collect({ search: 'rechnung' }), expected(''));
  assert.deepEqual(collect({ search: 'rechnung', accountId: a.id }), expected('AND account_id = ?', a.id));
  assert.deepEqual(collect({ search: 'rechnung', status: ['failed'] }), expected("AND status = 'failed'"));
  assert.deepEqual(collect({ search: 'rechnung', status: ['failed'], accountId: a.id }), expected("AND status = 'failed' AND account_id = ?", a.id));
  assert.deepEqual(collect({ search: 'rechnung', status: ['failed', 'sent'], from: 5500, to: 6000 }), expected('AND time >= 5500 AND time < 6000'));
});
