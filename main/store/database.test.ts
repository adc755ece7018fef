import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE, migrate, openDatabase } from './database.js';
import { isStoreError, StoreError } from './errors.js';
import { latestVersion, migrations } from './migrations.js';
import { createAccountRepository } from './accounts.js';
import { createSendLogRepository } from './sendlog.js';
import { runChild, tempDataDir, tsNodeArgs } from './test-support.js';
import { skipUnless } from '../testing/environment.js';

const here = import.meta.dirname;

const schemaOf = (sql: DatabaseSync): string[] =>
  sql
    .prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS s FROM sqlite_schema ORDER BY type, name")
    .all()
    .map((r) => String(r.s));

function expectStoreError(fn: () => unknown, kind: string): StoreError {
  try {
    fn();
  } catch (e) {
    assert.ok(isStoreError(e), `expected a StoreError, got ${String(e)}`);
    assert.equal(e.appError.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected ${kind}`);
}

test('opening creates one WAL database in the data folder with foreign keys and the latest schema', (t) => {
  const dir = join(tempDataDir(t), 'nested', 'data');
  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.ok(existsSync(join(dir, DATABASE_FILE)));
  assert.equal(db.sql.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  assert.equal(db.sql.prepare('PRAGMA foreign_keys').get()?.foreign_keys, 1);
  // 2 = FULL: every commit (an enqueue, a cleared end-of-data mark) survives a power cut.
  assert.equal(db.sql.prepare('PRAGMA synchronous').get()?.synchronous, 2);
  assert.ok(Number(db.sql.prepare('PRAGMA busy_timeout').get()?.timeout) >= 1000);
  assert.equal(db.schemaVersion(), latestVersion());
  // Opening again is a no-op migration.
  db.close();
  const again = openDatabase(dir);
  assert.equal(again.schemaVersion(), latestVersion());
  again.close();
});

for (const step of migrations) {
  test(`migration ${step.version} (${step.name}) from empty and from version ${step.version - 1}`, (t) => {
    const dir = tempDataDir(t);
    const upTo = migrations.filter((m) => m.version <= step.version);
    const before = migrations.filter((m) => m.version < step.version);
    // From empty: all steps up to this one.
    const fresh = new DatabaseSync(join(dir, 'fresh.sqlite'));
    migrate(fresh, upTo, 'fresh');
    // From the previous version: build that, write data, then apply this step.
    const old = new DatabaseSync(join(dir, 'old.sqlite'));
    migrate(old, before, 'old');
    assert.equal(Number(old.prepare('PRAGMA user_version').get()?.user_version), step.version - 1);
    if (step.version > 1) {
      old.prepare(
        `INSERT INTO send_log (time, envelope_from, recipients_json, recipients_text, subject, status, error_text)
         VALUES (1, 'a@example.org', '["kunde@example.com"]', 'kunde@example.com', 'Rechnung März', 'failed', 'mailbox unavailable')`,
      ).run();
    }
    if (step.version === 3 || step.version === 4) {
      old.prepare(
        `INSERT INTO accounts (id, display_name, address, host, port, security, created_at, updated_at)
         VALUES ('a1', 'Anna', 'anna@example.org', 'smtp.example.org', 587, 'starttls', 1, 1)`,
      ).run();
    }
    migrate(old, upTo, 'old');
    assert.equal(Number(old.prepare('PRAGMA user_version').get()?.user_version), step.version);
    assert.deepEqual(schemaOf(old), schemaOf(fresh));
    if (step.version === 2) {
      // Rows written before the search index existed are found by it.
      const hits = old.prepare("SELECT rowid FROM send_log_fts WHERE send_log_fts MATCH 'rechnung'").all();
      assert.equal(hits.length, 1);
    }
    if (step.version === 3) {
      // An account from before has learnt nothing yet: the new columns are NULL, the rest is kept.
      const row = old.prepare('SELECT address, size_limit, eight_bit_mime, smtp_utf8, tested_at FROM accounts WHERE id = ?').get('a1');
      assert.deepEqual({ ...row }, { address: 'anna@example.org', size_limit: null, eight_bit_mime: null, smtp_utf8: null, tested_at: null });
    }
    if (step.version === 4) {
      // An account from before keeps its own sender and has no further identities yet …
      assert.equal(old.prepare('SELECT display_name FROM accounts WHERE id = ?').get('a1')?.display_name, 'Anna');
      assert.equal(Number(old.prepare('SELECT count(*) AS n FROM account_identities').get()?.n), 0);
      // … can get one, not twice the same (address and name, ignoring ASCII case), and loses them with the account.
      const add = old.prepare(`INSERT INTO account_identities (id, account_id, name, address, created_at, updated_at) VALUES (?, 'a1', ?, ?, 2, 2)`);
      add.run('i1', 'Anna (Support)', 'support@example.org');
      add.run('i2', 'Anna', 'support@example.org');
      assert.throws(() => add.run('i3', 'anna (support)', 'Support@Example.org'), /UNIQUE/);
      assert.throws(() => old.prepare(
        `INSERT INTO account_identities (id, account_id, name, address, created_at, updated_at) VALUES ('i4', 'gone', 'N', 'n@example.org', 2, 2)`).run(), /FOREIGN KEY/);
      old.prepare('DELETE FROM accounts WHERE id = ?').run('a1');
      assert.equal(Number(old.prepare('SELECT count(*) AS n FROM account_identities').get()?.n), 0, 'ON DELETE CASCADE');
    }
    fresh.close();
    old.close();
  });
}

test('a version 3 data folder with accounts opens migrated: each account keeps its own sender and can get identities', (t) => {
  const dir = tempDataDir(t);
  const raw = new DatabaseSync(join(dir, DATABASE_FILE));
  migrate(raw, migrations.filter((m) => m.version <= 3), 'v3');
  const account = raw.prepare(
    `INSERT INTO accounts (id, display_name, address, host, port, security, signature, is_default, created_at, updated_at)
     VALUES (?, ?, ?, 'smtp.example.org', 587, 'starttls', ?, ?, ?, 1)`,
  );
  account.run('a1', 'Anna', 'anna@example.org', '-- \nAnna', 1, 1);
  account.run('a2', 'Ben', 'ben@example.org', null, 0, 2);
  raw.close();

  const db = openDatabase(dir);
  t.after(() => db.close());
  assert.equal(db.schemaVersion(), latestVersion());
  const accounts = createAccountRepository(db, () => 5);
  assert.deepEqual(accounts.list().map((a) => [a.id, a.address, a.signature, a.identities]), [
    ['a1', 'anna@example.org', '-- \nAnna', []],
    ['a2', 'ben@example.org', undefined, []],
  ]);
  const withAlias = accounts.addIdentity('a1', { name: 'Anna (Vertrieb)', address: 'vertrieb@example.org', replyTo: 'team@example.org' });
  assert.deepEqual(withAlias.identities.map(({ id: _id, ...rest }) => rest), [{ name: 'Anna (Vertrieb)', address: 'vertrieb@example.org', replyTo: 'team@example.org' }]);
  assert.equal(withAlias.address, 'anna@example.org', 'the account\'s own sender is unchanged');
  assert.equal(withAlias.updatedAt, 5);
  assert.deepEqual(accounts.get('a2')?.identities, []);
});

test('a file that is not a database is moved aside, never overwritten, and a retry starts empty', (t) => {
  const dir = tempDataDir(t);
  const file = join(dir, DATABASE_FILE);
  const garbage = Buffer.from('this is not an SQLite database, but it is precious to someone'.repeat(100));
  writeFileSync(file, garbage);
  const err = expectStoreError(() => openDatabase(dir, { now: () => new Date('2026-01-02T03:04:05.678Z') }), 'storage.damaged');
  const movedTo = String(err.appError.params?.movedTo);
  assert.equal(movedTo, `${file}.damaged-2026-01-02T03-04-05-678Z`);
  assert.deepEqual(readFileSync(movedTo), garbage);
  assert.equal(existsSync(file), false);
  assert.equal(err.appError.messageKey, 'store.storage.damaged');
  const db = openDatabase(dir);
  assert.equal(db.schemaVersion(), latestVersion());
  db.close();
  assert.deepEqual(readFileSync(movedTo), garbage, 'the damaged copy is untouched');
});

test('a database with damaged pages is detected by the integrity check and set aside', (t) => {
  const dir = tempDataDir(t);
  const file = damagedDatabase(dir);
  const damagedBytes = readFileSync(file);
  const err = expectStoreError(() => openDatabase(dir), 'storage.damaged');
  const movedTo = String(err.appError.params?.movedTo);
  assert.ok(movedTo.startsWith(`${file}.damaged-`));
  assert.deepEqual(readFileSync(movedTo), damagedBytes);
  assert.equal(readdirSync(dir).filter((f) => f.includes('.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm')).length, 1);
});

/**
 * A send log of 400 entries, checkpointed, with 8 KiB scribbled over from the middle one of
 * the send log's own leaf pages (the header stays intact). Found by page number, not by the
 * file's middle: where that falls depends on every table the schema has.
 */
function damagedDatabase(dir: string): string {
  const db = openDatabase(dir);
  const log = createSendLogRepository(db);
  for (let i = 0; i < 400; i += 1) log.append({ time: i, envelopeFrom: 'a@example.org', recipients: [`r${i}@example.org`], subject: `subject ${i}`.repeat(5), status: 'sent' });
  db.sql.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const pageSize = Number(db.sql.prepare('PRAGMA page_size').get()?.page_size);
  const leaves = db.sql.prepare("SELECT pageno FROM dbstat WHERE name = 'send_log' AND pagetype = 'leaf' ORDER BY pageno").all().map((r) => Number(r.pageno));
  db.close();
  const page = leaves[Math.floor(leaves.length / 2)];
  assert.ok(page !== undefined && leaves.length > 4, `the send log fills several pages (${leaves.length})`);
  const file = join(dir, DATABASE_FILE);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, (page - 1) * pageSize);
  closeSync(fd);
  return file;
}

test('a damaged file that cannot be set aside is storage.damagedNotMoved and stays where it was, with its WAL', (t) => {
  const dir = tempDataDir(t);
  const file = damagedDatabase(dir);
  const damagedBytes = readFileSync(file);
  // Another Postbote process has the file open, so its WAL and shared-memory files exist.
  const other = new DatabaseSync(file);
  t.after(() => other.close());
  other.prepare('SELECT count(*) FROM sqlite_schema').get();
  assert.ok(existsSync(`${file}-wal`));
  // The WAL cannot follow the file: its target name is taken by a non-empty folder.
  const blocked = `${file}.damaged-2026-01-02T03-04-05-678Z-wal`;
  mkdirSync(blocked);
  writeFileSync(join(blocked, 'keep'), 'x');
  const err = expectStoreError(() => openDatabase(dir, { now: () => new Date('2026-01-02T03:04:05.678Z') }), 'storage.damagedNotMoved');
  assert.equal(err.appError.messageKey, 'store.storage.damagedNotMoved');
  assert.equal(err.appError.params?.file, file);
  assert.match(String(err.appError.params?.reason), /EISDIR|ENOTEMPTY|EEXIST/);
  assert.equal(err.appError.params?.movedTo, undefined, 'no place is claimed');
  assert.deepEqual(readFileSync(file), damagedBytes, 'the file is back where it was, unchanged');
  assert.ok(existsSync(`${file}-wal`) && existsSync(`${file}-shm`), 'and its companions with it');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.damaged-')), ['postbote.sqlite.damaged-2026-01-02T03-04-05-678Z-wal']);
});

test('damage met while working is storage.corrupt: nothing is moved and no place is claimed', (t) => {
  const dir = tempDataDir(t);
  const file = damagedDatabase(dir);
  // The start-up check passed earlier (skipped here); the damage shows up in a later query.
  const running = openDatabase(dir, { integrityCheck: false });
  t.after(() => running.close());
  const err = expectStoreError(() => running.guard(() => running.sql.prepare('SELECT count(*) AS n, sum(length(subject)) AS s FROM send_log').get()), 'storage.corrupt');
  assert.equal(err.appError.messageKey, 'store.storage.corrupt');
  assert.deepEqual(err.appError.params, { file });
  assert.ok(existsSync(file), 'the file stays where it is');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.damaged-')), []);
});

test('a database from a newer Postbote is refused and left unchanged', (t) => {
  const dir = tempDataDir(t);
  const db = openDatabase(dir);
  db.sql.exec(`PRAGMA user_version = ${latestVersion() + 5}`);
  db.close();
  const err = expectStoreError(() => openDatabase(dir), 'storage.tooNew');
  assert.equal(err.appError.params?.version, latestVersion() + 5);
  const raw = new DatabaseSync(join(dir, DATABASE_FILE));
  assert.equal(Number(raw.prepare('PRAGMA user_version').get()?.user_version), latestVersion() + 5);
  raw.close();
});

test('a read-only data folder gives storage.readOnly', async (t) => {
  const root = tempDataDir(t);
  const dir = join(root, 'ro');
  openDatabase(dir).close();
  chmodSync(dir, 0o555);
  chmodSync(join(dir, DATABASE_FILE), 0o444);
  t.after(() => {
    if (existsSync(dir)) chmodSync(dir, 0o755);
  });
  // root ignores permission bits, so the check runs as "nobody" when the tests run as root.
  const asRoot = process.getuid?.() === 0;
  const available = !asRoot || existsSync('/usr/bin/setpriv');
  if (skipUnless(t, available, 'running as root without setpriv to drop privileges')) return;
  chmodSync(root, 0o755);
  const node = [process.execPath, ...tsNodeArgs(join(here, 'fixtures', 'open-db.ts'), dir, 'write')];
  const [cmd, ...args] = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const r = await runChild(cmd!, args, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; error?: { kind: string; messageKey: string } };
  assert.equal(result.ok, false, r.stdout);
  assert.equal(result.error?.kind, 'storage.readOnly');
  assert.equal(result.error?.messageKey, 'store.storage.readOnly');
});

test('a full disk gives storage.diskFull and leaves earlier data intact', (t) => {
  const dir = tempDataDir(t);
  const db = openDatabase(dir);
  t.after(() => db.close());
  const log = createSendLogRepository(db);
  const first = log.append({ time: 1, envelopeFrom: 'a@example.org', recipients: ['b@example.org'], subject: 'kept', status: 'sent' });
  const pages = Number(db.sql.prepare('PRAGMA page_count').get()?.page_count);
  // SQLite reports SQLITE_FULL when the file may not grow: the same code a full disk gives.
  db.sql.exec(`PRAGMA max_page_count = ${pages}`);
  const big = 'x'.repeat(200_000);
  let err: unknown;
  try {
    log.append({ time: 2, envelopeFrom: 'a@example.org', recipients: ['b@example.org'], subject: big, status: 'sent' });
  } catch (e) {
    err = e;
  }
  assert.ok(isStoreError(err), String(err));
  assert.equal(err.appError.kind, 'storage.diskFull');
  assert.equal(log.count(), 1);
  assert.equal(log.get(first)?.subject, 'kept');
});

test('a folder that cannot be created gives a clear error', (t) => {
  const dir = tempDataDir(t);
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  const err = expectStoreError(() => openDatabase(join(blocker, 'data')), 'storage.failed');
  assert.match(String(err.appError.params?.reason), /ENOTDIR|not a directory/);
});

test('a second process writes at the same time; nothing is lost and nobody sees SQLITE_BUSY', async (t) => {
  const dir = tempDataDir(t);
  const db = openDatabase(dir);
  t.after(() => db.close());
  const log = createSendLogRepository(db);
  const n = 1500;
  let parentWrote = 0;
  const child = runChild(process.execPath, tsNodeArgs(join(here, 'fixtures', 'concurrent-writer.ts'), dir, String(n)), {
    timeoutMs: 90_000,
    onStdout: (chunk) => {
      if (chunk.includes('started') && parentWrote === 0) {
        for (let i = 0; i < n; i += 1) {
          log.append({ time: Date.now(), envelopeFrom: 'parent@example.org', recipients: ['p@example.org'], subject: `parent ${i}`, status: 'sent' });
          parentWrote += 1;
        }
      }
    },
  });
  const r = await child;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /done/);
  assert.equal(parentWrote, n);
  assert.equal(log.count(), 2 * n);
  const hits = log.list({ search: 'child', limit: 500 });
  assert.equal(hits.entries.length, 500);
});
