/**
 * Who a message is from: an account and one of its senders. Every account has its own name
 * and address as the default sender and may have further identities (aliases) that send
 * over the same server. The compose screen picks one; this module turns the choice into
 * what the message carries (From, Reply-To, envelope sender) and the signature to insert,
 * so the screen, the tests and any other caller resolve it the same way.
 */
import type { Account } from './account.js';
import type { MessageDraftInput } from './message.js';

/** What sender resolution needs of an account (a stored account or one from the contract). */
export type SenderAccount = Pick<Account, 'id' | 'displayName' | 'address' | 'signature' | 'identities'>;

export interface Sender {
  accountId: string;
  /** Absent for the account's own (default) sender. */
  identityId?: string;
  name: string;
  address: string;
  replyTo?: string;
  /** The signature to insert: the identity's, else the account's. */
  signature?: string;
}

const defaultSender = (account: SenderAccount): Sender => ({
  accountId: account.id,
  name: account.displayName,
  address: account.address,
  ...(account.signature !== undefined ? { signature: account.signature } : {}),
});

/** Every sender of the account, its own first, then its identities in the order they were added. */
export function sendersOf(account: SenderAccount): Sender[] {
  return [
    defaultSender(account),
    ...(account.identities ?? []).map((i): Sender => {
      const signature = i.signature ?? account.signature;
      return {
        accountId: account.id, identityId: i.id, name: i.name, address: i.address,
        ...(i.replyTo !== undefined ? { replyTo: i.replyTo } : {}),
        ...(signature !== undefined ? { signature } : {}),
      };
    }),
  ];
}

/**
 * The sender for an identity id; the account's own when the id is absent or names an identity
 * that is gone (removed after a draft chose it): the message still goes out from the account.
 */
export function senderOf(account: SenderAccount, identityId?: string | null): Sender {
  const all = sendersOf(account);
  return (identityId ? all.find((s) => s.identityId === identityId) : undefined) ?? defaultSender(account);
}

/**
 * "Name <address>" (the address alone without a name), as the From list and the identities
 * show a sender to a person: without the quotes a header would need around "Erika M.".
 */
export const senderLabel = (sender: Pick<Sender, 'name' | 'address'>): string =>
  (sender.name.trim() ? `${sender.name.trim()} <${sender.address}>` : sender.address);

const hasRecipients = (value: MessageDraftInput['replyTo']): boolean =>
  value !== undefined && (typeof value === 'string' ? value.trim() !== '' : value.length > 0);

/**
 * The message as it goes out from this sender: From carries the sender's name and address
 * (the composer makes its address the envelope's MAIL FROM), Reply-To the identity's reply
 * address unless the message names one itself.
 */
export function fromSender(message: Omit<MessageDraftInput, 'from'>, sender: Sender): MessageDraftInput {
  const { identityId: _previous, ...rest } = message;
  return {
    ...rest,
    from: { ...(sender.name.trim() ? { name: sender.name.trim() } : {}), address: sender.address },
    ...(sender.identityId !== undefined ? { identityId: sender.identityId } : {}),
    ...(!hasRecipients(message.replyTo) && sender.replyTo !== undefined ? { replyTo: [sender.replyTo] } : {}),
  };
}
