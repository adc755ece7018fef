/**
 * Turns a delivery failure into an Explanation: what happened, the likely cause and what
 * to do, in catalogue keys (shared/i18n/errors.*.ts) so German and English read the same.
 *
 * The order of the checks matters and follows how certain each signal is: the engine's
 * own observations (cancelled, possibly delivered, size pre-check) first, then system
 * error codes, then the reply code together with the enhanced status code and the words
 * servers are known to use, then the phase, and last the reply class. Whatever comes in,
 * something readable comes out.
 */
import { FailureDetailSchema, type DeliveryPhase, type FailureDetail } from '../../shared/errors.js';
import type { ProviderHint } from '../../shared/domain.js';
import type { RecipientResult } from '../smtp/types.js';
import { enhancedMeaningKey, parseEnhancedCode } from '../../shared/enhanced-status.js';
import { phaseKeys, type Explanation, type ExplanationKind, type TextParam, type TextRef } from '../../shared/explanation.js';
import { shippedPresets } from '../autoconfig/presets.js';
import { isLoopbackHost } from '../smtp/index.js';

export { isProbablyOffline, type InterfaceAddress, type NetworkInterfaces } from './offline.js';

export interface ExplainContext {
  provider?: ProviderHint;
  account?: { host: string; port: number; security: 'tls' | 'starttls' | 'none' };
  /** Each recipient's reply when every recipient was refused (default: the error's own). */
  recipientsResults?: RecipientResult[];
  /**
   * false: the caller found no network interface up (isProbablyOffline(os.networkInterfaces())),
   * so a failed name lookup or connection means "no network", not "no such server".
   * Absent or true: not known to be offline.
   */
  online?: boolean;
}

type Params = Record<string, TextParam>;

interface Spec {
  kind: ExplanationKind;
  params?: Params;
  /** Overrides the kind's own cause text (provider-specific wording). */
  causeKey?: string;
  /** Overrides the kind's own "what happened" text (several recipients at once). */
  happenedKey?: string;
  actions: TextRef[];
  retryable: boolean;
  permanent: boolean;
  autoRetry?: boolean;
  recipients?: string[];
}

interface Facts {
  detail: FailureDetail;
  mayHaveBeenDelivered: boolean;
  host?: string;
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  provider?: { id: string; name: string; hint?: ProviderHint };
  /** Server text and engine message, for pattern checks. */
  text: string;
  /** An attachment could not be read while the message was being sent (and which, if known). */
  unreadableAttachment?: { file?: string };
}

const act = (key: string, params?: Params): TextRef => (params ? { key, params } : { key });

// ---------------------------------------------------------------------------------------
// Normalising whatever was thrown

const tlsCodes = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'INVALID_CA', 'CERT_SIGNATURE_FAILURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_VERSION_TOO_LOW', 'EPROTO',
]);
const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'ETIMEOUT']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isRecipientResult(v: unknown): v is RecipientResult {
  return isRecord(v) && typeof v.address === 'string' && typeof v.accepted === 'boolean' && typeof v.code === 'number'
    && typeof v.message === 'string' && (v.enhancedCode === undefined || typeof v.enhancedCode === 'string');
}

/** The per-recipient replies an engine error carries when every recipient was refused. */
function recipientResultsOf(error: Record<string, unknown>): RecipientResult[] | undefined {
  const list = error.recipientResults;
  return Array.isArray(list) && list.length > 0 && list.every(isRecipientResult) ? list : undefined;
}

/**
 * A body that could not be read while it was being sent: the composer's attachment error
 * (compose.attachmentChanged / compose.attachmentNotFound / compose.attachmentNotAFile) that
 * the engine wrapped as the cause of its own error. Only the file's name is kept.
 */
function unreadableAttachmentOf(error: Record<string, unknown>): { file?: string } | undefined {
  const cause = error.cause;
  if (!isRecord(cause) || !isRecord(cause.error)) return undefined;
  const { kind, params } = cause.error;
  if (typeof kind !== 'string' || !kind.startsWith('compose.attachment')) return undefined;
  const p = isRecord(params) ? params : {};
  const name = typeof p.name === 'string' ? p.name : typeof p.path === 'string' ? p.path : undefined;
  const file = name?.split(/[\\/]/).filter((s) => s !== '').pop();
  return file ? { file } : {};
}

export interface ReadFailure {
  detail: FailureDetail;
  mayHaveBeenDelivered: boolean;
  recipientResults?: RecipientResult[];
  /** An attachment could not be read while the message was being sent (and which, if known). */
  unreadableAttachment?: { file?: string };
}

/** Reads an SmtpErrorShape, a FailureDetail, a Node system error or anything else. */
export function toFailureDetail(error: unknown): ReadFailure {
  if (isRecord(error) && 'detail' in error) {
    const parsed = FailureDetailSchema.safeParse(error.detail);
    if (parsed.success) {
      const results = recipientResultsOf(error);
      const unreadable = unreadableAttachmentOf(error);
      return {
        detail: parsed.data,
        mayHaveBeenDelivered: error.mayHaveBeenDelivered === true,
        ...(results ? { recipientResults: results } : {}),
        ...(unreadable ? { unreadableAttachment: unreadable } : {}),
      };
    }
  }
  const direct = FailureDetailSchema.safeParse(error);
  if (direct.success) return { detail: direct.data, mayHaveBeenDelivered: false };
  if (error instanceof Error || isRecord(error)) {
    const rec = error as unknown as Record<string, unknown>;
    const message = typeof rec.message === 'string' && rec.message !== '' ? rec.message : 'unknown error';
    const code = typeof rec.code === 'string' ? rec.code : undefined;
    if (code) {
      const tls = tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
      const phase: DeliveryPhase = tls ? 'tls' : dnsCodes.has(code) ? 'dns' : 'connect';
      const host = typeof rec.hostname === 'string' ? rec.hostname : typeof rec.host === 'string' ? rec.host : undefined;
      const port = typeof rec.port === 'number' ? rec.port : undefined;
      const context: Record<string, string | number> = {};
      if (host) context.host = host;
      if (port !== undefined) context.port = port;
      return {
        detail: { phase, cause: tls ? 'tls' : 'network', systemCode: code, message, ...(Object.keys(context).length ? { context } : {}) },
        mayHaveBeenDelivered: false,
      };
    }
    return { detail: { phase: 'internal', cause: 'unknown', message }, mayHaveBeenDelivered: false };
  }
  const message = typeof error === 'string' && error !== '' ? error : 'unknown error';
  return { detail: { phase: 'internal', cause: 'unknown', message }, mayHaveBeenDelivered: false };
}

// ---------------------------------------------------------------------------------------
// Providers recognisable from the server's words or host name (ids as in the presets)

const knownProviders: Array<{ id: string; name: string; pattern: RegExp }> = [
  { id: 'gmail', name: 'Gmail', pattern: /gsmtp|\bgoogle\.com\b|gmail\.com|googlemail/i },
  { id: 'microsoft-365', name: 'Microsoft 365', pattern: /\boffice365\.com\b/i },
  { id: 'outlook', name: 'Outlook.com', pattern: /outlook\.com|hotmail|STOREDRV|\blive\.com\b|protection\.outlook/i },
  { id: 'gmx', name: 'GMX', pattern: /\bgmx\.(?:net|de|com|at|ch)\b/i },
  { id: 'webde', name: 'WEB.DE', pattern: /\bweb\.de\b/i },
  { id: 'yahoo', name: 'Yahoo', pattern: /yahoo\.com|yahoodns/i },
  { id: 'icloud', name: 'iCloud', pattern: /icloud\.com|me\.com|mail\.apple/i },
  { id: 't-online', name: 'T-Online', pattern: /t-online\.de/i },
];

