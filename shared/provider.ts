/**
 * Provider presets and discovery results, declared as schemas: the preset data file is
 * validated against them when it is loaded, and the discovery result crosses IPC.
 */
import { z } from 'zod';
import {
  AuthMechanismSchema, LangSchema, ProviderRequirementSchema, SecuritySchema,
  type ProviderHint, type ProviderRequirement,
} from './domain.js';

export const UsernameFormSchema = z.enum(['address', 'localPart']);
/** address = the full e-mail address, localPart = the part before "@" (Web.de, free.fr). */
export type UsernameForm = z.infer<typeof UsernameFormSchema>;

const hostPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const HostSchema = z.string().regex(hostPattern, 'lower-case host name');
const DomainSchema = z.string().regex(hostPattern, 'lower-case domain').refine((d) => d.includes('.'), 'a domain has a dot');
const LocalizedSchema = z.object({ de: z.string().min(3), en: z.string().min(3) }).strict();
export type Localized = z.infer<typeof LocalizedSchema>;

export const PresetServerSchema = z.object({
  /** A host name, or the placeholder "%MXHOST%" for hosters whose submission server is the domain's own MX host. */
  host: z.union([HostSchema, z.literal('%MXHOST%')]),
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
}).strict();
export type PresetServer = z.infer<typeof PresetServerSchema>;

export const ProviderPresetSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(2),
  /** Every address domain of the provider (aliases included). Empty for hosters recognised by MX only. */
  domains: z.array(DomainSchema),
  /** MX host suffixes that identify the provider for custom domains ("google.com" matches "aspmx.l.google.com"). */
  mxPatterns: z.array(DomainSchema),
  /** Submission servers, best first: implicit TLS on 465 before STARTTLS on 587 (RFC 8314). Empty = no SMTP access. */
  smtp: z.array(PresetServerSchema),
  authMechanisms: z.array(AuthMechanismSchema),
  usernameForm: UsernameFormSchema,
  requirements: z.array(ProviderRequirementSchema),
  /** The provider's requirement in our words, when there is one. */
  requirementText: LocalizedSchema.optional(),
  helpUrl: z.string().url().refine((u) => u.startsWith('https://'), 'help links use https'),
  /** Where the source article's port differs from what the provider recommends, or other caveats. */
  note: LocalizedSchema.optional(),
  /** True when the provider offers no SMTP access at all (say so instead of searching). */
  noSmtp: z.boolean().optional(),
}).strict().superRefine((p, ctx) => {
  if (p.noSmtp && p.smtp.length > 0) ctx.addIssue({ code: 'custom', message: 'noSmtp providers list no servers' });
  if (!p.noSmtp && p.smtp.length === 0) ctx.addIssue({ code: 'custom', message: 'a provider with SMTP lists at least one server' });
  if (p.requirements.length > 0 && !p.requirementText) ctx.addIssue({ code: 'custom', message: 'requirements need words (requirementText)' });
  if (p.domains.length === 0 && p.mxPatterns.length === 0) ctx.addIssue({ code: 'custom', message: 'a preset needs domains or MX patterns' });
});
export type ProviderPreset = z.infer<typeof ProviderPresetSchema>;

