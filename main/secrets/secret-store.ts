/**
 * Where passwords and OAuth tokens live: the operating system's keychain, one entry per
 * account and kind under the service "Postbote". Nothing here ever writes a secret to a
 * file, the database or a log; a backend that cannot store safely fails loudly.
 */
import type { SecretKind } from '../../shared/account.js';

export const SECRET_SERVICE = 'Postbote';
export const secretKinds: readonly SecretKind[] = ['password', 'oauth-refresh', 'oauth-access'];

/** The keychain "account" field: `<accountId>:<kind>`. */
export const secretKey = (accountId: string, kind: SecretKind): string => `${accountId}:${kind}`;

export interface SecretStore {
  /** A short label for Settings, e.g. "Secret Service (keytar)". */
  readonly backend: string;
  get(accountId: string, kind: SecretKind): Promise<string | undefined>;
  set(accountId: string, kind: SecretKind, secret: string): Promise<void>;
  /** Returns whether something was deleted. */
  delete(accountId: string, kind: SecretKind): Promise<boolean>;
  has(accountId: string, kind: SecretKind): Promise<boolean>;
}

/**
 * Whether an account can sign in with what the keychain holds: a password or OAuth refresh
 * token is `stored` or `missing`; `unknown` when the keychain could not be asked (no Secret
 * Service, locked, keytar not loadable). Never a reason to fail a listing.
 */
export type SecretStatus = 'stored' | 'missing' | 'unknown';

export async function secretStatusOf(store: SecretStore, accountId: string): Promise<SecretStatus> {
  try {
    return (await store.has(accountId, 'password')) || (await store.has(accountId, 'oauth-refresh')) ? 'stored' : 'missing';
  } catch {
    // The keychain says why when the person stores or uses a secret; a status only says "not known".
    return 'unknown';
  }
}

/** Removes every kind of secret of one account (when the account is deleted). */
export async function deleteAllSecrets(store: SecretStore, accountId: string): Promise<void> {
  for (const kind of secretKinds) await store.delete(accountId, kind);
}
