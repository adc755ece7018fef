/**
 * The one way a message goes out, shared by the outbox (its attempts, over a kept-alive
 * session) and the one-shot delivery of the command line (`deliverNow`, over a fresh one):
 *
 *   settings → open the session (TLS, EHLO, AUTH) → compose with what the server offers
 *   (8BITMIME, SMTPUTF8) → send with SIZE → per-recipient results → explanation → send-log
 *   entry → address history.
 *
 * What differs between the two stays with them and comes in as a channel and hooks: which
 * session is used (the outbox's warm pool, or a fresh SmtpSession), cancellation, progress,
 * the outbox's end-of-data mark, its states and retries.
 */
import type { ProviderHint, SmtpSettings } from '../../shared/domain.js';
import type { AppError, FailureDetail } from '../../shared/errors.js';
import { explanationToAppError, type Explanation } from '../../shared/explanation.js';
import type { MessageDraftInput } from '../../shared/message.js';
import { toProviderHint } from '../../shared/provider.js';
import type { NewSendLogEntry } from '../../shared/sendlog.js';
import { shippedPresets } from '../autoconfig/presets.js';
import { networkInterfaces } from 'node:os';
import { explainDeliveredWithoutSignIn, explainDeliveryError, explainPartialSuccess, isProbablyOffline, type ExplainContext } from '../errors/explain.js';
import { composeMessage, type ComposeOptions, type ComposedMessage } from '../mime/index.js';
import {
  SmtpError, isLoopbackHost, isSmtpError, type RecipientResult, type SendOptions, type SendResult, type SessionInfo, type SmtpConnectOptions,
  type TlsInfo, type TranscriptEntry,
} from '../smtp/index.js';
import type { StoredAccount } from '../store/accounts.js';
import type { AddressHistoryRepository, SendLogRepository } from '../store/index.js';

// ---------------------------------------------------------------------------------------
// Settings and context

/** The SMTP settings of a stored account. */
export function smtpSettingsOf(a: StoredAccount): SmtpSettings {
  return {
    host: a.host,
    port: a.port,
    security: a.security,
    ...(a.authMechanism ? { authMechanism: a.authMechanism } : {}),
    ...(a.username !== undefined ? { username: a.username } : {}),
    ...(a.extraCaPem !== undefined ? { extraCaPem: a.extraCaPem } : {}),
    ...(a.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
  };
}

/** The engine's connect options for settings (the caller adds timeouts, signal, transcript). */
export function connectOptionsOf(s: SmtpSettings): SmtpConnectOptions {
  return {
    host: s.host, port: s.port, security: s.security,
    ...(s.extraCaPem ? { extraCaPem: s.extraCaPem } : {}),
    ...(s.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
  };
}

/**
 * The provider behind an account, for explanations: by its preset id, else by the preset
 * that lists this server. A loopback server names no provider by itself: it may be a
 * bridge (Proton) or any local relay.
 */
export function providerHintOf(providerId: string | null | undefined, host?: string): ProviderHint | undefined {
  const presets = shippedPresets();
  const byId = providerId ? presets.byId.get(providerId) : undefined;
  if (byId) return toProviderHint(byId);
  if (host === undefined) return undefined;
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(h)) return undefined;
  const byHost = presets.presets.find((preset) => preset.smtp.some((server) => server.host === h));
  return byHost ? toProviderHint(byHost) : undefined;
}

export function explainContextOf(s: Pick<SmtpSettings, 'host' | 'port' | 'security'>, provider?: ProviderHint): ExplainContext {
  return { account: { host: s.host, port: s.port, security: s.security }, ...(provider ? { provider } : {}) };
}

// ---------------------------------------------------------------------------------------
// Transmission

/** The session a message goes over: open() connects and signs in (or finds that done). */
export interface DeliveryChannel {
  open(): Promise<SessionInfo>;
  send(message: SendOptions): Promise<SendResult & { session: SessionInfo }>;
}

/** What to send: a draft, composed for the server once it is known, or finished bytes. */
export type Outgoing =
  | {
    kind: 'draft';
    draft: MessageDraftInput;
    compose: Omit<ComposeOptions, 'eightBitMime' | 'smtpUtf8'>;
    /** An envelope fixed earlier (the outbox row's, checked at enqueue); default the composed one. */
    envelope?: { from: string; to: string[] };
  }
  | { kind: 'raw'; envelope: { from: string; to: string[] }; body: Uint8Array; messageId?: string; smtpUtf8?: boolean };

export interface TransmitHooks {
  signal?: AbortSignal;
  /** The session is open (for the facts a failure report needs). */
  onOpened?: (info: SessionInfo) => void;
  /** The message as composed for this server (its size, before the body goes out). */
  onComposed?: (message: ComposedMessage) => void;
  onProgress?: SendOptions['onProgress'];
  /** Right before the end of the message is written (see SendOptions.onEndOfData). */
  onEndOfData?: () => void;
}

export interface Transmitted {
  result: SendResult & { session: SessionInfo };
  /** The message as composed for this server (null for raw bytes). */
  composed: ComposedMessage | null;
}

const nonAscii = /[\x80-\xff]/;
function hasEightBit(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b > 0x7f) return true;
  return false;
}

