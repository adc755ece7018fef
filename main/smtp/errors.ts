/**
 * The engine's one error type. Every failure leaves the engine as an SmtpError whose
 * `detail` is the shared FailureDetail the error explainer reads.
 */
import type { DeliveryPhase, FailureDetail } from '../../shared/errors.js';
import type { RecipientResult, SmtpErrorShape } from './types.js';
import type { SmtpReply } from './reply-parser.js';

export type SmtpErrorCause =
  | 'reply' // the server said no
  | 'timeout'
  | 'network' // socket error / closed
  | 'tls' // handshake or certificate
  | 'protocol' // unparseable or unexpected server behaviour
  | 'security' // a policy we refuse to break (TLS required, injection, plaintext auth)
  | 'cancelled'
  | 'size-limit'
  | 'auth-unsupported'
  | 'unsupported' // the message needs an extension the server lacks
  | 'input'; // caller gave us something unusable

export class SmtpError extends Error implements SmtpErrorShape {
  readonly detail: FailureDetail;
  readonly mayHaveBeenDelivered: boolean;
  readonly recipientResults?: readonly RecipientResult[];

  constructor(detail: FailureDetail, opts: { mayHaveBeenDelivered?: boolean; cause?: unknown; recipientResults?: readonly RecipientResult[] } = {}) {
    super(detail.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SmtpError';
    this.detail = detail;
    this.mayHaveBeenDelivered = opts.mayHaveBeenDelivered ?? false;
    if (opts.recipientResults) this.recipientResults = opts.recipientResults.map((r) => ({ ...r }));
  }

  get phase(): DeliveryPhase {
    return this.detail.phase;
  }

  /** Same error, marked as possibly delivered (the final reply never came). */
  withMayHaveBeenDelivered(): SmtpError {
    return new SmtpError({ ...this.detail, message: `${this.detail.message} (after the whole message was sent: it may have been delivered)` }, {
      mayHaveBeenDelivered: true, cause: this, ...(this.recipientResults ? { recipientResults: this.recipientResults } : {}),
    });
  }

  static fromReply(phase: DeliveryPhase, reply: SmtpReply, what: string, extra: Partial<FailureDetail> = {}): SmtpError {
    const detail: FailureDetail = {
      phase,
      cause: 'reply',
      code: reply.code,
      serverText: reply.message,
      message: `${what}: server replied ${reply.code}${reply.enhancedCode ? ` ${reply.enhancedCode}` : ''} ${firstLine(reply.message)}`.trim(),
      ...extra,
    };
    if (reply.enhancedCode) detail.enhancedCode = reply.enhancedCode;
    return new SmtpError(detail);
  }

  static of(phase: DeliveryPhase, cause: SmtpErrorCause, message: string, extra: Partial<FailureDetail> = {}, errCause?: unknown): SmtpError {
    return new SmtpError({ phase, cause, message, ...extra }, { cause: errCause });
  }
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : `${s.slice(0, nl)} …`;
}

export function isSmtpError(e: unknown): e is SmtpError {
  return e instanceof SmtpError;
}

/** Node system error code, if the thing is one (ECONNREFUSED, CERT_HAS_EXPIRED, …). */
export function systemCodeOf(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
