/**
 * The send log: one entry per delivery attempt, with everything needed to explain it
 * afterwards (per-recipient results, TLS facts, timings, the redacted transcript).
 */
import { z } from 'zod';
import { AppErrorSchema } from './errors.js';

export const SendLogStatusSchema = z.enum(['sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed', 'cancelled']);
export type SendLogStatus = z.infer<typeof SendLogStatusSchema>;

export const RecipientResultSchema = z.object({
  address: z.string(),
  accepted: z.boolean(),
  code: z.number().int(),
  enhancedCode: z.string().optional(),
  message: z.string(),
});

export const TranscriptLineSchema = z.object({
  t: z.number(),
  dir: z.enum(['C', 'S', 'I']),
  phase: z.string(),
  line: z.string(),
});

export const TlsDetailsSchema = z.record(z.string(), z.unknown());
/** The explanation is produced by main/errors; stored here as an opaque JSON object. */
export const ExplanationSchema = z.record(z.string(), z.unknown());

/** What the list shows: cheap columns only. */
export const SendLogSummarySchema = z.object({
  id: z.number().int(),
  time: z.number().int(),
  accountId: z.string().nullable(),
  outboxId: z.string().nullable(),
  envelopeFrom: z.string(),
  recipients: z.array(z.string()),
  subject: z.string(),
  size: z.number().int().nullable(),
  status: SendLogStatusSchema,
  errorText: z.string().nullable(),
  durationMs: z.number().int().nullable(),
});
export type SendLogSummary = z.infer<typeof SendLogSummarySchema>;

export const SendLogEntrySchema = SendLogSummarySchema.extend({
  results: z.array(RecipientResultSchema),
  tls: TlsDetailsSchema.nullable(),
  timings: z.record(z.string(), z.number()),
  transcript: z.array(TranscriptLineSchema),
  explanation: ExplanationSchema.nullable(),
  error: AppErrorSchema.nullable(),
});
export type SendLogEntry = z.infer<typeof SendLogEntrySchema>;

/** What the outbox writes after an attempt (the id is assigned by the database). */
export const NewSendLogEntrySchema = SendLogEntrySchema.omit({ id: true }).extend({
  accountId: z.string().nullable().optional(),
  outboxId: z.string().nullable().optional(),
  size: z.number().int().nullable().optional(),
  errorText: z.string().nullable().optional(),
  durationMs: z.number().int().nullable().optional(),
  results: z.array(RecipientResultSchema).optional(),
  tls: TlsDetailsSchema.nullable().optional(),
  timings: z.record(z.string(), z.number()).optional(),
  transcript: z.array(TranscriptLineSchema).optional(),
  explanation: ExplanationSchema.nullable().optional(),
  error: AppErrorSchema.nullable().optional(),
});
export type NewSendLogEntry = z.input<typeof NewSendLogEntrySchema>;

export const SendLogQuerySchema = z
  .object({
    status: z.array(SendLogStatusSchema).max(6).optional(),
    accountId: z.string().max(64).optional(),
    /** Inclusive lower bound, ms since the epoch. */
    from: z.number().int().optional(),
    /** Exclusive upper bound, ms since the epoch. */
    to: z.number().int().optional(),
    /** Words to find in subject, recipients and error text. */
    search: z.string().max(500).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** The `nextCursor` of the previous page, or `sendLogCursorOf` the row just above the page. */
    before: z.string().max(100).optional(),
    /**
     * Skip this many matching entries (newest first): a list jumps to any row (End, a dragged
     * scroll bar) without loading everything above it. Continue from a loaded row with `before`,
     * which stays exact while new entries arrive.
     */
    offset: z.number().int().min(0).max(100_000_000).optional(),
  })
  .strict()
  .refine((q) => q.before === undefined || q.offset === undefined, { message: 'give either before or offset, not both', path: ['offset'] });
export type SendLogQuery = z.input<typeof SendLogQuerySchema>;

export const SendLogPageSchema = z.object({
  entries: z.array(SendLogSummarySchema),
  /** Pass as `before` to get the next (older) page; null at the end. */
  nextCursor: z.string().nullable(),
  /**
   * How many entries match the query's filters and search, counted with the first page
   * (a query without `before`) so a list can size itself once; absent on later pages.
   */
  total: z.number().int().nonnegative().optional(),
});
export type SendLogPage = z.infer<typeof SendLogPageSchema>;

/** The cursor that continues a newest-first listing right after this entry (`before`). */
export const sendLogCursorOf = (entry: Pick<SendLogSummary, 'time' | 'id'>): string => `${entry.time}:${entry.id}`;
