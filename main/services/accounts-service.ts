/**
 * The accounts part of the contract: account rows in SQLite, their secrets in the
 * keychain. Handlers return accounts with `hasSecret`, never a secret. Connection tests
 * are delegated to the injected `testConnection` (the SMTP engine, wired by the lead);
 * a failed test comes back explained (with the provider's hint), a successful one leaves
 * what the server offers on the account, where compose reads it.
 *
 * Without a working keychain the accounts still list, edit and delete: the secret status is
 * then `unknown`, and keychain entries of a deleted account are removed when it works again.
 */
import { randomUUID } from 'node:crypto';
import { providerHintOf, smtpSettingsOf } from '../delivery/pipeline.js';
import { AccountInputSchema, type Account, type LearntCapabilities, type SecretKind } from '../../shared/account.js';
import type { accountMethods, TestConnectionResult } from '../../shared/contract/accounts.js';
import type { ServiceOf } from '../../shared/contract/define.js';
import type { SmtpSettings } from '../../shared/domain.js';
import { AppErrorSchema, type AppError } from '../../shared/errors.js';
import type { Explanation } from '../../shared/explanation.js';
import { explainDeliveryError } from '../errors/explain.js';
import { deleteAllSecrets, secretStatusOf, type SecretStatus, type SecretStore } from '../secrets/secret-store.js';
import { createAccountRepository, parseOrInvalid, type StoredAccount } from '../store/accounts.js';
import type { Database } from '../store/database.js';
import { isStoreError, storeError, type StoreError } from '../store/errors.js';

/** `password` is present whenever `settings.username` is (the service refuses to test without one). */
export type TestConnection = (settings: SmtpSettings, password: string | undefined) => Promise<TestConnectionResult>;

/**
 * An account with its keychain status: `secretStatus` tells "missing" from "could not ask the
 * keychain" (unknown); `hasSecret` is true only when a secret is known to be stored.
 */
export type AccountWithStatus = Account;

/** Something the person should be told after an operation that itself succeeded. */
export interface AccountsNotice {
  kind: 'keychain.secretsNotRemoved';
  messageKey: 'store.keychain.secretsNotRemoved';
  params: { address: string; reason: string };
}

export interface AccountsServiceDeps {
  db: Database;
  secrets: SecretStore;
  testConnection: TestConnection;
  /** Called with the full list after every change (for the 'accounts.changed' event). */
  onChanged?: (accounts: Account[]) => void;
  /** Told when an account was deleted but its keychain entries could not be removed yet. */
  onNotice?: (notice: AccountsNotice) => void;
  clock?: () => number;
}

export type AccountsService = ServiceOf<typeof accountMethods>;

/** No password to sign in with: none typed, none stored (an empty one would only earn "wrong password"). */
export const passwordMissing = (username: string): StoreError =>
  storeError('account.passwordMissing', { username }, `no password for ${username}: none stored, none typed`);

/**
 * Everything that decides who receives the password and how: the stored password is sent
 * only to the server, port, security, user name and trust anchors it was saved for, so a
 * caller (a compromised renderer) cannot point it at another host or at its own CA.
 */
export function sameDestination(a: SmtpSettings, b: SmtpSettings): boolean {
  return a.host.trim().toLowerCase() === b.host.trim().toLowerCase()
    && a.port === b.port
    && a.security === b.security
    && a.username === b.username
    && (a.extraCaPem ?? '') === (b.extraCaPem ?? '')
    && (a.allowInsecureAuthOnLoopback === true) === (b.allowInsecureAuthOnLoopback === true);
}

const reasonOf = (e: unknown): string => {
  const reason = isStoreError(e) ? e.appError.params?.reason : undefined;
  return reason !== undefined ? String(reason) : e instanceof Error ? e.message : String(e);
};

