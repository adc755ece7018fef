/**
 * Accounts in SQLite, with their further sender identities (aliases). Every write validates
 * again (the IPC layer already did, but the CLI and other services call this directly), and
 * names the offending field in the error. Secrets are not here: see main/secrets.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  AccountInputSchema, AccountPatchSchema, IdentityInputSchema, IdentityPatchSchema, LearntCapabilitiesSchema, MAX_IDENTITIES_PER_ACCOUNT,
  checkIdentity, sameSender, type Account, type AccountInput, type CheckedIdentity, type Identity, type IdentityInput, type LearntCapabilities,
} from '../../shared/account.js';
import { senderLabel } from '../../shared/sender.js';
import type { Database } from './database.js';
import { invalidAccount, storeError, type StoreError } from './errors.js';
import { maybe, num, optNum, optStr, str, type Row } from './rows.js';

/** An account as stored: everything but the keychain status; its identities always read (none: empty). */
export type StoredAccount = Omit<Account, 'hasSecret' | 'secretStatus' | 'identities'> & { identities: Identity[] };

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

function identityFromRow(row: Row): Identity {
  return {
    id: str(row, 'id'),
    name: str(row, 'name'),
    address: str(row, 'address'),
    ...maybe('replyTo', optStr(row, 'reply_to')),
    ...maybe('signature', optStr(row, 'signature')),
  };
}

/** An identity's values refused: the field and the reason, worded by the catalogue (store.identity.*). */
function identityRefused(input: IdentityInput): CheckedIdentity {
  const checked = checkIdentity(input);
  if (checked.ok) return checked.value;
  const { kind, field, params } = checked.problem;
  throw storeError(kind, { field, ...params }, `identity field "${field}" refused: ${kind}`);
}

const duplicateSender = (field: string, sender: { name: string; address: string }): StoreError =>
  storeError('identity.duplicate', { field, sender: senderLabel(sender) }, `the account already has the sender ${senderLabel(sender)}`);

