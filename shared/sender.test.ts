import { test, assert } from '../main/testing/node-test.js';
import { fromSender, senderLabel, senderOf, sendersOf, type SenderAccount } from './sender.js';

const account: SenderAccount = {
  id: 'acc', displayName: 'Erika Mustermann', address: 'erika@example.de', signature: 'Erika',
  identities: [
    { id: 'sales', name: 'Vertrieb', address: 'vertrieb@example.de', replyTo: 'team@example.de', signature: 'Ihr Vertrieb' },
    { id: 'plain', name: '', address: 'info@example.de' },
  ],
};

test('senders of an account: its own first, then its identities; an identity without a signature uses the account\'s', () => {
  assert.deepEqual(sendersOf(account), [
    { accountId: 'acc', name: 'Erika Mustermann', address: 'erika@example.de', signature: 'Erika' },
    { accountId: 'acc', identityId: 'sales', name: 'Vertrieb', address: 'vertrieb@example.de', replyTo: 'team@example.de', signature: 'Ihr Vertrieb' },
    { accountId: 'acc', identityId: 'plain', name: '', address: 'info@example.de', signature: 'Erika' },
  ]);
  assert.deepEqual(sendersOf({ ...account, identities: undefined }).length, 1, 'an account from before identities has its own sender');
  assert.equal(sendersOf({ ...account, signature: undefined })[2]?.signature, undefined);
});

test('an identity that is gone (or none) resolves to the account\'s own sender', () => {
  assert.equal(senderOf(account, 'sales').address, 'vertrieb@example.de');
  assert.equal(senderOf(account, 'removed-meanwhile').address, 'erika@example.de');
  assert.equal(senderOf(account, null).identityId, undefined);
  assert.equal(senderOf(account).address, 'erika@example.de');
});

test('labels read as a person writes a sender, without the quotes a header would need', () => {
  assert.equal(senderLabel(senderOf(account, 'sales')), 'Vertrieb <vertrieb@example.de>');
  assert.equal(senderLabel(senderOf(account, 'plain')), 'info@example.de');
  assert.equal(senderLabel({ name: ' Erika M. ', address: 'erika@example.de' }), 'Erika M. <erika@example.de>');
  assert.equal(senderLabel({ name: 'Mustermann, Erika', address: 'erika@example.de' }), 'Mustermann, Erika <erika@example.de>');
});

test('a message from a sender: From is the sender, Reply-To the identity\'s unless the message has one, and the identity is named', () => {
  const message = { to: ['a@example.org'], subject: 'Hallo', text: 'x' };
  assert.deepEqual(fromSender(message, senderOf(account, 'sales')), {
    ...message, from: { name: 'Vertrieb', address: 'vertrieb@example.de' }, identityId: 'sales', replyTo: ['team@example.de'],
  });
  assert.deepEqual(fromSender({ ...message, replyTo: 'chef@example.de' }, senderOf(account, 'sales')).replyTo, 'chef@example.de');
  assert.deepEqual(fromSender({ ...message, replyTo: [] }, senderOf(account, 'sales')).replyTo, ['team@example.de'], 'an empty Reply-To is none');
  assert.deepEqual(fromSender({ ...message, replyTo: '  ' }, senderOf(account, 'sales')).replyTo, ['team@example.de']);
  // No name: From is the bare address; the account's own sender names no identity and sets no Reply-To.
  assert.deepEqual(fromSender(message, senderOf(account, 'plain')).from, { address: 'info@example.de' });
  const own = fromSender({ ...message, identityId: 'sales' }, senderOf(account));
  assert.deepEqual(own, { ...message, from: { name: 'Erika Mustermann', address: 'erika@example.de' } }, 'a previous identity is not kept');
});
