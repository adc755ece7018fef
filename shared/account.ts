/**
 * Accounts as the contract sees them. An account is a sending identity (name, address,
 * signature) plus the SMTP settings it sends with, and any further identities (aliases)
 * that send over the same server. Secrets are never part of it: only whether one is
 * stored (`hasSecret`).
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

/** At most this many identities per account besides its own (a From list people can still read). */
export const MAX_IDENTITIES_PER_ACCOUNT = 50;
export const MAX_IDENTITY_NAME_LENGTH = 200;
export const MAX_SIGNATURE_LENGTH = 20000;

export const IdentityIdSchema = z.string().min(1).max(64);

/**
 * A further sender of an account (an alias): the name and address its messages show in From
 * and use as the envelope sender, where replies should go, and its own signature. The account's
 * own name and address stay its default identity and are not in this list.
 */
export const IdentitySchema = z.object({
  id: IdentityIdSchema,
  name: z.string().max(MAX_IDENTITY_NAME_LENGTH),
  address: z.string().max(254),
  replyTo: z.string().max(254).optional(),
  /** Absent: the account's signature is used. */
  signature: z.string().max(MAX_SIGNATURE_LENGTH).optional(),
});
export type Identity = z.infer<typeof IdentitySchema>;

/**
 * An identity as the add form sends it. The contract checks only its shape and generous
 * sizes; what the values mean is checked by `checkIdentity`, whose refusals name the field
 * and have a text of their own (a zod message would be English in a German sentence).
 */
export const IdentityInputSchema = z
  .object({
    name: z.string().max(4 * MAX_IDENTITY_NAME_LENGTH),
    address: z.string().max(2048),
    replyTo: z.string().max(2048).optional(),
    signature: z.string().max(4 * MAX_SIGNATURE_LENGTH).optional(),
  })
  .strict();
export type IdentityInput = z.infer<typeof IdentityInputSchema>;

/** Fields of an identity to change; absent = keep, `null` clears reply-to or signature. */
export const IdentityPatchSchema = z
  .object({
    name: IdentityInputSchema.shape.name,
    address: IdentityInputSchema.shape.address,
    replyTo: z.string().max(2048).nullable(),
    signature: z.string().max(4 * MAX_SIGNATURE_LENGTH).nullable(),
  })
  .partial()
  .strict();
export type IdentityPatch = z.infer<typeof IdentityPatchSchema>;

/** Which field of an identity a refusal concerns, so a form can show it there. */
export type IdentityField = 'name' | 'address' | 'replyTo' | 'signature';

/** Why an identity was refused: the kind (its text is `store.<kind>`), the field and the text's parameters. */
export interface IdentityProblem {
  kind:
    | 'identity.nameTooLong' | 'identity.nameLineBreak' | 'identity.addressMissing' | 'identity.addressInvalid'
    | 'identity.replyToInvalid' | 'identity.signatureTooLong' | 'identity.duplicate';
  field: IdentityField;
  params: Record<string, string | number>;
}

/** An identity's values after checking: trimmed, reply-to and signature absent when empty. */
export type CheckedIdentity = Omit<Identity, 'id'>;

/** A value shown back in a refusal: long enough to recognise, short enough for one line. */
const shown = (value: string): string => (value.length > 80 ? `${value.slice(0, 79)}…` : value);

/**
 * What the values of an identity mean, checked in one place for the form (as the person types)
 * and the store (which the CLI and a compromised renderer reach too): a name on one line and
 * bounded, addresses the RFC 5322 validator accepts, a bounded signature.
 */
export function checkIdentity(input: IdentityInput): { ok: true; value: CheckedIdentity } | { ok: false; problem: IdentityProblem } {
  const name = input.name.trim();
  const address = input.address.trim();
  const replyTo = input.replyTo?.trim() ?? '';
  const signature = input.signature ?? '';
  if (!noLineBreaks(name)) return { ok: false, problem: { kind: 'identity.nameLineBreak', field: 'name', params: {} } };
  if (name.length > MAX_IDENTITY_NAME_LENGTH) return { ok: false, problem: { kind: 'identity.nameTooLong', field: 'name', params: { max: MAX_IDENTITY_NAME_LENGTH } } };
  if (address === '') return { ok: false, problem: { kind: 'identity.addressMissing', field: 'address', params: {} } };
  if (address.length > 254 || !isPlausibleAddress(address)) return { ok: false, problem: { kind: 'identity.addressInvalid', field: 'address', params: { address: shown(address) } } };
  if (replyTo !== '' && (replyTo.length > 254 || !isPlausibleAddress(replyTo))) {
    return { ok: false, problem: { kind: 'identity.replyToInvalid', field: 'replyTo', params: { address: shown(replyTo) } } };
  }
  if (signature.length > MAX_SIGNATURE_LENGTH) return { ok: false, problem: { kind: 'identity.signatureTooLong', field: 'signature', params: { max: MAX_SIGNATURE_LENGTH } } };
  return { ok: true, value: { name, address, ...(replyTo ? { replyTo } : {}), ...(signature.trim() ? { signature } : {}) } };
}

/**
 * Two senders of one account are the same when name and address are (ignoring case and the
 * spaces around them): the From list could not tell them apart. The same address under
 * another name is a different sender ("Anna" and "Anna – Support"), as is the same sender
 * on another account.
 */
export const sameSender = (a: { name: string; address: string }, b: { name: string; address: string }): boolean =>
  a.name.trim().toLowerCase() === b.name.trim().toLowerCase() && a.address.trim().toLowerCase() === b.address.trim().toLowerCase();

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
  /**
   * Further senders over this account's server; its own name and address are the default one.
   * Absent means none (callers that predate identities build accounts without the field).
   */
  identities: z.array(IdentitySchema).max(MAX_IDENTITIES_PER_ACCOUNT).optional(),
});
export type Account = z.infer<typeof AccountSchema>;