function fromRow(row: Row, identities: Identity[]): StoredAccount {
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
    identities,
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
  /**
   * A further sender for this account. Refused with a field-naming error when a value is not
   * valid, when the account already has a sender with this name and address (its own one
   * included), or when it has MAX_IDENTITIES_PER_ACCOUNT identities.
   */
  addIdentity(accountId: string, input: unknown): StoredAccount;
  /** Changes some fields of an identity (null clears reply-to or signature), with the same checks. */
  updateIdentity(accountId: string, identityId: string, patch: unknown): StoredAccount;
  /** Messages already queued keep the sender they were written with; drafts fall back to the account's own. */
  removeIdentity(accountId: string, identityId: string): StoredAccount;
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
  const identitiesOf = (accountId: string): Identity[] =>
    sql.prepare('SELECT * FROM account_identities WHERE account_id = ? ORDER BY created_at, rowid').all(accountId).map(identityFromRow);
  const withIdentities = (row: Row): StoredAccount => fromRow(row, identitiesOf(str(row, 'id')));
  const get = (id: string): StoredAccount | undefined =>
    db.guard(() => {
      const row = sql.prepare('SELECT * FROM accounts WHERE id = ?').get(id);
      return row ? withIdentities(row) : undefined;
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

  /** Refuses a sender that the account already has (its own, or another identity than `except`). */
  const assertNewSender = (account: StoredAccount, sender: { name: string; address: string }, field: string, except?: string): void => {
    const others = [{ name: account.displayName, address: account.address }, ...account.identities.filter((i) => i.id !== except)];
    if (others.some((o) => sameSender(o, sender))) throw duplicateSender(field, sender);
  };
  const identityOrNotFound = (account: StoredAccount, identityId: string): Identity => {
    const identity = account.identities.find((i) => i.id === identityId);
    if (!identity) throw storeError('identity.notFound', { id: identityId }, `account ${account.id} has no identity ${identityId}`);
    return identity;
  };
  /** An identity changed: the account changed too (its updatedAt never goes backwards). */
  const touchAccount = (account: StoredAccount, now: number): void => {
    sql.prepare('UPDATE accounts SET updated_at = ? WHERE id = ?').run(Math.max(now, account.updatedAt), account.id);
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
    list: () =>
      db.guard(() => {
        // Two queries for all accounts, not one per account: the list is read on every change.
        const byAccount = new Map<string, Identity[]>();
        for (const row of sql.prepare('SELECT * FROM account_identities ORDER BY created_at, rowid').all()) {
          const accountId = str(row, 'account_id');
          byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), identityFromRow(row)]);
        }
        return sql.prepare('SELECT * FROM accounts ORDER BY created_at, rowid').all().map((row) => fromRow(row, byAccount.get(str(row, 'id')) ?? []));
      }),
    get,
    require,
    getDefault: () =>
      db.guard(() => {
        const row = sql.prepare('SELECT * FROM accounts WHERE is_default = 1').get();
        return row ? withIdentities(row) : undefined;
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
        const { id: _id, isDefault, createdAt, updatedAt: _u, identities, ...fields } = current;
        const merged: Record<string, unknown> = { ...fields };
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) delete merged[key];
          else if (value !== undefined) merged[key] = value;
        }
        const a = parseOrInvalid(AccountInputSchema, merged);
        // The account's own sender must stay apart from its identities, as they are from each other.
        if (a.displayName !== current.displayName || a.address !== current.address) {
          const clash = identities.find((i) => sameSender(i, { name: a.displayName, address: a.address }));
          if (clash) throw duplicateSender(patch.address !== undefined ? 'address' : 'displayName', clash);
        }
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
    addIdentity: (accountId, input) => {
      const identity = identityRefused(parseOrInvalid(IdentityInputSchema, input));
      return db.transaction(() => {
        const account = require(accountId);
        if (account.identities.length >= MAX_IDENTITIES_PER_ACCOUNT) {
          throw storeError('identity.tooMany', { max: MAX_IDENTITIES_PER_ACCOUNT }, `account ${accountId} has ${account.identities.length} identities`);
        }
        assertNewSender(account, identity, 'address');
        const now = clock();
        sql.prepare(`INSERT INTO account_identities (id, account_id, name, address, reply_to, signature, created_at, updated_at)
          VALUES (?,?,?,?,?,?,?,?)`).run(randomUUID(), accountId, identity.name, identity.address, identity.replyTo ?? null, identity.signature ?? null, now, now);
        touchAccount(account, now);
        return require(accountId);
      });
    },
    updateIdentity: (accountId, identityId, patchInput) => {
      const patch = parseOrInvalid(IdentityPatchSchema, patchInput);
      return db.transaction(() => {
        const account = require(accountId);
        const current = identityOrNotFound(account, identityId);
        const replyTo = patch.replyTo === null ? undefined : patch.replyTo ?? current.replyTo;
        const signature = patch.signature === null ? undefined : patch.signature ?? current.signature;
        const identity = identityRefused({
          name: patch.name ?? current.name,
          address: patch.address ?? current.address,
          ...(replyTo !== undefined ? { replyTo } : {}),
          ...(signature !== undefined ? { signature } : {}),
        });
        assertNewSender(account, identity, 'address', identityId);
        const now = clock();
        sql.prepare('UPDATE account_identities SET name = ?, address = ?, reply_to = ?, signature = ?, updated_at = ? WHERE id = ? AND account_id = ?')
          .run(identity.name, identity.address, identity.replyTo ?? null, identity.signature ?? null, now, identityId, accountId);
        touchAccount(account, now);
        return require(accountId);
      });
    },
    removeIdentity: (accountId, identityId) =>
      db.transaction(() => {
        const account = require(accountId);
        identityOrNotFound(account, identityId);
        sql.prepare('DELETE FROM account_identities WHERE id = ? AND account_id = ?').run(identityId, accountId);
        touchAccount(account, clock());
        return require(accountId);
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
