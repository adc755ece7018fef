/**
 * `postbote send` and `postbote sendmail`: one message now, through the shared delivery
 * pipeline (main/delivery), with the outcome in words or as JSON and a sysexits code.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { parseAddressList, validateAddress, type ValidAddress } from '../../shared/address.js';
import { AuthMechanismSchema, SecuritySchema, type SmtpSettings, type Security } from '../../shared/domain.js';
import { renderExplanation } from '../../shared/explanation.js';
import type { AttachmentInput, MessageDraftInput } from '../../shared/message.js';
import { deliverNow, type DeliveryMessage, type DeliveryOutcome, type DeliveryTarget } from '../delivery/deliver.js';
import { providerHintOf, smtpSettingsOf } from '../delivery/pipeline.js';
import { firstLineRoom, foldHeader, formatDate, phraseAtoms } from '../mime/header.js';
import { isComposeError, readRawMessage, type RawMessageInfo } from '../mime/index.js';
import type { SmtpCredentials, TranscriptEntry } from '../smtp/index.js';
import { isStoreError, type StoredAccount } from '../store/index.js';
import {
  CliError, EX, actionTexts, appErrorText, appErrorAsCliError, explanationLines, failureExitCode, fileReason, formatMs, parse, readAll, readTextFile,
  refusePasswordArgument, securityLabel, table, usage, type Ctx,
} from './common.js';
import { dataDirOf, findAccount, openData, type DataFolder } from './data.js';

// ---------------------------------------------------------------------------------------
// Outcome → exit code, JSON, words

export function exitCodeOf(o: DeliveryOutcome): number {
  if (o.ok) return EX.OK;
  if (o.status === 'sentWithWarnings') return EX.NOUSER;
  const d = o.failure?.detail;
  if (o.inputError || o.error?.kind.startsWith('compose.') || d?.phase === 'input' || d?.phase === 'compose') return EX.DATAERR;
  if (d?.phase === 'config' || d?.phase === 'keychain') return EX.CONFIG;
  if (o.status === 'unconfirmed') return EX.UNCONFIRMED;
  if (o.status === 'deferred') return EX.TEMPFAIL;
  if (o.explanation) return failureExitCode(o.explanation, d, o.failure?.mayHaveBeenDelivered === true);
  return EX.UNAVAILABLE;
}

export interface SendJson {
  ok: boolean;
  status: string;
  accepted: string[];
  rejected: Array<{ address: string; code: number; enhancedCode: string | null; message: string }>;
  messageId: string | null;
  queueId: string | null;
  tls: { protocol: string; cipher: string } | null;
  authMechanism: string | null;
  durationMs: number;
  logId: number | null;
  transcript?: Array<{ dir: string; line: string }>;
  error: null | {
    kind: string; phase: string; code: number | null; enhancedCode: string | null; serverText: string | null;
    /** Running the same command again later can help (the exit code is then 75). */
    title: string; action: string; retryable: boolean;
  };
}

export function outcomeJson(ctx: Ctx, o: DeliveryOutcome, withTranscript: boolean): SendJson {
  let error: SendJson['error'] = null;
  if (o.explanation && (!o.ok)) {
    const r = renderExplanation(o.explanation, ctx.lang);
    const d = o.failure?.detail;
    const composeKind = o.error && o.error.kind.startsWith('compose.') ? o.error : null;
    error = {
      kind: composeKind ? composeKind.kind : o.explanation.kind,
      phase: d?.phase ?? o.explanation.technical.phase,
      code: d?.code ?? o.explanation.technical.code ?? null,
      enhancedCode: d?.enhancedCode ?? o.explanation.technical.enhancedCode ?? null,
      serverText: d?.serverText ?? o.explanation.technical.serverText ?? null,
      title: composeKind ? appErrorText(ctx, composeKind) : r.title,
      action: composeKind ? ctx.t('cli.action.fixInput') : actionTexts(ctx, o.explanation)[0] ?? '',
      retryable: exitCodeOf(o) === EX.TEMPFAIL,
    };
  }
  return {
    ok: o.ok,
    status: o.status,
    accepted: o.accepted,
    rejected: o.rejected.map((r) => ({ address: r.address, code: r.code, enhancedCode: r.enhancedCode ?? null, message: r.message })),
    messageId: o.messageId,
    queueId: o.queueId,
    tls: o.tls ? { protocol: o.tls.protocol, cipher: o.tls.cipher } : null,
    authMechanism: o.authMechanism,
    durationMs: Math.round(o.durationMs),
    logId: o.logId,
    ...(withTranscript ? { transcript: o.transcript.map((e) => ({ dir: e.dir, line: e.line })) } : {}),
    error,
  };
}

