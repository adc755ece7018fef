/** Outbox refusals as values: an OutboxError carries the AppError that crosses IPC unchanged. */
import type { AppError, FailureDetail } from '../../shared/errors.js';

export type OutboxErrorKind =
  | 'outbox.notFound'
  | 'outbox.undoTooLate'
  | 'outbox.partlyDelivered'
  | 'outbox.notCancellable'
  | 'outbox.notRetryable'
  | 'outbox.notUnconfirmed'
  | 'outbox.notDeletable'
  | 'outbox.attachmentMissing'
  | 'outbox.attachmentNotAllowed'
  | 'outbox.attachmentTooLarge'
  | 'outbox.invalidAttachment'
  | 'outbox.accountNotFound'
  | 'outbox.senderNotAllowed'
  | 'outbox.stopped';

export class OutboxError extends Error {
  readonly appError: AppError;
  constructor(kind: OutboxErrorKind, params: Record<string, string | number>, message: string, detail?: Partial<FailureDetail>) {
    super(message);
    this.name = 'OutboxError';
    this.appError = {
      kind,
      messageKey: `outbox.err.${kind.slice('outbox.'.length)}`,
      params,
      retryable: false,
      detail: { phase: 'storage', cause: 'outbox', message, ...detail },
    };
  }
}

/** Rethrows composer errors in the shape the dispatcher understands. */
export function asServiceError(e: unknown): unknown {
  if (e instanceof Error && e.name === 'ComposeError' && 'error' in e) {
    const err = new Error(e.message, { cause: e });
    return Object.assign(err, { appError: (e as unknown as { error: AppError }).error });
  }
  return e;
}