/** Open → compose with the server's extensions → send. Rejects with the engine's or the composer's error. */
export async function transmit(channel: DeliveryChannel, outgoing: Outgoing, hooks: TransmitHooks = {}): Promise<Transmitted> {
  const info = await channel.open();
  hooks.onOpened?.(info);
  const common: Partial<SendOptions> = {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.onEndOfData ? { onEndOfData: hooks.onEndOfData } : {}),
  };
  if (outgoing.kind === 'raw') {
    const result = await channel.send({
      ...common,
      envelope: outgoing.envelope, body: outgoing.body, size: outgoing.body.length, eightBit: hasEightBit(outgoing.body),
      smtpUtf8: outgoing.smtpUtf8 === true || outgoing.envelope.to.some((a) => nonAscii.test(a)),
      ...(outgoing.messageId ? { messageId: outgoing.messageId } : {}),
    });
    return { result, composed: null };
  }
  const caps = info.capabilities;
  const composed = await composeMessage(outgoing.draft, { ...outgoing.compose, eightBitMime: caps.eightBitMime, smtpUtf8: caps.smtpUtf8 });
  hooks.onComposed?.(composed);
  const result = await channel.send({
    ...common,
    envelope: outgoing.envelope ?? composed.envelope, body: composed.stream(), size: composed.size,
    eightBit: composed.requires.eightBit, smtpUtf8: composed.requires.smtpUtf8, messageId: composed.messageId,
  });
  return { result, composed };
}

// ---------------------------------------------------------------------------------------
// Results and explanations

/** An AppError from whatever a lower layer threw (store, composer): it keeps its own kind (compose.invalidAddress …). */
export function appErrorOf(e: unknown): AppError | undefined {
  if (typeof e === 'object' && e !== null) {
    if ('appError' in e) return (e as { appError: AppError }).appError;
    if ('error' in e && e instanceof Error && e.name === 'ComposeError') return (e as unknown as { error: AppError }).error;
  }
  return undefined;
}

export interface Failure {
  detail: FailureDetail;
  mayHaveBeenDelivered: boolean;
  /** Set for the composer's errors (bad input), which keep their own kind. */
  appError: AppError | null;
  /** Each recipient's reply when every recipient was refused; empty otherwise. */
  results: RecipientResult[];
}

export function failureOf(err: unknown): Failure {
  const appError = appErrorOf(err) ?? null;
  const smtp = isSmtpError(err);
  const detail: FailureDetail = smtp
    ? err.detail
    : appError?.detail ?? { phase: 'internal', cause: 'unknown', message: err instanceof Error ? err.message : String(err) };
  return {
    detail,
    mayHaveBeenDelivered: smtp && err.mayHaveBeenDelivered,
    appError,
    results: smtp && err.recipientResults ? err.recipientResults.map((r) => ({ ...r })) : [],
  };
}

/**
 * The explanation of a failure. `stoppedMeansMayHaveArrived`: a send stopped (by the person
 * or the app) after the end of the message is explained as "it may have arrived", not as
 * "cancelled" — what matters to them is that the server may have it.
 */