/** A usage or input error in the send JSON shape (nothing was sent). */
export function errorJson(ctx: Ctx, e: CliError): SendJson {
  return {
    ok: false, status: 'failed', accepted: [], rejected: [], messageId: null, queueId: null, tls: null, authMechanism: null, durationMs: 0, logId: null,
    error: {
      kind: e.kind, phase: e.code === EX.CONFIG ? 'config' : 'input', code: null, enhancedCode: null, serverText: null,
      title: ctx.t(e.key, e.params), action: ctx.t(e.code === EX.USAGE ? 'cli.action.seeHelp' : e.code === EX.CONFIG ? 'cli.action.fixConfig' : 'cli.action.fixInput'), retryable: false,
    },
  };
}

export function transcriptLines(entries: readonly TranscriptEntry[]): string[] {
  return entries.map((e) => `  ${String(Math.round(e.t)).padStart(6)} ms  ${e.dir === 'C' ? '>' : e.dir === 'S' ? '<' : '*'}  ${e.line}`);
}

export function printOutcome(ctx: Ctx, o: DeliveryOutcome, target: DeliveryTarget, showTranscript: boolean): void {
  if (showTranscript) {
    ctx.out(ctx.t('cli.send.transcript'));
    for (const l of transcriptLines(o.transcript)) ctx.out(l);
    ctx.out();
  }
  const s = target.settings;
  const tlsText = o.tls ? `${o.tls.protocol}, ${o.tls.cipher}` : ctx.t('cli.tls.none');
  const server = `${s.host}:${s.port} (${securityLabel(s.security)}; ${tlsText})`;
  if (o.ok || o.status === 'sentWithWarnings') {
    ctx.out(o.ok
      ? ctx.t(o.accepted.length === 1 ? 'cli.send.sentOne' : 'cli.send.sentAll', { n: o.accepted.length })
      : ctx.t('cli.send.sentSome', { n: o.accepted.length, total: o.accepted.length + o.rejected.length }));
    const refused = o.rejected.map((r) => `${r.address}  ${r.code}${r.enhancedCode ? ` ${r.enhancedCode}` : ''} ${r.message.split('\n')[0] ?? ''}`.trimEnd()).join('\n');
    for (const l of table([
      [ctx.t('cli.label.accepted'), o.accepted.join('\n')],
      [ctx.t('cli.label.refused'), refused],
      [ctx.t('cli.label.messageId'), o.messageId],
      [ctx.t('cli.label.queueId'), o.queueId],
      [ctx.t('cli.label.server'), server],
      [ctx.t('cli.label.auth'), o.authMechanism],
      [ctx.t('cli.label.duration'), formatMs(o.durationMs, ctx.lang)],
      [ctx.t('cli.label.logId'), o.logId !== null ? `#${o.logId}` : null],
    ])) ctx.out(l);
    if (o.explanation) {
      ctx.out();
      for (const l of explanationLines(ctx, o.explanation, { headline: ctx.t('cli.label.warning') })) ctx.out(l);
    }
    return;
  }
  if (o.error && o.error.kind.startsWith('compose.')) {
    ctx.err(`${ctx.t('cli.label.error')}: ${appErrorText(ctx, o.error)}`);
    ctx.err(ctx.t('cli.send.nothingSent'));
    return;
  }
  if (o.explanation) for (const l of explanationLines(ctx, o.explanation)) ctx.err(l);
  if (o.logId !== null) ctx.err(`\n  ${ctx.t('cli.send.seeLog', { id: o.logId })}`);
}

