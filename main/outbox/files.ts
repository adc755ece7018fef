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
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
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

/**
 * Copies `sources` into a fresh partial folder, then renames it to outbox/<id>. Returns the
 * snapshot path of each source. Anything missing or unreadable fails the whole snapshot,
 * which is removed again.
 */
export async function writeSnapshot(dataDir: string, id: string, sources: readonly string[]): Promise<string[]> {
  const root = outboxDirOf(dataDir);
  const partial = join(root, `.partial-${id}`);
  const final = entryDirOf(dataDir, id);
  await mkdir(partial, { recursive: true });
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
      targets.push(join(final, name));
    }
    await rename(partial, final);
    return targets;
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
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
