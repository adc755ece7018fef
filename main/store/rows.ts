/** Typed reads from node:sqlite rows (whose values are `SQLOutputValue`). */
import type { SQLOutputValue } from 'node:sqlite';

export type Row = Record<string, SQLOutputValue>;

export const str = (row: Row, col: string): string => {
  const v = row[col];
  if (typeof v !== 'string') throw new TypeError(`column ${col}: expected text, got ${typeof v}`);
  return v;
};
export const optStr = (row: Row, col: string): string | null => {
  const v = row[col];
  return v === null || v === undefined ? null : String(v);
};
export const num = (row: Row, col: string): number => {
  const v = row[col];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`column ${col}: expected integer, got ${typeof v}`);
};
export const optNum = (row: Row, col: string): number | null => {
  const v = row[col];
  return v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : Number(v);
};
export const json = (row: Row, col: string): unknown => {
  const v = optStr(row, col);
  return v === null ? null : (JSON.parse(v) as unknown);
};
/** Optional TEXT column → property that is absent when NULL (for zod `.optional()` fields). */
export const maybe = <K extends string>(key: K, value: string | null): Partial<Record<K, string>> =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, string>>;