function recogniseProvider(hint: ProviderHint | undefined, host: string | undefined, serverText: string): Facts['provider'] {
  if (hint) return { id: hint.id, name: hint.name, hint };
  const hay = `${host ?? ''} ${serverText}`;
  const found = knownProviders.find((p) => p.pattern.test(hay));
  return found ? { id: found.id, name: found.name } : undefined;
}

// ---------------------------------------------------------------------------------------
// Helpers for the checks

const label = (s: 'tls' | 'starttls' | 'none' | undefined): string => (s === 'tls' ? 'SSL/TLS' : 'STARTTLS');

/** The port/security pair to suggest when the current one does not match. */
function rightPair(f: Facts): { security: string; port: number } {
  if (f.security === 'tls') {
    const port = f.port === 587 || f.port === 25 || f.port === 2525 ? f.port : 587;
    return { security: 'STARTTLS', port };
  }
  return { security: 'SSL/TLS', port: 465 };
}

function wrongPortSecurity(f: Facts): Spec {
  const pair = rightPair(f);
  return {
    kind: 'tls.wrongPortSecurity',
    params: { attempted: label(f.security === 'tls' ? 'tls' : 'starttls'), expected: pair.security, port: f.port ?? pair.port },
    actions: [
      act('act.switchSecurity', pair),
      ...(pair.security === 'STARTTLS' ? [act('act.switchSecurity', { security: 'SSL/TLS', port: 465 })] : []),
      act('act.redetectSettings'),
    ],
    retryable: false,
    permanent: true,
  };
}

function serverParams(f: Facts): Params {
  return { host: f.host ?? '—', port: f.port ?? '—' };
}

/** Provider-specific ways to sign in, from the preset's requirements. */
function providerSignInActions(f: Facts): TextRef[] {
  const p = f.provider;
  if (!p?.hint) return [];
  const out: TextRef[] = [];
  const url = p.hint.helpUrl;
  for (const r of p.hint.requirements) {
    if (r === 'appPassword') out.push(url ? act('act.createAppPassword', { provider: p.name, url }) : act('act.createAppPasswordNoUrl', { provider: p.name }));
    else if (r === 'enableSmtp') out.push(act('act.enableExternalAccess', { provider: p.name }));
    else if (r === 'oauth') out.push(act('act.useOAuth', { provider: p.name }));
    else if (r === 'separatePassword') out.push(act('act.useSeparatePassword', { provider: p.name }));
    else if (r === 'bridge') out.push(act('act.useBridge', { provider: p.name }));
  }
  if (url && !p.hint.requirements.includes('appPassword')) out.push(act('act.openProviderHelp', { provider: p.name, url }));
  return out;
}

function appPasswordActions(f: Facts): TextRef[] {
  const p = f.provider;
  const name = p?.name ?? '—';
  const url = p?.hint?.helpUrl;
  if (p && url) return [act('act.createAppPassword', { provider: name, url })];
  if (p) return [act('act.createAppPasswordNoUrl', { provider: name })];
  return [act('act.createAppPasswordGeneric')];
}

const has = (f: Facts, re: RegExp): boolean => re.test(f.text);

// Words servers use, matched on the reply text (and the engine's message).
const re = {
  greylist: /gr[ae]y-?list|postgrey|greylisted/i,
  tryLater: /try again later|please retry|temporar|später erneut/i,
  dailyQuota: /daily (?:user )?(?:sending|smtp relay|message) (?:limit|quota)|SubmissionQuotaExceeded|sending quota|Tageslimit|Versandlimit|daily limit/i,
  suspended: /OutboundSpamException|WASCL|account (?:has been |is )?(?:suspended|blocked|locked)|Konto.*gesperrt/i,
  tooManyLogins: /too many (?:login|logon|auth\w*|failed)|login attempts|authentication attempts|zu viele (?:Anmelde|Login)/i,
  rate: /rate.?limit|too many (?:messages|mails|e-?mails|connections|requests|concurrent)|sending rate|throttl|thread limit|message rate|zu viele (?:Nachrichten|E-Mails|Mails|Verbindungen)|try again later, closing connection|limit (?:has been )?exceeded|exceeded (?:the |your )?(?:\w+ )?limit|unusual rate/i,
  size: /\bsize\b|too (?:big|large)|zu gro(?:ß|ss)|exceeds? (?:the )?(?:fixed |maximum )?(?:message )?(?:size|length)/i,
  relay: /relay/i,
  senderAuth: /\bDMARC\b|\bSPF\b|\bDKIM\b|\bARC\b validation/i,
  startTlsFirst: /STARTTLS|must issue|encryption required|TLS required|verschlüssel/i,
  authRequired: /auth(?:entication)? (?:is )?required|must authenticate|authenticate first|not authenticated|Authentifizierung erforderlich|AUTH first|sender not authenticated/i,
  notOwned: /not owned|does not match|doesn't match|not allowed to send|SendAsDenied|permission to send as|not authori[sz]ed to send|sender.*(?:mismatch|not permitted|not allowed)|login mismatch|Absender.*nicht/i,
  unknownUser: /user unknown|unknown user|no such user|does not exist|doesn't exist|not exist|unknown recipient|invalid recipient|recipient not found|mailbox unavailable|mailbox not found|NoSuchUser|unbekannt|existiert nicht/i,
  badDomain: /domain not found|host not found|no mx|unrouteable|unroutable|domain (?:does not exist|unknown|not found)|null MX|Host or domain name not found/i,
  full: /mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:storage|quota)|insufficient storage|mailbox has exceeded|Postfach (?:ist )?voll|Speicher.*voll/i,
  disabled: /disabled|inactive|deactivated|suspended|deaktiviert|gesperrt/i,
  tooManyRcpt: /too many recipients|recipient limit|zu viele Empfänger/i,
  utf8: /SMTPUTF8|UTF-?8|non-ascii|internationali[sz]ed/i,
  eightBit: /8-?bit|8BITMIME|binary|non-?7-?bit/i,
  policy: /polic(?:y|ies)|Richtlinie|content (?:rejected|not accepted)|message (?:rejected|refused)/i,
  spam: /spam|unsolicited|junk|bulk mail|suspicious|reputation|blocklist|blacklist|spamhaus|\bRBL\b|\bDNSBL\b/i,
  // The sending computer's address listed by a DNS blocklist ("blocked using zen.spamhaus.org").
  blocklist: /spamhaus|spamcop|barracudacentral|\bsorbs\b|blocked using|block ?list|black ?list|\bRBL\b|\bDNSBL\b|banned sending IP/i,
  basicAuthOff: /basic auth\w*|SmtpClientAuthentication|5\.7\.139|client authentication is disabled/i,
  appPassword: /application-specific|app(?:lication)? password|InvalidSecondFactor|App-Passwort/i,
  webLogin: /web ?browser|WebLoginRequired|signin\/continue|sign in via|log in via/i,
  oauthFail: /invalid_token|invalid_grant|\boauth/i,
  mechanism: /mechanism|unrecognized authentication|unsupported authentication|authentication type/i,
  wrongVersion: /wrong version number|packet length too long|http request|unknown protocol|record layer failure/i,
  oldTls: /unsupported protocol|protocol version|no protocols available|version too low/i,
  injection: /inject|before (?:the )?(?:tls|handshake)|pipelined.*starttls|data after starttls|unexpected data/i,
  startTlsMissing: /starttls.*(?:not (?:offered|supported|advertised|available)|missing|unavailable)|(?:no|without) starttls/i,
  plaintextAuth: /plain ?text|unencrypted|insecure|cleartext/i,
  authMissing: /auth.*not (?:offered|supported|advertised)|no (?:common|supported|usable) (?:auth\w* )?mechanism|does not (?:offer|support) auth/i,
};

