/**
 * Public types of the SMTP client engine. Other modules (autoconfig, outbox, cli, errors)
 * code against these; the engine implements them. Keep changes backwards compatible.
 */
import type { Readable } from 'node:stream';
import type { AuthMechanism, Security } from '../../shared/domain.js';
import type { DeliveryPhase, FailureDetail } from '../../shared/errors.js';

/** Per-phase timeouts in milliseconds. Defaults suit an interactive desktop client. */
export interface SmtpTimeouts {
  connect: number;
  tlsHandshake: number;
  greeting: number;
  command: number;
  /** Waiting for the drain of one body block. */
  dataBlock: number;
  /** Waiting for the reply after the final dot / last BDAT. */
  endOfData: number;
  /** Idle time after which a kept-alive session sends NOOP. */
  keepAlive: number;
}

export interface SmtpCredentials {
  username: string;
  /** Either a password … */
  password?: string;
  /** … or an OAuth 2 access token (XOAUTH2 / OAUTHBEARER). */
  accessToken?: string;
}

export interface SmtpConnectOptions {
  host: string;
  port: number;
  security: Security;
  /** Name used for TLS SNI and certificate check; defaults to host. */
  servername?: string;
  /** Extra trusted CA (PEM), added to — never replacing — the system store. */
  extraCaPem?: string;
  /** Our name in EHLO; defaults to a sensible FQDN or address literal. */
  clientName?: string;
  timeouts?: Partial<SmtpTimeouts>;
  signal?: AbortSignal;
  /** Permit password mechanisms without TLS, but only when host is loopback. */
  allowInsecureAuthOnLoopback?: boolean;
  /** Receives every transcript entry as it happens (already redacted). */
  onTranscript?: (entry: TranscriptEntry) => void;
}

export interface SmtpCapabilities {
  /** The EHLO greeting line (the server's name). */
  serverName: string;
  /** Raw extension keywords → their parameters, upper-cased keywords. */
  extensions: Record<string, string[]>;
  size?: number; // SIZE limit in bytes, 0 = no limit announced
  pipelining: boolean;
  eightBitMime: boolean;
  smtpUtf8: boolean;
  startTls: boolean;
  chunking: boolean;
  dsn: boolean;
  enhancedStatusCodes: boolean;
  authMechanisms: string[];
  /** True when only HELO worked (no extensions). */
  heloOnly: boolean;
}

export interface TlsInfo {
  protocol: string; // e.g. "TLSv1.3"
  cipher: string;
  authorized: boolean;
  certificate?: {
    subject: string;
    issuer: string;
    validFrom: string;
    validTo: string;
    fingerprint256: string;
    subjectAltNames?: string;
  };
}

export type TranscriptDirection = 'C' | 'S' | 'I'; // client, server, info (tls/network)
export interface TranscriptEntry {
  /** Milliseconds since the session started. */
  t: number;
  dir: TranscriptDirection;
  phase: DeliveryPhase;
  line: string;
}

export interface Envelope {
  /** Reverse path; '' for the null sender. */
  from: string;
  to: string[];
}

export interface SendOptions {
  envelope: Envelope;
  /** The message bytes (RFC 5322, any line endings: the engine normalises to CRLF). */
  body: Readable | AsyncIterable<Uint8Array> | Uint8Array | string;
  /** Exact size in bytes if known (used for SIZE= and the pre-check). */
  size?: number;
  /** The body has 8-bit content: BODY=8BITMIME is required. */
  eightBit?: boolean;
  /** Addresses or headers need SMTPUTF8. */
  smtpUtf8?: boolean;
  dsn?: { ret?: 'FULL' | 'HDRS'; envid?: string; notify?: Array<'SUCCESS' | 'FAILURE' | 'DELAY'> | 'NEVER' };
  /** For the result and the transcript only. */
  messageId?: string;
  signal?: AbortSignal;
  /** Progress of body bytes written. */
  onProgress?: (p: { phase: DeliveryPhase; bytesSent: number; totalBytes?: number }) => void;
  /**
   * Called synchronously right before the bytes that end the message (the final dot, or
   * the last BDAT chunk) are written: from here on the server may take the message even if
   * its reply never arrives. The outbox records its crash-reconciliation mark here. If the
   * hook throws or aborts `signal`, the end of the message is not sent and the send fails
   * as cancelled.
   */
  onEndOfData?: () => void;
}

export interface RecipientResult {
  address: string;
  accepted: boolean;
  code: number;
  enhancedCode?: string;
  message: string;
}

export interface SendResult {
  accepted: string[];
  rejected: RecipientResult[];
  recipients: RecipientResult[];
  messageId?: string;
  /** The server's queue id when its final reply shows one. */
  queueId?: string;
  /** Final reply to DATA/BDAT. */
  response: { code: number; enhancedCode?: string; message: string };
  bytesSent: number;
  timings: Record<string, number>;
  /**
   * Set when AUTH was refused but the server delivered the message anyway (it also takes mail
   * from this client without sign-in; only possible when the message went out pipelined behind
   * AUTH): sent, but the stored credentials need fixing.
   */
  authRefused?: { code: number; enhancedCode?: string; message: string };
}

export interface SessionInfo {
  capabilities: SmtpCapabilities;
  tls: TlsInfo | null;
  authMechanism: string | null;
  timings: Record<string, number>;
  transcript: TranscriptEntry[];
}

/** The error every engine operation rejects with. `detail` is what the explainer reads. */
export interface SmtpErrorShape extends Error {
  readonly detail: FailureDetail;
  /** True when the whole body was sent and the final reply never came: it may have been delivered. */
  readonly mayHaveBeenDelivered: boolean;
  /** When every recipient was refused: each recipient's own reply, in envelope order. */
  readonly recipientResults?: readonly RecipientResult[];
}

export type { AuthMechanism, Security };
