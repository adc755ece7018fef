/** Autosaved drafts: the composer's draft as an opaque JSON object, plus when it changed. */
import { randomUUID } from 'node:crypto';
import type { Database } from './database.js';
import { storeError } from './errors.js';
import { json, num, optStr, str, type Row } from './rows.js';

export interface StoredDraft {
  id: string;
  accountId: string | null;
  draft: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fromRow = (row: Row): StoredDraft => ({
  id: str(row, 'id'),
  accountId: optStr(row, 'account_id'),
  draft: json(row, 'draft_json') as Record<string, unknown>,
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
});

export interface DraftRepository {
  /** Creates (no id) or replaces a draft; returns it as stored. */
  save(input: { id?: string; accountId?: string | null; draft: unknown }): StoredDraft;
  get(id: string): StoredDraft | undefined;
  /** Newest first. */
  list(limit?: number): StoredDraft[];
  delete(id: string): boolean;
}

export function createDraftRepository(db: Database, clock: () => number = Date.now): DraftRepository {
  const sql = db.sql;
  const get = (id: string): StoredDraft | undefined =>
    db.guard(() => {
      const row = sql.prepare('SELECT * FROM drafts WHERE id = ?').get(id);
      return row ? fromRow(row) : undefined;
    });
  return {
    save: ({ id, accountId, draft }) => {
      if (!isObject(draft)) throw storeError('draft.invalid', { field: 'draft' }, 'a draft must be a JSON object');
      const text = JSON.stringify(draft);
      return db.transaction(() => {
        const draftId = id ?? randomUUID();
        const now = clock();
        sql
          .prepare(
            `INSERT INTO drafts (id, account_id, draft_json, created_at, updated_at) VALUES (?,?,?,?,?)
             ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, draft_json = excluded.draft_json,
               updated_at = excluded.updated_at`,
          )
          .run(draftId, accountId ?? null, text, now, now);
        const saved = get(draftId);
        if (!saved) throw storeError('storage.failed', { file: db.file, reason: 'draft vanished after save' });
        return saved;
      });
    },
    get,
    list: (limit = 200) => db.guard(() => sql.prepare('SELECT * FROM drafts ORDER BY updated_at DESC LIMIT ?').all(limit).map(fromRow)),
    delete: (id) => db.guard(() => Number(sql.prepare('DELETE FROM drafts WHERE id = ?').run(id).changes) > 0),
  };
}