// ---------------------------------------------------------------------------------------
// Replies

/**
 * Classifies one SMTP reply. Also used for each refused recipient of a partial success.
 * A 4xx reply is the server saying "not now" (RFC 5321 §4.2.1): never explained as permanent.
 */
function classifyReply(f: Facts, code: number, phase: DeliveryPhase, recipients: string[]): Spec {
  const spec = classifyReplyWords(f, code, phase, recipients);
  if (code >= 400 && code < 500 && spec.permanent) return { ...spec, permanent: false, retryable: true };
  return spec;
}

function classifyReplyWords(f: Facts, code: number, phase: DeliveryPhase, recipients: string[]): Spec {
  const e = parseEnhancedCode(f.detail.enhancedCode);
  const sd = e ? `${e.subject}.${e.detail}` : '';
  const temp = code >= 400 && code < 500;
  const firstRcpt = recipients[0] ?? '—';
  const who: Params = { recipient: firstRcpt, recipients: recipients.join(', ') || '—' };
  const rcptSpec = (kind: ExplanationKind, actions: TextRef[], retryable = temp): Spec =>
    ({ kind, params: who, actions, retryable, permanent: !retryable, recipients });
  const serverUnavailable = (): Spec =>
    ({ kind: 'server.unavailable', params: serverParams(f), actions: [act('act.nothingToDoServer'), act('act.contactProvider')], retryable: true, permanent: false, autoRetry: true, recipients });

  // Server-wide conditions recognisable from the words, whatever the phase.
  if (temp && (has(f, re.greylist) || (sd === '7.1' && has(f, re.tryLater) && !has(f, re.spam)))) {
    return { kind: 'server.greylisted', actions: [act('act.nothingToDo')], retryable: true, permanent: false, autoRetry: true, recipients };
  }
  if (has(f, re.dailyQuota)) return limitSpec(f, 'limit.dailyQuota');
  if (has(f, re.suspended) && phase !== 'auth') {
    return { kind: 'limit.accountSuspended', params: { provider: f.provider?.name ?? '—' }, actions: [act('act.checkAccountStatus'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (has(f, re.tooManyLogins)) {
    return { kind: 'auth.tooManyAttempts', actions: [act('act.waitForLockout'), act('act.checkPassword')], retryable: true, permanent: false };
  }
  if (!has(f, re.tooManyRcpt) && (sd === '7.28' || has(f, re.rate)) && !has(f, re.size)) {
    return limitSpec(f, 'limit.rateLimited');
  }

  switch (phase) {
    case 'greeting':
      if (code === 421 || temp) return { kind: 'greeting.unavailable', params: serverParams(f), actions: [act('act.retryLater'), act('act.contactProvider')], retryable: true, permanent: false, autoRetry: true };
      return { kind: 'greeting.rejected', params: serverParams(f), actions: [act('act.usePort587'), act('act.checkVpn'), act('act.contactProvider')], retryable: false, permanent: true };
    case 'ehlo':
      if (temp) return { kind: 'greeting.unavailable', params: serverParams(f), actions: [act('act.retryLater'), act('act.contactProvider')], retryable: true, permanent: false, autoRetry: true };
      return { kind: 'greeting.ehloRejected', params: serverParams(f), actions: [act('act.checkServerName', serverParams(f)), act('act.contactProvider')], retryable: false, permanent: true };
    case 'starttls': {
      const pair = rightPair({ ...f, security: 'starttls' });
      return { kind: 'tls.startTlsRefused', params: serverParams(f), actions: temp ? [act('act.retryLater'), act('act.switchSecurity', pair)] : [act('act.switchSecurity', pair), act('act.contactProvider')], retryable: temp, permanent: !temp };
    }
    case 'auth':
      return classifyAuthReply(f, code, sd, temp);
    default:
      break;
  }

  // Sign-in or encryption demanded at MAIL/RCPT/DATA.
  if (code === 530 || (sd === '7.0' && (has(f, re.authRequired) || has(f, re.startTlsFirst))) || (sd === '7.10')) {
    if (has(f, re.startTlsFirst) && !has(f, re.authRequired)) {
      return { kind: 'tls.serverRequiresEncryption', params: serverParams(f), actions: [act('act.switchSecurity', { security: 'STARTTLS', port: 587 }), act('act.switchSecurity', { security: 'SSL/TLS', port: 465 })], retryable: false, permanent: true };
    }
    return { kind: 'auth.required', params: serverParams(f), actions: [act('act.enterCredentials'), ...providerSignInActions(f)], retryable: false, permanent: true };
  }
  if (!temp && has(f, re.relay)) {
    return { kind: 'sender.relayDenied', params: { ...serverParams(f), ...who }, actions: [act('act.enterCredentials'), act('act.useAccountServer')], retryable: false, permanent: true, recipients };
  }
  if ((e && Number(e.subject) === 7 && Number(e.detail) >= 20 && Number(e.detail) <= 27 && sd !== '7.27') || has(f, re.senderAuth)) {
    return { kind: 'content.senderAuthFailed', actions: [act('act.useAccountServer'), act('act.checkSenderDomain')], retryable: false, permanent: !temp, recipients };
  }
  if (sd === '3.4' || sd === '2.3' || (code === 552 && !has(f, re.full) && sd !== '2.2') || (has(f, re.size) && !has(f, re.full))) {
    return sizeSpec(f, phase === 'rcpt' ? recipients : []);
  }

  if (e && e.subject === '6') {
    if (['6.7', '6.8', '6.9', '6.10'].includes(sd) || has(f, re.utf8)) {
      return { kind: 'content.utf8Unsupported', actions: [act('act.avoidNonAsciiAddress'), act('act.contactProvider')], retryable: false, permanent: true, recipients };
    }
    return { kind: 'content.eightBitUnsupported', actions: [act('act.sendAgain'), act('act.contactProvider')], retryable: false, permanent: true };
  }

  // The sending computer's internet address is on a blocklist (Spamhaus and the like): that
  // concerns every recipient at this server, so removing one recipient would not help.
  if (has(f, re.blocklist)) {
    return { kind: 'sender.blocklisted', params: serverParams(f), actions: [act('act.useAccountServer'), act('act.checkVpn'), act('act.contactProvider')], retryable: temp, permanent: !temp, recipients };
  }
  // 421: the server is closing the connection (RFC 5321 §3.8), at whatever step; unless its
  // words give a more precise reason, that is about the server, not this message or address.
  if (code === 421 && !has(f, re.spam) && !has(f, re.policy)) return serverUnavailable();

  if (phase === 'mail') {
    if (has(f, re.notOwned) || (code === 553 && sd === '7.1') || sd === '7.60') {
      return { kind: 'sender.notOwned', params: { sender: senderOf(f) }, actions: [act('act.checkSenderAddress')], retryable: false, permanent: true };
    }
    if (code === 553 || sd === '1.7' || sd === '1.8' || sd === '7.27' || sd === '7.1' || (!temp && code >= 550)) {
      if (temp) {
        // Typically "450 4.1.8 Domain not found": the server could not look up the sender's domain just now.
        return { kind: 'sender.rejected', params: { sender: senderOf(f) }, causeKey: 'err.sender.rejected.cause.temporary', actions: [act('act.nothingToDoServer'), act('act.checkSenderAddress')], retryable: true, permanent: false, autoRetry: true };
      }
      return { kind: 'sender.rejected', params: { sender: senderOf(f) }, actions: [act('act.checkSenderAddress'), act('act.contactProvider')], retryable: false, permanent: true };
    }
  }

  // A full mailbox is the recipient's, whether the server says so at RCPT or only after DATA.
  if ((phase === 'rcpt' || phase === 'data' || recipients.length > 0) && (sd === '2.2' || has(f, re.full))) {
    return rcptSpec('recipient.mailboxFull', [act('act.retryLater'), act('act.tellRecipientOtherWay', who)], true);
  }

  if (phase === 'rcpt' || recipients.length > 0) {
    if (sd === '5.3' || has(f, re.tooManyRcpt) || (code === 452 && sd === '')) {
      return rcptSpec('recipient.tooMany', [act('act.fewerRecipients'), act('act.resendToRemaining')], true);
    }
    if (sd === '1.2' || sd === '1.10' || has(f, re.badDomain)) {
      return rcptSpec('recipient.badDomain', [act('act.correctRecipient', who), act('act.removeRecipient', who)], false);
    }
    if (sd === '1.3') return rcptSpec('recipient.badSyntax', [act('act.correctRecipient', who), act('act.removeRecipient', who)], false);
    if (sd === '1.6') return rcptSpec('recipient.moved', [act('act.askNewAddress', who), act('act.removeRecipient', who)], false);
    if (sd === '2.1' || sd === '7.13' || (has(f, re.disabled) && !temp)) {
      return rcptSpec('recipient.mailboxDisabled', [act('act.askNewAddress', who), act('act.removeRecipient', who)], false);
    }
    if (sd === '1.1' || has(f, re.unknownUser)) {
      return rcptSpec('recipient.unknownUser', [act('act.correctRecipient', who), act('act.removeRecipient', who)], temp);
    }
    // A temporary reply about the server's own state or network (X.3.*, X.4.*) is not about this address.
    const serverState = temp && (e?.subject === '3' || e?.subject === '4');
    if (phase === 'rcpt' && !serverState) {
      if (has(f, re.spam)) return { ...rcptSpec('recipient.rejected', [act('act.removeRecipient', who), act('act.contactProvider')], temp) };
      return rcptSpec('recipient.rejected', temp ? [act('act.retryLater'), act('act.removeRecipient', who)] : [act('act.removeRecipient', who), act('act.tellRecipientOtherWay', who)], temp);
    }
  }

  if (!temp && phase === 'data' && has(f, re.utf8)) {
    return { kind: 'content.utf8Unsupported', actions: [act('act.avoidNonAsciiAddress'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (!temp && phase === 'data' && has(f, re.eightBit)) {
    return { kind: 'content.eightBitUnsupported', actions: [act('act.sendAgain'), act('act.contactProvider')], retryable: false, permanent: true };
  }

  // After DATA, X.7.* alone means a policy refusal only when it is final; "451 4.7.0 Temporary
  // server error" is the server's trouble, so a temporary refusal needs the words to say so.
  if (phase === 'data' && (has(f, re.spam) || has(f, re.policy) || (!temp && (sd === '7.1' || sd === '7.0' || e?.subject === '7')))) {
    if (has(f, re.spam)) return { kind: 'content.spam', actions: [act('act.checkContent'), act('act.contactProvider')], retryable: temp, permanent: !temp };
    return { kind: 'content.rejectedByPolicy', actions: [act('act.checkContent'), act('act.contactProvider')], retryable: temp, permanent: !temp };
  }

  // Server state.
  if (code === 421 || sd === '3.2' || (temp && sd === '4.1') || (temp && sd === '4.2')) return serverUnavailable();
  if (temp && (sd === '3.1' || sd === '4.5' || code === 452)) {
    return { kind: 'server.busy', params: serverParams(f), actions: [act('act.nothingToDoServer')], retryable: true, permanent: false, autoRetry: true, recipients };
  }
  if (temp && (code === 451 || sd === '3.0' || sd === '4.3')) {
    return { kind: 'server.localError', params: serverParams(f), actions: [act('act.nothingToDoServer'), act('act.contactProvider')], retryable: true, permanent: false, autoRetry: true, recipients };
  }
  if (!temp && (code === 550 || code === 554) && has(f, re.spam)) {
    return { kind: 'content.spam', actions: [act('act.checkContent'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (!temp && (sd === '7.1' || sd === '7.0')) {
    return { kind: 'content.rejectedByPolicy', actions: [act('act.checkContent'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  return unknownReply(f, code, phase, recipients);
}

function classifyAuthReply(f: Facts, code: number, sd: string, temp: boolean): Spec {
  const mech = String(f.detail.context?.mechanism ?? f.detail.context?.authMechanism ?? '');
  const signIn = providerSignInActions(f);
  if (code !== 538 && sd !== '7.11' && has(f, /STARTTLS|must issue/i)) {
    return { kind: 'tls.serverRequiresEncryption', params: serverParams(f), actions: [act('act.switchSecurity', { security: 'STARTTLS', port: 587 }), act('act.switchSecurity', { security: 'SSL/TLS', port: 465 })], retryable: false, permanent: true };
  }
  if (sd === '7.13' || (has(f, re.disabled) && !has(f, re.basicAuthOff))) {
    return { kind: 'auth.accountDisabled', actions: [act('act.checkAccountStatus'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (has(f, re.basicAuthOff)) {
    return { kind: 'auth.basicAuthDisabled', params: { provider: f.provider?.name ?? 'Microsoft' }, actions: [act('act.useOAuth', { provider: f.provider?.name ?? 'Microsoft' }), act('act.askAdminSmtpAuth')], retryable: false, permanent: true };
  }
  if (/XOAUTH2|OAUTHBEARER/i.test(mech) || (has(f, re.oauthFail) && !has(f, re.appPassword))) {
    return { kind: 'auth.oauthRejected', params: { provider: f.provider?.name ?? '—' }, actions: [act('act.renewSignIn'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (has(f, re.appPassword) || (code === 534 && sd === '7.9' && f.provider?.id === 'gmail')) {
    return { kind: 'auth.appPasswordRequired', params: { provider: f.provider?.name ?? '—' }, actions: [...appPasswordActions(f), act('act.checkUsername')], retryable: false, permanent: true };
  }
  if (sd === '7.14' || has(f, re.webLogin)) {
    return { kind: 'auth.webLoginRequired', actions: [act('act.webLogin'), ...signIn], retryable: false, permanent: true };
  }
  if (code === 538 || sd === '7.11' || sd === '7.10') {
    return { kind: 'auth.encryptionRequired', actions: [act('act.switchSecurity', { security: 'SSL/TLS', port: 465 }), act('act.switchSecurity', { security: 'STARTTLS', port: 587 })], retryable: false, permanent: true };
  }
  if (code === 534 || sd === '7.9') {
    return { kind: 'auth.mechanismTooWeak', actions: [act('act.chooseAutomaticMechanism'), ...signIn], retryable: false, permanent: true };
  }
  if (code === 504 || sd === '5.4' || has(f, re.mechanism)) {
    return { kind: 'auth.mechanismUnsupported', actions: [act('act.chooseAutomaticMechanism'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (code >= 500 && code <= 503) return unknownReply(f, code, 'auth', []);
  if (code === 530) return { kind: 'auth.required', params: serverParams(f), actions: [act('act.enterCredentials'), ...signIn], retryable: false, permanent: true };
  if (temp) {
    return { kind: 'auth.temporaryFailure', actions: [act('act.nothingToDoServer'), act('act.checkPassword')], retryable: true, permanent: false, autoRetry: true };
  }
  return { kind: 'auth.wrongCredentials', actions: [...signIn, act('act.checkPassword'), act('act.checkUsername')], retryable: false, permanent: true };
}

/** Provider-specific wording of the sending limits, by preset id (resources/providers/presets.json). */
const limitCauseKeys: Record<'limit.rateLimited' | 'limit.dailyQuota', Readonly<Record<string, string>>> = {
  'limit.rateLimited': {
    gmail: 'err.limit.rateLimited.cause.gmail',
    'google-workspace': 'err.limit.rateLimited.cause.gmail',
    outlook: 'err.limit.rateLimited.cause.outlook',
    'microsoft-365': 'err.limit.rateLimited.cause.microsoft365',
    gmx: 'err.limit.rateLimited.cause.unitedInternet',
    'gmx-com': 'err.limit.rateLimited.cause.unitedInternet',
    webde: 'err.limit.rateLimited.cause.unitedInternet',
  },
  'limit.dailyQuota': {
    gmail: 'err.limit.dailyQuota.cause.gmail',
    'google-workspace': 'err.limit.dailyQuota.cause.gmail',
    outlook: 'err.limit.dailyQuota.cause.outlook',
    'microsoft-365': 'err.limit.dailyQuota.cause.microsoft365',
    gmx: 'err.limit.dailyQuota.cause.unitedInternet',
    'gmx-com': 'err.limit.dailyQuota.cause.unitedInternet',
    webde: 'err.limit.dailyQuota.cause.unitedInternet',
  },
};

function limitSpec(f: Facts, kind: 'limit.rateLimited' | 'limit.dailyQuota'): Spec {
  const id = f.provider?.id;
  const causeKey = id === undefined ? undefined : limitCauseKeys[kind][id];
  return {
    kind,
    params: { provider: f.provider?.name ?? '—' },
    ...(causeKey ? { causeKey } : {}),
    actions: kind === 'limit.dailyQuota' ? [act('act.waitForDailyLimit'), act('act.fewerRecipients')] : [act('act.waitForRateLimit'), act('act.fewerRecipients')],
    retryable: true,
    permanent: false,
  };
}

function sizeSpec(f: Facts, recipients: string[]): Spec {
  const limit = Number(f.detail.context?.sizeLimit ?? f.detail.context?.limit);
  const known = Number.isFinite(limit) && limit > 0;
  return {
    kind: 'content.tooLarge',
    ...(known ? { params: { limit: { mb: limit } }, causeKey: 'err.content.tooLarge.cause.limit' } : {}),
    actions: [known ? act('act.shrinkMessage', { limit: { mb: limit } }) : act('act.shrinkMessageNoLimit'), act('act.shareLink')],
    retryable: false,
    permanent: true,
    recipients,
  };
}

function senderOf(f: Facts): string {
  const s = f.detail.context?.sender ?? f.detail.context?.from;
  if (typeof s === 'string' && s !== '') return s;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(f.detail.serverText ?? '');
  return m?.[1] ?? '—';
}

function unknownReply(f: Facts, code: number, phase: DeliveryPhase, recipients: string[]): Spec {
  const temp = code >= 400 && code < 500;
  const params: Params = { code, phase: { ref: phaseKeys[phase] } };
  const enhanced = f.detail.enhancedCode;
  const meaning: TextParam = enhanced && parseEnhancedCode(enhanced) ? { enhanced } : { ref: replyMeaningKey(code) };
  params.meaning = meaning;
  return {
    kind: temp ? 'unknown.temporary' : 'unknown.permanent',
    params,
    actions: temp ? [act('act.nothingToDoServer'), act('act.reportProblem')] : [act('act.checkAccountSettings'), act('act.reportProblem')],
    retryable: temp,
    permanent: !temp,
    autoRetry: temp,
    recipients,
  };
}

/** RFC 5321 §4.2.1: the second digit of a reply says which area it is about. */
function replyMeaningKey(code: number): string {
  const second = Math.floor(code / 10) % 10;
  const keys: Record<number, string> = {
    0: 'reply.syntax', 1: 'reply.information', 2: 'reply.connection', 5: 'reply.mailSystem',
  };
  return keys[second] ?? (code >= 500 ? 'reply.permanent' : 'reply.temporary');
}

// ---------------------------------------------------------------------------------------
// The non-reply causes

/** Codes of a failed name lookup or a network that cannot be reached from here. */
const noRouteCodes = new Set([...dnsCodes, 'ENETUNREACH', 'ENETDOWN', 'ENONET', 'EHOSTUNREACH', 'EHOSTDOWN', 'ETIMEDOUT', 'ECONNRESET']);

/**
 * A failure that having no network explains (not a certificate, a reply or bad input). A
 * server on this computer (a bridge on 127.0.0.1) needs no network, so it never qualifies.
 */
function dependsOnTheNetwork(f: Facts): boolean {
  const d = f.detail;
  if (d.code !== undefined || (f.host !== undefined && isLoopbackHost(f.host))) return false;
  if (d.systemCode !== undefined) return noRouteCodes.has(d.systemCode);
  return d.cause === 'network' || d.cause === 'timeout';
}

function offline(): Spec {
  return { kind: 'network.offline', actions: [act('act.checkInternet'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
}

let presetHosts: ReadonlySet<string> | undefined;
/**
 * A provider's published outgoing server (from the shipped presets): its name cannot be
 * misspelt, so when it is "not found" the lookup itself failed (no network, broken DNS).
 */
function isPresetHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  presetHosts ??= new Set(shippedPresets().presets.flatMap((p) => p.smtp.map((s) => s.host.toLowerCase())).filter((h) => /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(h) && !/^\d+(?:\.\d+)*$/.test(h)));
  return presetHosts.has(host.trim().toLowerCase().replace(/\.$/, ''));
}

function classifySystem(f: Facts): Spec | undefined {
  const d = f.detail;
  const sys = d.systemCode ?? '';
  const sp = serverParams(f);
  switch (sys) {
    case 'CERT_HAS_EXPIRED':
      return { kind: 'tls.certificateExpired', params: sp, actions: [act('act.checkClock'), act('act.contactProvider')], retryable: false, permanent: false };
    case 'CERT_NOT_YET_VALID':
      return { kind: 'tls.certificateNotYetValid', params: sp, actions: [act('act.checkClock'), act('act.contactProvider')], retryable: false, permanent: false };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': case 'CERT_UNTRUSTED': case 'CERT_REJECTED':
    case 'INVALID_CA': case 'CERT_SIGNATURE_FAILURE':
      return { kind: 'tls.untrustedCertificate', params: sp, actions: [act('act.trustCompanyCa'), act('act.checkNetworkInterception')], retryable: false, permanent: true };
    case 'ERR_TLS_CERT_ALTNAME_INVALID': case 'HOSTNAME_MISMATCH': case 'ERR_TLS_CERT_ALTNAME_FORMAT':
      return { kind: 'tls.hostnameMismatch', params: sp, actions: [act('act.useCertificateName', sp), act('act.redetectSettings')], retryable: false, permanent: true };
    case 'ERR_SSL_WRONG_VERSION_NUMBER': case 'ERR_SSL_PACKET_LENGTH_TOO_LONG': case 'ERR_SSL_HTTP_REQUEST':
      return wrongPortSecurity({ ...f, security: f.security ?? 'tls' });
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL': case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION': case 'TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE': case 'ERR_SSL_VERSION_TOO_LOW':
      return { kind: 'tls.versionTooOld', params: sp, actions: [act('act.contactProvider'), act('act.redetectSettings')], retryable: false, permanent: true };
    case 'ENOTFOUND': case 'EAI_NONAME': case 'EAI_FAIL': case 'ENODATA':
      if (isPresetHost(f.host)) {
        return { kind: 'network.dnsTemporary', params: sp, causeKey: 'err.network.dnsTemporary.cause.knownHost', actions: [act('act.checkInternet'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
      }
      return { kind: 'network.hostNotFound', params: sp, actions: [act('act.checkServerName', sp), act('act.redetectSettings'), act('act.checkInternet')], retryable: false, permanent: true };
    case 'EAI_AGAIN': case 'ESERVFAIL': case 'ETIMEOUT':
      return { kind: 'network.dnsTemporary', params: sp, actions: [act('act.checkInternet'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
    case 'ECONNREFUSED':
      return { kind: 'network.connectionRefused', params: sp, actions: [act('act.checkPortSecurity'), act('act.checkFirewall')], retryable: false, permanent: false };
    case 'ETIMEDOUT':
      if (d.phase === 'connect' || d.phase === 'dns') return connectTimeout(f);
      break;
    case 'EHOSTUNREACH': case 'EHOSTDOWN':
      return { kind: 'network.hostUnreachable', params: sp, actions: [act('act.checkInternet'), act('act.checkVpn'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
    case 'ENETUNREACH': case 'ENETDOWN': case 'ENONET':
      return offline();
    case 'ECONNRESET': case 'EPIPE': case 'ECONNABORTED':
      if (d.phase === 'greeting' && f.port === 465 && f.security !== 'tls') return wrongPortSecurity(f);
      return { kind: 'network.connectionReset', params: sp, actions: [act('act.nothingToDoNetwork'), act('act.checkAntivirus')], retryable: true, permanent: false, autoRetry: true };
    default:
      break;
  }
  if (sys === 'EPROTO' || d.cause === 'tls' || d.phase === 'tls') {
    if (has(f, re.wrongVersion)) return wrongPortSecurity({ ...f, security: f.security ?? 'tls' });
    if (has(f, re.oldTls)) return { kind: 'tls.versionTooOld', params: sp, actions: [act('act.contactProvider'), act('act.redetectSettings')], retryable: false, permanent: true };
    if (/self[- ]signed|unable to verify|unable to get (?:local )?issuer/i.test(f.text)) {
      return { kind: 'tls.untrustedCertificate', params: sp, actions: [act('act.trustCompanyCa'), act('act.checkNetworkInterception')], retryable: false, permanent: true };
    }
    if (/certificate has expired/i.test(f.text)) return { kind: 'tls.certificateExpired', params: sp, actions: [act('act.checkClock'), act('act.contactProvider')], retryable: false, permanent: false };
    if (/altname|hostname.*(?:match|cert)|does not match certificate/i.test(f.text)) {
      return { kind: 'tls.hostnameMismatch', params: sp, actions: [act('act.useCertificateName', sp), act('act.redetectSettings')], retryable: false, permanent: true };
    }
  }
  return undefined;
}

function connectTimeout(f: Facts): Spec {
  const actions = f.port === 25 ? [act('act.usePort587'), act('act.checkFirewall')] : [act('act.checkPortSecurity'), act('act.checkFirewall'), act('act.checkInternet')];
  return { kind: 'network.connectTimeout', params: serverParams(f), actions, retryable: true, permanent: false };
}

function classifyEngine(f: Facts): Spec | undefined {
  const d = f.detail;
  const sp = serverParams(f);
  if (d.cause === 'security' || d.cause === 'protocol' || d.cause === 'tls') {
    if (has(f, re.injection)) {
      return { kind: 'tls.injectionBeforeHandshake', params: sp, actions: [act('act.useTrustedNetwork'), act('act.switchSecurity', { security: 'SSL/TLS', port: 465 }), act('act.contactProvider')], retryable: false, permanent: false };
    }
    if (has(f, re.startTlsMissing) || (d.cause === 'security' && (d.phase === 'ehlo' || d.phase === 'starttls') && d.code === undefined)) {
      return { kind: 'tls.startTlsNotOffered', params: sp, actions: [act('act.switchSecurity', { security: 'SSL/TLS', port: 465 }), act('act.useTrustedNetwork'), act('act.contactProvider')], retryable: false, permanent: false };
    }
    if (has(f, re.authMissing)) {
      return { kind: 'auth.notOffered', params: sp, actions: [act('act.switchSecurity', rightPair({ ...f, security: 'starttls' })), act('act.checkAccountSettings')], retryable: false, permanent: true };
    }
    if (d.cause === 'security' && has(f, re.plaintextAuth)) {
      return { kind: 'security.plaintextAuthRefused', params: sp, actions: [act('act.switchSecurity', { security: 'STARTTLS', port: 587 }), act('act.switchSecurity', { security: 'SSL/TLS', port: 465 })], retryable: false, permanent: true };
    }
    // The sign-in's own security failed (not the encryption): the server did not prove it knows
    // the password (SCRAM signature), or its challenge broke the rules (nonce, iteration count).
    // A server's own "e=" answer is not ours to call an attack, so it is left out.
    if (d.cause === 'security' && d.phase === 'auth' && !/SCRAM server error/i.test(f.text)) {
      return { kind: 'auth.serverNotVerified', params: sp, actions: [act('act.useTrustedNetwork'), act('act.contactProvider')], retryable: false, permanent: false };
    }
  }
  if (d.cause === 'auth-unsupported') {
    if (/offers: none|\(offers: \)|server offers: none/i.test(f.text) || f.detail.context?.offered === '') {
      return { kind: 'auth.notOffered', params: sp, actions: [act('act.switchSecurity', rightPair({ ...f, security: 'starttls' })), act('act.checkAccountSettings')], retryable: false, permanent: true };
    }
    return { kind: 'auth.mechanismUnsupported', actions: [act('act.chooseAutomaticMechanism'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (d.cause === 'unsupported') {
    if (has(f, re.utf8)) return { kind: 'content.utf8Unsupported', actions: [act('act.avoidNonAsciiAddress'), act('act.contactProvider')], retryable: false, permanent: true, recipients: d.recipients ?? [] };
    return { kind: 'content.eightBitUnsupported', actions: [act('act.sendAgain'), act('act.contactProvider')], retryable: false, permanent: true };
  }
  if (d.cause === 'input') {
    return { kind: 'input.invalid', actions: [act('act.checkAddresses'), act('act.checkAccountSettings')], retryable: false, permanent: true, recipients: d.recipients ?? [] };
  }
  if (d.phase === 'greeting' && (d.cause === 'network' || d.cause === 'protocol') && f.port === 465 && f.security !== 'tls') {
    return wrongPortSecurity(f);
  }
  if (d.cause === 'protocol' && d.phase === 'greeting' && (f.port === 465 || /[\x00-\x08\x0e-\x1f\x7f-\xff]/.test(d.serverText ?? '')) && f.security !== 'tls') {
    return wrongPortSecurity(f);
  }
  return undefined;
}

function classifyTimeout(f: Facts): Spec {
  const d = f.detail;
  const sp = serverParams(f);
  const which = String(d.context?.timeout ?? '');
  if (d.phase === 'connect' || d.phase === 'dns' || which === 'connect') return connectTimeout(f);
  if (which === 'endOfData') return uncertain(f);
  if (d.phase === 'tls' || which === 'tlsHandshake') {
    if (f.security === 'tls' && f.port !== 465 && f.port !== undefined) return wrongPortSecurity(f);
    return { kind: 'timeout.tls', params: sp, actions: [act('act.nothingToDoNetwork'), act('act.checkPortSecurity')], retryable: true, permanent: false, autoRetry: true };
  }
  if (d.phase === 'greeting') {
    if (f.port === 465 && f.security !== 'tls') return wrongPortSecurity(f);
    return { kind: 'timeout.greeting', params: sp, actions: [act('act.checkPortSecurity'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
  }
  if (d.phase === 'data') {
    return { kind: 'timeout.data', params: sp, actions: [act('act.nothingToDoNetwork'), act('act.checkUpload')], retryable: true, permanent: false, autoRetry: true };
  }
  return { kind: 'timeout.command', params: { ...sp, phase: { ref: phaseKeys[d.phase] } }, actions: [act('act.nothingToDoNetwork'), act('act.checkInternet')], retryable: true, permanent: false, autoRetry: true };
}

function uncertain(f: Facts): Spec {
  return {
    kind: 'uncertain.mayHaveBeenDelivered',
    params: serverParams(f),
    actions: [act('act.checkSentFolder'), act('act.sendAgainCarefully')],
    retryable: false,
    permanent: false,
    recipients: f.detail.recipients ?? [],
  };
}

function classify(f: Facts, ctx: ExplainContext): Spec {
  const d = f.detail;
  if (d.cause === 'cancelled') return { kind: 'cancelled', actions: [act('act.sendAgain')], retryable: true, permanent: false };
  if (f.mayHaveBeenDelivered) return uncertain(f);
  // The composer's attachment error behind the engine's, or the engine's only input failure
  // during DATA: the body could not be read on (an attachment deleted or changed while being
  // sent). The end of the message never went out, so nothing arrived.
  if (f.unreadableAttachment !== undefined || (d.cause === 'input' && d.phase === 'data')) {
    const file = f.unreadableAttachment?.file;
    return {
      kind: 'input.attachmentUnreadable',
      params: { file: file ?? { ref: 'text.anAttachment' } },
      actions: [act('act.checkAttachment'), act('act.sendAgain')],
      retryable: false,
      permanent: false,
    };
  }
  if (d.cause === 'size-limit') {
    const limit = Number(d.context?.sizeLimit ?? d.context?.limit);
    const size = Number(d.context?.messageSize ?? d.context?.size);
    const params: Params = {
      limit: { mb: Number.isFinite(limit) ? limit : 0 },
      size: { mb: Number.isFinite(size) ? size : 0 },
    };
    return { kind: 'content.tooLargeBeforeSend', params, actions: [act('act.shrinkMessage', { limit: params.limit as TextParam }), act('act.shareLink')], retryable: false, permanent: true };
  }
  if (ctx.online === false && dependsOnTheNetwork(f)) return offline();
  const sys = classifySystem(f);
  if (sys) return sys;
  const engine = classifyEngine(f);
  if (engine) return engine;
  if (d.cause === 'timeout') return classifyTimeout(f);

  const recipients = d.recipients ?? [];
  if (d.code !== undefined && d.code >= 400) {
    // Every recipient refused: one reason if they share it, a list if they do not.
    const refused = (ctx.recipientsResults ?? []).filter((r) => !r.accepted);
    if (d.phase === 'rcpt' && refused.length > 1 && (ctx.recipientsResults ?? []).every((r) => !r.accepted)) {
      const specs = refused.map((r) => classifyRecipient(f, r));
      const kinds = new Set(specs.map((s) => s.kind));
      const addrs = refused.map((r) => r.address);
      if (kinds.size > 1) {
        return {
          kind: 'recipient.allRejected',
          params: { recipients: addrs.join(', ') },
          actions: specs.flatMap((s) => s.actions.slice(0, 1)),
          retryable: specs.some((s) => s.retryable),
          permanent: specs.every((s) => s.permanent),
          recipients: addrs,
        };
      }
      const first = specs[0];
      if (first) return forSeveralRecipients(first, addrs);
    }
    return classifyReply(f, d.code, d.phase, recipients);
  }
  if (d.code !== undefined) {
    return { kind: 'server.protocolError', params: serverParams(f), actions: [act('act.nothingToDoServer'), act('act.reportProblem')], retryable: true, permanent: false };
  }
  if (d.cause === 'protocol') {
    return { kind: 'server.protocolError', params: serverParams(f), actions: [act('act.nothingToDoServer'), act('act.reportProblem')], retryable: true, permanent: false };
  }
  if (d.cause === 'network') {
    return { kind: 'network.error', params: serverParams(f), actions: [act('act.checkInternet'), act('act.nothingToDoNetwork')], retryable: true, permanent: false, autoRetry: true };
  }
  if (d.cause === 'tls' || d.phase === 'tls') {
    return { kind: 'tls.handshakeFailed', params: serverParams(f), actions: [act('act.checkPortSecurity'), act('act.checkNetworkInterception'), act('act.contactProvider')], retryable: false, permanent: false };
  }
  return { kind: 'unknown.error', params: { phase: { ref: phaseKeys[d.phase] } }, actions: [act('act.sendAgain'), act('act.reportProblem')], retryable: true, permanent: false };
}

/** Texts that name one recipient, and their wording for several. */
const severalHappened: Partial<Record<ExplanationKind, string>> = {
  'recipient.unknownUser': 'err.recipient.unknownUser.happened.several',
  'recipient.badDomain': 'err.recipient.badDomain.happened.several',
  'recipient.badSyntax': 'err.recipient.badSyntax.happened.several',
  'recipient.mailboxFull': 'err.recipient.mailboxFull.happened.several',
  'recipient.mailboxDisabled': 'err.recipient.mailboxDisabled.happened.several',
  'recipient.moved': 'err.recipient.moved.happened.several',
};
const severalActions: Record<string, string> = {
  'act.correctRecipient': 'act.correctRecipients',
  'act.removeRecipient': 'act.removeRecipients',
  'act.askNewAddress': 'act.askNewAddresses',
  'act.tellRecipientOtherWay': 'act.tellRecipientsOtherWay',
};

/**
 * One reason shared by several refused recipients: the texts name them all, in the plural,
 * and each action that named the first recipient now names every one of them.
 */
function forSeveralRecipients(spec: Spec, addrs: string[]): Spec {
  const list = addrs.join(', ');
  const happenedKey = severalHappened[spec.kind];
  return {
    ...spec,
    ...(happenedKey ? { happenedKey } : {}),
    params: { ...spec.params, recipients: list },
    actions: spec.actions.map((a) => {
      const plural = severalActions[a.key];
      return plural ? act(plural, { recipients: list }) : a;
    }),
    recipients: addrs,
  };
}

function classifyRecipient(base: Facts, r: RecipientResult): Spec {
  const detail: FailureDetail = {
    phase: 'rcpt', cause: 'reply', code: r.code, message: r.message, serverText: r.message, recipients: [r.address],
    ...(r.enhancedCode ? { enhancedCode: r.enhancedCode } : {}),
  };
  const f: Facts = { ...base, detail, text: r.message };
  return classifyReply(f, r.code, 'rcpt', [r.address]);
}

// ---------------------------------------------------------------------------------------
// Assembly

function factsFrom(detail: FailureDetail, mayHaveBeenDelivered: boolean, ctx: ExplainContext, unreadableAttachment?: { file?: string }): Facts {
  const c = detail.context ?? {};
  const host = ctx.account?.host ?? (typeof c.host === 'string' ? c.host : undefined);
  const portRaw = ctx.account?.port ?? (typeof c.port === 'number' ? c.port : typeof c.port === 'string' ? Number(c.port) : undefined);
  const port = portRaw !== undefined && Number.isFinite(portRaw) ? portRaw : undefined;
  const secRaw = ctx.account?.security ?? c.security;
  const security = secRaw === 'tls' || secRaw === 'starttls' || secRaw === 'none' ? secRaw : undefined;
  const text = `${detail.serverText ?? ''}\n${detail.message}`;
  return {
    detail,
    mayHaveBeenDelivered,
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(security !== undefined ? { security } : {}),
    provider: recogniseProvider(ctx.provider, host, detail.serverText ?? ''),
    text,
    ...(unreadableAttachment !== undefined ? { unreadableAttachment } : {}),
  };
}

function build(spec: Spec, f: Facts): Explanation {
  const d = f.detail;
  const base = `err.${spec.kind}`;
  const params = spec.params && Object.keys(spec.params).length > 0 ? spec.params : undefined;
  const ref = (key: string): TextRef => (params ? { key, params } : { key });
  const enhancedMeaning = enhancedMeaningKey(d.enhancedCode);
  return {
    kind: spec.kind,
    title: ref(`${base}.title`),
    happened: ref(spec.happenedKey ?? `${base}.happened`),
    cause: ref(spec.causeKey ?? `${base}.cause`),
    actions: spec.actions.length > 0 ? spec.actions : [act('act.reportProblem')],
    retryable: spec.retryable,
    permanent: spec.permanent,
    autoRetry: spec.autoRetry ?? false,
    recipients: spec.recipients ?? d.recipients ?? [],
    ...(f.provider ? { provider: { id: f.provider.id, name: f.provider.name } } : {}),
    technical: {
      phase: d.phase,
      cause: d.cause,
      message: d.message,
      ...(d.code !== undefined ? { code: d.code } : {}),
      ...(d.enhancedCode !== undefined ? { enhancedCode: d.enhancedCode } : {}),
      ...(enhancedMeaning !== undefined ? { enhancedMeaning } : {}),
      ...(d.serverText !== undefined ? { serverText: d.serverText } : {}),
      ...(d.systemCode !== undefined ? { systemCode: d.systemCode } : {}),
      ...(f.host !== undefined ? { host: f.host } : {}),
      ...(f.port !== undefined ? { port: f.port } : {}),
      ...(f.security !== undefined ? { security: f.security } : {}),
    },
  };
}

/** Explains one failure. Never throws; anything unrecognised still gets readable words. */
export function explainDeliveryError(error: unknown, context: ExplainContext = {}): Explanation {
  const read = toFailureDetail(error);
  const f = factsFrom(read.detail, read.mayHaveBeenDelivered, context, read.unreadableAttachment);
  // The engine's error carries each recipient's reply when all were refused; use it unless the caller gave them.
  const ctx = context.recipientsResults === undefined && read.recipientResults ? { ...context, recipientsResults: read.recipientResults } : context;
  return build(classify(f, ctx), f);
}

/**
 * A send that reached some recipients and not others: the message went out, and each
 * refused address gets its own concrete action.
 */
export function explainPartialSuccess(results: RecipientResult[], context: Omit<ExplainContext, 'recipientsResults'> = {}): Explanation {
  const accepted = results.filter((r) => r.accepted);
  const refused = results.filter((r) => !r.accepted);
  const summary = refused.map((r) => `${r.address}: ${r.code}${r.enhancedCode ? ` ${r.enhancedCode}` : ''} ${r.message}`).join('\n');
  const first = refused[0];
  const detail: FailureDetail = {
    phase: 'rcpt',
    cause: 'reply',
    message: `${accepted.length} of ${results.length} recipients accepted; refused: ${refused.map((r) => r.address).join(', ')}`,
    recipients: refused.map((r) => r.address),
    ...(first ? { code: first.code } : {}),
    ...(first?.enhancedCode ? { enhancedCode: first.enhancedCode } : {}),
    ...(summary ? { serverText: summary } : {}),
  };
  const f = factsFrom(detail, false, context);
  const perRecipient = refused.map((r) => classifyRecipient(f, r));
  const actions = perRecipient.flatMap((s) => s.actions.slice(0, 1));
  const spec: Spec = {
    kind: 'recipient.partialSuccess',
    params: { accepted: accepted.length, total: results.length, refused: refused.map((r) => r.address).join(', ') || '—' },
    actions: actions.length > 0 ? actions : [act('act.checkSentFolder')],
    retryable: perRecipient.some((s) => s.retryable),
    permanent: perRecipient.length > 0 && perRecipient.every((s) => s.permanent),
    recipients: refused.map((r) => r.address),
  };
  return build(spec, f);
}

/**
 * Sent, although the server refused the sign-in: it also takes mail from this client without
 * one (the message went out pipelined behind AUTH). A warning, not a failure: the message
 * arrived, but the stored password or user name is wrong, so say what to fix as for a refused
 * sign-in (provider hints included).
 */
export function explainDeliveredWithoutSignIn(refused: { code: number; enhancedCode?: string; message: string }, context: Omit<ExplainContext, 'recipientsResults'> = {}): Explanation {
  const detail: FailureDetail = {
    phase: 'auth', cause: 'reply', code: refused.code, serverText: refused.message,
    message: `the server refused the sign-in (${refused.code}) but accepted the message`,
    ...(refused.enhancedCode ? { enhancedCode: refused.enhancedCode } : {}),
  };
  const f = factsFrom(detail, false, context);
  const e = parseEnhancedCode(refused.enhancedCode);
  const signIn = classifyAuthReply(f, refused.code, e ? `${e.subject}.${e.detail}` : '', refused.code >= 400 && refused.code < 500);
  return build({ kind: 'auth.refusedButDelivered', params: { code: refused.code }, actions: signIn.actions, retryable: false, permanent: false }, f);
}

/** The kind each refused recipient's reply would get on its own (for per-recipient UI). */
export function explainRecipient(result: RecipientResult, context: Omit<ExplainContext, 'recipientsResults'> = {}): Explanation {
  const detail: FailureDetail = {
    phase: 'rcpt', cause: 'reply', code: result.code, message: result.message, serverText: result.message, recipients: [result.address],
    ...(result.enhancedCode ? { enhancedCode: result.enhancedCode } : {}),
  };
  return explainDeliveryError(detail, context);
}