// ---------------------------------------------------------------------------------------
// Where to send: a stored account or ad-hoc settings

const connectionOptions = {
  account: { type: 'string', short: 'a' },
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  ca: { type: 'string' },
  auth: { type: 'string' },
  transcript: { type: 'boolean' },
} as const;

interface ConnectionValues {
  account?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
  security?: string | undefined;
  user?: string | undefined;
  'password-stdin'?: boolean | undefined;
  ca?: string | undefined;
  auth?: string | undefined;
  'data-dir'?: string | undefined;
}

export function defaultPort(security: Security): number {
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export function parseSecurity(value: string | undefined, port: number | undefined): Security {
  if (value === undefined) return port === 465 ? 'tls' : 'starttls';
  const v = value.toLowerCase() === 'ssl' ? 'tls' : value.toLowerCase();
  const parsed = SecuritySchema.safeParse(v);
  if (!parsed.success) throw usage('cli.usage.badSecurity', { value });
  return parsed.data;
}

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw usage('cli.usage.badPort', { value });
  return n;
}

export function readCa(ctx: Ctx, path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(EX.CONFIG, 'cli.input.unreadableCa', { file: path, reason: fileReason(ctx, e) }, 'config.ca');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(EX.CONFIG, 'cli.input.notACertificate', { file: path }, 'config.ca');
  return pem;
}

export interface Resolved {
  target: DeliveryTarget;
  account: StoredAccount | null;
  data: DataFolder | null;
  /** The password came from stdin: the message cannot. */
  stdinUsed: boolean;
}

async function firstLine(ctx: Ctx): Promise<string> {
  const all = await readAll(ctx.io.stdin, 65536);
  return all.toString('utf8').split(/\r?\n/)[0] ?? '';
}

/**
 * needData: open the data folder (stored accounts, send log). adHocAllowed: the command takes
 * --host, so "no account" may suggest it (sendmail mode does not).
 */
export async function resolveTarget(ctx: Ctx, v: ConnectionValues, opts: { needData: boolean; adHocAllowed: boolean }): Promise<Resolved> {
  if (v.account !== undefined && v.host !== undefined) throw usage('cli.usage.accountOrHost');
  const env = ctx.io.env;
  if (v.host === undefined) {
    if (v.user !== undefined || v.port !== undefined || v.security !== undefined) throw usage('cli.usage.hostMissing');
    const data = openData(dataDirOf(v['data-dir'], env));
    let account: StoredAccount;
    try {
      account = findAccount(data.repos, v.account, { adHocAllowed: opts.adHocAllowed });
    } catch (e) {
      data.close();
      throw e;
    }
    let credentials: SmtpCredentials | undefined;
    if (account.username !== undefined) {
      let password: string | undefined;
      let accessToken: string | undefined;
      try {
        password = await data.secrets.get(account.id, 'password');
        if (password === undefined) accessToken = await data.secrets.get(account.id, 'oauth-access');
      } catch (e) {
        data.close();
        if (isStoreError(e)) throw new CliError(EX.CONFIG, e.appError.messageKey, e.appError.params ?? {}, e.appError.kind);
        throw e;
      }
      if (password === undefined && accessToken === undefined) {
        data.close();
        throw new CliError(EX.CONFIG, 'cli.account.noPassword', { account: account.address }, 'config.noPassword');
      }
      credentials = { username: account.username, ...(password !== undefined ? { password } : {}), ...(accessToken !== undefined ? { accessToken } : {}) };
    }
    const settings = smtpSettingsOf(account);
    const provider = providerHintOf(account.providerId, account.host);
    return {
      target: {
        settings, accountId: account.id, ...(credentials ? { credentials } : {}), ...(provider ? { provider } : {}),
        ...(account.learnt ? { knownSmtpUtf8: account.learnt.smtpUtf8 } : {}),
      },
      account, data, stdinUsed: false,
    };
  }
  // Ad-hoc settings.
  const host = v.host.trim().replace(/^\[(.*)\]$/, '$1');
  if (!host || /[\s/]/.test(host)) throw usage('cli.usage.badHost', { value: v.host });
  const portOpt = parsePort(v.port);
  const security = parseSecurity(v.security, portOpt);
  const port = portOpt ?? defaultPort(security);
  let authMechanism: SmtpSettings['authMechanism'];
  if (v.auth !== undefined) {
    const m = AuthMechanismSchema.safeParse(v.auth.toUpperCase());
    if (!m.success) throw usage('cli.usage.badAuth', { value: v.auth, list: AuthMechanismSchema.options.join(', ') });
    authMechanism = m.data;
  }
  const extraCaPem = v.ca !== undefined ? readCa(ctx, v.ca) : undefined;
  let credentials: SmtpCredentials | undefined;
  let stdinUsed = false;
  if (v.user !== undefined) {
    let password: string | undefined;
    if (v['password-stdin']) {
      password = await firstLine(ctx);
      stdinUsed = true;
    } else password = env.POSTBOTE_PASSWORD;
    if (password === undefined || password === '') throw usage('cli.usage.noPassword');
    credentials = { username: v.user, password };
  } else if (v['password-stdin']) throw usage('cli.usage.passwordWithoutUser');
  const settings: SmtpSettings = {
    host, port, security,
    ...(authMechanism ? { authMechanism } : {}),
    ...(v.user !== undefined ? { username: v.user } : {}),
    ...(extraCaPem ? { extraCaPem } : {}),
    ...(security === 'none' ? { allowInsecureAuthOnLoopback: true } : {}),
  };
  let data: DataFolder | null = null;
  if (opts.needData) {
    try {
      data = openData(dataDirOf(v['data-dir'], env));
    } catch {
      // Ad-hoc sends work without the data folder; they are then not in the send log.
      data = null;
    }
  }
  return { target: { settings, ...(credentials ? { credentials } : {}) }, account: null, data, stdinUsed };
}

