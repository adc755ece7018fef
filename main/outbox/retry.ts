/**
 * When to try a temporarily failing message again, and when to stop.
 *
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * min(base·2^(n-1), cap), so the first comes within a minute (15–30 s), later ones spread
 * out and many clients retrying the same server do not arrive in step. The budget is per
 * message, counted from its first attempt; the last retry is placed at the deadline.
 */
import type { FailureDetail } from '../../shared/errors.js';

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Re-check interval while the machine seems offline. */
  offlineRecheckMs: number;
}

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  baseMs: 30_000,
  capMs: 60 * 60_000,
  offlineRecheckMs: 30_000,
});

/** Delay before retry number `failures` (1 = after the first failed attempt). `random` in [0, 1). */
export function backoffDelay(failures: number, random: number, policy: RetryPolicy = defaultRetryPolicy): number {
  const n = Math.max(1, Math.floor(failures));
  const raw = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(raw / 2 + (raw / 2) * r);
}

export type FailureClass = 'permanent' | 'temporary' | 'offline';

/** System codes meaning "this machine has no usable network" rather than "that server is down". */
const offlineCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EAI_NONAME', 'EAI_FAIL']);

/**
 * 4xx replies and network trouble are temporary; 5xx replies and everything the server or we
 * refused on principle (TLS, certificates, size, missing extensions, bad input) are permanent.
 */
export function classifyFailure(detail: FailureDetail): FailureClass {
  if (detail.code !== undefined) {
    if (detail.code >= 400 && detail.code < 500) return 'temporary';
    if (detail.code >= 500) return 'permanent';
  }
  if (detail.systemCode && offlineCodes.has(detail.systemCode)) return 'offline';
  if (detail.phase === 'dns') return 'offline';
  if (detail.cause === 'network' || detail.cause === 'timeout') return 'temporary';
  return 'permanent';
}

/** The next attempt time, or null when the budget is spent (give up now). */
export function nextAttemptAt(args: {
  now: number;
  firstAttemptAt: number;
  failures: number;
  giveUpAfterMs: number;
  kind: 'temporary' | 'offline';
  random: number;
  policy?: RetryPolicy;
}): number | null {
  const policy = args.policy ?? defaultRetryPolicy;
  const deadline = args.firstAttemptAt + args.giveUpAfterMs;
  if (args.now >= deadline) return null;
  const delay = args.kind === 'offline' ? policy.offlineRecheckMs : backoffDelay(args.failures, args.random, policy);
  return Math.min(args.now + delay, deadline);
}
