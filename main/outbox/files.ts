/**
 * The outbox's files in the data folder:
 *   outbox/<id>/          copies of the attachments of one entry (a snapshot taken at Send)
 *   outbox/.partial-<id>/ a snapshot being written; renamed into place when complete
 *   staging/<uuid>/<name> bytes uploaded by the renderer before Send
 * A snapshot directory without an outbox row is debris of an interrupted enqueue or delete
 * and is removed at start-up, so an enqueue either completes or leaves no trace.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { MAX_STAGED_ATTACHMENT_BYTES } from '../../shared/outbox.js';
import { OutboxError } from './errors.js';

export const outboxDirOf = (dataDir: string): string => join(dataDir, 'outbox');
export const stagingDirOf = (dataDir: string): string => join(dataDir, 'staging');
export const entryDirOf = (dataDir: string, id: string): string => join(outboxDirOf(dataDir), id);

/** A file name safe on every file system, keeping what a person would recognise. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    .replace(/[\x00-\x1f\x7f<>:"/\\|?*]/g, '_')
    .replace(/^\.+/, '_')
    .trim()
    .slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'attachment';
}

export function isInside(dir: string, path: string): boolean {
  const d = resolve(dir) + sep;
  return resolve(path).startsWith(d);
}

export interface SnapshotFile {
  source: string;
  target: string;
}

/** How a snapshot is made durable; tests replace it to see the order of the calls. */
export interface SnapshotSync {
  /** Flushes a file's bytes to the disk. */
  file(path: string): Promise<void>;
  /** Flushes a folder's entries (new names, renames) to the disk, where the platform can. */
  dir(path: string): Promise<void>;
}

/** Errors that mean "this platform or file system cannot fsync a folder", not "the disk failed". */
const dirSyncUnsupported = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF']);

export const diskSync: SnapshotSync = {
  async file(path) {
    // r+, not r: Windows flushes only handles opened for writing.
    const handle = await open(path, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async dir(path) {
    // Windows cannot open a folder as a file; NTFS journals its renames itself.
    if (process.platform === 'win32') return;
    let handle;
    try {
      handle = await open(path, 'r');
      await handle.sync();
    } catch (e) {
      if (!dirSyncUnsupported.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      await handle?.close();
    }
  },
};

/**
 * Copies `sources` into a fresh partial folder, then renames it to outbox/<id>. Returns the
 * snapshot path of each source. Anything missing or unreadable fails the whole snapshot,
 * which is removed again.
 *
 * The outbox row that points at these files is committed after this returns, durably
 * (synchronous=FULL); so the files are too: each copy is fsynced before the rename (else a
 * power cut could leave the renamed folder with empty or short files), and the folders after
 * it (else the rename itself could be lost while the row survives).
 */
export async function writeSnapshot(dataDir: string, id: string, sources: readonly string[], sync: SnapshotSync = diskSync): Promise<string[]> {
  const root = outboxDirOf(dataDir);
  const partial = join(root, `.partial-${id}`);
  const final = entryDirOf(dataDir, id);
  // The first folder mkdir had to create (outbox/ itself on the first enqueue), if any.
  const firstCreated = await mkdir(partial, { recursive: true });
  let renamed = false;
  try {
    const targets: string[] = [];
    for (const [i, source] of sources.entries()) {
      let info;
      try {
        info = await stat(source);
      } catch {
        throw new OutboxError('outbox.attachmentMissing', { file: basename(source) }, `attachment ${source} does not exist`);
      }
      if (!info.isFile()) throw new OutboxError('outbox.attachmentMissing', { file: basename(source) }, `attachment ${source} is not a file`);
      const name = `${String(i).padStart(3, '0')}-${safeFileName(basename(source))}`;
      await copyFile(source, join(partial, name), constants.COPYFILE_EXCL);
      await sync.file(join(partial, name));
      targets.push(join(final, name));
    }
    // An empty snapshot is referenced by nothing, so it needs no flushing (most messages have no attachments).
    if (sources.length > 0) await sync.dir(partial);
    await rename(partial, final);
    renamed = true;
    if (sources.length > 0) {
      // outbox/ now holds the new name; a folder mkdir created must also be recorded in its parent.
      const top = firstCreated !== undefined && firstCreated !== partial ? dirname(firstCreated) : root;
      for (let d = root; ; d = dirname(d)) {
        await sync.dir(d);
        if (d === top || dirname(d) === d) break;
      }
    }
    return targets;
  } catch (e) {
    await rm(renamed ? final : partial, { recursive: true, force: true });
    throw e;
  }
}

export async function removeEntryFiles(dataDir: string, id: string): Promise<void> {
  await rm(entryDirOf(dataDir, id), { recursive: true, force: true });
}

/** Removes snapshot folders not to be kept (older than minAgeMs). Returns the names removed. */
export async function collectDebris(dataDir: string, exists: (id: string) => boolean, now: number, minAgeMs: number): Promise<string[]> {
  const root = outboxDirOf(dataDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const id = name.startsWith('.partial-') ? null : name;
    if (id !== null && exists(id)) continue;
    const path = join(root, name);
    try {
      const info = await stat(path);
      if (now - info.mtimeMs < minAgeMs) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: the next start tries again.
    }
  }
  return removed;
}

/** Writes uploaded bytes into staging/<uuid>/<name>. */
export async function stageBytes(dataDir: string, name: string, dataBase64: string): Promise<{ path: string; size: number; name: string }> {
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(dataBase64)) {
    throw new OutboxError('outbox.invalidAttachment', { reason: 'base64' }, 'the attachment data is not base64');
  }
  const bytes = Buffer.from(dataBase64, 'base64');
  if (bytes.length > MAX_STAGED_ATTACHMENT_BYTES) {
    throw new OutboxError('outbox.attachmentTooLarge', { limit: MAX_STAGED_ATTACHMENT_BYTES, size: bytes.length }, 'attachment too large');
  }
  const safe = safeFileName(name);
  const dir = join(stagingDirOf(dataDir), randomUUID());
  await mkdir(dir, { recursive: true });
  const path = join(dir, safe);
  await writeFile(path, bytes, { flag: 'wx' });
  return { path, size: bytes.length, name: safe };
}

/** Removes staged uploads older than maxAgeMs (drafts hold their paths only for a while). */
export async function cleanStaging(dataDir: string, now: number, maxAgeMs: number): Promise<void> {
  const root = stagingDirOf(dataDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(root, name);
    try {
      const info = await stat(path);
      if (now - info.mtimeMs > maxAgeMs) await rm(path, { recursive: true, force: true });
    } catch {
      // Best effort.
    }
  }
}
