import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diskSync, entryDirOf, outboxDirOf, writeSnapshot, type SnapshotSync } from './files.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'postbote-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Records each flush with what was on disk at that moment, so the order can be checked. */
function recordingSync(): { sync: SnapshotSync; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sync: {
      async file(path) {
        calls.push(`file ${path} (${readFileSync(path, 'utf8')})`);
      },
      async dir(path) {
        calls.push(`dir ${path} [${readdirSync(path).join(',')}]`);
      },
    },
  };
}

test('snapshot: each copy is flushed before the rename, the folders after it (outbox/ and, on first use, the data folder)', async (t) => {
  const dataDir = tempDir(t);
  const a = join(dataDir, 'a.pdf');
  const b = join(dataDir, 'b.txt');
  writeFileSync(a, 'AAAA');
  writeFileSync(b, 'BB');
  const { sync, calls } = recordingSync();
  const paths = await writeSnapshot(dataDir, 'e1', [a, b], sync);
  const root = outboxDirOf(dataDir);
  const partial = join(root, '.partial-e1');
  assert.deepEqual(calls, [
    `file ${join(partial, '000-a.pdf')} (AAAA)`,
    `file ${join(partial, '001-b.txt')} (BB)`,
    `dir ${partial} [000-a.pdf,001-b.txt]`,
    `dir ${root} [e1]`,
    // outbox/ was created by this enqueue: its own name lives in the data folder.
    `dir ${dataDir} [a.pdf,b.txt,outbox]`,
  ]);
  assert.deepEqual(paths, [join(entryDirOf(dataDir, 'e1'), '000-a.pdf'), join(entryDirOf(dataDir, 'e1'), '001-b.txt')]);

  // Later snapshots flush outbox/ only; a snapshot without files is referenced by nothing and costs no flush.
  calls.length = 0;
  await writeSnapshot(dataDir, 'e2', [a], sync);
  assert.deepEqual(calls.map((c) => c.split(' ')[0] + ' ' + (c.split(' ')[1] ?? '').replace(dataDir, '~')), [
    `file ~/outbox/.partial-e2/000-a.pdf`, `dir ~/outbox/.partial-e2`, `dir ~/outbox`,
  ]);
  calls.length = 0;
  await writeSnapshot(dataDir, 'e3', [], sync);
  assert.deepEqual(calls, []);
  assert.ok(existsSync(entryDirOf(dataDir, 'e3')));
});

test('snapshot: a failed flush after the rename removes the snapshot and reports the failure', async (t) => {
  const dataDir = tempDir(t);
  mkdirSync(outboxDirOf(dataDir));
  const a = join(dataDir, 'a.pdf');
  writeFileSync(a, 'AAAA');
  const failing: SnapshotSync = {
    file: diskSync.file,
    async dir(path) {
      if (path === outboxDirOf(dataDir)) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    },
  };
  await assert.rejects(writeSnapshot(dataDir, 'e1', [a], failing), /EIO/);
  assert.deepEqual(readdirSync(outboxDirOf(dataDir)), [], 'neither the partial nor the renamed folder is left');
});

test('snapshot: the real flushes run on this platform', async (t) => {
  const dataDir = tempDir(t);
  const a = join(dataDir, 'a.pdf');
  writeFileSync(a, 'AAAA');
  const [copy] = await writeSnapshot(dataDir, 'e1', [a]);
  assert.equal(readFileSync(copy ?? '', 'utf8'), 'AAAA');
  await diskSync.dir(dataDir);
  await assert.rejects(diskSync.file(join(dataDir, 'missing')), /ENOENT/);
});
