/**
 * The accounts part of the contract: account rows in SQLite, their secrets in the
 * keychain. Handlers return accounts with `hasSecret`, never a secret. Connection tests
 * are delegated to the injected `testConnection` (the SMTP engine, wired by the lead);
 * a failed test comes back explained (with the provider's hint), a successful one leaves
 * what the server offers on the account, where compose reads it.
 */
import { providerHintOf, smtpSettingsOf } from '../delivery/pipeline.js';
import type { Account, LearntCapabilities, SecretKind } from '../../shared/account.js';
import type { accountMethods, TestConnectionResult } from '../../shared/contract/accounts.js';
import type { ServiceOf } from '../../shared/contract/define.js';
import type { SmtpSettings } from '../../shared/domain.js';
import { AppErrorSchema, type AppError } from '../../shared/errors.js';
import type { Explanation } from '../../shared/explanation.js';
import { explainDeliveryError } from '../errors/explain.js';
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
      let created = repo.create(input);
      const tested = setupTests.get(serverKey(created));
      if (tested && now() - tested.testedAt <= SETUP_TEST_VALID_MS) {
        created = repo.recordCapabilities(created.id, tested);
        setupTests.delete(serverKey(created));
      }
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
