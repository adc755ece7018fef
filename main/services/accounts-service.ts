/**
 * The accounts part of the contract: account rows in SQLite, their secrets in the
 * keychain. Handlers return accounts with `hasSecret`, never a secret. Connection tests
 * are delegated to the injected `testConnection` (the SMTP engine, wired by the lead).
 */
import type { Account, SecretKind } from '../../shared/account.js';
import type { accountMethods, TestConnectionResult } from '../../shared/contract/accounts.js';
import type { ServiceOf } from '../../shared/contract/define.js';
import type { SmtpSettings } from '../../shared/domain.js';
import { AppErrorSchema } from '../../shared/errors.js';
import { deleteAllSecrets, type SecretStore } from '../secrets/secret-store.js';
import { createAccountRepository, type StoredAccount } from '../store/accounts.js';
import type { Database } from '../store/database.js';
import { storeError } from '../store/errors.js';

export type TestConnection = (settings: SmtpSettings, password: string | undefined) => Promise<TestConnectionResult>;

export interface AccountsServiceDeps {
  db: Database;
  secrets: SecretStore;
  testConnection: TestConnection;
  /** Called with the full list after every change (for the 'accounts.changed' event). */
  onChanged?: (accounts: Account[]) => void;
  clock?: () => number;
}

export type AccountsService = ServiceOf<typeof accountMethods>;

export const smtpSettingsOf = (a: StoredAccount): SmtpSettings => ({
  host: a.host,
  port: a.port,
  security: a.security,
  ...(a.authMechanism ? { authMechanism: a.authMechanism } : {}),
  ...(a.username !== undefined ? { username: a.username } : {}),
  ...(a.extraCaPem !== undefined ? { extraCaPem: a.extraCaPem } : {}),
  ...(a.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
});

export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  const repo = createAccountRepository(deps.db, deps.clock);
  const { secrets } = deps;

  const withStatus = async (a: StoredAccount): Promise<Account> => ({
    ...a,
    hasSecret: (await secrets.has(a.id, 'password')) || (await secrets.has(a.id, 'oauth-refresh')),
  });
  const list = async (): Promise<Account[]> => {
    const out: Account[] = [];
    for (const a of repo.list()) out.push(await withStatus(a));
    return out;
  };
  const changed = async (): Promise<void> => {
    if (deps.onChanged) deps.onChanged(await list());
  };
  const one = async (id: string): Promise<Account> => withStatus(repo.require(id));

  return {
    'accounts.list': list,
    'accounts.create': async (input, password) => {
      const created = repo.create(input);
      if (password !== undefined) {
        try {
          await secrets.set(created.id, 'password', password);
        } catch (e) {
          // Keep create atomic: an account whose password could not be stored safely is not kept.
          repo.delete(created.id);
          throw e;
        }
      }
      await changed();
      return one(created.id);
    },
    'accounts.update': async (id, patch) => {
      repo.update(id, patch);
      await changed();
      return one(id);
    },
    'accounts.delete': async (id) => {
      repo.require(id);
      const pending = repo.pendingMessageCount(id);
      if (pending > 0) throw storeError('account.hasPendingMessages', { id, count: pending }, `${pending} message(s) still wait in the outbox`);
      // Secrets first: if the keychain refuses, the account stays, so its entries are not orphaned.
      await deleteAllSecrets(secrets, id);
      repo.delete(id);
      await changed();
      return null;
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
      const settings = request.settings ?? (account ? smtpSettingsOf(account) : undefined);
      if (!settings) throw storeError('account.invalid', { field: 'settings', reason: 'missing' }, 'no settings to test');
      const password =
        request.password ?? (account && settings.username !== undefined ? await secrets.get(account.id, 'password') : undefined);
      try {
        const result = await deps.testConnection(settings, password);
        return { ok: result.ok, ...(result.capabilities ? { capabilities: result.capabilities } : {}), ...(result.error ? { error: result.error } : {}) };
      } catch (e) {
        const parsed = AppErrorSchema.safeParse((e as { appError?: unknown } | null)?.appError);
        if (parsed.success) return { ok: false, error: parsed.data };
        throw e;
      }
    },
  };
}
