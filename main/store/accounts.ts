/**
 * Accounts in SQLite. Every write validates again (the IPC layer already did, but the CLI
 * and other services call this directly), and names the offending field in the error.
 * Secrets are not here: see main/secrets.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AccountInputSchema, AccountPatchSchema, LearntCapabilitiesSchema, type Account, type AccountInput, type LearntCapabilities } from '../../shared/account.js';
import type { Database } from './database.js';
import { invalidAccount, storeError } from './errors.js';
import { maybe, num, optNum, optStr, str, type Row } from './rows.js';

/** An account as stored: everything but the keychain status. */
export type StoredAccount = Omit<Account, 'hasSecret' | 'secretStatus'>;

/** Outbox states in which a message still waits to go out (the account must stay). */
export const pendingOutboxStates = ['scheduled', 'waiting', 'queued', 'sending', 'deferred', 'unconfirmed'] as const;
/**
 * Outbox states of messages that did not go out and hold text the person wrote. Deleting the
 * account would delete them with it (ON DELETE CASCADE), so it is refused until the person
 * takes them back into the editor or deletes them in the outbox.
 */
export const unsentOutboxStates = ['failed', 'cancelled'] as const;

/** Settings-table key: ids of deleted accounts whose keychain entries still have to be removed. */
const SECRETS_TO_REMOVE_KEY = 'keychain.secretsToRemove';

export function parseOrInvalid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'account';
  throw invalidAccount(field, issue?.message ?? 'invalid');
}

function learntOf(row: Row): LearntCapabilities | undefined {
  const testedAt = optNum(row, 'tested_at');
  if (testedAt === null) return undefined;
  const size = optNum(row, 'size_limit');
  return { ...(size !== null && size > 0 ? { sizeLimit: size } : {}), eightBitMime: optNum(row, 'eight_bit_mime') === 1, smtpUtf8: optNum(row, 'smtp_utf8') === 1, testedAt };
}

function fromRow(row: Row): StoredAccount {
  const auth = optStr(row, 'auth_mechanism');
  const learnt = learntOf(row);
  return {
    id: str(row, 'id'),
    displayName: str(row, 'display_name'),
    address: str(row, 'address'),
    ...maybe('providerId', optStr(row, 'provider_id')),
    host: str(row, 'host'),
    port: num(row, 'port'),
    security: str(row, 'security') as StoredAccount['security'],
    ...(auth === null ? {} : { authMechanism: auth as NonNullable<StoredAccount['authMechanism']> }),
    ...maybe('username', optStr(row, 'username')),
    ...maybe('extraCaPem', optStr(row, 'extra_ca_pem')),
    ...(num(row, 'allow_insecure_auth_loopback') === 1 ? { allowInsecureAuthOnLoopback: true } : {}),
    ...maybe('signature', optStr(row, 'signature')),
    isDefault: num(row, 'is_default') === 1,
    createdAt: num(row, 'created_at'),
    updatedAt: num(row, 'updated_at'),
    ...(learnt ? { learnt } : {}),
  };
}

export interface AccountRepository {
  list(): StoredAccount[];
  get(id: string): StoredAccount | undefined;
  /** Like get, but a missing account is an `account.notFound` error. */
  require(id: string): StoredAccount;
  getDefault(): StoredAccount | undefined;
  /** The first account becomes the default. `id` lets the caller store the account's secret under it first. */
  create(input: unknown, id?: string): StoredAccount;
  update(id: string, patch: unknown): StoredAccount;
  setDefault(id: string): StoredAccount;
  /** Keeps what a successful connection test learnt about the server (replaces the previous facts). */
  recordCapabilities(id: string, learnt: LearntCapabilities): StoredAccount;
  /** Messages of this account still waiting in the outbox. */
  pendingMessageCount(id: string): number;
  /** Failed or cancelled messages of this account in the outbox. */
  unsentMessageCount(id: string): number;
  /**
   * Refuses while messages of this account wait in the outbox, or failed or cancelled ones are
   * still there; the send log keeps its entries. In the same transaction the account is put on
   * the list of keychain entries to remove, so a crash or a locked keychain cannot orphan them.
   */
  delete(id: string): void;
  /** Deleted accounts whose keychain entries have not been removed yet. */
  secretsToRemove(): string[];
  /** The keychain entries of this deleted account are gone. */
  secretsRemoved(id: string): void;
}

