/**
 * An explained delivery failure: what the renderer shows, the send log stores and the CLI
 * prints. The value carries catalogue keys and parameters, never finished sentences, so
 * the same stored explanation reads correctly in German and in English; renderExplanation
 * turns it into words.
 */
import { z } from 'zod';
import type { Lang } from './domain.js';
import { DeliveryPhaseSchema, type AppError, type DeliveryPhase, type FailureDetail } from './errors.js';
import { describeEnhancedCode } from './enhanced-status.js';
import { errorsDe } from './i18n/errors.de.js';
import { errorsEn } from './i18n/errors.en.js';

/** Every kind the explainer produces. Stable: stored in send logs, used by the UI. */
export const explanationKinds = [
  'network.hostNotFound', 'network.dnsTemporary', 'network.connectionRefused', 'network.connectTimeout',
  'network.hostUnreachable', 'network.offline', 'network.connectionReset', 'network.error',
  'tls.certificateExpired', 'tls.certificateNotYetValid', 'tls.untrustedCertificate', 'tls.hostnameMismatch',
  'tls.wrongPortSecurity', 'tls.versionTooOld', 'tls.startTlsNotOffered', 'tls.startTlsRefused',
  'tls.injectionBeforeHandshake', 'tls.serverRequiresEncryption', 'tls.handshakeFailed',
  'greeting.rejected', 'greeting.unavailable', 'greeting.ehloRejected',
  'auth.wrongCredentials', 'auth.appPasswordRequired', 'auth.webLoginRequired', 'auth.required',
  'auth.encryptionRequired', 'auth.mechanismUnsupported', 'auth.mechanismTooWeak', 'auth.temporaryFailure',
  'auth.tooManyAttempts', 'auth.oauthRejected', 'auth.basicAuthDisabled', 'auth.accountDisabled',
  'auth.notOffered', 'auth.serverNotVerified', 'auth.refusedButDelivered', 'security.plaintextAuthRefused',
  'sender.rejected', 'sender.notOwned', 'sender.relayDenied', 'sender.blocklisted',
  'recipient.unknownUser', 'recipient.badDomain', 'recipient.badSyntax', 'recipient.mailboxFull',
  'recipient.mailboxDisabled', 'recipient.moved', 'recipient.tooMany', 'recipient.rejected',
  'recipient.allRejected', 'recipient.partialSuccess',
  'content.tooLargeBeforeSend', 'content.tooLarge', 'content.spam', 'content.rejectedByPolicy',
  'content.senderAuthFailed', 'content.eightBitUnsupported', 'content.utf8Unsupported',
  'server.unavailable', 'server.greylisted', 'server.busy', 'server.localError', 'server.protocolError',
  'limit.rateLimited', 'limit.dailyQuota', 'limit.accountSuspended',
  'timeout.tls', 'timeout.greeting', 'timeout.command', 'timeout.data',
  'uncertain.mayHaveBeenDelivered', 'cancelled', 'input.invalid', 'input.attachmentUnreadable',
  'unknown.temporary', 'unknown.permanent', 'unknown.error',
] as const;
export type ExplanationKind = (typeof explanationKinds)[number];

/**
 * A parameter of a catalogue text: a plain value, another catalogue text ({ ref }), the
 * meaning of an enhanced status code ({ enhanced }) or a size in bytes shown in MB ({ mb }).
 */
export const TextParamSchema = z.union([
  z.string(),
  z.number(),
  z.object({ ref: z.string() }),
  z.object({ enhanced: z.string() }),
  z.object({ mb: z.number() }),
]);
export type TextParam = z.infer<typeof TextParamSchema>;

export const TextRefSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), TextParamSchema).optional(),
});
export type TextRef = z.infer<typeof TextRefSchema>;

