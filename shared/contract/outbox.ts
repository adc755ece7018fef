/**
 * The outbox over IPC: enqueue (with undo window and send later), inspect, undo, cancel,
 * retry, resolve "may have been sent", warm up a session, and upload attachment bytes.
 */
import { z } from 'zod';
import { method } from './define.js';
import { AccountIdSchema } from '../account.js';
import { MessageDraftSchema } from '../message.js';
import {
  EnqueueOptionsSchema, ListOutboxQuerySchema, OutboxChangedSchema, OutboxEntrySummarySchema, OutboxIdSchema, OutboxNoticeDismissedSchema,
  OutboxNoticeIdSchema, OutboxNoticeSchema, OutboxOutcomeSchema, OutboxProgressSchema, StageAttachmentRequestSchema, StagedAttachmentSchema, UndoResultSchema,
  WarmUpResultSchema,
} from '../outbox.js';

export const outboxMethods = {
  'outbox.enqueue': method(
    'Store a message durably in the outbox (attachments copied), then send it after the undo window or at sendAt.',
    z.tuple([MessageDraftSchema, EnqueueOptionsSchema]),
    OutboxEntrySummarySchema,
  ),
  'outbox.list': method('Entries of the outbox, oldest first.', z.tuple([ListOutboxQuerySchema.optional()]), z.array(OutboxEntrySummarySchema)),
  'outbox.get': method('One outbox entry with its last explanation.', z.tuple([OutboxIdSchema]), OutboxEntrySummarySchema),
  'outbox.undo': method(
    'Take a message back while no server has it (undo window, send later, deferred, failed, cancelled; never once a recipient has it): the draft as it was enqueued.',
    z.tuple([OutboxIdSchema]),
    UndoResultSchema,
  ),
  'outbox.cancel': method('Stop a message, also while it is being sent; it stays in the outbox as cancelled.', z.tuple([OutboxIdSchema]), OutboxEntrySummarySchema),
  'outbox.retryNow': method(
    'Try a deferred, failed or scheduled message now; after failed or cancelled, to every recipient that does not have it yet.',
    z.tuple([OutboxIdSchema]),
    OutboxEntrySummarySchema,
  ),
  'outbox.delete': method('Remove a finished entry (sent, failed, cancelled) and its attachment copies.', z.tuple([OutboxIdSchema]), z.null()),
  'outbox.markArrived': method('The person confirms that a "may have been sent" message arrived.', z.tuple([OutboxIdSchema]), OutboxEntrySummarySchema),
  'outbox.resend': method('Send a "may have been sent" message again, with the same Message-ID.', z.tuple([OutboxIdSchema]), OutboxEntrySummarySchema),
  'outbox.warmUp': method('Open and authenticate the account\'s SMTP session ahead of Send (composing started).', z.tuple([AccountIdSchema]), WarmUpResultSchema),
  'outbox.online': method('Hint that the network is back: deferred messages are tried now.', z.tuple([]), z.null()),
  'outbox.notices': method(
    'Start-up notices the person has not dismissed yet (overdue send-later messages, reconciled crashes), oldest first.',
    z.tuple([]),
    z.array(OutboxNoticeSchema),
  ),
  'outbox.dismissNotice': method('The person has read a notice: it is no longer returned (unknown ids are ignored).', z.tuple([OutboxNoticeIdSchema]), z.null()),
  'attachments.stage': method(
    'Upload an attachment\'s bytes into the staging folder; returns the path to use in a draft.',
    z.tuple([StageAttachmentRequestSchema]),
    StagedAttachmentSchema,
  ),
};

export const outboxEvents = {
  /** An entry was added, changed state or was removed (entry null). */
  'outbox.changed': OutboxChangedSchema,
  /** Phase and bytes of the message being sent (throttled). */
  'outbox.progress': OutboxProgressSchema,
  /** The end of an attempt: sent, sent with warnings, deferred, failed, unconfirmed, cancelled. */
  'outbox.outcome': OutboxOutcomeSchema,
  /** Things the person should be told about at start-up (overdue send-later messages sent now…); also kept for outbox.notices. */
  'outbox.notice': OutboxNoticeSchema,
  /** A notice was dismissed (in this or another window). */
  'outbox.noticeDismissed': OutboxNoticeDismissedSchema,
};