export function createAccountRepository(db: Database, clock: () => number = Date.now): AccountRepository {
  const sql = db.sql;
  const get = (id: string): StoredAccount | undefined =>
    db.guard(() => {
      const row = sql.prepare('SELECT * FROM accounts WHERE id = ?').get(id);
      return row ? fromRow(row) : undefined;
    });
  const require = (id: string): StoredAccount => {
    const account = get(id);
    if (!account) throw storeError('account.notFound', { id }, `no account with id ${id}`);
    return account;
  };
  const write = (id: string, a: AccountInput, isDefault: boolean, createdAt: number, updatedAt: number): void => {
    sql
      .prepare(
        `INSERT INTO accounts (id, display_name, address, provider_id, host, port, security, auth_mechanism, username,
           extra_ca_pem, allow_insecure_auth_loopback, signature, is_default, created_at, updated_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, address = excluded.address,
           provider_id = excluded.provider_id, host = excluded.host, port = excluded.port, security = excluded.security,
           auth_mechanism = excluded.auth_mechanism, username = excluded.username, extra_ca_pem = excluded.extra_ca_pem,
           allow_insecure_auth_loopback = excluded.allow_insecure_auth_loopback, signature = excluded.signature,
           updated_at = excluded.updated_at`,
      )
      .run(
        id, a.displayName, a.address, a.providerId ?? null, a.host, a.port, a.security, a.authMechanism ?? null,
        a.username ?? null, a.extraCaPem ?? null, a.allowInsecureAuthOnLoopback ? 1 : 0, a.signature ?? null,
        isDefault ? 1 : 0, createdAt, updatedAt,
      );
  };

  const countInStates = (id: string, states: readonly string[]): number =>
    db.guard(() => {
      const placeholders = states.map(() => '?').join(',');
      const row = sql.prepare(`SELECT count(*) AS n FROM outbox WHERE account_id = ? AND state IN (${placeholders})`).get(id, ...states);
      return row ? num(row, 'n') : 0;
    });
  const pendingMessageCount = (id: string): number => countInStates(id, pendingOutboxStates);
  const unsentMessageCount = (id: string): number => countInStates(id, unsentOutboxStates);

  const secretsToRemove = (): string[] =>
    db.guard(() => {
      const row = sql.prepare('SELECT value_json FROM settings WHERE key = ?').get(SECRETS_TO_REMOVE_KEY);
      const value: unknown = row ? JSON.parse(str(row, 'value_json')) : [];
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    });
  const writeSecretsToRemove = (ids: readonly string[]): void => {
    if (ids.length === 0) sql.prepare('DELETE FROM settings WHERE key = ?').run(SECRETS_TO_REMOVE_KEY);
    else {
      sql.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
        .run(SECRETS_TO_REMOVE_KEY, JSON.stringify(ids));
    }
  };

  return {
    list: () => db.guard(() => sql.prepare('SELECT * FROM accounts ORDER BY created_at, rowid').all().map(fromRow)),
    get,
    require,
    getDefault: () =>
      db.guard(() => {
        const row = sql.prepare('SELECT * FROM accounts WHERE is_default = 1').get();
        return row ? fromRow(row) : undefined;
      }),
    create: (input, id = randomUUID()) => {
      const a = parseOrInvalid(AccountInputSchema, input);
      return db.transaction(() => {
        // write() is an upsert (for update); a new account must never replace an existing one.
        if (sql.prepare('SELECT 1 FROM accounts WHERE id = ?').get(id) !== undefined) throw invalidAccount('id', 'an account with this id exists');
        const now = clock();
        const hasDefault = sql.prepare('SELECT 1 FROM accounts WHERE is_default = 1').get() !== undefined;
        write(id, a, !hasDefault, now, now);
        return require(id);
      });
    },
    update: (id, patchInput) => {
      const patch = parseOrInvalid(AccountPatchSchema, patchInput);
      return db.transaction(() => {
        const current = require(id);
        const { id: _id, isDefault, createdAt, updatedAt: _u, ...fields } = current;
        const merged: Record<string, unknown> = { ...fields };
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) delete merged[key];
          else if (value !== undefined) merged[key] = value;
        }
        const a = parseOrInvalid(AccountInputSchema, merged);
        write(id, a, isDefault, createdAt, Math.max(clock(), current.updatedAt));
        // Facts about another server are not facts about this one: the next test learns them again.
        if (a.host !== current.host || a.port !== current.port || a.security !== current.security) {
          sql.prepare('UPDATE accounts SET size_limit = NULL, eight_bit_mime = NULL, smtp_utf8 = NULL, tested_at = NULL WHERE id = ?').run(id);
        }
        return require(id);
      });
    },
    setDefault: (id) =>
      db.transaction(() => {
        require(id);
        sql.prepare('UPDATE accounts SET is_default = 0 WHERE is_default = 1 AND id <> ?').run(id);
        sql.prepare('UPDATE accounts SET is_default = 1 WHERE id = ?').run(id);
        return require(id);
      }),
    recordCapabilities: (id, input) => {
      const learnt = parseOrInvalid(LearntCapabilitiesSchema, input);
      return db.transaction(() => {
        require(id);
        sql.prepare('UPDATE accounts SET size_limit = ?, eight_bit_mime = ?, smtp_utf8 = ?, tested_at = ? WHERE id = ?')
          .run(learnt.sizeLimit ?? null, learnt.eightBitMime ? 1 : 0, learnt.smtpUtf8 ? 1 : 0, learnt.testedAt, id);
        return require(id);
      });
    },
    pendingMessageCount,
    unsentMessageCount,
    delete: (id) =>
      db.transaction(() => {
        const current = require(id);
        const n = pendingMessageCount(id);
        if (n > 0) throw storeError('account.hasPendingMessages', { id, count: n }, `${n} message(s) of this account still wait in the outbox`);
        const unsent = unsentMessageCount(id);
        if (unsent > 0) throw storeError('account.hasUnsentMessages', { id, count: unsent }, `${unsent} failed or cancelled message(s) of this account are still in the outbox`);
        sql.prepare('DELETE FROM accounts WHERE id = ?').run(id);
        const toRemove = secretsToRemove();
        if (!toRemove.includes(id)) writeSecretsToRemove([...toRemove, id]);
        if (current.isDefault) {
          sql.prepare('UPDATE accounts SET is_default = 1 WHERE id = (SELECT id FROM accounts ORDER BY created_at, rowid LIMIT 1)').run();
        }
      }),
    secretsToRemove,
    secretsRemoved: (id) =>
      db.transaction(() => {
        const toRemove = secretsToRemove();
        if (toRemove.includes(id)) writeSecretsToRemove(toRemove.filter((x) => x !== id));
      }),
  };
}
