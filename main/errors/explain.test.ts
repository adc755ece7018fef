import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { networkInterfaces } from 'node:os';
import { explainDeliveredWithoutSignIn, explainDeliveryError, explainPartialSuccess, explainRecipient, isProbablyOffline, type ExplainContext } from './explain.js';
import { ExplanationSchema, explanationKinds, explanationToAppError, renderExplanation, type Explanation } from '../../shared/explanation.js';
import { AppErrorSchema, deliveryPhases, type FailureDetail } from '../../shared/errors.js';
import type { ProviderHint } from '../../shared/domain.js';
import { toProviderHint } from '../../shared/provider.js';
import { shippedPresets } from '../autoconfig/presets.js';

/** A provider hint exactly as the app builds it, from the shipped preset of that id. */
function presetHint(id: string): ProviderHint {
  const preset = shippedPresets().byId.get(id);
  assert.ok(preset, `no preset ${id} in resources/providers/presets.json`);
  return toProviderHint(preset);
}
const gmail = presetHint('gmail');
const gmx = presetHint('gmx');
const webde = presetHint('webde');
const tonline = presetHint('t-online');
const m365 = presetHint('microsoft-365');
const outlook = presetHint('outlook');
const acct587: ExplainContext['account'] = { host: 'smtp.example.com', port: 587, security: 'starttls' };

const reply = (phase: FailureDetail['phase'], code: number, enhancedCode: string | undefined, serverText: string, extra: Partial<FailureDetail> = {}): FailureDetail => ({
  phase, cause: 'reply', code, serverText, message: `Server replied ${code} to ${phase.toUpperCase()}`,
  ...(enhancedCode ? { enhancedCode } : {}), ...extra,
});
const sys = (phase: FailureDetail['phase'], systemCode: string, message: string, context: FailureDetail['context'] = { host: 'smtp.example.com', port: 587, security: 'starttls' }): FailureDetail => ({
  phase, cause: phase === 'tls' ? 'tls' : 'network', systemCode, message, context,
});

interface Case {
  name: string;
  error: unknown;
  ctx?: ExplainContext;
  kind: (typeof explanationKinds)[number];
  /** An action key the explanation must contain. */
  action?: string;
  retryable?: boolean;
  permanent?: boolean;
  check?: (e: Explanation) => void;
}

const noRemoveAction = (e: Explanation): void => assert.ok(!e.actions.some((a) => a.key === 'act.removeRecipient'), e.actions.map((a) => a.key).join(', '));

