/**
 * "Send this one message now", over a fresh session: the command line's entry to the
 * delivery pipeline (./pipeline.ts, which the outbox's attempts share). The message is
 * checked before any connection, then sent, logged and recorded as the pipeline does.
 * It never throws: every failure comes back as a value with its explanation.
 */
import type { ProviderHint, SmtpSettings } from '../../shared/domain.js';
import type { AppError, FailureDetail } from '../../shared/errors.js';
import { explanationToAppError, type Explanation } from '../../shared/explanation.js';
import type { MessageDraftInput } from '../../shared/message.js';
import type { SendLogStatus } from '../../shared/sendlog.js';
import { composeMessage, isComposeError, type ComposedMessage } from '../mime/index.js';
import {
  SmtpError, SmtpSession, type RecipientResult, type SmtpConnectOptions, type SmtpCredentials, type TlsInfo, type TranscriptEntry,
} from '../smtp/index.js';
import type { AddressHistoryRepository, SendLogRepository } from '../store/index.js';
import {
  appendSendLog, connectOptionsOf, errorOfExplanation, explainContextOf, explainFailure, failureOf, recordAddresses, successOf, transmit,
  type DeliveryChannel, type Outgoing,
} from './pipeline.js';

/** Where and as whom to send. */
export interface DeliveryTarget {
  settings: SmtpSettings;
  /** Needed when settings.username is set (a password or an access token). */
  credentials?: SmtpCredentials;
  /** The stored account, for the send log; null/absent for ad-hoc settings. */
  accountId?: string | null;
  /** Provider words for the explanation (Gmail app passwords …). */
  provider?: ProviderHint;
  /** Extra engine options: timeouts, client name, servername. */
  connect?: Partial<SmtpConnectOptions>;
  /**
   * What the account's last connection test learnt about the server's SMTPUTF8 (absent: not
   * known). When it is known to be missing, a message that needs it is refused before connecting.
   */
  knownSmtpUtf8?: boolean;
}

/** What to send: a draft the composer builds, or a finished RFC 5322 message (sendmail mode). */
export type DeliveryMessage =
  | { kind: 'draft'; draft: MessageDraftInput; messageIdDomain?: string }
  | {
    kind: 'raw';
    envelope: { from: string; to: string[] };
    /** CRLF-normalised message bytes (readRawMessage gives them). */
    body: Uint8Array;
    subject?: string;
    messageId?: string;
    /** Addresses need SMTPUTF8. */
    smtpUtf8?: boolean;
  };

export interface DeliveryDeps {
  sendLog?: SendLogRepository;
  addressHistory?: AddressHistoryRepository;
  now?: () => number;
  signal?: AbortSignal;
}

export type DeliveryStatus = Extract<SendLogStatus, 'sent' | 'sentWithWarnings' | 'deferred' | 'failed' | 'unconfirmed' | 'cancelled'>;

export interface DeliveryOutcome {
  /** Every recipient accepted and the message taken. */
  ok: boolean;
  status: DeliveryStatus;
  envelope: { from: string; to: string[] };
  subject: string;
  accepted: string[];
  rejected: RecipientResult[];
  /** Accepted and refused recipients in envelope order (when RCPT happened). */
  results: RecipientResult[];
  messageId: string | null;
  queueId: string | null;
  size: number | null;
  tls: TlsInfo | null;
  authMechanism: string | null;
  durationMs: number;
  timings: Record<string, number>;
  transcript: TranscriptEntry[];
  /** A failure, or a partial success (some recipients refused); null when all went well. */
  explanation: Explanation | null;
  /** The failure as an AppError (composer errors keep their own kind, e.g. compose.invalidAddress). */
  error: AppError | null;
  /** The technical facts of a failure. */
  failure: { detail: FailureDetail; mayHaveBeenDelivered: boolean } | null;
  /** The message was refused before any connection (bad input): nothing went on the wire. */
  inputError: boolean;
  /** Id of the send-log entry written, if a log was given. */
  logId: number | null;
}

function statusOfFailure(expl: Explanation, mayHaveBeenDelivered: boolean): DeliveryStatus {
  if (mayHaveBeenDelivered) return 'unconfirmed';
  if (expl.kind === 'cancelled') return 'cancelled';
  return expl.retryable && !expl.permanent ? 'deferred' : 'failed';
}

