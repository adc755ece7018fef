/**
 * Composer failures as values: a ComposeError carries an AppError (kind, catalogue key,
 * params naming the field and the reason) so the outbox, the IPC layer and the CLI can
 * pass it on unchanged. Nothing here reaches a person as a bare English string.
 */
import type { AppError } from '../../shared/errors.js';

export type ComposeErrorKind =
  | 'compose.headerInjection'
  | 'compose.invalidAddress'
  | 'compose.smtpUtf8Required'
  | 'compose.noRecipients'
  | 'compose.invalidHeader'
  | 'compose.invalidHeaderName'
  | 'compose.reservedHeader'
  | 'compose.invalidMessageId'
  | 'compose.invalidContentId'
  | 'compose.attachmentNotFound'
  | 'compose.attachmentNotAFile'
  | 'compose.attachmentChanged'
  | 'compose.invalidDraft'
  | 'compose.invalidMessage';

export type ComposeParams = Record<string, string | number>;

export class ComposeError extends Error {
  readonly error: AppError;
  /** `messageKey` words one kind more precisely (err.<kind>.<case>); default err.<kind>. */
  constructor(kind: ComposeErrorKind, params: ComposeParams, message: string, messageKey = `err.${kind}`) {
    super(message);
    this.name = 'ComposeError';
    this.error = {
      kind,
      messageKey,
      params,
      retryable: kind === 'compose.attachmentChanged' ? true : false,
      detail: { phase: 'compose', cause: 'input', message },
    };
  }
  get kind(): ComposeErrorKind {
    return this.error.kind as ComposeErrorKind;
  }
}

export const isComposeError = (e: unknown): e is ComposeError => e instanceof ComposeError;

/** Visible form of a control character for error texts (never echo a raw CR/LF). */
export const visible = (s: string, max = 80): string => {
  const shown = s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
};

/** Rejects CR or LF in anything that becomes a header: it would start a new header line. */
export function assertHeaderSafe(field: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new ComposeError('compose.headerInjection', { field, value: visible(value) }, `CR or LF in the ${field} header value`);
  }
}
