/**
 * "Send this one message now": the pipeline the command line uses, and the outbox can
 * reuse for its attempt. Settings + credentials → check the message before any connection
 * → open a session (TLS, EHLO) → compose with what the server offers (8BITMIME,
 * SMTPUTF8) → AUTH → send (the engine does the SIZE pre-check) → per-recipient results →
 * one send-log entry with transcript, TLS facts, timings and the explanation → address
 * history. It never throws: every failure comes back as a value with its explanation.
 */
import type { ProviderHint, SmtpSettings } from '../../shared/domain.js';
import type { AppError, FailureDetail } from '../../shared/errors.js';
import { explanationToAppError, type Explanation } from '../../shared/explanation.js';
import type { MessageDraftInput } from '../../shared/message.js';
import type { SendLogStatus } from '../../shared/sendlog.js';
import { explainDeliveryError, explainPartialSuccess, type ExplainContext } from '../errors/explain.js';
import { composeMessage, isComposeError, type ComposedMessage } from '../mime/index.js';
import {
  SmtpError, SmtpSession, isSmtpError,
  type RecipientResult, type SendResult, type SmtpConnectOptions, type SmtpCredentials, type TlsInfo, type TranscriptEntry,
} from '../smtp/index.js';
import type { AddressHistoryRepository, SendLogRepository } from '../store/index.js';

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

const eightBitPattern = /[\x80-\xff]/;
function hasEightBit(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b > 0x7f) return true;
  return false;
}

function explainContextOf(target: DeliveryTarget): ExplainContext {
  const s = target.settings;
  return { account: { host: s.host, port: s.port, security: s.security }, ...(target.provider ? { provider: target.provider } : {}) };
}

/** Per-recipient results of a failure that concerns recipients (every RCPT refused). */
function resultsOfFailure(detail: FailureDetail): RecipientResult[] {
  if (detail.phase !== 'rcpt' || !detail.recipients || detail.code === undefined) return [];
  const lines = (detail.serverText ?? '').split('\n');
  return detail.recipients.map((address) => {
    const own = lines.find((l) => l.startsWith(`${address}: `));
    return {
      address, accepted: false, code: detail.code as number,
      message: own ? own.slice(address.length + 2) : detail.serverText ?? detail.message,
      ...(detail.enhancedCode ? { enhancedCode: detail.enhancedCode } : {}),
    };
  });
}