/** Sends one message now over a fresh session. Never throws. */
export async function deliverNow(target: DeliveryTarget, message: DeliveryMessage, deps: DeliveryDeps = {}): Promise<DeliveryOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  const t0 = performance.now();
  const transcript: TranscriptEntry[] = [];
  const s = target.settings;
  let composed: ComposedMessage | null = null;
  let envelope: { from: string; to: string[] } = message.kind === 'raw' ? message.envelope : { from: '', to: [] };
  let subject = message.kind === 'raw' ? message.subject ?? '' : '';
  let messageId: string | null = message.kind === 'raw' ? message.messageId ?? null : null;
  let size: number | null = message.kind === 'raw' ? message.body.length : null;
  let tls: TlsInfo | null = null;
  let authMechanism: string | null = null;
  let timings: Record<string, number> = {};

  const base = (): Pick<DeliveryOutcome, 'envelope' | 'subject' | 'messageId' | 'size' | 'tls' | 'authMechanism' | 'transcript'> =>
    ({ envelope, subject, messageId, size, tls, authMechanism, transcript });

  const ctx = explainContextOf(s, target.provider);
  const log = (o: Omit<DeliveryOutcome, 'logId'>): number | null => appendSendLog(deps.sendLog, {
    time: started, accountId: target.accountId ?? null, outboxId: null, envelope: o.envelope, subject: o.subject, size: o.size,
    status: o.status, explanation: o.explanation, error: o.error, results: o.results, tls: o.tls, timings: o.timings,
    transcript: o.transcript, durationMs: o.durationMs,
  });

  const fail = (err: unknown, inputError: boolean): DeliveryOutcome => {
    const f = failureOf(err);
    const explanation = explainFailure(err, f, ctx);
    const status = statusOfFailure(explanation, f.mayHaveBeenDelivered);
    const o: Omit<DeliveryOutcome, 'logId'> = {
      ...base(), ok: false, status, accepted: [], rejected: f.results, results: f.results,
      queueId: null, durationMs: performance.now() - t0, timings,
      explanation, error: f.appError ?? explanationToAppError(explanation),
      failure: { detail: f.detail, mayHaveBeenDelivered: f.mayHaveBeenDelivered }, inputError,
    };
    // Bad input never reached a server: it is not a delivery attempt, so it is not logged.
    return { ...o, logId: inputError ? null : log(o) };
  };

  // 1. The message is checked before any connection: bad input sends nothing.
  const date = new Date(started);
  const idDomain = message.kind === 'draft' && message.messageIdDomain ? { messageIdDomain: message.messageIdDomain } : {};
  if (message.kind === 'draft') {
    try {
      composed = await composeMessage(message.draft, { eightBitMime: false, smtpUtf8: target.knownSmtpUtf8 ?? true, now: date, ...idDomain });
      envelope = composed.envelope;
      subject = composed.headers.subject;
      messageId = composed.messageId;
      size = composed.size;
    } catch (e) {
      return fail(e, true);
    }
  } else if (message.envelope.to.length === 0) {
    return fail(SmtpError.of('input', 'input', 'the message names no recipient'), true);
  }

  // 2. A fresh session (TLS, EHLO, AUTH), then compose with the server's extensions and send.
  let session: SmtpSession | undefined;
  const channel: DeliveryChannel = {
    open: async () => {
      session = await SmtpSession.open({
        ...connectOptionsOf(s),
        ...target.connect,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onTranscript: (e) => { transcript.push(e); target.connect?.onTranscript?.(e); },
      });
      tls = session.info.tls;
      if (s.username !== undefined && !target.credentials) {
        throw new SmtpError({ phase: 'keychain', cause: 'keychain', message: 'no password is stored for this account' });
      }
      return session.info;
    },
    // One message per session: AUTH goes out with the transaction, a round trip sooner
    // (sendAuthenticated says when and why that is safe).
    send: async (m) => {
      if (!session) throw SmtpError.of('internal', 'protocol', 'no session');
      const result = s.username !== undefined && target.credentials
        ? await session.sendAuthenticated(target.credentials, m, s.authMechanism ? { mechanism: s.authMechanism } : {})
        : await session.send(m);
      return { ...result, session: session.info };
    },
  };
  const outgoing: Outgoing | null = message.kind === 'raw'
    ? { kind: 'raw', envelope: message.envelope, body: message.body, ...(message.messageId ? { messageId: message.messageId } : {}), ...(message.smtpUtf8 ? { smtpUtf8: true } : {}) }
    : composed ? { kind: 'draft', draft: message.draft, compose: { now: date, messageId: composed.messageId, ...idDomain } } : null;
  try {
    if (!outgoing) throw SmtpError.of('internal', 'input', 'nothing to send');
    const { result } = await transmit(channel, outgoing, {
      ...(deps.signal ? { signal: deps.signal } : {}),
      onComposed: (c) => { size = c.size; },
    });
    const info = result.session;
    tls = info.tls;
    authMechanism = info.authMechanism;
    timings = { ...info.timings, ...result.timings };
    // Delivered once the final reply is in; QUIT need not hold anyone up.
    const closing = session;
    if (closing) void closing.quit().catch(() => closing.close());
    const success = successOf(result, ctx);
    const o: Omit<DeliveryOutcome, 'logId'> = {
      ...base(), ok: success.status === 'sent', status: success.status,
      accepted: result.accepted, rejected: result.rejected, results: result.recipients,
      messageId: result.messageId ?? messageId, queueId: result.queueId ?? null,
      durationMs: performance.now() - t0, timings, explanation: success.explanation,
      error: errorOfExplanation(success.explanation), failure: null, inputError: false,
    };
    const logId = log(o);
    recordAddresses(deps.addressHistory, result.accepted, message.kind === 'draft' ? message.draft : null, now());
    return { ...o, logId };
  } catch (e) {
    const open: SmtpSession | undefined = session;
    if (open) {
      const info = open.info;
      tls = info.tls ?? tls;
      authMechanism = info.authMechanism;
      timings = info.timings;
      open.close();
    }
    return fail(e, isComposeError(e) && open === undefined);
  }
}
