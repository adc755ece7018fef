/**
 * A message sent as one of an account's identities, through the real outbox to a real SMTP
 * server on loopback: From carries the identity's name and address, Reply-To its reply
 * address (unless the message names one), and MAIL FROM its address, over the account's server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser, type AddressObject } from 'mailparser';
import { fromSender, senderOf } from '../../shared/sender.js';
import { startTestSmtpServer } from '../testing/smtp-test-server.js';
import { draft, runningOutbox, until } from './testing/harness.js';

const mailboxes = (value: AddressObject | AddressObject[] | undefined): Array<{ name: string; address: string }> =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.value.map((m) => ({ name: m.name, address: m.address ?? '' })));

test('sent as an identity: From, Reply-To and the envelope sender are the identity\'s; the account\'s server and sign-in carry it', async (t) => {
  const srv = await startTestSmtpServer({ users: { alice: 'pw' }, allowInsecureAuth: true, noStartTls: true });
  t.after(() => srv.close());
  const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, username: 'alice', password: 'pw' });
  const account = h.repos.accounts.addIdentity(h.accountId, { name: 'Alice – Förderverein', address: 'kasse@verein.example', replyTo: 'vorstand@verein.example' });
  const identityId = account.identities[0]?.id;
  assert.ok(identityId);

  const asIdentity = await ob.enqueue(fromSender(draft('alias'), senderOf(account, identityId)), { accountId: account.id });
  // The message's own Reply-To wins over the identity's.
  const ownReplyTo = await ob.enqueue(fromSender({ ...draft('own-reply'), replyTo: 'schatzmeister@verein.example' }, senderOf(account, identityId)), { accountId: account.id });
  // The account's own sender, for contrast: no Reply-To at all.
  const asAccount = await ob.enqueue(fromSender(draft('own'), senderOf(account)), { accountId: account.id });
  await until(() => [asIdentity, ownReplyTo, asAccount].every((s) => h.repos.outbox.get(s.id)?.state === 'sent'), 15_000, 'all sent');
  assert.equal(srv.messages.length, 3);
  const [alias, own, plain] = srv.messages;
  assert.ok(alias && own && plain);

  assert.equal(alias.from, 'kasse@verein.example', 'MAIL FROM is the identity\'s address');
  assert.equal(alias.user, 'alice', 'signed in as the account');
  const parsed = await simpleParser(alias.raw);
  assert.deepEqual(mailboxes(parsed.from), [{ name: 'Alice – Förderverein', address: 'kasse@verein.example' }]);
  assert.deepEqual(mailboxes(parsed.replyTo), [{ name: '', address: 'vorstand@verein.example' }]);
  assert.match(parsed.text ?? '', /Hello alias/);

  assert.equal(own.from, 'kasse@verein.example');
  assert.deepEqual(mailboxes((await simpleParser(own.raw)).replyTo).map((m) => m.address), ['schatzmeister@verein.example']);

  assert.equal(plain.from, 'alice@example.test');
  const plainParsed = await simpleParser(plain.raw);
  assert.deepEqual(mailboxes(plainParsed.from), [{ name: 'Alice', address: 'alice@example.test' }]);
  assert.equal(plainParsed.replyTo, undefined);

  // The send log records who it went out as, and the outbox keeps which identity it was.
  const logged = h.repos.sendLog.list().entries.map((e) => h.repos.sendLog.get(e.id)?.envelopeFrom).sort();
  assert.deepEqual(logged, ['alice@example.test', 'kasse@verein.example', 'kasse@verein.example']);
  assert.equal((h.repos.outbox.get(asIdentity.id)?.draft as { original?: { identityId?: string } }).original?.identityId, identityId);
});
