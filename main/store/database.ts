/**
 * The one database file (`postbote.sqlite`) in the data folder, shared by the app and the
 * CLI. Opening it checks the folder, detects a damaged file (which is moved aside, never
 * overwritten), turns on WAL, foreign keys and a busy timeout, and migrates the schema.
 */
import { DatabaseSync } from 'node:sqlite';
import { accessSync, constants, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isCorruptionError, storeError, toStoreError } from './errors.js';
import { latestVersion, migrations as defaultMigrations, type Migration } from './migrations.js';

export const DATABASE_FILE = 'postbote.sqlite';

export interface OpenDatabaseOptions {
  /** How long a writer waits for another process's lock (ms). */
  busyTimeoutMs?: number;
  /** Run `PRAGMA quick_check` on open (default true). */
  integrityCheck?: boolean;
  /** Schema steps to apply; tests pass a prefix to build older versions. */
  migrations?: readonly Migration[];
  /** Clock for the name of a set-aside damaged file. */
  now?: () => Date;
}

export interface Database {
  readonly sql: DatabaseSync;
  readonly file: string;
  readonly dataDir: string;
  /** Runs fn in a write transaction (BEGIN IMMEDIATE; a savepoint when nested). SQLite errors become StoreErrors. */
  transaction<T>(fn: () => T): T;
  /** Runs fn, turning SQLite errors into StoreErrors. */
  guard<T>(fn: () => T): T;
  schemaVersion(): number;
  close(): void;
}

const damagedName = (file: string, at: Date): string => `${file}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;

/** Moves the damaged file (and its WAL/SHM companions) aside; returns where it went. */
function setAside(file: string, at: Date): string {
  let target = damagedName(file, at);
  for (let n = 1; existsSync(target); n += 1) target = `${damagedName(file, at)}-${n}`;
  renameSync(file, target);
  const moved: string[] = [];
  try {
    for (const suffix of ['-wal', '-shm']) {
      if (!existsSync(file + suffix)) continue;
      renameSync(file + suffix, target + suffix);
      moved.push(suffix);
    }
  } catch (e) {
    // All or nothing: a file separated from its WAL would lose the WAL's pages, and the
    // message would wrongly say the database was set aside.
    for (const suffix of moved) renameSync(target + suffix, file + suffix);
    renameSync(target, file);
    throw e;
  }
  return target;
}

function checkFolder(dataDir: string, file: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw toStoreError(e, dataDir);
  }
  try {
    accessSync(dataDir, constants.W_OK | constants.R_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK | constants.R_OK);
  } catch (e) {
    throw toStoreError(e, existsSync(file) ? file : dataDir);
  }
  if (!statSync(dataDir).isDirectory()) throw storeError('storage.cannotOpen', { file: dataDir }, `${dataDir} is not a folder`);
}

export function migrate(sql: DatabaseSync, list: readonly Migration[], file: string): void {
  const target = latestVersion(list);
  const current = Number(sql.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (current > latestVersion(defaultMigrations) || current > target) {
    throw storeError('storage.tooNew', { file, version: current }, `database schema version ${current} is newer than this Postbote understands (${target})`);
  }
  for (const step of list) {
    if (step.version <= current) continue;
    sql.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while we waited for the lock.
      const now = Number(sql.prepare('PRAGMA user_version').get()?.user_version ?? 0);
      if (now < step.version) {
        step.up(sql);
        sql.exec(`PRAGMA user_version = ${step.version}`);
      }
      sql.exec('COMMIT');
    } catch (e) {
      sql.exec('ROLLBACK');
      throw e;
    }
  }
}

export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Database {
  const file = join(dataDir, DATABASE_FILE);
  checkFolder(dataDir, file);
  const existed = existsSync(file) && statSync(file).size > 0;
  // Damage found while opening: the file is set aside (storage.damaged names where), or, when
  // even that fails, reported as storage.damagedNotMoved — never as "moved" with no place.
  const damaged = (reason: string, cause?: unknown): never => {
    try {
      if (sql?.isOpen) sql.close();
    } catch {
      // The handle of a damaged file may already be unusable; the move below is what matters.
    }
    let movedTo: string;
    try {
      movedTo = setAside(file, (options.now ?? (() => new Date()))());
    } catch (moveError) {
      const why = moveError instanceof Error ? moveError.message : String(moveError);
      throw storeError('storage.damagedNotMoved', { file, reason: why }, `${reason}; could not move it aside: ${why}`, { cause });
    }
    throw storeError('storage.damaged', { file, movedTo }, reason, { cause });
  };
  let sql: DatabaseSync | undefined;
  try {
    sql = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  } catch (e) {
    if (isCorruptionError(e)) damaged(e instanceof Error ? e.message : String(e), e);
    throw toStoreError(e, file);
  }
  try {
    sql.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (existed && options.integrityCheck !== false) {
      const rows = sql.prepare('PRAGMA quick_check').all();
      const first = rows[0]?.quick_check;
      if (rows.length !== 1 || first !== 'ok') {
        damaged(`integrity check failed: ${rows.slice(0, 3).map((r) => String(r.quick_check)).join('; ')}`);
      }
    }
    const mode = sql.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode;
    if (mode !== 'wal') throw storeError('storage.readOnly', { file }, `could not switch to WAL (journal_mode=${String(mode)})`);
    // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a power cut may roll
    // back the last commits — a finished enqueue could vanish, or a cleared end-of-data mark
    // come back and the message be sent twice. The price is one fsync per commit: 0.3 ms
    // median on the CI VM's disk, a few ms under heavy I/O — still well inside a frame.
    sql.exec('PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL');
    migrate(sql, options.migrations ?? defaultMigrations, file);
  } catch (e) {
    if (isCorruptionError(e)) damaged(e instanceof Error ? e.message : String(e), e);
    try {
      sql.close();
    } catch {
      // Closing after a failed open is best effort; the original error is reported.
    }
    throw toStoreError(e, file);
  }

  let depth = 0;
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw toStoreError(e, file);
    }
  };
  const transaction = <T>(fn: () => T): T =>
    guard(() => {
      const savepoint = `sp${depth}`;
      sql.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
      depth += 1;
      try {
        const result = fn();
        depth -= 1;
        sql.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
        return result;
      } catch (e) {
        depth -= 1;
        if (depth === 0) {
          if (sql.isTransaction) sql.exec('ROLLBACK');
        } else {
          sql.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        }
        throw e;
      }
    });

  return {
    sql,
    file,
    dataDir,
    transaction,
    guard,
    schemaVersion: () => Number(sql.prepare('PRAGMA user_version').get()?.user_version ?? 0),
    close: () => {
      if (sql.isOpen) sql.close();
    },
  };
}