/** Display names the person typed, by address, for the address history. */
function namesOf(draft: MessageDraftInput): Map<string, string> {
  const out = new Map<string, string>();
  const add = (v: unknown): void => {
    if (!Array.isArray(v)) return;
    for (const item of v) {
      if (item && typeof item === 'object' && 'address' in item && typeof item.address === 'string') {
        if ('name' in item && typeof item.name === 'string' && item.name) out.set(item.address.toLowerCase(), item.name);
      } else if (item && typeof item === 'object' && 'members' in item) add((item as { members: unknown }).members);
    }
  };
  add(draft.to);
  add(draft.cc);
  add(draft.bcc);
  return out;
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

  const log = (o: Omit<DeliveryOutcome, 'logId'>): number | null => {
    if (!deps.sendLog) return null;
    try {
      return deps.sendLog.append({
        time: started,
        accountId: target.accountId ?? null,
        outboxId: null,
        envelopeFrom: o.envelope.from,
        recipients: o.envelope.to,
        subject: o.subject,
        size: o.size,
        status: o.status,
        errorText: o.explanation ? `${o.explanation.kind}: ${o.explanation.technical.message}` : null,
        results: o.results,
        tls: o.tls ? (o.tls as unknown as Record<string, unknown>) : null,
        timings: o.timings,
        transcript: o.transcript.map((t) => ({ t: t.t, dir: t.dir, phase: t.phase, line: t.line })),
        explanation: o.explanation ? (o.explanation as unknown as Record<string, unknown>) : null,
        error: o.status === 'sentWithWarnings' ? null : o.error,
        durationMs: Math.round(o.durationMs),
      });
    } catch {
      // The message is out (or not) either way; a log that cannot be written changes nothing.
      return null;
    }
  };

  const fail = (err: unknown, inputError: boolean): DeliveryOutcome => {
    const composeErr = isComposeError(err) ? err.error : null;
    const smtp = isSmtpError(err);
    const detail: FailureDetail = smtp
      ? err.detail
      : composeErr?.detail ?? { phase: 'internal', cause: 'unknown', message: err instanceof Error ? err.message : String(err) };
    const mayHaveBeenDelivered = smtp && err.mayHaveBeenDelivered;
    const explanation = explainDeliveryError(smtp ? err : { detail, mayHaveBeenDelivered: false }, explainContextOf(target));
    const status = statusOfFailure(explanation, mayHaveBeenDelivered);
    const rejected = resultsOfFailure(detail);
    const o: Omit<DeliveryOutcome, 'logId'> = {
      ...base(), ok: false, status, accepted: [], rejected, results: rejected,
      queueId: null, durationMs: performance.now() - t0, timings,
      explanation, error: composeErr ?? explanationToAppError(explanation), failure: { detail, mayHaveBeenDelivered }, inputError,
    };
    // Bad input never reached a server: it is not a delivery attempt, so it is not logged.
    return { ...o, logId: inputError ? null : log(o) };
  };

  // 1. The message is checked before any connection: bad input sends nothing.
  const date = new Date(started);
  if (message.kind === 'draft') {
    try {
      composed = await composeMessage(message.draft, {
        eightBitMime: false, smtpUtf8: true, now: date, ...(message.messageIdDomain ? { messageIdDomain: message.messageIdDomain } : {}),
      });
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

  // 2. Session, then compose with the server's extensions, AUTH, send.
  let session: SmtpSession | undefined;
  try {
    const opts: SmtpConnectOptions = {
      host: s.host, port: s.port, security: s.security,
      ...(s.extraCaPem ? { extraCaPem: s.extraCaPem } : {}),
      ...(s.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
      ...target.connect,
      ...(deps.signal ? { signal: deps.signal } : {}),
      onTranscript: (e) => { transcript.push(e); target.connect?.onTranscript?.(e); },
    };
    session = await SmtpSession.open(opts);
    const caps = session.capabilities;
    tls = session.info.tls;
    if (s.username !== undefined) {
      if (!target.credentials) throw new SmtpError({ phase: 'keychain', cause: 'keychain', message: 'no password is stored for this account' });
      await session.authenticate(target.credentials, s.authMechanism ? { mechanism: s.authMechanism } : {});
    }
    let result: SendResult;
    if (message.kind === 'draft' && composed) {
      const first = composed;
      composed = await composeMessage(message.draft, {
        eightBitMime: caps.eightBitMime, smtpUtf8: caps.smtpUtf8, now: date, messageId: first.messageId,
        ...(message.messageIdDomain ? { messageIdDomain: message.messageIdDomain } : {}),
      });
      size = composed.size;
      result = await session.send({
        envelope: composed.envelope, body: composed.stream(), size: composed.size,
        eightBit: composed.requires.eightBit, smtpUtf8: composed.requires.smtpUtf8, messageId: composed.messageId,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } else if (message.kind === 'raw') {
      result = await session.send({
        envelope: message.envelope, body: message.body, size: message.body.length,
        eightBit: hasEightBit(message.body), smtpUtf8: message.smtpUtf8 === true || message.envelope.to.some((a) => eightBitPattern.test(a)),
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } else {
      throw SmtpError.of('internal', 'input', 'nothing to send');
    }
    const info = session.info;
    tls = info.tls;
    authMechanism = info.authMechanism;
    timings = { ...info.timings, ...result.timings };
    // Delivered once the final reply is in; QUIT need not hold anyone up.
    const closing = session;
    void closing.quit().catch(() => closing.close());
    const partial = result.rejected.length > 0;
    const explanation = partial ? explainPartialSuccess(result.recipients, explainContextOf(target)) : null;
    const o: Omit<DeliveryOutcome, 'logId'> = {
      ...base(), ok: !partial, status: partial ? 'sentWithWarnings' : 'sent',
      accepted: result.accepted, rejected: result.rejected, results: result.recipients,
      messageId: result.messageId ?? messageId, queueId: result.queueId ?? null,
      durationMs: performance.now() - t0, timings, explanation,
      error: explanation ? explanationToAppError(explanation) : null, failure: null, inputError: false,
    };
    const logId = log(o);
    if (deps.addressHistory) {
      try {
        const names = message.kind === 'draft' ? namesOf(message.draft) : new Map<string, string>();
        deps.addressHistory.record(result.accepted.map((a) => ({ address: a, name: names.get(a.toLowerCase()) ?? null })), now());
      } catch {
        // Autocomplete is a convenience; the message is sent.
      }
    }
    return { ...o, logId };
  } catch (e) {
    if (session) {
      const info = session.info;
      tls = info.tls ?? tls;
      authMechanism = info.authMechanism;
      timings = info.timings;
      session.close();
    }
    return fail(e, isComposeError(e) && session === undefined);
  }
}