export const ExplanationTechnicalSchema = z.object({
  phase: DeliveryPhaseSchema,
  /** The engine's classification ('reply', 'timeout', 'network', 'tls', …). */
  cause: z.string(),
  code: z.number().int().optional(),
  enhancedCode: z.string().optional(),
  /** Registry key of the enhanced code's meaning, "X.7.8" (or "X.7.*" for an unregistered detail). */
  enhancedMeaning: z.string().optional(),
  /** Verbatim; shown only in the technical section, never as the explanation itself. */
  serverText: z.string().optional(),
  systemCode: z.string().optional(),
  /** The engine's short English description, for logs and support desks. */
  message: z.string(),
  host: z.string().optional(),
  port: z.number().int().optional(),
  security: z.string().optional(),
});
export type ExplanationTechnical = z.infer<typeof ExplanationTechnicalSchema>;

export const ExplanationSchema = z.object({
  kind: z.string(),
  title: TextRefSchema,
  happened: TextRefSchema,
  cause: TextRefSchema,
  actions: z.array(TextRefSchema).min(1),
  /** Trying again later can help (the condition is temporary). */
  retryable: z.boolean(),
  /** Sending the same message the same way will keep failing. */
  permanent: z.boolean(),
  /** The outbox retries this by itself (greylisting, temporary server trouble). */
  autoRetry: z.boolean(),
  /** The recipient(s) it concerns; empty when it concerns the whole message. */
  recipients: z.array(z.string()),
  provider: z.object({ id: z.string(), name: z.string() }).optional(),
  technical: ExplanationTechnicalSchema,
});
export type Explanation = z.infer<typeof ExplanationSchema>;

export interface RenderedExplanation {
  title: string;
  happened: string;
  cause: string;
  actions: string[];
  technical: string[];
}

const catalogues: Record<Lang, Record<string, string>> = { de: errorsDe, en: errorsEn };

/** Catalogue key of each phase's name, for "while …" texts and the technical section. */
export const phaseKeys: Readonly<Record<DeliveryPhase, string>> = {
  input: 'phase.input', config: 'phase.config', compose: 'phase.compose', keychain: 'phase.keychain',
  dns: 'phase.dns', connect: 'phase.connect', tls: 'phase.tls', greeting: 'phase.greeting', ehlo: 'phase.ehlo',
  starttls: 'phase.starttls', auth: 'phase.auth', mail: 'phase.mail', rcpt: 'phase.rcpt', data: 'phase.data',
  quit: 'phase.quit', discovery: 'phase.discovery', storage: 'phase.storage', internal: 'phase.internal',
};

const securityLabels: Record<string, string> = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: 'none' };

const locale = (lang: Lang): string => (lang === 'de' ? 'de-DE' : 'en-GB');

/**
 * How precisely sizes are shown: at least this many decimals in MB (null: exactly, in bytes).
 * Below 10 MB one decimal is always shown, from 10 MB on whole MB unless more are needed.
 */
type SizePrecision = number | null;

