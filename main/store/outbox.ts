/**
 * Outbox rows: a message is written here before anything goes on the wire. State changes
 * go through `transition`, which checks (in one write transaction) that the row is still
 * in an expected state and that the move is legal — two workers cannot both take a message.
 */
import { randomUUID } from 'node:crypto';
import type { AppError } from '../../shared/errors.js';
import type { Database } from './database.js';
import { storeError } from './errors.js';
import { json, num, optNum, optStr, str, type Row } from './rows.js';

export const outboxStates = [
  'scheduled', 'waiting', 'queued', 'sending', 'sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed', 'cancelled',
] as const;
export type OutboxState = (typeof outboxStates)[number];

/** Which moves are legal. Terminal states (sent, sentWithWarnings, cancelled) lead nowhere. */
export const outboxTransitions: Readonly<Record<OutboxState, readonly OutboxState[]>> = {
  scheduled: ['waiting', 'queued', 'sending', 'cancelled'],
  waiting: ['scheduled', 'queued', 'sending', 'cancelled'],
  queued: ['scheduled', 'waiting', 'sending', 'cancelled', 'failed'],
  // sending → cancelled: the person stopped it before the final dot (it stays listed, never 'sent').
  sending: ['sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed', 'queued', 'cancelled'],
  deferred: ['scheduled', 'waiting', 'queued', 'sending', 'failed', 'cancelled'],
  failed: ['scheduled', 'queued', 'cancelled'],
  unconfirmed: ['queued', 'sent', 'failed', 'cancelled'],
  sent: [],
  sentWithWarnings: [],
  // A cancelled message can be sent again ("retry now") or brought back to the composer.
  cancelled: ['queued'],
};

export interface OutboxEnvelope {
  from: string;
  to: string[];
}