// ---------------------------------------------------------------------------------------
// postbote send

export const sendOptions = {
  ...connectionOptions,
  from: { type: 'string', short: 'f' },
  to: { type: 'string', multiple: true },
  cc: { type: 'string', multiple: true },
  bcc: { type: 'string', multiple: true },
  subject: { type: 'string', short: 's' },
  text: { type: 'string' },
  'text-file': { type: 'string' },
  'html-file': { type: 'string' },
  attach: { type: 'string', multiple: true },
} as const;

function checkAddresses(ctx: Ctx, field: string, values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined;
  const joined = values.join(', ');
  const parsed = parseAddressList(joined);
  const bad = parsed.issues[0];
  if (bad) throw badAddress(ctx, field, bad.params.address, bad.key);
  if (parsed.mailboxes.length === 0) throw badAddress(ctx, field, joined, 'address.empty');
  return joined;
}

/** An invalid address given by the caller: exit 65, the reason in words. */
function badAddress(ctx: Ctx, field: string, address: string, reasonKey: string): CliError {
  return new CliError(EX.DATAERR, 'cli.input.badAddress', { field, address, reason: ctx.t(`cli.${reasonKey}`) }, 'input.invalidAddress');
}

function checkReadable(ctx: Ctx, path: string, what: string): void {
  try {
    const s = statSync(path);
    if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new CliError(EX.DATAERR, 'cli.input.unreadableFile', { file: path, what, reason: fileReason(ctx, e) }, 'input.unreadableFile');
  }
}