/** What compose needs from the engine's capabilities (loosely typed in the contract). */
export function learntFrom(capabilities: Record<string, unknown> | undefined, testedAt: number): LearntCapabilities {
  const size = capabilities?.size;
  return {
    ...(typeof size === 'number' && Number.isInteger(size) && size > 0 ? { sizeLimit: size } : {}),
    eightBitMime: capabilities?.eightBitMime === true,
    smtpUtf8: capabilities?.smtpUtf8 === true,
    testedAt,
  };
}

const serverKey = (s: Pick<SmtpSettings, 'host' | 'port' | 'security'>): string => `${s.host.toLowerCase()}:${s.port}:${s.security}`;
/** How long a test of unsaved settings (the set-up form) counts for the account created from them. */
const SETUP_TEST_VALID_MS = 15 * 60_000;

export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  const repo = createAccountRepository(deps.db, deps.clock);
  const { secrets } = deps;
  const now = deps.clock ?? Date.now;
  // The set-up form tests settings before the account exists; what that test learnt is
  // kept here (never the password) and stored when an account with those settings is created.
  const setupTests = new Map<string, LearntCapabilities>();

  const withStatus = (a: StoredAccount, secretStatus: SecretStatus): AccountWithStatus => ({ ...a, hasSecret: secretStatus === 'stored', secretStatus });

  /** Keychain entries of deleted accounts (see repo.delete): removed once the keychain answers again. */
  const removeLeftoverSecrets = async (): Promise<void> => {
    try {
      for (const id of repo.secretsToRemove()) {
        await deleteAllSecrets(secrets, id);
        repo.secretsRemoved(id);
      }
    } catch {
      // Still locked or gone: the list stays in the database for the next time.
    }
  };
  const list = async (): Promise<AccountWithStatus[]> => {
    const out: AccountWithStatus[] = [];
    let keychainAnswers = true;
    for (const a of repo.list()) {
      // One failed question is enough: asking a missing keychain again per account only waits longer.
      const status = keychainAnswers ? await secretStatusOf(secrets, a.id) : 'unknown';
      if (status === 'unknown') keychainAnswers = false;
      out.push(withStatus(a, status));
    }
    if (keychainAnswers) await removeLeftoverSecrets();
    return out;
  };
  const changed = async (): Promise<void> => {
    if (!deps.onChanged) return;
    try {
      deps.onChanged(await list());
    } catch {
      // The change itself is committed; failing it now would make the caller retry what already happened.
    }
  };
  const one = async (id: string): Promise<AccountWithStatus> => {
    const account = repo.require(id);
    return withStatus(account, await secretStatusOf(secrets, account.id));
  };

  return {
    'accounts.list': list,
    'accounts.create': async (input, password) => {
      // Invalid input is refused before the keychain is touched.
      const valid = parseOrInvalid(AccountInputSchema, input);
      const id = randomUUID();
      // The password first, then the row: if the keychain refuses, nothing was saved, so the
      // person can simply try again without getting the account twice.
      if (password !== undefined) await secrets.set(id, 'password', password);
      let created: StoredAccount;
      try {
        created = repo.create(valid, id);
      } catch (e) {
        // Best effort: the entry belongs to an id no account will ever have.
        if (password !== undefined) await secrets.delete(id, 'password').catch(() => false);
        throw e;
      }
      // From here on the account exists: nothing below may fail the call, or a retry would duplicate it.
      const tested = setupTests.get(serverKey(created));
      if (tested && now() - tested.testedAt <= SETUP_TEST_VALID_MS) {
        try {
          created = repo.recordCapabilities(created.id, tested);
          setupTests.delete(serverKey(created));
        } catch {
          // Only a head start for compose: the next connection test learns the same again.
        }
      }
      await changed();
      return withStatus(created, password !== undefined ? 'stored' : await secretStatusOf(secrets, created.id));
    },
    'accounts.update': async (id, patch) => {
      repo.update(id, patch);
      await changed();
      return one(id);
    },
    'accounts.delete': async (id) => {
      const account = repo.require(id);
      // Refused while messages wait or failed/cancelled ones remain. The same transaction puts
      // the account on the keychain to-do list, so a locked keychain cannot block the delete
      // and cannot orphan the entries either.
      repo.delete(id);
      let removed = false;
      try {
        await deleteAllSecrets(secrets, id);
        removed = true;
      } catch (e) {
        deps.onNotice?.({ kind: 'keychain.secretsNotRemoved', messageKey: 'store.keychain.secretsNotRemoved', params: { address: account.address, reason: reasonOf(e) } });
      }
      if (removed) {
        try {
          repo.secretsRemoved(id);
        } catch {
          // The next cleanup finds nothing to delete and clears the entry then.
        }
      }
      await changed();
      return null;
    },
    'accounts.addIdentity': async (id, identity) => {
      repo.addIdentity(id, identity);
      await changed();
      return one(id);
    },
    'accounts.updateIdentity': async (id, identityId, patch) => {
      repo.updateIdentity(id, identityId, patch);
      await changed();
      return one(id);
    },
    'accounts.removeIdentity': async (id, identityId) => {
      repo.removeIdentity(id, identityId);
      await changed();
      return one(id);
    },
    'accounts.setDefault': async (id) => {
      repo.setDefault(id);
      await changed();
      return one(id);
    },
    'accounts.setSecret': async (id, kind: SecretKind, secret) => {
      repo.require(id);
      await secrets.set(id, kind, secret);
      await changed();
      return one(id);
    },
    'accounts.deleteSecret': async (id, kind) => {
      repo.require(id);
      await secrets.delete(id, kind);
      await changed();
      return one(id);
    },
    'accounts.hasSecret': async (id, kind) => {
      repo.require(id);
      return secrets.has(id, kind);
    },
    'accounts.testConnection': async (request) => {
      const account = request.accountId !== undefined ? repo.require(request.accountId) : undefined;
      const saved = account ? smtpSettingsOf(account) : undefined;
      const settings = request.settings ?? saved;
      if (!settings) throw storeError('account.invalid', { field: 'settings', reason: 'missing' }, 'no settings to test');
      let password = request.password;
      if (password === undefined && settings.username !== undefined) {
        if (account && saved) {
          if (!sameDestination(settings, saved)) {
            throw storeError('account.passwordRequired', { host: settings.host }, 'the stored password is used only with the saved server settings; type one to test others');
          }
          password = await secrets.get(account.id, 'password');
        }
        if (password === undefined) throw passwordMissing(settings.username);
      }
      const provider = providerHintOf(request.providerId ?? account?.providerId, settings.host);
      const explained = (error: AppError): { error: AppError; explanation?: Explanation } => ({
        error,
        // Only engine failures carry the facts an explanation is made of; the rest (keychain,
        // invalid input) are already worded by their own catalogue key.
        ...(error.detail ? {
          explanation: explainDeliveryError({ detail: error.detail, mayHaveBeenDelivered: false },
            { ...(provider ? { provider } : {}), account: { host: settings.host, port: settings.port, security: settings.security } }),
        } : {}),
      });
      let result: Awaited<ReturnType<TestConnection>>;
      try {
        result = await deps.testConnection(settings, password);
      } catch (e) {
        const parsed = AppErrorSchema.safeParse((e as { appError?: unknown } | null)?.appError);
        if (parsed.success) return { ok: false, ...explained(parsed.data) };
        throw e;
      }
      if (result.ok) {
        const learnt = learntFrom(result.capabilities, now());
        if (account && serverKey(settings) === serverKey(account)) {
          repo.recordCapabilities(account.id, learnt);
          await changed();
        } else if (!account) {
          setupTests.set(serverKey(settings), learnt);
        }
      }
      return { ok: result.ok, ...(result.capabilities ? { capabilities: result.capabilities } : {}), ...(result.error ? explained(result.error) : {}) };
    },
  };
}
