/** Domain types shared by main and renderer, declared as schemas so IPC can validate them. */
import { z } from 'zod';

export const SecuritySchema = z.enum(['tls', 'starttls', 'none']);
/** tls = implicit TLS (port 465), starttls = upgrade on 587/25, none = plaintext (explicit opt-in only). */
export type Security = z.infer<typeof SecuritySchema>;

export const AuthMechanismSchema = z.enum(['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256', 'XOAUTH2', 'OAUTHBEARER']);
export type AuthMechanism = z.infer<typeof AuthMechanismSchema>;

export const LangSchema = z.enum(['de', 'en']);
export type Lang = z.infer<typeof LangSchema>;

/** A provider requirement that people hit before their first send, explained ahead of time. */
export const ProviderRequirementSchema = z.enum(['appPassword', 'enableSmtp', 'oauth', 'separatePassword', 'bridge']);
export type ProviderRequirement = z.infer<typeof ProviderRequirementSchema>;

/** What the error explainer and the UI need to know about a recognised provider. */
export const ProviderHintSchema = z.object({
  id: z.string(),
  name: z.string(),
  requirements: z.array(ProviderRequirementSchema),
  helpUrl: z.string().url().optional(),
});
export type ProviderHint = z.infer<typeof ProviderHintSchema>;

/** The SMTP settings an account sends with. */
export const SmtpSettingsSchema = z.object({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
  /** Pinned mechanism; absent = choose the strongest both sides support. */
  authMechanism: AuthMechanismSchema.optional(),
  /** User name for AUTH; absent = no authentication. */
  username: z.string().max(512).optional(),
  /** Extra trusted CA certificate (PEM) for company servers. Never replaces the system store. */
  extraCaPem: z.string().max(65536).optional(),
  /** Allow a password over an unencrypted connection — honoured only for loopback hosts. */
  allowInsecureAuthOnLoopback: z.boolean().optional(),
});
export type SmtpSettings = z.infer<typeof SmtpSettingsSchema>;

export const SettingsSchema = z.object({
  language: z.enum(['system', 'de', 'en']),
  theme: z.enum(['system', 'light', 'dark']),
  undoSendSeconds: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(30)]),
  /** Give up retrying a temporarily failing message after this many hours. */
  retryGiveUpHours: z.number().int().min(1).max(168),
  onlineIspLookup: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const defaultSettings: Settings = {
  language: 'system',
  theme: 'system',
  undoSendSeconds: 5,
  retryGiveUpHours: 24,
  onlineIspLookup: true,
};
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