export async function sendCommand(ctx: Ctx, args: string[]): Promise<number> {
  refusePasswordArgument(args);
  const { values } = parse(args, sendOptions, false);
  const withTranscript = values.transcript === true;
  const to = values.to ?? [];
  const cc = values.cc ?? [];
  const bcc = values.bcc ?? [];
  if (to.length + cc.length + bcc.length === 0) throw usage('cli.usage.noRecipients');
  if (values.text !== undefined && values['text-file'] !== undefined) throw usage('cli.usage.textTwice');
  // Everything about the message is checked before any connection or keychain access.
  const toList = checkAddresses(ctx, 'To', to);
  const ccList = checkAddresses(ctx, 'Cc', cc);
  const bccList = checkAddresses(ctx, 'Bcc', bcc);
  if (values.from !== undefined) checkAddresses(ctx, 'From', [values.from]);
  for (const a of values.attach ?? []) checkReadable(ctx, a, ctx.t('cli.what.attachment'));
  const html = values['html-file'] !== undefined ? readTextFile(ctx, values['html-file'], ctx.t('cli.what.html')) : undefined;
  let text = values['text-file'] !== undefined ? readTextFile(ctx, values['text-file'], ctx.t('cli.what.text')) : values.text;

  const resolved = await resolveTarget(ctx, values, { needData: true, adHocAllowed: true });
  try {
    if (text === undefined && html === undefined) {
      if (resolved.stdinUsed) throw usage('cli.usage.stdinTaken');
      text = (await readAll(ctx.io.stdin)).toString('utf8');
    }
    const fromText = values.from ?? (resolved.account
      ? (resolved.account.displayName ? `${resolved.account.displayName} <${resolved.account.address}>` : resolved.account.address)
      : resolved.target.settings.username && /@/.test(resolved.target.settings.username) ? resolved.target.settings.username : undefined);
    if (fromText === undefined) throw usage('cli.usage.noFrom');
    const fromParsed = parseAddressList(fromText).mailboxes[0];
    if (!fromParsed?.valid) throw badAddress(ctx, 'From', fromText, fromParsed?.issue?.key ?? 'address.badLocalPart');
    const attachments: AttachmentInput[] = (values.attach ?? []).map((path) => ({ path }));
    const draft: MessageDraftInput = {
      from: { address: fromParsed.address, ...(fromParsed.name ? { name: fromParsed.name } : {}) },
      ...(toList ? { to: toList } : {}),
      ...(ccList ? { cc: ccList } : {}),
      ...(bccList ? { bcc: bccList } : {}),
      subject: values.subject ?? '',
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
      attachments,
    };
    const outcome = await deliver(ctx, resolved, { kind: 'draft', draft }, withTranscript);
    return outcome;
  } finally {
    resolved.data?.close();
  }
}

async function deliver(ctx: Ctx, resolved: Resolved, message: DeliveryMessage, withTranscript: boolean): Promise<number> {
  const o = await deliverNow(resolved.target, message, {
    ...(resolved.data ? { sendLog: resolved.data.repos.sendLog, addressHistory: resolved.data.repos.addressHistory } : {}),
  });
  if (ctx.json) ctx.out(JSON.stringify(outcomeJson(ctx, o, withTranscript), null, 2));
  else printOutcome(ctx, o, resolved.target, withTranscript);
  return exitCodeOf(o);
}

// ---------------------------------------------------------------------------------------
// postbote sendmail [-t] [-i] [-f from] [-F name] [recipients…]

/** postbote's own long options in sendmail mode; the short ones are sendmail's and read by hand. */
export const sendmailLongOptions = {
  account: { type: 'string' },
  transcript: { type: 'boolean' },
  'read-recipients': { type: 'boolean' },
  'ignore-dots': { type: 'boolean' },
  'envelope-from': { type: 'string' },
  'full-name': { type: 'string' },
} as const;

/** Long options whose value may follow as the next argument. */
const longWithValue = new Set(['account', 'envelope-from', 'full-name', 'lang', 'data-dir']);

/**
 * sendmail's options that take a value, attached ("-oi", "-fme@x") or as the next argument
 * ("-o i", "-f me@x"), as sendmail's getopt reads them. Only a, b, f, r and F mean something
 * here; the others (-oi, -B 8BITMIME, -N never, -X logfile, -O option=value …) are read and ignored
 * so their value is never taken for a recipient.
 */
const sendmailValueOptions = new Set(['a', 'b', 'B', 'C', 'd', 'e', 'f', 'F', 'L', 'M', 'N', 'O', 'o', 'p', 'r', 'R', 'V', 'X']);
/** Options without a value: -t and -i; -v, -U, -n, -m and -G are accepted and ignored. */
const sendmailFlags = new Set(['t', 'i', 'v', 'U', 'n', 'm', 'G']);