export function explainFailure(err: unknown, f: Failure, context: ExplainContext, opts: { stoppedMeansMayHaveArrived?: boolean } = {}): Explanation {
  // Whether this computer has a network at all is read when the failure happens: a name that
  // cannot be looked up means "offline", not "misspelt", when no interface is up.
  const ctx: ExplainContext = isProbablyOffline(networkInterfaces()) ? { ...context, online: false } : context;
  if (opts.stoppedMeansMayHaveArrived && f.mayHaveBeenDelivered && f.detail.cause === 'cancelled') {
    const d = f.detail;
    return explainDeliveryError(new SmtpError({ ...d, cause: 'network', message: `${d.message} (the connection was closed before the server confirmed the message)` }, { mayHaveBeenDelivered: true }), ctx);
  }
  return explainDeliveryError(isSmtpError(err) ? err : { detail: f.detail, mayHaveBeenDelivered: false }, ctx);
}

export interface Success {
  status: 'sent' | 'sentWithWarnings';
  /** Only for a success with a warning: some recipients refused, or the sign-in refused. */
  explanation: Explanation | null;
}

export function successOf(result: SendResult, ctx: ExplainContext): Success {
  // Refused recipients matter most for this message; a refused sign-in for the next ones.
  if (result.rejected.length > 0) return { status: 'sentWithWarnings', explanation: explainPartialSuccess(result.recipients, ctx) };
  if (result.authRefused) return { status: 'sentWithWarnings', explanation: explainDeliveredWithoutSignIn(result.authRefused, ctx) };
  return { status: 'sent', explanation: null };
}

// ---------------------------------------------------------------------------------------
// Send log and address history

export interface SendLogFacts {
  time: number;
  accountId: string | null;
  outboxId: string | null;
  envelope: { from: string; to: string[] };
  subject: string;
  size: number | null;
  status: NewSendLogEntry['status'];
  explanation: Explanation | null;
  /** The failure; dropped for a partial success (the explanation says it all). */
  error: AppError | null;
  results: RecipientResult[];
  tls: TlsInfo | null;
  timings: Record<string, number>;
  transcript: readonly TranscriptEntry[];
  durationMs: number | null;
}

/** Appends the send-log entry; a log that cannot be written changes nothing about the message (null). */
export function appendSendLog(log: SendLogRepository | undefined, f: SendLogFacts): number | null {
  if (!log) return null;
  try {
    return log.append({
      time: f.time,
      accountId: f.accountId,
      outboxId: f.outboxId,
      envelopeFrom: f.envelope.from,
      recipients: f.envelope.to,
      subject: f.subject,
      size: f.size,
      status: f.status,
      errorText: f.explanation ? `${f.explanation.kind}: ${f.explanation.technical.message}` : null,
      results: f.results,
      tls: f.tls ? (f.tls as unknown as Record<string, unknown>) : null,
      timings: f.timings,
      transcript: f.transcript.map((t) => ({ t: t.t, dir: t.dir, phase: t.phase, line: t.line })),
      explanation: f.explanation ? (f.explanation as unknown as Record<string, unknown>) : null,
      error: f.status === 'sentWithWarnings' ? null : f.error,
      durationMs: f.durationMs !== null ? Math.round(f.durationMs) : null,
    });
  } catch {
    return null;
  }
}

/** The explanation as the AppError a log entry or an outbox row keeps. */
export function errorOfExplanation(e: Explanation | null): AppError | null {
  return e ? explanationToAppError(e) : null;
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

/** Accepted recipients go into the address history (with the names typed in the draft). */
export function recordAddresses(history: AddressHistoryRepository | undefined, accepted: readonly string[], draft: MessageDraftInput | null, at: number): void {
  if (!history) return;
  try {
    const names = draft ? namesOf(draft) : new Map<string, string>();
    history.record(accepted.map((a) => ({ address: a, name: names.get(a.toLowerCase()) ?? null })), at);
  } catch {
    // Autocomplete is a convenience; the message is sent.
  }
}
