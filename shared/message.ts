/**
 * What a person composed, as it crosses IPC from the compose window to the outbox.
 * The schema checks shape and sizes (the renderer is untrusted); the composer
 * (main/mime) checks meaning — addresses, CR/LF in header values, SMTPUTF8 — and
 * answers with structured errors naming the field and the reason.
 */
import { z } from 'zod';

export const MAX_SUBJECT_LENGTH = 2000;
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;
export const MAX_ATTACHMENTS = 100;
export const MAX_RECIPIENTS = 1000;
export const MAX_CUSTOM_HEADERS = 50;
export const MAX_REFERENCES = 100;

const path = z.string().min(1).max(4096);
const fileName = z.string().min(1).max(255);
/** type/subtype with optional parameters; no CR/LF. */
const contentType = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/, 'type/subtype');
/** A Message-ID as <id@domain> or id@domain; the composer rejects CR/LF and spaces with a clear error. */
const messageIdRef = z.string().min(3).max(998);

export const MailboxInputSchema = z.object({
  name: z.string().max(256).optional(),
  address: z.string().min(1).max(1024),
});
export type MailboxInput = z.infer<typeof MailboxInputSchema>;

export const GroupInputSchema = z.object({
  group: z.string().max(256),
  members: z.array(MailboxInputSchema).max(MAX_RECIPIENTS),
});
export type GroupInput = z.infer<typeof GroupInputSchema>;

/** Recipients as typed ("A <a@x.example>, b@y.example") or as a list of chips already parsed. */
export const RecipientsInputSchema = z.union([
  z.string().max(65_536),
  z.array(z.union([z.string().max(1024), MailboxInputSchema, GroupInputSchema])).max(MAX_RECIPIENTS),
]);
export type RecipientsInput = z.infer<typeof RecipientsInputSchema>;

export const AttachmentInputSchema = z.object({
  /** A file in the main process; read while sending, never loaded whole. */
  path,
  /** File name shown to the recipient; defaults to the path's last segment. */
  name: fileName.optional(),
  /** Defaults to a type from the file extension. */
  contentType: contentType.optional(),
});
export type AttachmentInput = z.infer<typeof AttachmentInputSchema>;

export const InlineImageInputSchema = z.object({
  path,
  /** Referenced from the HTML as cid:<contentId>; without angle brackets. */
  contentId: z.string().min(1).max(250),
  name: fileName.optional(),
  contentType: contentType.optional(),
});
export type InlineImageInput = z.infer<typeof InlineImageInputSchema>;

export const CustomHeaderSchema = z.object({
  name: z.string().min(1).max(76),
  value: z.string().max(998),
});
export type CustomHeader = z.infer<typeof CustomHeaderSchema>;

export const ImportanceSchema = z.enum(['high', 'normal', 'low']);
export type Importance = z.infer<typeof ImportanceSchema>;

export const MessageDraftSchema = z.object({
  /** The sender as it goes out: From, and (its address) the envelope's MAIL FROM. */
  from: MailboxInputSchema,
  /**
   * Which identity of the account `from` was taken from (absent: the account's own). The
   * compose screen resolves it into `from` and `replyTo` (see shared/sender.ts); it stays
   * with the message so one taken back from the outbox reopens with the same sender.
   */
  identityId: z.string().min(1).max(64).optional(),
  to: RecipientsInputSchema.default([]),
  cc: RecipientsInputSchema.default([]),
  bcc: RecipientsInputSchema.default([]),
  replyTo: RecipientsInputSchema.optional(),
  subject: z.string().max(MAX_SUBJECT_LENGTH).default(''),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  html: z.string().max(MAX_TEXT_LENGTH * 2).optional(),
  attachments: z.array(AttachmentInputSchema).max(MAX_ATTACHMENTS).default([]),
  inlineImages: z.array(InlineImageInputSchema).max(MAX_ATTACHMENTS).default([]),
  inReplyTo: messageIdRef.optional(),
  references: z.array(messageIdRef).max(MAX_REFERENCES).optional(),
  /** Ask for a read receipt (Disposition-Notification-To, RFC 8098). */
  readReceipt: z.boolean().optional(),
  importance: ImportanceSchema.optional(),
  customHeaders: z.array(CustomHeaderSchema).max(MAX_CUSTOM_HEADERS).optional(),
});
/** A draft after validation (defaults filled in). */
export type MessageDraft = z.output<typeof MessageDraftSchema>;
/** A draft as the compose window builds it. */
export type MessageDraftInput = z.input<typeof MessageDraftSchema>;
