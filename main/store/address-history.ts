/** Who you wrote to, how often and when last: the source of address autocomplete. */
import type { Database } from './database.js';
import { num, optStr, str, type Row } from './rows.js';

export interface AddressSuggestion {
  address: string;
  name: string | null;
  useCount: number;
  lastUsedAt: number;
}

const fromRow = (row: Row): AddressSuggestion => ({
  address: str(row, 'address'),
  name: optStr(row, 'name'),
  useCount: num(row, 'use_count'),
  lastUsedAt: num(row, 'last_used_at'),
});

/** LIKE pattern for "starts with", with the wildcards of the input escaped. */
const prefixPattern = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface AddressHistoryRepository {
  /** Counts one use of each address (case-insensitive); a given name replaces the stored one. */
  record(entries: readonly { address: string; name?: string | null }[], at?: number): void;
  /** Addresses or names starting with `prefix` (case-insensitive), most used first. */
  suggest(prefix: string, limit?: number): AddressSuggestion[];
  forget(address: string): boolean;
}

export function createAddressHistoryRepository(db: Database, clock: () => number = Date.now): AddressHistoryRepository {
  const sql = db.sql;
  return {
    record: (entries, at = clock()) =>
      db.transaction(() => {
        const upsert = sql.prepare(
          `INSERT INTO address_history (address, name, use_count, last_used_at) VALUES (?, ?, 1, ?)
           ON CONFLICT(address) DO UPDATE SET use_count = use_count + 1,
             last_used_at = max(last_used_at, excluded.last_used_at), name = coalesce(excluded.name, name)`,
        );
        for (const e of entries) {
          const address = e.address.trim();
          if (address.length === 0 || address.length > 320) continue;
          const name = e.name?.trim() ? e.name.trim() : null;
          upsert.run(address, name, at);
        }
      }),
    suggest: (prefix, limit = 10) => {
      const p = prefix.trim();
      if (p.length === 0) return [];
      const pattern = prefixPattern(p);
      const n = Math.max(1, Math.min(100, limit));
      // Two index range scans (address and name, both NOCASE), merged and ranked.
      return db.guard(() =>
        sql
          .prepare(
            `SELECT * FROM (
               SELECT * FROM address_history WHERE address LIKE ? ESCAPE '\\'
               UNION
               SELECT * FROM address_history WHERE name LIKE ? ESCAPE '\\'
             ) ORDER BY use_count DESC, last_used_at DESC LIMIT ?`,
          )
          .all(pattern, pattern, n)
          .map(fromRow),
      );
    },
    forget: (address) => db.guard(() => Number(sql.prepare('DELETE FROM address_history WHERE address = ?').run(address.trim()).changes) > 0),
  };
}
