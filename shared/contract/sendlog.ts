/** The send log over IPC: pages of summaries, one full entry (with redacted transcript) at a time. */
import { z } from 'zod';
import { method } from './define.js';
import { SendLogEntrySchema, SendLogPageSchema, SendLogQuerySchema } from '../sendlog.js';

export const sendLogMethods = {
  'log.list': method('A page of send-log entries, newest first, filtered and searched.', z.tuple([SendLogQuerySchema]), SendLogPageSchema),
  'log.get': method('One send-log entry with results, TLS details, timings and the redacted transcript.', z.tuple([z.number().int().min(1)]), SendLogEntrySchema),
};

export const sendLogEvents = {
  /** A new entry was written (after each attempt). */
  'log.appended': z.object({ id: z.number().int() }),
};
