/**
 * Structured errors: the one shape in which a failure travels from the engine to the
 * send log, across IPC and into the CLI. Words for people live in the catalogues
 * (shared/i18n); these values carry only keys, parameters and technical detail.
 */
import { z } from 'zod';

/** Where in a delivery something went wrong (engine phases plus the steps before it). */
export const deliveryPhases = [
  'input', 'config', 'compose', 'keychain', 'dns', 'connect', 'tls', 'greeting', 'ehlo', 'starttls',
  'auth', 'mail', 'rcpt', 'data', 'quit', 'discovery', 'storage', 'internal',
] as const;
export const DeliveryPhaseSchema = z.enum(deliveryPhases);
export type DeliveryPhase = z.infer<typeof DeliveryPhaseSchema>;

/** The technical facts of a failure, as the engine (or another layer) observed them. */
export const FailureDetailSchema = z.object({
  phase: DeliveryPhaseSchema,
  /** Engine-level classification, e.g. 'reply', 'timeout', 'network', 'tls', 'protocol', 'security', 'cancelled', 'size-limit'. */
  cause: z.string(),
  /** SMTP reply code, if a reply caused it. */
  code: z.number().int().optional(),
  /** RFC 3463 enhanced status code, e.g. "5.7.8". */
  enhancedCode: z.string().optional(),
  /** The server's reply text, verbatim (all lines joined by "\n"). */
  serverText: z.string().optional(),
  /** A system error code such as ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED. */
  systemCode: z.string().optional(),
  /** A short technical description in English, for logs and support desks. */
  message: z.string(),
  /** The recipient(s) this failure concerns, where it concerns some. */
  recipients: z.array(z.string()).optional(),
  /** Connection facts that help explain it (host, port, security, timeout name, limits…). */
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type FailureDetail = z.infer<typeof FailureDetailSchema>;

/**
 * An error as it crosses a boundary (IPC, CLI JSON): a stable kind, a catalogue key with
 * parameters for the human text, and the technical detail.
 */
export const AppErrorSchema = z.object({
  kind: z.string(),
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  retryable: z.boolean().optional(),
  detail: FailureDetailSchema.optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

/** What every IPC call returns: a value or a structured error, never a thrown string. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };
