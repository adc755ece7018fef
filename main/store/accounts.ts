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
export type StoredAccount = Omit<Account, 'hasSecret'>;

/** Outbox states in which a message still waits to go out (the account must stay). */
export const pendingOutboxStates = ['scheduled', 'waiting', 'queued', 'sending', 'deferred', 'unconfirmed'] as const;

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
  /** The first account becomes the default. */
  create(input: unknown): StoredAccount;
  update(id: string, patch: unknown): StoredAccount;
  setDefault(id: string): StoredAccount;
  /** Keeps what a successful connection test learnt about the server (replaces the previous facts). */
  recordCapabilities(id: string, learnt: LearntCapabilities): StoredAccount;
  /** Messages of this account still waiting in the outbox. */
  pendingMessageCount(id: string): number;
  /** Refuses while messages of this account wait in the outbox; the send log keeps its entries. */
  delete(id: string): void;
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

  const pendingMessageCount = (id: string): number =>
    db.guard(() => {
      const placeholders = pendingOutboxStates.map(() => '?').join(',');
      const row = sql.prepare(`SELECT count(*) AS n FROM outbox WHERE account_id = ? AND state IN (${placeholders})`).get(id, ...pendingOutboxStates);
      return row ? num(row, 'n') : 0;
    });

  return {
    list: () => db.guard(() => sql.prepare('SELECT * FROM accounts ORDER BY created_at, rowid').all().map(fromRow)),
    get,
    require,
    getDefault: () =>
      db.guard(() => {
        const row = sql.prepare('SELECT * FROM accounts WHERE is_default = 1').get();
        return row ? fromRow(row) : undefined;
      }),
    create: (input) => {
      const a = parseOrInvalid(AccountInputSchema, input);
      return db.transaction(() => {
        const id = randomUUID();
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
    delete: (id) =>
      db.transaction(() => {
        const current = require(id);
        const n = pendingMessageCount(id);
        if (n > 0) throw storeError('account.hasPendingMessages', { id, count: n }, `${n} message(s) of this account still wait in the outbox`);
        sql.prepare('DELETE FROM accounts WHERE id = ?').run(id);
        if (current.isDefault) {
          sql.prepare('UPDATE accounts SET is_default = 1 WHERE id = (SELECT id FROM accounts ORDER BY created_at, rowid LIMIT 1)').run();
        }
      }),
  };
}