export interface SendmailArgs {
  readRecipients: boolean;
  /** -f / -r: the envelope sender; "" for the null sender "<>". */
  envelopeFrom?: string;
  /** -F: the full name for a From header Postbote adds. */
  fullName?: string;
  account?: string;
  transcript: boolean;
  dataDir?: string;
  recipients: string[];
}

/** Reads sendmail's command line: grouped short options ("-ti"), values attached or following, "--". */
export function parseSendmailArgs(args: readonly string[]): SendmailArgs {
  const long: string[] = [];
  const recipients: string[] = [];
  const out: SendmailArgs = { readRecipients: false, transcript: false, recipients };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      recipients.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      long.push(arg);
      const name = arg.slice(2);
      if (longWithValue.has(name) && i + 1 < args.length) long.push(args[++i] ?? '');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      recipients.push(arg);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k] ?? '';
      if (sendmailFlags.has(letter)) {
        if (letter === 't') out.readRecipients = true;
        continue;
      }
      if (!sendmailValueOptions.has(letter)) throw usage('cli.usage.unknownOption', { option: `-${letter}` });
      let value = arg.slice(k + 1);
      if (value === '') {
        if (i + 1 >= args.length) throw usage('cli.usage.missingValue', { option: `-${letter}` });
        value = args[++i] ?? '';
      }
      if (letter === 'f' || letter === 'r') out.envelopeFrom = value;
      else if (letter === 'F') out.fullName = value;
      else if (letter === 'a') out.account = value;
      // -bm is "deliver mail", the default; the other modes (-bs, -bp, -bd …) are not for a mail client.
      else if (letter === 'b' && value !== 'm') throw usage('cli.usage.sendmailMode', { option: `-b${value}` });
      break;
    }
  }
  const { values } = parse(long, sendmailLongOptions, false);
  if (values['read-recipients']) out.readRecipients = true;
  if (values['envelope-from'] !== undefined) out.envelopeFrom = values['envelope-from'];
  if (values['full-name'] !== undefined) out.fullName = values['full-name'];
  if (values.account !== undefined) out.account = values.account;
  if (values.transcript) out.transcript = true;
  if (values['data-dir'] !== undefined) out.dataDir = values['data-dir'];
  return out;
}

/**
 * Whether the input starts with a header section. sendmail and Postfix take input whose first
 * line is no header field ("echo hello | sendmail bob") as a message text without headers.
 */
export function startsWithHeader(input: Uint8Array): boolean {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const end = buf.indexOf(0x0a);
  const first = buf.subarray(0, end < 0 ? buf.length : end).toString('utf8').replace(/\r$/, '');
  if (first === '' || /^From /.test(first)) return true; // an empty header section; an mbox "From " line
  return /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(first);
}

/**
 * Two addresses are the same recipient when they match with the domain in lower case. The
 * local part stays as written: RFC 5321 §2.4 lets a server tell "Bob" from "bob".
 */
export function recipientKey(ascii: string): string {
  const at = ascii.lastIndexOf('@');
  return at < 0 ? ascii : `${ascii.slice(0, at)}@${ascii.slice(at + 1).toLowerCase()}`;
}

/**
 * The header fields sendmail and msmtp add when the message lacks them: From (the account's
 * address, with the -F name or the account's name), Date and Message-ID (its domain the
 * author's). Gmail and others refuse mail without a Message-ID; the rest of the message stays
 * byte for byte as given.
 */