function formatSize(bytes: number, lang: Lang, precision: SizePrecision): string {
  if (precision === null) return lookup('text.bytes', lang).replace('{n}', new Intl.NumberFormat(locale(lang)).format(bytes));
  const mb = bytes / (1024 * 1024);
  const digits = Math.max(mb < 10 ? 1 : 0, precision);
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(mb)} MB`;
}

/**
 * The least precision at which every different size in one text also reads differently:
 * "10.4 MB, but the server accepts at most 10 MB", never "10 MB … at most 10 MB". Sizes
 * closer than a thousandth of a MB are shown exactly, in bytes.
 */
function sizePrecision(sizes: number[], lang: Lang): SizePrecision {
  const distinct = [...new Set(sizes)];
  for (let digits = 0; digits <= 3; digits++) {
    if (new Set(distinct.map((b) => formatSize(b, lang, digits))).size === distinct.length) return digits;
  }
  return null;
}

function lookup(key: string, lang: Lang): string {
  // A key missing in one language falls back to the other, then to a generic sentence:
  // the person always gets words, never the key or "undefined".
  return catalogues[lang][key] ?? catalogues[lang === 'de' ? 'en' : 'de'][key] ?? catalogues[lang]['text.missing'] ?? '…';
}

function renderParam(value: TextParam, lang: Lang, precision: SizePrecision): string {
  if (typeof value === 'string') return value;
  // No digit grouping: numbers here are ports, reply codes and counts ("Port 10465", not "Port 10.465").
  if (typeof value === 'number') return String(value);
  if ('ref' in value) return lookup(value.ref, lang);
  if ('enhanced' in value) return describeEnhancedCode(value.enhanced, lang) ?? value.enhanced;
  return formatSize(value.mb, lang, precision);
}

/** Resolves a catalogue text and fills its {placeholders}; unknown placeholders become "…". */
export function renderText(ref: TextRef, lang: Lang): string {
  const template = lookup(ref.key, lang);
  const sizes = Object.values(ref.params ?? {}).flatMap((v) => (typeof v === 'object' && 'mb' in v ? [v.mb] : []));
  const precision = sizePrecision(sizes, lang);
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const value = ref.params?.[name];
    return value === undefined ? '…' : renderParam(value, lang, precision);
  });
}

/** Words for people, in one language. Pure: the renderer, the CLI and the send log use it. */
export function renderExplanation(expl: Explanation, lang: Lang): RenderedExplanation {
  const t = (key: string): string => lookup(key, lang);
  const tech = expl.technical;
  const technical: string[] = [`${t('tech.phase')}: ${t(phaseKeys[tech.phase])} (${tech.phase})`];
  if (tech.code !== undefined) technical.push(`${t('tech.reply')}: ${tech.code}${tech.enhancedCode ? ` ${tech.enhancedCode}` : ''}`);
  if (tech.enhancedCode) {
    const meaning = describeEnhancedCode(tech.enhancedCode, lang);
    technical.push(`${t('tech.enhanced')}: ${tech.enhancedCode}${meaning ? ` – ${meaning}` : ''}`);
  }
  if (tech.serverText) technical.push(`${t('tech.serverText')}: ${tech.serverText}`);
  if (tech.systemCode) technical.push(`${t('tech.systemCode')}: ${tech.systemCode}`);
  if (tech.host) {
    const port = tech.port !== undefined ? `:${tech.port}` : '';
    const security = tech.security ? ` (${securityLabels[tech.security] ?? tech.security})` : '';
    technical.push(`${t('tech.server')}: ${tech.host}${port}${security}`);
  }
  if (expl.recipients.length > 0) technical.push(`${t('tech.recipients')}: ${expl.recipients.join(', ')}`);
  technical.push(`${t('tech.message')}: ${tech.message}`);
  return {
    title: renderText(expl.title, lang),
    happened: renderText(expl.happened, lang),
    cause: renderText(expl.cause, lang),
    actions: expl.actions.map((a) => renderText(a, lang)),
    technical,
  };
}

function flatParams(params: TextRef['params']): Record<string, string | number> | undefined {
  if (!params) return undefined;
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = value;
    else if ('ref' in value) out[name] = value.ref;
    else if ('enhanced' in value) out[name] = value.enhanced;
    else out[name] = value.mb;
  }
  return out;
}

/** The explanation as a plain AppError (for Outcome values and CLI JSON). */
export function explanationToAppError(expl: Explanation): AppError {
  const tech = expl.technical;
  const context: Record<string, string | number | boolean> = {};
  if (tech.host !== undefined) context.host = tech.host;
  if (tech.port !== undefined) context.port = tech.port;
  if (tech.security !== undefined) context.security = tech.security;
  const detail: FailureDetail = {
    phase: tech.phase,
    cause: tech.cause,
    message: tech.message,
    ...(tech.code !== undefined ? { code: tech.code } : {}),
    ...(tech.enhancedCode !== undefined ? { enhancedCode: tech.enhancedCode } : {}),
    ...(tech.serverText !== undefined ? { serverText: tech.serverText } : {}),
    ...(tech.systemCode !== undefined ? { systemCode: tech.systemCode } : {}),
    ...(expl.recipients.length > 0 ? { recipients: expl.recipients } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
  const params = flatParams(expl.title.params);
  return {
    kind: expl.kind,
    messageKey: expl.title.key,
    ...(params ? { params } : {}),
    retryable: expl.retryable,
    detail,
  };
}
