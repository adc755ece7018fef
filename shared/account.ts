/**
 * Accounts as the contract sees them. An account is a sending identity (name, address,
 * signature) plus the SMTP settings it sends with. Secrets are never part of it: only
 * whether one is stored (`hasSecret`).
 */
import { z } from 'zod';
import { validateAddress } from './address.js';
import { SmtpSettingsSchema } from './domain.js';

/** An account's address is checked by the same RFC 5322 validator the composer and the address chips use. */
export const isPlausibleAddress = (value: string): boolean => !/[\r\n]/.test(value) && validateAddress(value).ok;

export const EmailAddressSchema = z.string().trim().min(3).max(254).refine(isPlausibleAddress, { message: 'invalid e-mail address' });

export const SecretKindSchema = z.enum(['password', 'oauth-refresh', 'oauth-access']);
export type SecretKind = z.infer<typeof SecretKindSchema>;

/** A secret as typed by the user: only ever travels towards the keychain. */
export const SecretValueSchema = z.string().min(1).max(16384);

const noLineBreaks = (v: string): boolean => !/[\r\n]/.test(v);

export const AccountInputSchema = SmtpSettingsSchema.extend({
  displayName: z.string().trim().max(200).refine(noLineBreaks, { message: 'line breaks are not allowed' }),
  address: EmailAddressSchema,
  /** Id of the provider preset the settings came from (autoconfig), if any. */
  providerId: z.string().max(100).optional(),
  signature: z.string().max(20000).optional(),
});
export type AccountInput = z.infer<typeof AccountInputSchema>;

/** Fields to change; absent = keep. `null` clears an optional field. */
export const AccountPatchSchema = z
  .object({
    displayName: AccountInputSchema.shape.displayName,
    address: EmailAddressSchema,
    providerId: z.string().max(100).nullable(),
    signature: z.string().max(20000).nullable(),
    host: SmtpSettingsSchema.shape.host,
    port: SmtpSettingsSchema.shape.port,
    security: SmtpSettingsSchema.shape.security,
    authMechanism: SmtpSettingsSchema.shape.authMechanism.unwrap().nullable(),
    username: z.string().max(512).nullable(),
    extraCaPem: z.string().max(65536).nullable(),
    allowInsecureAuthOnLoopback: z.boolean(),
  })
  .partial()
  .strict();
export type AccountPatch = z.infer<typeof AccountPatchSchema>;

export const AccountIdSchema = z.string().min(1).max(64);

/**
 * What the last successful connection test learnt about the account's server and compose
 * needs before anything is sent: the SIZE limit (RFC 1870; absent when none was announced),
 * whether 8BITMIME (RFC 6152) and SMTPUTF8 (RFC 6531) are offered, and when that was.
 * Absent until a test succeeds; cleared when the server settings change.
 */
export const LearntCapabilitiesSchema = z.object({
  sizeLimit: z.number().int().positive().optional(),
  eightBitMime: z.boolean(),
  smtpUtf8: z.boolean(),
  testedAt: z.number().int(),
});
export type LearntCapabilities = z.infer<typeof LearntCapabilitiesSchema>;

export const AccountSchema = AccountInputSchema.extend({
  id: AccountIdSchema,
  isDefault: z.boolean(),
  /** A password (or OAuth refresh token) is stored in the keychain. */
  hasSecret: z.boolean(),
  /** What the keychain said: stored, missing, or unknown (the keychain could not be asked). */
  secretStatus: z.enum(['stored', 'missing', 'unknown']),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** The server's capabilities from the last successful connection test, if any. */
  learnt: LearntCapabilitiesSchema.optional(),
});
export type Account = z.infer<typeof AccountSchema>;