export const ProviderPresetFileSchema = z.object({
  version: z.literal(1),
  providers: z.array(ProviderPresetSchema).min(1),
}).strict().superRefine((file, ctx) => {
  const ids = new Set<string>();
  const domains = new Map<string, string>();
  for (const p of file.providers) {
    if (ids.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate provider id ${p.id}` });
    ids.add(p.id);
    for (const d of p.domains) {
      const other = domains.get(d);
      if (other) ctx.addIssue({ code: 'custom', message: `domain ${d} belongs to both ${other} and ${p.id}` });
      domains.set(d, p.id);
    }
  }
});
export type ProviderPresetFile = z.infer<typeof ProviderPresetFileSchema>;

/** What the error explainer and the UI need from a preset. */
export const toProviderHint = (preset: ProviderPreset): ProviderHint => ({
  id: preset.id,
  name: preset.name,
  requirements: [...preset.requirements],
  helpUrl: preset.helpUrl,
});

/** A provider as the account set-up screen lists it. */
export const ProviderSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  requirements: z.array(ProviderRequirementSchema),
  helpUrl: z.string(),
  requirementText: LocalizedSchema.optional(),
  note: LocalizedSchema.optional(),
  noSmtp: z.boolean(),
});
export type ProviderSummary = z.infer<typeof ProviderSummarySchema>;

export const toProviderSummary = (p: ProviderPreset): ProviderSummary => ({
  id: p.id,
  name: p.name,
  domains: [...p.domains],
  requirements: [...p.requirements],
  helpUrl: p.helpUrl,
  ...(p.requirementText ? { requirementText: p.requirementText } : {}),
  ...(p.note ? { note: p.note } : {}),
  noSmtp: p.noSmtp === true,
});

/** The words for a requirement in one language: the provider's own when given, else none. */
export const requirementWords = (p: ProviderPreset, lang: z.infer<typeof LangSchema>): string | undefined =>
  p.requirementText?.[lang];

export const hasRequirement = (p: { requirements: readonly ProviderRequirement[] }, r: ProviderRequirement): boolean =>
  p.requirements.includes(r);

// ---------------------------------------------------------------------------------------
// Discovery results

/** Where a candidate came from; each is a catalogue key autoconfig.source.<key>. */
export const CandidateSourceSchema = z.enum([
  'preset', 'offlineTable', 'autoconfig', 'autoconfigWellKnown', 'autoconfigHttp', 'ispdbOnline',
  'srv', 'mxPreset', 'mxTable', 'probe',
]);
export type CandidateSource = z.infer<typeof CandidateSourceSchema>;

export const TrustLevelSchema = z.enum(['high', 'medium', 'low']);
export type TrustLevel = z.infer<typeof TrustLevelSchema>;

/** Warnings a candidate can carry; catalogue keys autoconfig.warning.<key>. */
export const CandidateWarningSchema = z.enum([
  'plaintextOnly', 'certificateProblem', 'unencryptedSource', 'redirectedToOtherDomain', 'targetOutsideDomain', 'noAuthOffered',
]);
export type CandidateWarning = z.infer<typeof CandidateWarningSchema>;

export const DiscoveredCandidateSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  security: SecuritySchema,
  /** The user name to authenticate with, already resolved for this address. */
  username: z.string(),
  authMechanisms: z.array(AuthMechanismSchema),
  source: CandidateSourceSchema,
  /** Parameters for the source words: provider name, URL, SRV name, MX host. */
  sourceParams: z.record(z.string(), z.string()),
  /** Other sources that named the same server (agreement raises confidence). */
  confirmedBy: z.array(CandidateSourceSchema),
  trust: TrustLevelSchema,
  warnings: z.array(CandidateWarningSchema),
  providerId: z.string().optional(),
});
export type DiscoveredCandidate = z.infer<typeof DiscoveredCandidateSchema>;

export const DiscoveryStepSchema = z.enum([
  'preset', 'offlineTable', 'autoconfig', 'autoconfigWellKnown', 'autoconfigHttp', 'ispdbOnline',
  'srvSubmissions', 'srvSubmission', 'mx', 'probe',
]);
export type DiscoveryStep = z.infer<typeof DiscoveryStepSchema>;

/** One thing that was tried: for "no settings found — this is what we tried". */
export const DiscoveryAttemptSchema = z.object({
  step: DiscoveryStepSchema,
  /** URL, DNS name, or host:port probed. */
  target: z.string(),
  outcome: z.enum(['found', 'nothing', 'failed', 'timeout', 'skipped']),
  /** Catalogue key explaining the outcome (autoconfig.attempt.*). */
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  ms: z.number(),
});
export type DiscoveryAttempt = z.infer<typeof DiscoveryAttemptSchema>;

export const DiscoveryResultSchema = z.object({
  address: z.string(),
  domain: z.string(),
  status: z.enum(['found', 'notFound', 'noSmtp', 'invalidAddress']),
  /** Catalogue key of the headline (autoconfig.result.*). */
  messageKey: z.string(),
  provider: ProviderSummarySchema.optional(),
  candidates: z.array(DiscoveredCandidateSchema),
  attempts: z.array(DiscoveryAttemptSchema),
  elapsedMs: z.number(),
});
export type DiscoveryResult = z.infer<typeof DiscoveryResultSchema>;
