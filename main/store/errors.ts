/**
 * Storage and account failures as values: a StoreError carries an AppError that crosses
 * IPC unchanged. SQLite's own error codes are translated here, so callers never see
 * "SQLITE_FULL" but "the disk is full" with the file it concerns.
 */
import type { AppError } from '../../shared/errors.js';

export class StoreError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError, options?: { cause?: unknown }) {
    super(`${appError.kind}: ${appError.detail?.message ?? appError.messageKey}`, options);
    this.name = 'StoreError';
    this.appError = appError;
  }
}

export const isStoreError = (e: unknown): e is StoreError => e instanceof StoreError;

export function storeError(
  kind: string,
  params: Record<string, string | number> = {},
  message = kind,
  extra: { retryable?: boolean; systemCode?: string; cause?: unknown } = {},
): StoreError {
  const appError: AppError = {
    kind,
    messageKey: `store.${kind}`,
    params,
    retryable: extra.retryable ?? false,
    detail: {
      phase: kind.startsWith('keychain.') ? 'keychain' : 'storage',
      cause: kind,
      message,
      ...(extra.systemCode ? { systemCode: extra.systemCode } : {}),
    },
  };
  return new StoreError(appError, { cause: extra.cause });
}

/** An invalid account field: names the field so the form can point at it. */
export const invalidAccount = (field: string, reason: string): StoreError =>
  storeError('account.invalid', { field, reason }, `invalid account field "${field}": ${reason}`);

interface SqliteErrorLike {
  code?: unknown;
  errcode?: unknown;
  errstr?: unknown;
  message?: unknown;
}

const primaryCode = (e: unknown): number | undefined => {
  const c = (e as SqliteErrorLike | null)?.errcode;
  return typeof c === 'number' ? c & 0xff : undefined;
};

const systemCodeOf = (e: unknown): string | undefined => {
  const c = (e as SqliteErrorLike | null)?.code;
  return typeof c === 'string' && c !== 'ERR_SQLITE_ERROR' ? c : undefined;
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** SQLite result codes and file-system errors → the storage kinds the catalogue explains. */
export function toStoreError(e: unknown, file: string): StoreError {
  if (isStoreError(e)) return e;
  const msg = messageOf(e);
  const sys = systemCodeOf(e);
  const code = primaryCode(e);
  const opts = { cause: e, ...(sys ? { systemCode: sys } : {}) };
  if (code === 13 || sys === 'ENOSPC' || sys === 'EDQUOT') return storeError('storage.diskFull', { file }, msg, opts);
  if (code === 8 || sys === 'EROFS' || sys === 'EACCES' || sys === 'EPERM') return storeError('storage.readOnly', { file }, msg, opts);
  // Damage met while working: nothing was moved or replaced (openDatabase sets a damaged file
  // aside at the next start), so this is not storage.damaged, whose text says where it went.
  if (code === 11 || code === 26) return storeError('storage.corrupt', { file }, msg, opts);
  if (code === 5 || code === 6) return storeError('storage.busy', { file }, msg, { ...opts, retryable: true });
  if (code === 14) return storeError('storage.cannotOpen', { file }, msg, opts);
  if (code === 10) return storeError('storage.io', { file }, msg, { ...opts, retryable: true });
  return storeError('storage.failed', { file, reason: msg }, msg, opts);
}

export const isCorruptionError = (e: unknown): boolean => {
  const c = primaryCode(e);
  return c === 11 || c === 26;
};
