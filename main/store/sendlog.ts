/**
 * The send log: append one entry per attempt; list newest first with keyset pagination
 * (`before` = the last row's time and id), filters and FTS5 search. The list reads only
 * summary columns; transcripts are loaded one entry at a time by `get`.
 */
import {
  NewSendLogEntrySchema, SendLogQuerySchema, sendLogCursorOf, type NewSendLogEntry, type SendLogEntry, type SendLogPage, type SendLogQuery,
  type SendLogStatus, type SendLogSummary,
} from '../../shared/sendlog.js';
import type { AppError } from '../../shared/errors.js';
import type { Database } from './database.js';
import { storeError } from './errors.js';
import { json, num, optNum, optStr, str, type Row } from './rows.js';

const summaryColumns =
  'id, time, account_id, outbox_id, envelope_from, recipients_json, subject, size, status, error_text, duration_ms';

const summaryFromRow = (row: Row): SendLogSummary => ({
  id: num(row, 'id'),
  time: num(row, 'time'),
  accountId: optStr(row, 'account_id'),
  outboxId: optStr(row, 'outbox_id'),
  envelopeFrom: str(row, 'envelope_from'),
  recipients: json(row, 'recipients_json') as string[],
  subject: str(row, 'subject'),
  size: optNum(row, 'size'),
  status: str(row, 'status') as SendLogStatus,
  errorText: optStr(row, 'error_text'),
  durationMs: optNum(row, 'duration_ms'),
});

const entryFromRow = (row: Row): SendLogEntry => ({
  ...summaryFromRow(row),
  results: json(row, 'results_json') as SendLogEntry['results'],
  tls: json(row, 'tls_json') as SendLogEntry['tls'],
  timings: json(row, 'timings_json') as SendLogEntry['timings'],
  transcript: json(row, 'transcript_json') as SendLogEntry['transcript'],
  explanation: json(row, 'explanation_json') as SendLogEntry['explanation'],
  error: json(row, 'error_json') as AppError | null,
});

/** Words of a user's search → an FTS5 query of quoted prefix terms (all must match). */
export function toFtsQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}]+/gu)?.slice(0, 16) ?? [];
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

export function decodeCursor(cursor: string): { time: number; id: number } {
  const m = /^(-?\d{1,16}):(\d{1,16})$/.exec(cursor);
  if (!m) throw storeError('log.invalidCursor', { cursor }, `malformed cursor "${cursor}"`);
  return { time: Number(m[1]), id: Number(m[2]) };
}

const ftsCondition = 'id IN (SELECT rowid FROM send_log_fts WHERE send_log_fts MATCH ?)';
const whereClause = (conditions: string[]): string => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

/** Above this many full-text matches, a search walks the time index instead of sorting all matches. */
const manyMatches = 1500;

const timeIndexFor = (byAccount: boolean, oneStatus: boolean): string =>
  `INDEXED BY ${byAccount ? (oneStatus ? 'send_log_account_status_time' : 'send_log_account_time') : oneStatus ? 'send_log_status_time' : 'send_log_time'}`;

export interface SendLogRepository {
  append(entry: NewSendLogEntry): number;
  get(id: number): SendLogEntry | undefined;
  list(query?: SendLogQuery): SendLogPage;
  count(): number;
}

