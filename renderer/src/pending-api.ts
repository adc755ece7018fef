/**
 * Methods the UI uses whose contract tables are still being written (outbox, attachments,
 * autoconfig). Calls go through the same bridge and are validated in main like every other;
 * only their TypeScript types live here until the tables are merged into shared/contract,
 * after which these helpers become plain `call(...)`s. Results are read defensively.
 */
import type { AppError } from '../../shared/errors.js';
import type { DiscoveryResult } from '../../shared/provider.js';
import type { MessageDraftInput } from '../../shared/message.js';
import { ApiFailure } from './api.js';

type LooseInvoke = (name: string, ...args: unknown[]) => Promise<{ ok: true; value: unknown } | { ok: false; error: AppError }>;
type LooseOn = (name: string, listener: (payload: unknown) => void) => () => void;

export async function callPending(name: string, ...args: unknown[]): Promise<unknown> {
  const invoke = window.postbote.invoke as unknown as LooseInvoke;
  const outcome = await invoke(name, ...args);
  if (!outcome.ok) throw new ApiFailure(outcome.error);
  return outcome.value;
}

export function subscribePending(name: string, listener: (payload: unknown) => void): () => void {
  return (window.postbote.on as unknown as LooseOn)(name, listener);
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : str(rec(x).address))).filter(Boolean) : []);

export type OutboxState =
  | 'scheduled' | 'waiting' | 'queued' | 'sending' | 'sent' | 'sentWithWarnings' | 'deferred' | 'failed' | 'unconfirmed' | 'cancelled';

export interface OutboxItem {
  id: string;
  accountId: string;
  state: OutboxState;
  subject: string;
  recipients: string[];
  size: number | null;
  nextAttemptAt: number | null;
  attemptCount: number;
  lastError: AppError | null;
  explanation: Record<string, unknown> | null;
  createdAt: number;
  /** While an undo-send delay runs: when it ends. */
  undoUntil: number | null;
}

export function readOutboxItem(v: unknown): OutboxItem {
  const r = rec(v);
  const draft = rec(r.draft);
  const envelope = rec(r.envelope);
  const recipients = strs(r.recipients).length > 0 ? strs(r.recipients) : strs(envelope.to).length > 0 ? strs(envelope.to) : [...strs(draft.to), ...strs(draft.cc), ...strs(draft.bcc)];
  const lastError = r.lastError && typeof r.lastError === 'object' ? (r.lastError as AppError) : null;
  return {
    id: str(r.id),
    accountId: str(r.accountId),
    state: str(r.state, 'queued') as OutboxState,
    subject: str(r.subject, str(draft.subject)),
    recipients,
    size: num(r.size),
    nextAttemptAt: num(r.nextAttemptAt),
    attemptCount: num(r.attemptCount) ?? 0,
    lastError,
    explanation: r.explanation && typeof r.explanation === 'object' ? rec(r.explanation) : null,
    createdAt: num(r.createdAt) ?? Date.now(),
    undoUntil: num(r.undoUntil) ?? (str(r.state) === 'waiting' ? num(r.nextAttemptAt) : null),
  };
}

export interface OutboxProgress { id: string; bytesSent: number; bytesTotal: number; phase: string }
export function readProgress(v: unknown): OutboxProgress {
  const r = rec(v);
  return { id: str(r.id, str(r.outboxId)), bytesSent: num(r.bytesSent) ?? num(r.sent) ?? 0, bytesTotal: num(r.bytesTotal) ?? num(r.total) ?? 0, phase: str(r.phase) };
}

export interface OutboxOutcome {
  id: string;
  status: string;
  subject: string;
  logId: number | null;
  explanation: Record<string, unknown> | null;
  refused: string[];
}
export function readOutcome(v: unknown): OutboxOutcome {
  const r = rec(v);
  const results = Array.isArray(r.results) ? r.results.map(rec) : [];
  return {
    id: str(r.id, str(r.outboxId)),
    status: str(r.status, str(r.state)),
    subject: str(r.subject),
    logId: num(r.logId) ?? num(r.sendLogId),
    explanation: r.explanation && typeof r.explanation === 'object' ? rec(r.explanation) : null,
    refused: results.filter((x) => x.accepted === false).map((x) => str(x.address)),
  };
}

export const outbox = {
  list: async (): Promise<OutboxItem[]> => {
    const value = await callPending('outbox.list');
    const items = Array.isArray(value) ? value : Array.isArray(rec(value).items) ? (rec(value).items as unknown[]) : [];
    return items.map(readOutboxItem);
  },
  enqueue: async (request: { accountId: string; draft: MessageDraftInput; sendAt?: number; draftId?: string }): Promise<OutboxItem> =>
    readOutboxItem(await callPending('outbox.enqueue', request)),
  action: (name: 'undo' | 'cancel' | 'retryNow' | 'delete' | 'markArrived' | 'resend', id: string) => callPending(`outbox.${name}`, id),
  warmUp: (accountId: string) => callPending('outbox.warmUp', accountId).catch(() => undefined),
};

/** Sends file bytes to main, which keeps them in a private folder until the message is sent. */
export async function stageAttachment(file: File): Promise<{ ref: string; size: number }> {
  const path = window.postbote.pathForFile?.(file);
  if (path) return { ref: path, size: file.size };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const value = rec(await callPending('attachments.stage', { name: file.name, base64: btoa(binary), contentType: file.type || undefined }));
  return { ref: str(value.path, str(value.ref, str(value.id))), size: num(value.size) ?? file.size };
}

export const discover = async (address: string): Promise<DiscoveryResult> => (await callPending('autoconfig.discover', address)) as DiscoveryResult;