// Server texts are as the servers send them (Gmail, Outlook/Exchange, GMX, Postfix,
// smtp-server); where a provider's wording varies, the common form is used.
const cases: Case[] = [
  // Network
  { name: 'unresolvable name', error: sys('dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND nonexistent.invalid', { host: 'nonexistent.invalid', port: 587 }), kind: 'network.hostNotFound', action: 'act.checkServerName' },
  { name: 'temporary DNS failure', error: sys('dns', 'EAI_AGAIN', 'getaddrinfo EAI_AGAIN smtp.example.com'), kind: 'network.dnsTemporary', retryable: true },
  { name: 'refused port', error: sys('connect', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:2'), kind: 'network.connectionRefused', action: 'act.checkPortSecurity' },
  { name: 'timeout on port 25', error: sys('connect', 'ETIMEDOUT', 'connect ETIMEDOUT 192.0.2.1:25', { host: 'mx.example.com', port: 25, security: 'starttls' }), kind: 'network.connectTimeout', action: 'act.usePort587' },
  { name: 'engine connect timeout', error: { phase: 'connect', cause: 'timeout', message: 'connect timed out after 15000 ms', context: { host: 'smtp.example.com', port: 465, timeout: 'connect' } }, kind: 'network.connectTimeout' },
  { name: 'host unreachable', error: sys('connect', 'EHOSTUNREACH', 'connect EHOSTUNREACH 10.1.2.3:587'), kind: 'network.hostUnreachable' },
  { name: 'no network', error: sys('connect', 'ENETUNREACH', 'connect ENETUNREACH 203.0.113.5:587'), kind: 'network.offline' },
  { name: 'connection reset', error: sys('data', 'ECONNRESET', 'read ECONNRESET'), kind: 'network.connectionReset', retryable: true },
  { name: 'node system error object', error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', port: 1 }), kind: 'network.connectionRefused' },
  { name: 'network without code', error: { phase: 'connect', cause: 'network', message: 'socket closed' }, kind: 'network.error' },
  { name: 'unknown server name, network up: probably misspelt', error: sys('dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND smtp.exmaple.com', { host: 'smtp.exmaple.com', port: 587 }), ctx: { online: true }, kind: 'network.hostNotFound', permanent: true },
  {
    name: 'a provider\'s own server "not found": the lookup failed, not the spelling', error: sys('dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND smtp.gmail.com', { host: 'smtp.gmail.com', port: 465 }),
    kind: 'network.dnsTemporary', retryable: true, permanent: false, action: 'act.checkInternet',
    check: (e) => {
      assert.equal(e.cause.key, 'err.network.dnsTemporary.cause.knownHost');
      assert.ok(!e.actions.some((a) => a.key === 'act.checkServerName'));
      assert.match(renderExplanation(e, 'en').cause, /smtp\.gmail\.com .*not misspelt.*not connected to the internet/);
    },
  },
  { name: 'a provider\'s server from the account settings, not found', error: sys('dns', 'EAI_NONAME', 'getaddrinfo EAI_NONAME'), ctx: { account: { host: 'mail.gmx.net', port: 587, security: 'starttls' } }, kind: 'network.dnsTemporary', permanent: false },
  { name: 'offline: name lookup fails before any connection', error: sys('dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND smtp.example.com', { host: 'smtp.example.com', port: 587 }), ctx: { online: false }, kind: 'network.offline', retryable: true, permanent: false },
  { name: 'offline: temporary lookup failure', error: sys('dns', 'EAI_AGAIN', 'getaddrinfo EAI_AGAIN smtp.example.com'), ctx: { online: false }, kind: 'network.offline' },
  { name: 'offline: connection timed out', error: { phase: 'connect', cause: 'timeout', message: 'connect timed out after 15000 ms', context: { host: 'smtp.example.com', port: 587, timeout: 'connect' } }, ctx: { online: false }, kind: 'network.offline' },
  { name: 'offline does not explain a refused connection', error: sys('connect', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:2'), ctx: { online: false }, kind: 'network.connectionRefused' },
  { name: 'offline does not explain a certificate', error: sys('tls', 'CERT_HAS_EXPIRED', 'certificate has expired'), ctx: { online: false }, kind: 'tls.certificateExpired' },
  { name: 'offline does not matter for a server on this computer (a bridge)', error: { phase: 'connect', cause: 'timeout', message: 'connect timed out', context: { host: '127.0.0.1', port: 1025, timeout: 'connect' } }, ctx: { online: false }, kind: 'network.connectTimeout' },

  // TLS
  { name: 'expired certificate', error: sys('tls', 'CERT_HAS_EXPIRED', 'certificate has expired'), kind: 'tls.certificateExpired', action: 'act.checkClock' },
  { name: 'certificate not yet valid', error: sys('tls', 'CERT_NOT_YET_VALID', 'certificate is not yet valid'), kind: 'tls.certificateNotYetValid' },
  { name: 'self-signed', error: sys('tls', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), kind: 'tls.untrustedCertificate', action: 'act.trustCompanyCa' },
  { name: 'self-signed in chain', error: sys('tls', 'SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), kind: 'tls.untrustedCertificate' },
  { name: 'unknown issuer', error: sys('tls', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), kind: 'tls.untrustedCertificate' },
  { name: 'wrong host', error: sys('tls', 'ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: mail.example.org. is not in the cert's altnames: DNS:smtp.example.com"), kind: 'tls.hostnameMismatch', action: 'act.useCertificateName' },
  {
    name: 'TLS to a STARTTLS port', error: sys('tls', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number', { host: 'smtp.example.com', port: 587, security: 'tls' }), kind: 'tls.wrongPortSecurity', action: 'act.switchSecurity',
    check: (e) => assert.deepEqual(e.actions[0]?.params, { security: 'STARTTLS', port: 587 }),
  },
  { name: 'EPROTO wrong version', error: sys('tls', 'EPROTO', 'C0D7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', { host: 'h', port: 25, security: 'tls' }), kind: 'tls.wrongPortSecurity' },
  {
    name: 'plaintext to the TLS port (greeting never comes)', error: { phase: 'greeting', cause: 'timeout', message: 'no greeting within 30000 ms', context: { host: 'smtp.gmail.com', port: 465, security: 'starttls' } }, kind: 'tls.wrongPortSecurity',
    check: (e) => assert.deepEqual(e.actions[0]?.params, { security: 'SSL/TLS', port: 465 }),
  },
  { name: 'TLS 1.0 only', error: sys('tls', 'ERR_SSL_UNSUPPORTED_PROTOCOL', 'unsupported protocol'), kind: 'tls.versionTooOld' },
  { name: 'protocol version alert', error: sys('tls', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version'), kind: 'tls.versionTooOld' },
  { name: 'STARTTLS not offered', error: { phase: 'ehlo', cause: 'security', message: 'Server does not offer STARTTLS', context: { host: 'smtp.example.com', port: 587, security: 'starttls' } }, kind: 'tls.startTlsNotOffered' },
  { name: 'STARTTLS refused 454', error: reply('starttls', 454, '4.7.0', '454 4.7.0 TLS not available due to local problem'), ctx: { account: acct587 }, kind: 'tls.startTlsRefused', retryable: true },
  { name: 'STARTTLS refused 501', error: reply('starttls', 501, '5.5.4', '501 5.5.4 Syntax error (no parameters allowed)'), kind: 'tls.startTlsRefused', retryable: false },
  { name: 'data injected before TLS', error: { phase: 'starttls', cause: 'security', message: 'Data received before the TLS handshake (possible STARTTLS injection)' }, kind: 'tls.injectionBeforeHandshake', action: 'act.useTrustedNetwork' },
  { name: 'Gmail: STARTTLS first', error: reply('mail', 530, '5.7.0', '530 5.7.0 Must issue a STARTTLS command first. d2-20020a05 - gsmtp'), kind: 'tls.serverRequiresEncryption' },
  { name: 'other TLS failure', error: { phase: 'tls', cause: 'tls', message: 'handshake failure' }, kind: 'tls.handshakeFailed' },
  { name: 'TLS handshake timeout', error: { phase: 'tls', cause: 'timeout', message: 'TLS handshake timed out', context: { host: 'smtp.example.com', port: 465, security: 'tls' } }, kind: 'timeout.tls' },

  // Greeting
  { name: '554 greeting (blocklist)', error: reply('greeting', 554, '5.7.1', '554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org'), kind: 'greeting.rejected', action: 'act.usePort587' },
  { name: '421 greeting', error: reply('greeting', 421, undefined, '421 mx.example.com Service not available - too busy'), kind: 'greeting.unavailable', retryable: true },
  { name: 'EHLO refused', error: reply('ehlo', 501, '5.5.4', '501 5.5.4 Invalid EHLO hostname'), kind: 'greeting.ehloRejected' },
  { name: 'HELO refused', error: reply('ehlo', 550, '5.7.1', '550 5.7.1 HELO rejected: client name not accepted'), kind: 'greeting.ehloRejected' },

  // Authentication
  { name: 'Postfix wrong password', error: reply('auth', 535, '5.7.8', '535 5.7.8 Error: authentication failed: authentication failure'), kind: 'auth.wrongCredentials', action: 'act.checkPassword' },
  { name: 'smtp-server wrong password', error: reply('auth', 535, undefined, '535 Error: Authentication credentials invalid'), kind: 'auth.wrongCredentials' },
  {
    name: 'Gmail wrong password with preset', error: reply('auth', 535, '5.7.8', '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a05 - gsmtp'),
    ctx: { provider: gmail }, kind: 'auth.wrongCredentials', action: 'act.createAppPassword',
    check: (e) => assert.equal(e.actions[0]?.key, 'act.createAppPassword'),
  },
  { name: 'GMX wrong password: enable external access', error: reply('auth', 535, '5.7.8', '535 5.7.8 Authentication credentials invalid'), ctx: { provider: gmx }, kind: 'auth.wrongCredentials', action: 'act.enableExternalAccess' },
  { name: 'T-Online: separate password', error: reply('auth', 535, '5.7.8', '535 5.7.8 Authentication failed'), ctx: { provider: tonline }, kind: 'auth.wrongCredentials', action: 'act.useSeparatePassword' },
  { name: 'Microsoft 365: OAuth', error: reply('auth', 535, '5.7.3', '535 5.7.3 Authentication unsuccessful [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]'), ctx: { provider: m365 }, kind: 'auth.wrongCredentials', action: 'act.useOAuth' },
  { name: 'Gmail app password (534 5.7.9)', error: reply('auth', 534, '5.7.9', '534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp'), ctx: { provider: gmail }, kind: 'auth.appPasswordRequired', action: 'act.createAppPassword' },
  { name: 'Gmail web login (534 5.7.14)', error: reply('auth', 534, '5.7.14', '534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1> Please log in via\n534-5.7.14 your web browser and then try again.\n534 5.7.14 Learn more at https://support.google.com/mail/answer/78754 - gsmtp'), kind: 'auth.webLoginRequired', action: 'act.webLogin' },
  { name: 'authentication required (530 5.7.0)', error: reply('mail', 530, '5.7.0', '530 5.7.0 Authentication Required. Learn more at https://support.google.com/mail/?p=WantAuthError - gsmtp'), kind: 'auth.required', action: 'act.enterCredentials' },
  { name: 'Exchange: client not authenticated', error: reply('mail', 530, '5.7.57', '530 5.7.57 Client not authenticated to send mail. [FR2P281CA0001.DEUP281.PROD.OUTLOOK.COM]'), kind: 'auth.required' },
  { name: 'encryption required (538 5.7.11)', error: reply('auth', 538, '5.7.11', '538 5.7.11 Encryption required for requested authentication mechanism'), kind: 'auth.encryptionRequired' },
  { name: 'mechanism not supported (504)', error: reply('auth', 504, '5.7.4', '504 5.7.4 Unrecognized authentication type'), kind: 'auth.mechanismUnsupported' },
  { name: 'mechanism too weak (534)', error: reply('auth', 534, '5.7.9', '534 5.7.9 Authentication mechanism is too weak'), kind: 'auth.mechanismTooWeak' },
  { name: 'temporary auth failure', error: reply('auth', 454, '4.7.0', '454 4.7.0 Temporary authentication failure'), kind: 'auth.temporaryFailure', retryable: true },
  { name: 'Gmail too many logins', error: reply('auth', 454, '4.7.0', '454-4.7.0 Too many login attempts, please try again later. For more information, go to\n454 4.7.0  https://support.google.com/mail/answer/7126229 - gsmtp'), kind: 'auth.tooManyAttempts' },
  { name: 'OAuth token rejected', error: reply('auth', 535, '5.7.8', '535-5.7.8 Username and Password not accepted. - gsmtp', { context: { mechanism: 'XOAUTH2' } }), kind: 'auth.oauthRejected', action: 'act.renewSignIn' },
  { name: 'Outlook basic auth disabled', error: reply('auth', 535, '5.7.139', '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [VI1PR0102CA0001.eurprd01.prod.exchangelabs.com]'), kind: 'auth.basicAuthDisabled', action: 'act.useOAuth' },
  { name: 'account disabled', error: reply('auth', 525, '5.7.13', '525 5.7.13 User account disabled'), kind: 'auth.accountDisabled' },
  { name: 'AUTH not offered', error: { phase: 'auth', cause: 'protocol', message: 'Server does not offer AUTH', context: { host: 'mx.example.com', port: 25, security: 'starttls' } }, kind: 'auth.notOffered' },
  { name: 'SCRAM server signature does not match', error: { phase: 'auth', cause: 'security', message: 'SCRAM server did not prove it knows the password', context: { host: 'smtp.example.com', port: 587, mechanism: 'SCRAM-SHA-256' } }, kind: 'auth.serverNotVerified', action: 'act.useTrustedNetwork', retryable: false },
  { name: 'password not sent in plaintext', error: { phase: 'auth', cause: 'security', message: 'Refusing to send a password over an unencrypted connection' }, kind: 'security.plaintextAuthRefused' },

  // Sender
  { name: 'Postfix sender not owned', error: reply('mail', 553, '5.7.1', '553 5.7.1 <boss@example.com>: Sender address rejected: not owned by user alice'), kind: 'sender.notOwned', action: 'act.checkSenderAddress' },
  { name: 'Exchange send-as denied', error: reply('mail', 550, '5.7.60', '550 5.7.60 SMTP; Client does not have permissions to send as this sender'), kind: 'sender.notOwned' },
  { name: 'sender domain not found (5.1.8)', error: reply('mail', 553, '5.1.8', '553 5.1.8 <a@nonexistent.invalid>: Sender address rejected: Domain not found'), kind: 'sender.rejected', permanent: true },
  {
    name: 'sender domain not found for now (450 4.1.8)', error: reply('mail', 450, '4.1.8', '450 4.1.8 <a@example.org>: Sender address rejected: Domain not found'),
    kind: 'sender.rejected', retryable: true, permanent: false, check: (e) => { assert.equal(e.cause.key, 'err.sender.rejected.cause.temporary'); assert.equal(e.autoRetry, true); },
  },
  {
    name: 'Spamhaus block at RCPT: the sending network, not the recipient', error: reply('rcpt', 554, '5.7.1', '554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.7', { recipients: ['bob@example.org'], context: { host: 'mx.example.org', port: 25 } }),
    kind: 'sender.blocklisted', permanent: true, action: 'act.useAccountServer', check: noRemoveAction,
  },
  { name: 'Microsoft banned sending IP', error: reply('rcpt', 550, '5.7.606', '550 5.7.606 Access denied, banned sending IP [198.51.100.7]', { recipients: ['x@outlook.com'] }), kind: 'sender.blocklisted', check: noRemoveAction },
  { name: 'Postfix relay denied', error: reply('rcpt', 554, '5.7.1', '554 5.7.1 <bob@elsewhere.example>: Relay access denied', { recipients: ['bob@elsewhere.example'] }), kind: 'sender.relayDenied' },
  { name: 'smtp-server style relay denied', error: reply('rcpt', 550, undefined, '550 Relaying denied', { recipients: ['x@y.example'] }), kind: 'sender.relayDenied' },
  { name: 'Exchange unable to relay', error: reply('rcpt', 550, '5.7.54', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain', { recipients: ['x@y.example'] }), kind: 'sender.relayDenied' },

  // Recipients
  {
    name: 'Postfix user unknown', error: reply('rcpt', 550, '5.1.1', '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table', { recipients: ['nobody@example.com'] }),
    kind: 'recipient.unknownUser', action: 'act.removeRecipient', check: (e) => assert.deepEqual(e.recipients, ['nobody@example.com']),
  },
  { name: 'Gmail no such user', error: reply('rcpt', 550, '5.1.1', "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550 5.1.1 double-checking the recipient's email address for typos - gsmtp", { recipients: ['jane.doe@gmail.com'] }), kind: 'recipient.unknownUser' },
  { name: 'bad domain (5.1.2)', error: reply('rcpt', 550, '5.1.2', '550 5.1.2 <x@gmial.con>: Recipient address rejected: Domain not found', { recipients: ['x@gmial.con'] }), kind: 'recipient.badDomain' },
  { name: 'bad syntax (5.1.3)', error: reply('rcpt', 501, '5.1.3', '501 5.1.3 Bad recipient address syntax', { recipients: ['a b@c'] }), kind: 'recipient.badSyntax' },
  { name: 'mailbox full 452 4.2.2', error: reply('rcpt', 452, '4.2.2', '452-4.2.2 The email account that you tried to reach is over quota. - gsmtp', { recipients: ['full@gmail.com'] }), kind: 'recipient.mailboxFull', retryable: true },
  { name: 'mailbox full 552 5.2.2', error: reply('rcpt', 552, '5.2.2', '552 5.2.2 <full@example.com>: Recipient address rejected: Mailbox full', { recipients: ['full@example.com'] }), kind: 'recipient.mailboxFull' },
  {
    name: 'mailbox full only after DATA (552 5.2.2)', error: reply('data', 552, '5.2.2', '552 5.2.2 Mailbox quota exceeded', { recipients: ['full@example.com'] }),
    kind: 'recipient.mailboxFull', check: (e) => { assert.deepEqual(e.recipients, ['full@example.com']); assert.match(renderExplanation(e, 'en').happened, /full@example\.com/); },
  },
  { name: '421 4.4.2 at RCPT: the connection, not the recipient', error: reply('rcpt', 421, '4.4.2', '421 4.4.2 mx.example.org Error: timeout exceeded', { recipients: ['bob@example.org'] }), kind: 'server.unavailable', permanent: false, check: noRemoveAction },
  { name: 'temporary lookup failure at RCPT: the server\'s trouble', error: reply('rcpt', 451, '4.3.0', '451 4.3.0 <bob@example.org>: Temporary lookup failure', { recipients: ['bob@example.org'] }), kind: 'server.localError', check: noRemoveAction },
  { name: 'mailbox disabled 5.2.1', error: reply('rcpt', 550, '5.2.1', '550-5.2.1 The email account that you tried to reach is disabled. - gsmtp', { recipients: ['gone@gmail.com'] }), kind: 'recipient.mailboxDisabled' },
  { name: 'moved 5.1.6', error: reply('rcpt', 550, '5.1.6', '550 5.1.6 Recipient addresses changed', { recipients: ['old@example.com'] }), kind: 'recipient.moved' },
  { name: 'too many recipients 452 4.5.3', error: reply('rcpt', 452, '4.5.3', '452 4.5.3 Error: too many recipients', { recipients: ['r101@example.com'] }), kind: 'recipient.tooMany', action: 'act.fewerRecipients' },
  { name: 'too many recipients 5.5.3', error: reply('rcpt', 550, '5.5.3', '550 5.5.3 Too many recipients', { recipients: ['r501@example.com'] }), kind: 'recipient.tooMany' },
  { name: 'recipient refused by policy', error: reply('rcpt', 550, '5.7.1', '550 5.7.1 <boss@example.org>: Recipient address rejected: Access denied', { recipients: ['boss@example.org'] }), kind: 'recipient.rejected' },

  // Content
  {
    name: 'SIZE pre-check', error: { phase: 'mail', cause: 'size-limit', message: 'message of 15728640 bytes exceeds SIZE 10485760', context: { sizeLimit: 10485760, messageSize: 15728640 } }, kind: 'content.tooLargeBeforeSend',
    check: (e) => {
      assert.match(renderExplanation(e, 'de').happened, /15 MB.*10 MB/);
      assert.match(renderExplanation(e, 'en').happened, /15 MB.*10 MB/);
    },
  },
  { name: 'Postfix too large at end of data', error: reply('data', 552, '5.3.4', '552 5.3.4 Message size exceeds fixed limit'), kind: 'content.tooLarge', action: 'act.shrinkMessageNoLimit' },
  { name: 'smtp-server too large', error: reply('data', 552, undefined, '552 Error: message exceeds fixed maximum message size 1048576'), kind: 'content.tooLarge' },
  { name: 'too large with known limit', error: reply('data', 552, '5.3.4', '552 5.3.4 Message size exceeds fixed limit', { context: { sizeLimit: 26214400 } }), kind: 'content.tooLarge', action: 'act.shrinkMessage' },
  { name: 'Gmail spam', error: reply('data', 550, '5.7.1', '550-5.7.1 [198.51.100.7] Our system has detected that this message is\n550 5.7.1 likely unsolicited mail. - gsmtp'), kind: 'content.spam' },
  { name: 'GMX policy', error: reply('data', 554, undefined, '554-Transaction failed\n554-Reject due to policy restrictions.\n554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=198.51.100.7'), kind: 'content.rejectedByPolicy' },
  { name: 'policy 5.7.1', error: reply('data', 554, '5.7.1', '554 5.7.1 Message rejected'), kind: 'content.rejectedByPolicy' },
  { name: 'DMARC 5.7.26', error: reply('data', 550, '5.7.26', '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users. - gsmtp'), kind: 'content.senderAuthFailed' },
  { name: 'SPF 5.7.23', error: reply('rcpt', 550, '5.7.23', '550 5.7.23 SPF validation failed', { recipients: ['x@example.org'] }), kind: 'content.senderAuthFailed' },
  { name: '8-bit refused', error: reply('data', 554, '5.6.1', '554 5.6.1 8-bit content not accepted'), kind: 'content.eightBitUnsupported' },
  { name: 'non-ASCII address', error: reply('rcpt', 553, '5.6.7', '553 5.6.7 Non-ASCII addresses not permitted for that sender/recipient', { recipients: ['jürgen@example.de'] }), kind: 'content.utf8Unsupported' },

  // Server state and limits
  { name: 'service not available 421 4.3.2', error: reply('mail', 421, '4.3.2', '421 4.3.2 Service not available, closing transmission channel'), kind: 'server.unavailable', retryable: true },
  { name: 'postgrey greylisting', error: reply('rcpt', 450, '4.2.0', '450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html', { recipients: ['bob@example.org'] }), kind: 'server.greylisted', action: 'act.nothingToDo', check: (e) => assert.equal(e.autoRetry, true) },
  { name: 'greylisting 451 4.7.1', error: reply('rcpt', 451, '4.7.1', '451 4.7.1 Please try again later', { recipients: ['bob@example.org'] }), kind: 'server.greylisted' },
  { name: 'insufficient storage', error: reply('mail', 452, '4.3.1', '452 4.3.1 Insufficient system storage'), kind: 'server.busy' },
  { name: 'local error', error: reply('data', 451, '4.3.0', '451 4.3.0 Error: queue file write error'), kind: 'server.localError' },
  { name: 'Gmail 421 4.7.0 Temporary System Problem after DATA', error: reply('data', 421, '4.7.0', '421-4.7.0 Temporary System Problem.  Try again later (10). d2-20020a05 - gsmtp'), kind: 'server.unavailable', retryable: true, permanent: false },
  { name: '451 4.7.0 Temporary server error after DATA', error: reply('data', 451, '4.7.0', '451 4.7.0 Temporary server error. Please try again later. PRX4'), kind: 'server.localError', retryable: true, permanent: false },
  { name: 'a temporary spam verdict is not permanent', error: reply('data', 451, '4.7.1', '451 4.7.1 This message looks like spam; delivery deferred'), kind: 'content.spam', permanent: false },
  {
    name: 'Gmail rate limit', error: reply('ehlo', 421, '4.7.0', '421-4.7.0 Try again later, closing connection. (EHLO)\n421 4.7.0  For more information, go to https://support.google.com/a/answer/3221692 - gsmtp'),
    kind: 'limit.rateLimited', check: (e) => assert.equal(e.cause.key, 'err.limit.rateLimited.cause.gmail'),
  },
  {
    name: 'Gmail daily limit', error: reply('mail', 550, '5.4.5', '550 5.4.5 Daily user sending limit exceeded. For more information on Gmail\n550 5.4.5 sending limits go to https://support.google.com/a/answer/166852 - gsmtp'),
    kind: 'limit.dailyQuota', check: (e) => assert.equal(e.cause.key, 'err.limit.dailyQuota.cause.gmail'),
  },
  {
    name: 'Outlook daily quota', error: reply('data', 554, '5.2.0', '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message.'),
    kind: 'limit.dailyQuota', check: (e) => assert.equal(e.cause.key, 'err.limit.dailyQuota.cause.outlook'),
  },
  { name: 'Outlook outbound spam block', error: reply('data', 554, '5.2.0', '554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; WASCL UserAction verdict is not None. Actual verdict is Suspend, ShowTierUpgrade.'), kind: 'limit.accountSuspended' },
  {
    name: 'GMX rate limit', error: reply('mail', 450, '4.7.0', '450 4.7.0 Too many messages, please try again later'), ctx: { account: { host: 'mail.gmx.net', port: 587, security: 'starttls' } },
    kind: 'limit.rateLimited', check: (e) => assert.equal(e.cause.key, 'err.limit.rateLimited.cause.unitedInternet'),
  },
  {
    name: 'WEB.DE rate limit (German text)', error: reply('mail', 421, undefined, '421 Zu viele Nachrichten in kurzer Zeit'), ctx: { provider: webde },
    kind: 'limit.rateLimited', check: (e) => assert.equal(e.cause.key, 'err.limit.rateLimited.cause.unitedInternet'),
  },
  {
    name: 'Microsoft 365 sending limit, with its preset', error: reply('data', 554, '5.2.0', '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message.'),
    ctx: { provider: m365 }, kind: 'limit.dailyQuota', check: (e) => assert.equal(e.cause.key, 'err.limit.dailyQuota.cause.microsoft365'),
  },
  {
    name: 'Microsoft 365 recognised by its server, without a preset', error: reply('mail', 451, '4.7.500', '451 4.7.500 Server busy. Please try again later; too many messages', { context: { host: 'smtp.office365.com', port: 587 } }),
    kind: 'limit.rateLimited', check: (e) => { assert.equal(e.cause.key, 'err.limit.rateLimited.cause.microsoft365'); assert.equal(e.provider?.id, 'microsoft-365'); },
  },
  {
    name: 'Outlook.com rate limit, with its preset', error: reply('mail', 452, '4.3.1', '452 4.3.1 Rate limit exceeded for this account'), ctx: { provider: outlook },
    kind: 'limit.rateLimited', check: (e) => assert.equal(e.cause.key, 'err.limit.rateLimited.cause.outlook'),
  },
  { name: 'mail flood 4.7.28', error: reply('rcpt', 421, '4.7.28', '421-4.7.28 Our system has detected an unusual rate of unsolicited mail', { recipients: ['a@gmail.com'] }), kind: 'limit.rateLimited' },

  // Timeouts and uncertainty
  { name: 'greeting timeout', error: { phase: 'greeting', cause: 'timeout', message: 'no greeting within 30000 ms', context: { host: 'smtp.example.com', port: 587, security: 'starttls' } }, kind: 'timeout.greeting' },
  { name: 'AUTH timeout', error: { phase: 'auth', cause: 'timeout', message: 'no reply to AUTH within 60000 ms', context: { host: 'smtp.example.com', port: 587, timeout: 'command' } }, kind: 'timeout.command', check: (e) => assert.match(renderExplanation(e, 'de').happened, /„Anmelden“/) },
  { name: 'data block timeout', error: { phase: 'data', cause: 'timeout', message: 'body write stalled', context: { timeout: 'dataBlock' } }, kind: 'timeout.data' },
  {
    name: 'connection lost after the final dot', error: Object.assign(new Error('connection closed before the reply to DATA'), { detail: { phase: 'data', cause: 'network', systemCode: 'ECONNRESET', message: 'connection closed before the reply to DATA' } satisfies FailureDetail, mayHaveBeenDelivered: true }),
    kind: 'uncertain.mayHaveBeenDelivered', retryable: false, action: 'act.checkSentFolder',
  },
  { name: 'end-of-data timeout', error: { phase: 'data', cause: 'timeout', message: 'no reply after end of data', context: { timeout: 'endOfData' } }, kind: 'uncertain.mayHaveBeenDelivered' },
  { name: 'cancelled', error: { phase: 'rcpt', cause: 'cancelled', message: 'aborted' }, kind: 'cancelled' },

  // Engine-level causes
  { name: 'engine: no usable mechanism', error: { phase: 'auth', cause: 'auth-unsupported', message: 'no usable authentication mechanism (server offers: GSSAPI)', context: { offered: 'GSSAPI' } }, kind: 'auth.mechanismUnsupported' },
  { name: 'engine: AUTH not offered at all', error: { phase: 'auth', cause: 'auth-unsupported', message: 'no usable authentication mechanism (server offers: none)', context: { offered: '' } }, kind: 'auth.notOffered' },
  { name: 'engine: SMTPUTF8 missing', error: { phase: 'mail', cause: 'unsupported', message: 'the message needs SMTPUTF8 (international addresses) but the server does not offer it' }, kind: 'content.utf8Unsupported' },
  { name: 'engine: 8BITMIME missing', error: { phase: 'mail', cause: 'unsupported', message: 'the message has 8-bit content but the server does not offer 8BITMIME' }, kind: 'content.eightBitUnsupported' },
  { name: 'engine: invalid envelope address', error: { phase: 'input', cause: 'input', message: 'invalid address in envelope: "a\\rb"', recipients: ['a b'] }, kind: 'input.invalid' },
  {
    name: 'engine: the body could not be read during DATA (an attachment changed)',
    error: Object.assign(new Error('reading the message body failed: /home/anna/Bericht.pdf changed while the message was being sent'), {
      detail: { phase: 'data', cause: 'input', message: 'reading the message body failed: /home/anna/Bericht.pdf changed while the message was being sent' } satisfies FailureDetail,
      mayHaveBeenDelivered: false,
      cause: { error: { kind: 'compose.attachmentChanged', params: { field: 'attachments.0', path: '/home/anna/Bericht.pdf', name: 'Bericht.pdf' } } },
    }),
    kind: 'input.attachmentUnreadable', retryable: false, permanent: false, action: 'act.checkAttachment',
    check: (e) => {
      assert.match(renderExplanation(e, 'en').happened, /could not read Bericht\.pdf to the end.*Nothing was delivered/);
      assert.match(renderExplanation(e, 'de').happened, /konnte Bericht\.pdf beim Senden nicht.*Zugestellt wurde nichts/);
      assert.ok(!e.actions.some((a) => a.key === 'act.checkAddresses'));
    },
  },
  {
    name: 'engine: the body could not be read during DATA, file unknown', error: { phase: 'data', cause: 'input', message: 'reading the message body failed: EIO' },
    kind: 'input.attachmentUnreadable', check: (e) => assert.match(renderExplanation(e, 'en').happened, /could not read an attachment to the end/),
  },
  { name: 'engine: size-limit context names', error: { phase: 'mail', cause: 'size-limit', message: 'too big', context: { size: 3145728, limit: 2097152 } }, kind: 'content.tooLargeBeforeSend', check: (e) => assert.match(renderExplanation(e, 'en').happened, /3 MB.*2 MB/) },
  { name: 'engine: plaintext to port 465, server hangs up', error: { phase: 'greeting', cause: 'network', message: 'the server closed the connection', context: { host: 'smtp.gmx.net', port: 465, security: 'starttls' } }, kind: 'tls.wrongPortSecurity' },
  { name: 'Postfix: AUTH before STARTTLS', error: reply('auth', 530, '5.7.0', 'Must issue a STARTTLS command first'), kind: 'tls.serverRequiresEncryption' },
  { name: 'Postfix: already authenticated', error: reply('auth', 503, '5.5.1', 'Error: already authenticated'), kind: 'unknown.permanent' },

  // Anything else
  { name: 'unknown permanent with enhanced code', error: reply('data', 554, '5.3.5', '554 5.3.5 Local configuration error'), kind: 'unknown.permanent', check: (e) => assert.match(renderExplanation(e, 'de').happened, /falsch eingerichtet/) },
  { name: 'unknown temporary with unregistered code', error: reply('mail', 458, '4.9.9', '458 4.9.9 who knows'), kind: 'unknown.temporary' },
  { name: 'unknown permanent bare code', error: reply('data', 559, undefined, '559 nope'), kind: 'unknown.permanent', check: (e) => assert.match(renderExplanation(e, 'en').happened, /559/) },
  { name: 'unexpected 2xx as error', error: reply('data', 250, undefined, '250 but why'), kind: 'server.protocolError' },
  { name: 'protocol garbage', error: { phase: 'ehlo', cause: 'protocol', message: 'malformed reply line' }, kind: 'server.protocolError' },
  { name: 'plain Error', error: new Error('boom'), kind: 'unknown.error' },
  { name: 'thrown string', error: 'kaputt', kind: 'unknown.error' },
  { name: 'undefined', error: undefined, kind: 'unknown.error' },
];

const placeholderLeft = /\{[A-Za-z0-9_]+\}/;

/** The invariants every explanation meets, in both languages. */
function assertReadable(e: Explanation, raw: string[]): void {
  assert.ok(ExplanationSchema.safeParse(e).success, 'explanation matches its schema');
  assert.deepEqual(ExplanationSchema.parse(JSON.parse(JSON.stringify(e))), e, 'survives JSON (IPC, send log)');
  assert.ok((explanationKinds as readonly string[]).includes(e.kind), `known kind ${e.kind}`);
  assert.ok(e.actions.length >= 1, 'at least one action');
  assert.ok(AppErrorSchema.safeParse(explanationToAppError(e)).success, 'converts to an AppError');
  const rendered = { de: renderExplanation(e, 'de'), en: renderExplanation(e, 'en') };
  for (const lang of ['de', 'en'] as const) {
    const r = rendered[lang];
    const texts = [r.title, r.happened, r.cause, ...r.actions];
    for (const text of texts) {
      assert.ok(text.trim().length > 3, `${lang}: empty text`);
      // Addresses are the person's data: "{a}.a@a.aa" or "null@x.de" are valid mailboxes, not leftovers.
      const own = e.recipients.reduce((t, addr) => t.split(addr).join(''), text);
      // "null MX" (RFC 7505, enhanced code X.1.10) is a real term, not a stringified null.
      const words = own.replace(/\bnull MX\b/gi, '');
      assert.ok(!words.includes('undefined') && !words.includes('null') && !words.includes('NaN'), `${lang}: ${text}`);
      assert.ok(!placeholderLeft.test(own), `${lang}: placeholder left in "${text}"`);
      assert.ok(!text.includes('…'), `${lang}: missing parameter in "${text}"`);
      for (const s of raw) assert.ok(text !== s && (s.length < 25 || !text.includes(s)), `${lang}: raw error text in "${text}"`);
    }
    assert.ok(r.technical.length >= 2, `${lang}: technical detail`);
    if (e.technical.serverText) assert.ok(r.technical.some((l) => l.includes(e.technical.serverText ?? '')), 'server text verbatim');
    if (e.technical.systemCode) assert.ok(r.technical.some((l) => l.includes(e.technical.systemCode ?? '')), 'system code shown');
  }
  assert.notEqual(rendered.de.title, rendered.en.title, 'German and English differ');
  assert.notEqual(rendered.de.happened, rendered.en.happened);
}

function rawStrings(error: unknown): string[] {
  if (typeof error === 'string') return [error];
  if (typeof error !== 'object' || error === null) return [];
  const d = 'detail' in error ? (error as { detail: FailureDetail }).detail : (error as Partial<FailureDetail>);
  return [d.message, d.serverText].filter((s): s is string => typeof s === 'string');
}

for (const c of cases) {
  test(`explains: ${c.name}`, () => {
    const e = explainDeliveryError(c.error, c.ctx);
    assert.equal(e.kind, c.kind);
    if (c.action) assert.ok(e.actions.some((a) => a.key === c.action), `action ${c.action} in ${e.actions.map((a) => a.key).join(', ')}`);
    if (c.retryable !== undefined) assert.equal(e.retryable, c.retryable);
    if (c.permanent !== undefined) assert.equal(e.permanent, c.permanent);
    assertReadable(e, rawStrings(c.error));
    c.check?.(e);
  });
}

test('partial success: sent to some, each refused recipient gets its own action', () => {
  const e = explainPartialSuccess([
    { address: 'ok@example.com', accepted: true, code: 250, enhancedCode: '2.1.5', message: 'Ok' },
    { address: 'nobody@example.com', accepted: false, code: 550, enhancedCode: '5.1.1', message: '<nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table' },
    { address: 'full@example.org', accepted: false, code: 452, enhancedCode: '4.2.2', message: 'Mailbox full' },
  ]);
  assert.equal(e.kind, 'recipient.partialSuccess');
  assert.deepEqual(e.recipients, ['nobody@example.com', 'full@example.org']);
  assert.deepEqual(e.actions.map((a) => a.key), ['act.correctRecipient', 'act.retryLater']);
  const en = renderExplanation(e, 'en');
  assert.match(en.happened, /1 of 3 recipients/);
  assert.match(renderExplanation(e, 'de').happened, /1 von 3 Empfängern/);
  assertReadable(e, []);
});

test('every recipient refused for different reasons: one explanation listing each', () => {
  const results = [
    { address: 'a@example.com', accepted: false, code: 550, enhancedCode: '5.1.1', message: 'User unknown' },
    { address: 'b@example.com', accepted: false, code: 552, enhancedCode: '5.2.2', message: 'Mailbox full' },
  ];
  const e = explainDeliveryError(reply('rcpt', 550, '5.1.1', '550 5.1.1 User unknown', { recipients: ['a@example.com', 'b@example.com'] }), { recipientsResults: results });
  assert.equal(e.kind, 'recipient.allRejected');
  assert.equal(e.actions.length, 2);
  assertReadable(e, []);
  const same = explainDeliveryError(reply('rcpt', 550, '5.1.1', '550 5.1.1 User unknown'), {
    recipientsResults: [results[0]!, { ...results[0]!, address: 'c@example.com' }],
  });
  assert.equal(same.kind, 'recipient.unknownUser');
  assert.deepEqual(same.recipients, ['a@example.com', 'c@example.com']);
});

test('every recipient refused for the same reason: the texts and actions name them all', () => {
  // As the engine throws it: the first reply's code, every address, and each recipient's reply.
  const results = [
    { address: 'anna@example.com', accepted: false, code: 550, enhancedCode: '5.1.1', message: '<anna@example.com>: Recipient address rejected: User unknown' },
    { address: 'bernd@example.com', accepted: false, code: 550, enhancedCode: '5.1.1', message: '<bernd@example.com>: Recipient address rejected: User unknown' },
  ];
  const engineError = Object.assign(new Error('every recipient was refused'), {
    detail: {
      phase: 'rcpt', cause: 'reply', code: 550, enhancedCode: '5.1.1', recipients: ['anna@example.com', 'bernd@example.com'],
      serverText: results.map((r) => `${r.address}: ${r.message}`).join('\n'), message: 'every recipient was refused; no message was sent',
    } satisfies FailureDetail,
    mayHaveBeenDelivered: false,
    recipientResults: results,
  });
  const e = explainDeliveryError(engineError);
  assert.equal(e.kind, 'recipient.unknownUser');
  assert.deepEqual(e.recipients, ['anna@example.com', 'bernd@example.com']);
  assert.equal(e.happened.key, 'err.recipient.unknownUser.happened.several');
  assert.deepEqual(e.actions.map((a) => a.key), ['act.correctRecipients', 'act.removeRecipients']);
  const en = renderExplanation(e, 'en');
  assert.equal(en.happened, 'These mailboxes do not exist: anna@example.com, bernd@example.com.');
  for (const action of en.actions) assert.match(action, /anna@example\.com, bernd@example\.com/);
  assert.equal(renderExplanation(e, 'de').happened, 'Diese Postfächer gibt es nicht: anna@example.com, bernd@example.com.');
  assertReadable(e, []);
});

test('a 4xx reply is never explained as permanent, whatever its words or step', () => {
  const words = fc.constantFrom('', 'Domain not found', 'Temporary System Problem', 'Temporary server error', 'User unknown', 'Mailbox full',
    'blocked using zen.spamhaus.org', 'Relay access denied', 'Message rejected by policy', 'Sender address rejected', 'spam', 'Try again later');
  fc.assert(fc.property(
    fc.constantFrom<FailureDetail['phase']>('greeting', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data'),
    fc.integer({ min: 400, max: 499 }),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 30 })).map(([a, b]) => `4.${a}.${b}`), { nil: undefined }),
    words,
    fc.boolean(),
    (phase, code, enhanced, text, many) => {
      const recipients = phase === 'rcpt' ? ['a@example.org'] : [];
      const e = explainDeliveryError(reply(phase, code, enhanced, `${code} ${enhanced ?? ''} ${text}`, { recipients }));
      assert.equal(e.permanent, false, `${phase} ${code} ${enhanced ?? ''} ${text}: ${e.kind}`);
      if (many) {
        const results = ['a@example.org', 'b@example.org'].map((address) => ({ address, accepted: false, code, message: text, ...(enhanced ? { enhancedCode: enhanced } : {}) }));
        assert.equal(explainDeliveryError(reply('rcpt', code, enhanced, text), { recipientsResults: results }).permanent, false);
      }
    },
  ), { numRuns: 300 });
});

test('sizes in one text never read the same when they differ', () => {
  const precheck = (size: number, limit: number): { de: string; en: string } => {
    const e = explainDeliveryError({ phase: 'mail', cause: 'size-limit', message: 'too big', context: { size, limit } });
    return { de: renderExplanation(e, 'de').happened, en: renderExplanation(e, 'en').happened };
  };
  const MiB = 1024 * 1024;
  assert.deepEqual(precheck(Math.round(10.4 * MiB), 10 * MiB), {
    de: 'Die Nachricht ist 10,4 MB groß, der Server nimmt aber höchstens 10 MB an. Postbote hat sie nicht gesendet.',
    en: 'The message is 10.4 MB, but the server accepts at most 10 MB. Postbote did not send it.',
  });
  // Gmail announces SIZE 35882577 (34.22 MiB).
  const gmailLimit = 35882577;
  assert.match(precheck(Math.round(34.3 * MiB), gmailLimit).en, /is 34\.3 MB, .* at most 34\.2 MB\./);
  assert.match(precheck(gmailLimit + 1000, gmailLimit).en, /is 34\.221 MB, .* at most 34\.22 MB\./);
  assert.match(precheck(gmailLimit + 1, gmailLimit).de, /ist 35\.882\.578 Bytes groß, .* höchstens 35\.882\.577 Bytes an\./);
  assert.match(precheck(gmailLimit + 1, gmailLimit).en, /is 35,882,578 bytes, .* at most 35,882,577 bytes\./);
  // Whole MB from 10 MB on, where that is enough (unchanged from before).
  assert.match(precheck(40 * MiB, gmailLimit).en, /is 40 MB, .* at most 34 MB\./);
  fc.assert(fc.property(fc.integer({ min: 1, max: 200 * MiB }), fc.integer({ min: 1, max: 5 * MiB }), (limit, over) => {
    for (const lang of ['de', 'en'] as const) {
      const text = precheck(limit + over, limit)[lang];
      const [size, max] = [...text.matchAll(/(\d[\d.,]*) (?:MB|Bytes|bytes)/g)].map((m) => m[1]);
      assert.ok(size !== undefined && max !== undefined && size !== max, `${lang}: ${text}`);
    }
  }), { numRuns: 300 });
});

test('offline is decided from the network interfaces: only loopback or link-local addresses', () => {
  const lo = [{ address: '127.0.0.1', family: 'IPv4', internal: true }, { address: '::1', family: 'IPv6', internal: true }];
  assert.equal(isProbablyOffline({}), true);
  assert.equal(isProbablyOffline({ lo }), true);
  // Wi-Fi off on macOS: awdl0/utun keep their fe80:: addresses; no DHCP answer gives 169.254.x.x.
  assert.equal(isProbablyOffline({ lo, awdl0: [{ address: 'fe80::a8bb:ccff:fedd:eeff', family: 'IPv6', internal: false }], utun0: [{ address: 'FE80::1', family: 'IPv6', internal: false }] }), true);
  assert.equal(isProbablyOffline({ lo, en0: [{ address: '169.254.10.20', family: 'IPv4', internal: false }], gone: undefined }), true);
  assert.equal(isProbablyOffline({ lo, wlan0: [{ address: '192.168.178.20', family: 'IPv4', internal: false }] }), false);
  assert.equal(isProbablyOffline({ lo, eth0: [{ address: '2001:db8::20', family: 6, internal: false }] }), false);
  // The shape os.networkInterfaces() has on this machine is accepted as it is.
  assert.equal(typeof isProbablyOffline(networkInterfaces()), 'boolean');
});

test('explainRecipient explains one refused address', () => {
  const e = explainRecipient({ address: 'x@example.com', accepted: false, code: 550, enhancedCode: '5.1.1', message: 'User unknown' });
  assert.equal(e.kind, 'recipient.unknownUser');
  assert.match(renderExplanation(e, 'en').actions.join(' '), /x@example\.com/);
});

test('sent although the sign-in was refused: a warning that says what to fix, with the provider\'s own hint', () => {
  const e = explainDeliveredWithoutSignIn({ code: 535, enhancedCode: '5.7.8', message: 'Username and Password not accepted' }, { provider: gmail });
  assert.equal(e.kind, 'auth.refusedButDelivered');
  assert.equal(e.permanent, false);
  assert.equal(e.retryable, false, 'nothing to send again: it arrived');
  assert.equal(e.technical.code, 535);
  const de = renderExplanation(e, 'de');
  assert.match(de.title, /Gesendet, aber die Anmeldung ist fehlgeschlagen/);
  assert.match(de.happened, /Antwort 535/);
  assert.match(de.actions.join(' '), /App-Passwort/);
  const en = renderExplanation(e, 'en');
  assert.match(en.title, /Sent, but the sign-in failed/);
  assertReadable(e, []);
});

test('every kind is reached by at least one real case', () => {
  const reached = new Set<string>(cases.map((c) => c.kind));
  reached.add('recipient.partialSuccess');
  reached.add('recipient.allRejected');
  reached.add(explainDeliveredWithoutSignIn({ code: 535, message: 'no' }).kind);
  const missing = explanationKinds.filter((k) => !reached.has(k));
  assert.deepEqual(missing, []);
});

test('anything at all still gets a readable explanation', () => {
  const phase = fc.constantFrom(...deliveryPhases);
  const detail = fc.record({
    phase,
    cause: fc.constantFrom('reply', 'timeout', 'network', 'tls', 'protocol', 'security', 'cancelled', 'size-limit', 'whatever'),
    code: fc.option(fc.integer({ min: 200, max: 599 }), { nil: undefined }),
    enhancedCode: fc.option(fc.oneof(
      fc.tuple(fc.constantFrom(2, 4, 5), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 40 })).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.string({ maxLength: 8 }),
    ), { nil: undefined }),
    serverText: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    systemCode: fc.option(fc.constantFrom('ECONNREFUSED', 'ENOTFOUND', 'CERT_HAS_EXPIRED', 'EPROTO', 'EWEIRD'), { nil: undefined }),
    message: fc.string({ minLength: 1, maxLength: 40 }),
    recipients: fc.option(fc.array(fc.emailAddress(), { maxLength: 3 }), { nil: undefined }),
    context: fc.option(fc.record({ host: fc.domain(), port: fc.integer({ min: 1, max: 65535 }), security: fc.constantFrom('tls', 'starttls', 'none') }), { nil: undefined }),
  }, { requiredKeys: ['phase', 'cause', 'message'] });
  fc.assert(fc.property(detail, fc.boolean(), (d, may) => {
    const e = explainDeliveryError({ detail: d, mayHaveBeenDelivered: may, name: 'SmtpError', message: d.message });
    // Random text can collide with catalogue words, so only the structural checks here.
    assertReadable(e, []);
  }), {
    numRuns: 400,
    // Found by CI: X.1.10's meaning says "null MX", which is a term, not a leftover null.
    examples: [[{ phase: 'input', cause: 'reply', code: 453, enhancedCode: '2.1.10', message: ' ' }, false]],
  });
});
