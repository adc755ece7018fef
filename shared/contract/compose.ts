/**
 * What the compose screen needs besides the outbox: autosaved drafts and address
 * suggestions from the people you wrote to before.
 */
import { z } from 'zod';
import { method } from './define.js';

/** An attachment as the compose screen remembers it in a draft (the file is staged in main). */
export const DraftAttachmentSchema = z.object({
  /** Id from attachments.stage, or a path main can read. */
  ref: z.string().min(1).max(4096),
  name: z.string().min(1).max(255),
  size: z.number().int().min(0),
  contentType: z.string().max(255).optional(),
});
export type DraftAttachment = z.infer<typeof DraftAttachmentSchema>;

const addressList = z.array(z.string().max(1024)).max(1000);

/** The compose screen's state, saved as it is typed. */
export const ComposeDraftSchema = z.object({
  accountId: z.string().max(64).nullable(),
  /** The sender identity chosen under From (absent: the account's own sender). */
  identityId: z.string().min(1).max(64).optional(),
  to: addressList,
  cc: addressList,
  bcc: addressList,
  subject: z.string().max(2000),
  mode: z.enum(['plain', 'rich']),
  text: z.string().max(16 * 1024 * 1024),
  html: z.string().max(32 * 1024 * 1024),
  attachments: z.array(DraftAttachmentSchema).max(100),
});
export type ComposeDraft = z.infer<typeof ComposeDraftSchema>;

export const DraftSummarySchema = z.object({
  id: z.string(),
  accountId: z.string().nullable(),
  subject: z.string(),
  recipients: z.array(z.string()),
  /** The first words of the body, for the drafts list. */
  preview: z.string(),
  attachmentCount: z.number().int(),
  updatedAt: z.number().int(),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

export const StoredDraftSchema = z.object({
  id: z.string(),
  draft: ComposeDraftSchema,
  updatedAt: z.number().int(),
});
export type StoredComposeDraft = z.infer<typeof StoredDraftSchema>;

export const AddressSuggestionSchema = z.object({
  address: z.string(),
  name: z.string().nullable(),
  useCount: z.number().int(),
  lastUsedAt: z.number().int(),
});
export type AddressSuggestionView = z.infer<typeof AddressSuggestionSchema>;

const DraftIdSchema = z.string().min(1).max(64);

export const composeMethods = {
  'drafts.save': method('Create (no id) or replace an autosaved draft; returns its summary.',
    z.tuple([z.object({ id: DraftIdSchema.optional(), draft: ComposeDraftSchema }).strict()]), DraftSummarySchema),
  'drafts.list': method('Autosaved drafts, newest first.', z.tuple([]), z.array(DraftSummarySchema)),
  'drafts.get': method('One draft with everything the compose screen needs to reopen it.', z.tuple([DraftIdSchema]), StoredDraftSchema),
  'drafts.delete': method('Delete a draft (after sending it, or when the person discards it).', z.tuple([DraftIdSchema]), z.boolean()),
  'addresses.suggest': method('Addresses and names starting with the typed text, most used first.',
    z.tuple([z.string().max(320), z.number().int().min(1).max(50).optional()]), z.array(AddressSuggestionSchema)),
  'addresses.forget': method('Remove an address from the suggestions.', z.tuple([z.string().min(1).max(320)]), z.boolean()),
};

export const composeEvents = {
  /** After a draft was saved or deleted (another window may show the list). */
  'drafts.changed': z.object({ id: z.string() }),
};