export function createSendLogRepository(db: Database): SendLogRepository {
  const sql = db.sql;
  const insert = sql.prepare(
    `INSERT INTO send_log (time, account_id, outbox_id, envelope_from, recipients_json, recipients_text, subject, size, status,
       error_text, results_json, tls_json, timings_json, transcript_json, explanation_json, error_json, duration_ms)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const byId = sql.prepare('SELECT * FROM send_log WHERE id = ?');
  const countMatches = sql.prepare('SELECT count(*) AS n FROM send_log_fts WHERE send_log_fts MATCH ?');
  /**
   * Entries matching the filters (no cursor): the list's size, counted once with the first page.
   * Filters alone count over the same indexes the page uses; a search alone is the match count
   * already taken; a search with filters checks each match by rowid.
   */
  const countAll = (where: string[], params: (string | number)[], fts: string | null, matches: number | null): number => {
    if (fts !== null && where.length === 0 && matches !== null) return matches;
    const conditions = fts === null ? where : [...where, ftsCondition];
    return db.guard(() => num(sql.prepare(`SELECT count(*) AS n FROM send_log ${whereClause(conditions)}`).get(...params, ...(fts === null ? [] : [fts])) ?? { n: 0 }, 'n'));
  };
  return {
    append: (input) => {
      const parsed = NewSendLogEntrySchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw storeError('log.invalid', { field: issue?.path.map(String).join('.') ?? '', reason: issue?.message ?? '' }, parsed.error.message);
      }
      const e = parsed.data;
      return db.transaction(() =>
        Number(
          insert.run(
            e.time, e.accountId ?? null, e.outboxId ?? null, e.envelopeFrom, JSON.stringify(e.recipients), e.recipients.join(' '),
            e.subject, e.size ?? null, e.status, e.errorText ?? null, JSON.stringify(e.results ?? []),
            e.tls ? JSON.stringify(e.tls) : null, JSON.stringify(e.timings ?? {}), JSON.stringify(e.transcript ?? []),
            e.explanation ? JSON.stringify(e.explanation) : null, e.error ? JSON.stringify(e.error) : null, e.durationMs ?? null,
          ).lastInsertRowid,
        ),
      );
    },
    get: (id) =>
      db.guard(() => {
        const row = byId.get(id);
        return row ? entryFromRow(row) : undefined;
      }),
    count: () => db.guard(() => num(sql.prepare('SELECT count(*) AS n FROM send_log').get() ?? { n: 0 }, 'n')),
    list: (queryInput = {}) => {
      const parsed = SendLogQuerySchema.safeParse(queryInput);
      if (!parsed.success) throw storeError('log.invalidQuery', { reason: parsed.error.issues[0]?.message ?? '' }, parsed.error.message);
      const q = parsed.data;
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (q.status && q.status.length > 0) {
        where.push(`status IN (${q.status.map(() => '?').join(',')})`);
        params.push(...q.status);
      }
      if (q.accountId !== undefined) {
        where.push('account_id = ?');
        params.push(q.accountId);
      }
      if (q.from !== undefined) {
        where.push('time >= ?');
        params.push(q.from);
      }
      if (q.to !== undefined) {
        where.push('time < ?');
        params.push(q.to);
      }
      if (q.before !== undefined) {
        const c = decodeCursor(q.before);
        // Written so the time index gives a range (time <= t) and the tie-break is checked per row.
        where.push('time <= ? AND (time < ? OR id < ?)');
        params.push(c.time, c.time, c.id);
      }
      const fts = q.search === undefined ? null : toFtsQuery(q.search);
      let indexHint = '';
      let matches: number | null = null;
      if (fts !== null) {
        // SQLite's default plan looks up every match and sorts them: fine for rare words, slow
        // for a word in thousands of entries. Then walking a time-ordered index newest-first
        // and stopping at `limit` hits is faster, so count the matches (cheap) and choose.
        matches = db.guard(() => num(countMatches.get(fts) ?? { n: 0 }, 'n'));
        if (matches > manyMatches) indexHint = timeIndexFor(q.accountId !== undefined, q.status?.length === 1);
      }
      const all = fts === null ? where : [...where, ftsCondition];
      const allParams = fts === null ? params : [...params, fts];
      const rows = db.guard(() =>
        // OFFSET steps through the same index without reading the skipped rows: 100,000 deep in
        // about 2 ms (bench/store-sendlog.ts), so no second, oldest-first query is needed.
        sql.prepare(`SELECT ${summaryColumns} FROM send_log ${indexHint} ${whereClause(all)} ORDER BY time DESC, id DESC LIMIT ? OFFSET ?`).all(...allParams, q.limit + 1, q.offset ?? 0),
      );
      const entries = rows.slice(0, q.limit).map(summaryFromRow);
      const last = entries.at(-1);
      const page: SendLogPage = { entries, nextCursor: rows.length > q.limit && last ? sendLogCursorOf(last) : null };
      // The first page (no cursor or offset, so `where` holds the filters alone) carries the total.
      if (q.before === undefined && q.offset === undefined) page.total = rows.length <= q.limit ? entries.length : countAll(where, params, fts, matches);
      return page;
    },
  };
}
