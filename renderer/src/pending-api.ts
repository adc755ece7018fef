/**
 * The outbox over the contract (shared/contract/outbox.ts), in the shapes the screens use,
 * and attachment staging: a file's path in Electron, else its bytes uploaded to main.
 */
import type { MessageDraftInput } from '../../shared/message.js';
import type { EnqueueOptions, OutboxEntrySummary, OutboxOutcome, OutboxProgress } from '../../shared/outbox.js';
import { call, subscribe } from './api.js';

export type OutboxItem = OutboxEntrySummary;
export type OutboxState = OutboxEntrySummary['state'];
export type { OutboxOutcome, OutboxProgress };

export const subscribeOutbox = subscribe;

export const outbox = {
  list: () => call('outbox.list', undefined),
  enqueue: (draft: MessageDraftInput, options: EnqueueOptions) => call('outbox.enqueue', draft, options),
  undo: (id: string) => call('outbox.undo', id),
  action: (name: 'cancel' | 'retryNow' | 'delete' | 'markArrived' | 'resend', id: string): Promise<unknown> => call(`outbox.${name}`, id),
  warmUp: (accountId: string) => call('outbox.warmUp', accountId).catch(() => undefined),
};

export async function stageAttachment(file: File): Promise<{ ref: string; size: number }> {
  const path = window.postbote.pathForFile?.(file);
  if (path) return { ref: path, size: file.size };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const staged = await call('attachments.stage', { name: file.name, dataBase64: btoa(binary), ...(file.type ? { contentType: file.type } : {}) });
  return { ref: staged.path, size: staged.size };
}
