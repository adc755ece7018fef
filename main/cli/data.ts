/**
 * The app's data folder for the command line: the same database and keychain entries the
 * desktop app uses. Opened only by the commands that need it.
 */
import { mkdirSync } from 'node:fs';
import { KeytarSecretStore, type SecretStore } from '../secrets/index.js';
import { defaultDataDir } from '../services/index.js';
import { createRepositories, isStoreError, openDatabase, type Database, type Repositories, type StoredAccount } from '../store/index.js';
import { CliError, EX, usage } from './common.js';

export interface DataFolder {
  dir: string;
  db: Database;
  repos: Repositories;
  secrets: SecretStore;
  onlineIspLookup: boolean;
  close(): void;
}

export function dataDirOf(option: string | undefined, env: Record<string, string | undefined>): string {
  return option ?? defaultDataDir(env as NodeJS.ProcessEnv);
}

export function openData(dir: string): DataFolder {
  let db: Database;
  try {
    mkdirSync(dir, { recursive: true });
    db = openDatabase(dir);
  } catch (e) {
    if (isStoreError(e)) throw new CliError(EX.CONFIG, e.appError.messageKey, { ...e.appError.params, dir }, e.appError.kind);
    throw new CliError(EX.CONFIG, 'cli.data.unusable', { dir, reason: e instanceof Error ? e.message : String(e) }, 'config.dataDir');
  }
  const repos = createRepositories(db);
  // The app's setting (stored in the same database); a value that no longer validates falls back to the default.
  const { onlineIspLookup } = repos.settings.getSettings();
  return { dir, db, repos, secrets: new KeytarSecretStore(), onlineIspLookup, close: () => db.close() };
}

/**
 * An account by id, unique id prefix or address (case-insensitive); the default one when none
 * is named. adHocAllowed: the command also takes --host, so "no account" may suggest it.
 */
export function findAccount(repos: Repositories, ref: string | undefined, opts: { adHocAllowed?: boolean } = {}): StoredAccount {
  const all = repos.accounts.list();
  if (ref === undefined) {
    const d = repos.accounts.getDefault() ?? all[0];
    if (!d) throw new CliError(EX.CONFIG, opts.adHocAllowed ? 'cli.account.noneOrHost' : 'cli.account.none', {}, 'config.noAccount');
    return d;
  }
  const r = ref.trim().toLowerCase();
  const exact = all.find((a) => a.id.toLowerCase() === r) ?? all.filter((a) => a.address.toLowerCase() === r).sort((a, b) => Number(b.isDefault) - Number(a.isDefault))[0];
  if (exact) return exact;
  const byPrefix = r.length >= 4 ? all.filter((a) => a.id.toLowerCase().startsWith(r)) : [];
  if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
  if (byPrefix.length > 1) throw usage('cli.account.ambiguous', { ref });
  throw new CliError(EX.CONFIG, 'cli.account.notFound', { ref }, 'config.accountNotFound');
}
