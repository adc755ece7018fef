/**
 * Accounts over IPC. Secrets travel only towards the keychain (create, setSecret,
 * testConnection with a typed password); no method returns one — only `hasSecret`.
 */
import { z } from 'zod';
import { method } from './define.js';
import {
  AccountIdSchema, AccountInputSchema, AccountPatchSchema, AccountSchema, IdentityIdSchema, IdentityInputSchema, IdentityPatchSchema,
  SecretKindSchema, SecretValueSchema,
} from '../account.js';
import { SmtpSettingsSchema } from '../domain.js';
import { AppErrorSchema } from '../errors.js';
import { ExplanationSchema } from '../explanation.js';

export const TestConnectionRequestSchema = z
  .object({
    /** Test a saved account (its settings and, unless `password` is given, its stored password) … */
    accountId: AccountIdSchema.optional(),
    /** … or settings not saved yet (the setup form); overrides the account's settings when both are given. */
    settings: SmtpSettingsSchema.optional(),
    /** A password typed just now; it is used for this test only and not stored. */
    password: SecretValueSchema.optional(),
    /** The provider the set-up form recognised (discovery), for the explanation's hint; a saved account uses its own. */
    providerId: z.string().max(100).optional(),
  })
  .strict()
  .refine((r) => r.accountId !== undefined || r.settings !== undefined, { message: 'accountId or settings is required' });
export type TestConnectionRequest = z.infer<typeof TestConnectionRequestSchema>;

/** Loosely typed until the engine's capability shape is part of the contract. */
export const TestConnectionResultSchema = z.object({
  ok: z.boolean(),
  capabilities: z.record(z.string(), z.unknown()).optional(),
  error: AppErrorSchema.optional(),
  /** On failure: what went wrong, why and what to do, with the provider's hint where known (catalogue keys, any language). */
  explanation: ExplanationSchema.optional(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResultSchema>;

export const accountMethods = {
  'accounts.list': method('All accounts, each with whether a password is stored.', z.tuple([]), z.array(AccountSchema)),
  'accounts.create': method(
    'Create an account (from a discovered or manual configuration), optionally storing its password in the keychain.',
    z.tuple([AccountInputSchema, SecretValueSchema.optional()]),
    AccountSchema,
  ),
  'accounts.update': method('Change some fields of an account; null clears an optional field.', z.tuple([AccountIdSchema, AccountPatchSchema]), AccountSchema),
  'accounts.delete': method('Delete an account and its keychain entries; the send log keeps its entries.', z.tuple([AccountIdSchema]), z.null()),
  'accounts.setDefault': method('Make an account the default sender.', z.tuple([AccountIdSchema]), AccountSchema),
  'accounts.setSecret': method('Store or replace a password or token in the keychain.', z.tuple([AccountIdSchema, SecretKindSchema, SecretValueSchema]), AccountSchema),
  'accounts.deleteSecret': method('Remove a password or token from the keychain.', z.tuple([AccountIdSchema, SecretKindSchema]), AccountSchema),
  'accounts.hasSecret': method('Whether a secret of this kind is stored (never the secret itself).', z.tuple([AccountIdSchema, SecretKindSchema]), z.boolean()),
  'accounts.addIdentity': method(
    'Add a sender identity (name, address, optional reply-to and signature) that sends over this account; returns the account with its identities.',
    z.tuple([AccountIdSchema, IdentityInputSchema]),
    AccountSchema,
  ),
  'accounts.updateIdentity': method(
    'Change some fields of a sender identity; null clears reply-to or signature.',
    z.tuple([AccountIdSchema, IdentityIdSchema, IdentityPatchSchema]),
    AccountSchema,
  ),
  'accounts.removeIdentity': method(
    'Remove a sender identity; queued messages keep their sender, drafts fall back to the account\'s own.',
    z.tuple([AccountIdSchema, IdentityIdSchema]),
    AccountSchema,
  ),
  'accounts.testConnection': method(
    'Connect, log in and disconnect, with the stored password or one typed now; nothing is sent. A saved account keeps what the server offers (SIZE, 8BITMIME, SMTPUTF8).',
    z.tuple([TestConnectionRequestSchema]),
    TestConnectionResultSchema,
  ),
};

export const accountEvents = {
  /** After any change to accounts or their secrets: the full list, as accounts.list returns it. */
  'accounts.changed': z.array(AccountSchema),
  /** Something the person should know about an account change that did not fail it (e.g. keychain entries left behind). */
  'accounts.notice': z.object({ kind: z.string().max(100), messageKey: z.string().max(200), params: z.record(z.string(), z.string().max(2000)) }),
};
