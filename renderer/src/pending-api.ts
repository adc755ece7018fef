/**
 * The outbox over the contract (shared/contract/outbox.ts), in the shapes the screens use,
 * and attachment staging: a file's bytes uploaded to main's staging folder, in Electron as
 * in a browser. Main sends only staged files: a page naming a path could mail any file.
 */
import type { MessageDraftInput } from '../../shared/message.js';
import { MAX_STAGED_ATTACHMENT_BYTES, type EnqueueOptions, type OutboxEntrySummary, type OutboxOutcome, type OutboxProgress } from '../../shared/outbox.js';
import { ApiFailure, call, subscribe } from './api.js';

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
  // Refused before reading: a huge file would otherwise be read and encoded only to be refused by main.
  if (file.size > MAX_STAGED_ATTACHMENT_BYTES) {
    throw new ApiFailure({ kind: 'outbox.attachmentTooLarge', messageKey: 'outbox.err.attachmentTooLarge', params: { limit: MAX_STAGED_ATTACHMENT_BYTES, size: file.size } });
  }
  const dataBase64 = await readAsBase64(file).catch(() => {
    throw new ApiFailure({ kind: 'outbox.attachmentMissing', messageKey: 'outbox.err.attachmentMissing', params: { file: file.name } });
  });
  const staged = await call('attachments.stage', { name: file.name, dataBase64, ...(file.type ? { contentType: file.type } : {}) });
  return { ref: staged.path, size: staged.size };
}

/**
 * Slices of 3 MiB: a multiple of 3 bytes, so each slice's base64 ends without padding and
 * the pieces join into the file's base64.
 */
const BASE64_SLICE_BYTES = 3 * 1024 * 1024;

/**
 * The file's bytes as base64. FileReader encodes in the browser's own code, slice by slice
 * between turns of the event loop, so a 25 MB attachment keeps the composer responsive
 * (measured in Chromium on 25 MB: about 0.1 s in all and rarely a task over 50 ms, where a
 * JavaScript loop over the bytes blocked the page for 1–1.6 s in one piece).
 */
async function readAsBase64(file: Blob): Promise<string> {
  const parts: string[] = [];
  for (let offset = 0; offset < file.size; offset += BASE64_SLICE_BYTES) parts.push(await sliceAsBase64(file.slice(offset, offset + BASE64_SLICE_BYTES)));
  return parts.join('');
}

function sliceAsBase64(slice: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result);
      // "data:<type>;base64,<data>": base64 has no comma, so the last one ends the header.
      resolve(dataUrl.slice(dataUrl.lastIndexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(slice);
  });
}