export function missingHeaders(
  info: RawMessageInfo, author: { address: ValidAddress; name?: string } | null, now: Date,
): { block: string; messageId?: string; addedFrom: boolean } {
  const has = (name: string): boolean => info.fields.some((f) => f.name.toLowerCase() === name);
  let block = '';
  const addedFrom = !has('from') && author !== null;
  if (addedFrom && author) {
    const name = author.name?.trim() ?? '';
    block += foldHeader('From', [...(name ? phraseAtoms(name, firstLineRoom('From')) : []), `<${author.address.ascii}>`]);
  }
  if (!has('date')) block += foldHeader('Date', [formatDate(now)]);
  let messageId: string | undefined;
  const idDomain = (info.sender ?? info.from[0] ?? author?.address)?.asciiDomain;
  if (!has('message-id') && idDomain) {
    messageId = `<${now.getTime().toString(36)}.${randomBytes(12).toString('hex')}@${idDomain}>`;
    block += foldHeader('Message-ID', [messageId]);
  }
  return { block, addedFrom, ...(messageId ? { messageId } : {}) };
}

function needsSmtpUtf8(address: string): boolean {
  const v = address === '' ? null : validateAddress(address);
  return v?.ok === true && v.value.needsSmtpUtf8;
}

function envelopeSenderOf(ctx: Ctx, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '<>' || value === '') return '';
  const list = parseAddressList(value);
  const m = list.mailboxes[0];
  if (!m?.valid || list.issues.length > 0) throw badAddress(ctx, '-f', value, list.issues[0]?.key ?? 'address.empty');
  return m.valid.ascii;
}

export async function sendmailCommand(ctx: Ctx, rawArgs: string[]): Promise<number> {
  refusePasswordArgument(rawArgs);
  const args = parseSendmailArgs(rawArgs);
  if (!args.readRecipients && args.recipients.length === 0) throw usage('cli.usage.sendmailNoRecipients');
  const argRecipients: string[] = [];
  for (const p of args.recipients) {
    const list = parseAddressList(p);
    const bad = list.issues[0];
    if (bad) throw badAddress(ctx, ctx.t('cli.what.commandLine'), bad.params.address, bad.key);
    for (const m of list.mailboxes) if (m.valid) argRecipients.push(m.valid.ascii);
  }
  const envelopeFrom = envelopeSenderOf(ctx, args.envelopeFrom);

  // The message first: a broken one is refused before the keychain or the network is touched.
  let input = await readAll(ctx.io.stdin);
  if (!startsWithHeader(input)) input = Buffer.concat([Buffer.from('\n'), input]);
  let raw;
  try {
    raw = await readRawMessage(input);
  } catch (e) {
    if (isComposeError(e)) throw appErrorAsCliError(ctx, e.error, EX.DATAERR);
    throw e;
  }
  const chunks: Buffer[] = [];
  for await (const c of raw.stream) chunks.push(Buffer.from(c as Uint8Array));
  const seen = new Set<string>();
  const recipients: string[] = [];
  for (const address of [...(args.readRecipients ? raw.info.recipients : []), ...argRecipients]) {
    const key = recipientKey(address);
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(address);
  }
  if (recipients.length === 0) throw new CliError(EX.DATAERR, 'cli.input.noRecipientsInMessage', {}, 'input.noRecipients');

  const resolved = await resolveTarget(ctx, { account: args.account, 'data-dir': args.dataDir }, { needData: true, adHocAllowed: false });
  try {
    const accountAddress = resolved.account ? validateAddress(resolved.account.address) : null;
    const author = accountAddress?.ok ? { address: accountAddress.value, name: args.fullName ?? resolved.account?.displayName ?? '' } : null;
    const added = missingHeaders(raw.info, author, new Date());
    const body = Buffer.concat([Buffer.from(added.block, 'utf8'), ...chunks]);
    const from = envelopeFrom ?? author?.address.ascii ?? raw.info.from[0]?.ascii ?? '';
    const subject = raw.info.fields.find((f) => f.name.toLowerCase() === 'subject')?.value ?? '';
    const messageId = raw.info.messageId ?? added.messageId;
    return await deliver(ctx, resolved, {
      kind: 'raw', envelope: { from, to: recipients }, body, subject,
      ...(messageId ? { messageId } : {}),
      smtpUtf8: raw.info.needsSmtpUtf8 || needsSmtpUtf8(from) || (added.addedFrom && author?.address.needsSmtpUtf8 === true),
    }, args.transcript);
  } finally {
    resolved.data?.close();
  }
}