export interface OutboxEntry {
  id: string;
  accountId: string;
  state: OutboxState;
  draft: Record<string, unknown>;
  envelope: OutboxEnvelope;
  messageId: string | null;
  size: number | null;
  attachmentPaths: string[];
  nextAttemptAt: number | null;
  attemptCount: number;
  firstAttemptAt: number | null;
  lastError: AppError | null;
  /** Set when the whole body went out and the final reply was awaited: a crash after it means "may have been sent". */
  endOfDataAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewOutboxEntry {
  id?: string;
  accountId: string;
  state: OutboxState;
  draft: Record<string, unknown>;
  envelope: OutboxEnvelope;
  messageId?: string | null;
  size?: number | null;
  attachmentPaths?: string[];
  nextAttemptAt?: number | null;
}

/** Fields a transition may change; absent = keep, null = clear. */
export interface OutboxPatch {
  messageId?: string | null;
  size?: number | null;
  envelope?: OutboxEnvelope;
  draft?: Record<string, unknown>;
  attachmentPaths?: string[];
  nextAttemptAt?: number | null;
  attemptCount?: number;
  /** Adds one to attemptCount (and sets firstAttemptAt when still empty). */
  countAttempt?: boolean;
  firstAttemptAt?: number | null;
  lastError?: AppError | null;
  endOfDataAt?: number | null;
}

const fromRow = (row: Row): OutboxEntry => ({
  id: str(row, 'id'),
  accountId: str(row, 'account_id'),
  state: str(row, 'state') as OutboxState,
  draft: json(row, 'draft_json') as Record<string, unknown>,
  envelope: json(row, 'envelope_json') as OutboxEnvelope,
  messageId: optStr(row, 'message_id'),
  size: optNum(row, 'size'),
  attachmentPaths: json(row, 'attachment_paths_json') as string[],
  nextAttemptAt: optNum(row, 'next_attempt_at'),
  attemptCount: num(row, 'attempt_count'),
  firstAttemptAt: optNum(row, 'first_attempt_at'),
  lastError: json(row, 'last_error_json') as AppError | null,
  endOfDataAt: optNum(row, 'end_of_data_at'),
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
});

export interface OutboxRepository {
  create(input: NewOutboxEntry): OutboxEntry;
  get(id: string): OutboxEntry | undefined;
  list(filter?: { states?: readonly OutboxState[]; accountId?: string }): OutboxEntry[];
  /** Entries in one of `states` whose next attempt time has come (or is unset), oldest first. */
  due(now: number, states?: readonly OutboxState[], limit?: number): OutboxEntry[];
  /**
   * Moves an entry from one of `from` to `to`, applying `patch`, atomically (to = the current
   * state only applies the patch, e.g. the end-of-data mark while sending). Refuses with
   * `outbox.transitionRefused` when the entry is in another state (someone else moved it)
   * or the move is not legal, and with `outbox.notFound` when it does not exist.
   */
  transition(id: string, from: readonly OutboxState[], to: OutboxState, patch?: OutboxPatch): OutboxEntry;
  /** Removes an entry in a terminal state (sent, sentWithWarnings, failed, cancelled). */
  delete(id: string): void;
}

export function createOutboxRepository(db: Database, clock: () => number = Date.now): OutboxRepository {
  const sql = db.sql;
  const get = (id: string): OutboxEntry | undefined =>
    db.guard(() => {
      const row = sql.prepare('SELECT * FROM outbox WHERE id = ?').get(id);
      return row ? fromRow(row) : undefined;
    });
  const require = (id: string): OutboxEntry => {
    const e = get(id);
    if (!e) throw storeError('outbox.notFound', { id }, `no outbox entry ${id}`);
    return e;
  };
  const checkState = (s: string): OutboxState => {
    if (!(outboxStates as readonly string[]).includes(s)) throw storeError('outbox.invalid', { field: 'state', reason: s }, `unknown outbox state ${s}`);
    return s as OutboxState;
  };

  return {
    create: (input) =>
      db.transaction(() => {
        const id = input.id ?? randomUUID();
        const now = clock();
        checkState(input.state);
        sql
          .prepare(
            `INSERT INTO outbox (id, account_id, state, draft_json, envelope_json, message_id, size, attachment_paths_json,
               next_attempt_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
          )
          .run(
            id, input.accountId, input.state, JSON.stringify(input.draft), JSON.stringify(input.envelope), input.messageId ?? null,
            input.size ?? null, JSON.stringify(input.attachmentPaths ?? []), input.nextAttemptAt ?? null, now, now,
          );
        return require(id);
      }),
    get,
    list: (filter = {}) =>
      db.guard(() => {
        const where: string[] = [];
        const params: (string | number)[] = [];
        if (filter.states && filter.states.length > 0) {
          where.push(`state IN (${filter.states.map(() => '?').join(',')})`);
          params.push(...filter.states.map(checkState));
        }
        if (filter.accountId !== undefined) {
          where.push('account_id = ?');
          params.push(filter.accountId);
        }
        const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
        return sql.prepare(`SELECT * FROM outbox ${clause} ORDER BY created_at, rowid`).all(...params).map(fromRow);
      }),
    due: (now, states = ['scheduled', 'queued', 'deferred'], limit = 50) =>
      db.guard(() => {
        const list = states.map(checkState);
        return sql
          .prepare(
            `SELECT * FROM outbox WHERE state IN (${list.map(() => '?').join(',')})
               AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY next_attempt_at, created_at LIMIT ?`,
          )
          .all(...list, now, limit)
          .map(fromRow);
      }),
    transition: (id, from, to, patch = {}) =>
      db.transaction(() => {
        checkState(to);
        const current = require(id);
        if (!from.includes(current.state)) {
          throw storeError('outbox.transitionRefused', { id, state: current.state, to }, `entry ${id} is ${current.state}, expected ${from.join('|')}`);
        }
        if (to !== current.state && !outboxTransitions[current.state].includes(to)) {
          throw storeError('outbox.transitionRefused', { id, state: current.state, to }, `illegal move ${current.state} → ${to}`);
        }
        const now = clock();
        const next: OutboxEntry = { ...current, state: to, updatedAt: Math.max(now, current.updatedAt) };
        if (patch.messageId !== undefined) next.messageId = patch.messageId;
        if (patch.size !== undefined) next.size = patch.size;
        if (patch.envelope !== undefined) next.envelope = patch.envelope;
        if (patch.draft !== undefined) next.draft = patch.draft;
        if (patch.attachmentPaths !== undefined) next.attachmentPaths = patch.attachmentPaths;
        if (patch.nextAttemptAt !== undefined) next.nextAttemptAt = patch.nextAttemptAt;
        if (patch.attemptCount !== undefined) next.attemptCount = patch.attemptCount;
        if (patch.firstAttemptAt !== undefined) next.firstAttemptAt = patch.firstAttemptAt;
        if (patch.countAttempt) {
          next.attemptCount += 1;
          next.firstAttemptAt ??= now;
        }
        if (patch.lastError !== undefined) next.lastError = patch.lastError;
        if (patch.endOfDataAt !== undefined) next.endOfDataAt = patch.endOfDataAt;
        const changed = sql
          .prepare(
            `UPDATE outbox SET state = ?, message_id = ?, size = ?, envelope_json = ?, draft_json = ?, attachment_paths_json = ?,
               next_attempt_at = ?, attempt_count = ?, first_attempt_at = ?, last_error_json = ?, end_of_data_at = ?, updated_at = ?
             WHERE id = ? AND state = ?`,
          )
          .run(
            to, next.messageId, next.size, JSON.stringify(next.envelope), JSON.stringify(next.draft), JSON.stringify(next.attachmentPaths),
            next.nextAttemptAt, next.attemptCount, next.firstAttemptAt, next.lastError ? JSON.stringify(next.lastError) : null,
            next.endOfDataAt, next.updatedAt, id, current.state,
          ).changes;
        if (Number(changed) !== 1) throw storeError('outbox.transitionRefused', { id, state: current.state, to }, 'entry changed concurrently');
        return require(id);
      }),
    delete: (id) =>
      db.transaction(() => {
        const e = require(id);
        if (!['sent', 'sentWithWarnings', 'failed', 'cancelled'].includes(e.state)) {
          throw storeError('outbox.transitionRefused', { id, state: e.state, to: 'deleted' }, `entry ${id} is still ${e.state}`);
        }
        sql.prepare('DELETE FROM outbox WHERE id = ?').run(id);
      }),
  };
}
