/**
 * The outbox as the contract sees it: entries between "Send" and "sent", their progress
 * and their outcome. Schemas only (shared/ imports neither Node nor the DOM); the queue
 * itself lives in main/outbox.
 */
import { z } from 'zod';
import { AccountIdSchema } from './account.js';
import { AppErrorSchema, DeliveryPhaseSchema } from './errors.js';
import { ExplanationSchema } from './explanation.js';
import { MessageDraftSchema } from './message.js';

export const outboxStateList = [
  'scheduled', 'waiting', 'queued', 'sending', 'sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed', 'cancelled',
] as const;
export const OutboxStateSchema = z.enum(outboxStateList);
export type OutboxStateName = z.infer<typeof OutboxStateSchema>;

export const OutboxIdSchema = z.string().min(1).max(64);

export const EnqueueOptionsSchema = z
  .object({
    accountId: AccountIdSchema,
    /** Send later: ms since the epoch. In the past or absent = now (after the undo window). */
    sendAt: z.number().int().min(0).optional(),
  })
  .strict();
export type EnqueueOptions = z.infer<typeof EnqueueOptionsSchema>;

/** One recipient's answer, as the last attempt got it. */
export const OutboxRecipientResultSchema = z.object({
  address: z.string(),
  accepted: z.boolean(),
  code: z.number().int(),
  enhancedCode: z.string().optional(),
  message: z.string(),
});

export const OutboxEntrySummarySchema = z.object({
  id: OutboxIdSchema,
  accountId: z.string(),
  state: OutboxStateSchema,
  subject: z.string(),
  from: z.string(),
  /** Envelope recipients (To, Cc and Bcc). */
  recipients: z.array(z.string()),
  messageId: z.string().nullable(),
  size: z.number().int().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** scheduled: when it goes; waiting: when the undo window closes; deferred: the next attempt. */
  nextAttemptAt: z.number().int().nullable(),
  attemptCount: z.number().int(),
  firstAttemptAt: z.number().int().nullable(),
  /** A scheduled time that passed while Postbote was closed: sent at start-up. */
  overdue: z.boolean(),
  /** For an overdue entry: the time it was scheduled for. */
  scheduledFor: z.number().int().optional(),
  /** Waiting for the network to come back (a deferred entry). */
  offline: z.boolean(),
  lastError: AppErrorSchema.nullable(),
  explanation: ExplanationSchema.nullable(),
  /**
   * Per-recipient results so far: the latest answer of every recipient that got one (a
   * recipient accepted in an earlier attempt keeps that acceptance).
   */
  results: z.array(OutboxRecipientResultSchema),
  /**
   * Set once some recipients are done (accepted, or refused for good) while others were
   * refused only for now: the recipients later attempts still go to.
   */
  remainingRecipients: z.array(z.string()).optional(),
});
export type OutboxEntrySummary = z.infer<typeof OutboxEntrySummarySchema>;

export const ListOutboxQuerySchema = z
  .object({
    states: z.array(OutboxStateSchema).max(10).optional(),
    accountId: AccountIdSchema.optional(),
  })
  .strict();
export type ListOutboxQuery = z.infer<typeof ListOutboxQuerySchema>;

/** Largest attachment the renderer may upload in one piece. */
export const MAX_STAGED_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export const StageAttachmentRequestSchema = z
  .object({
    name: z.string().min(1).max(255),
    contentType: z.string().max(255).optional(),
    /** The file's bytes, base64 (the renderer cannot hand over file paths). */
    dataBase64: z.string().max(Math.ceil(MAX_STAGED_ATTACHMENT_BYTES / 3) * 4 + 4),
  })
  .strict();
export type StageAttachmentRequest = z.infer<typeof StageAttachmentRequestSchema>;

export const StagedAttachmentSchema = z.object({
  /** Use as `attachments[].path` in the draft. */
  path: z.string(),
  name: z.string(),
  contentType: z.string().optional(),
  size: z.number().int(),
});
export type StagedAttachment = z.infer<typeof StagedAttachmentSchema>;

export const WarmUpResultSchema = z.object({
  warmed: z.boolean(),
  error: AppErrorSchema.optional(),
});
export type WarmUpResult = z.infer<typeof WarmUpResultSchema>;

/** Where a send stands: 'queued' before the connection, engine phases while on the wire. */
export const OutboxProgressSchema = z.object({
  id: OutboxIdSchema,
  accountId: z.string(),
  phase: z.union([DeliveryPhaseSchema, z.literal('queued')]),
  bytesSent: z.number().int(),
  totalBytes: z.number().int().nullable(),
});
export type OutboxProgress = z.infer<typeof OutboxProgressSchema>;

export const OutboxOutcomeSchema = z.object({
  id: OutboxIdSchema,
  accountId: z.string(),
  state: OutboxStateSchema,
  subject: z.string(),
  explanation: ExplanationSchema.nullable(),
  results: z.array(OutboxRecipientResultSchema),
  /** The send-log entry of this attempt. */
  logId: z.number().int().nullable(),
  /** The outcome came without a delivery attempt (marked arrived, reconciled after a crash). */
  byPerson: z.boolean().optional(),
});
export type OutboxOutcome = z.infer<typeof OutboxOutcomeSchema>;

export const OutboxChangedSchema = z.object({
  id: OutboxIdSchema,
  /** null when the entry was removed (deleted, undone). */
  entry: OutboxEntrySummarySchema.nullable(),
});
export type OutboxChanged = z.infer<typeof OutboxChangedSchema>;

export const OutboxNoticeIdSchema = z.string().min(1).max(64);

/**
 * Something the person must be told about at start-up. It is kept by the outbox until the
 * person dismisses it, because start-up happens before any window listens: the renderer
 * fetches the pending ones with `outbox.notices`, and gets later ones as `outbox.notice`.
 */
export const OutboxNoticeSchema = z.object({
  noticeId: OutboxNoticeIdSchema,
  kind: z.enum(['overdueScheduled', 'reconciledUnconfirmed', 'reconciledRequeued']),
  /** The outbox entries it is about. */
  ids: z.array(OutboxIdSchema),
  /** When the outbox noticed it (ms since the epoch). */
  at: z.number().int(),
});
export type OutboxNotice = z.infer<typeof OutboxNoticeSchema>;

export const OutboxNoticeDismissedSchema = z.object({ noticeId: OutboxNoticeIdSchema });
export type OutboxNoticeDismissed = z.infer<typeof OutboxNoticeDismissedSchema>;

/** The draft as `outbox.undo` returns it: exactly what was enqueued. */
export const UndoResultSchema = z.object({
  draft: MessageDraftSchema,
  accountId: z.string(),
});
export type UndoResult = z.input<typeof UndoResultSchema>;
