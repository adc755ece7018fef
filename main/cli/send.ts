/**
 * `postbote send` and `postbote sendmail`: one message now, through the shared delivery
 * pipeline (main/delivery), with the outcome in words or as JSON and a sysexits code.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { parseAddressList } from '../../shared/address.js';
import { AuthMechanismSchema, SecuritySchema, type SmtpSettings, type Security } from '../../shared/domain.js';
import { renderExplanation } from '../../shared/explanation.js';
import type { AttachmentInput, MessageDraftInput } from '../../shared/message.js';
import { deliverNow, type DeliveryMessage, type DeliveryOutcome, type DeliveryTarget } from '../delivery/deliver.js';
import { providerHintOf, smtpSettingsOf } from '../delivery/pipeline.js';
import { isComposeError, readRawMessage } from '../mime/index.js';
import type { SmtpCredentials, TranscriptEntry } from '../smtp/index.js';
import { isStoreError, type StoredAccount } from '../store/index.js';
import {
  CliError, EX, appErrorText, explanationLines, formatMs, parse, readAll, readTextFile, refusePasswordArgument, securityLabel, systemReason,
  table, usage, type Ctx,
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
  if (o.status === 'unconfirmed' || o.status === 'deferred') return EX.TEMPFAIL;
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
      action: composeKind ? ctx.t('cli.action.fixInput') : r.actions[0] ?? '',
      retryable: o.explanation.retryable,
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

function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(EX.CONFIG, 'cli.input.unreadableCa', { file: path, reason: systemReason(e) }, 'config.ca');
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

export async function resolveTarget(ctx: Ctx, v: ConnectionValues, opts: { needData: boolean }): Promise<Resolved> {
  if (v.account !== undefined && v.host !== undefined) throw usage('cli.usage.accountOrHost');
  const env = ctx.io.env;
  if (v.host === undefined) {
    if (v.user !== undefined || v.port !== undefined || v.security !== undefined) throw usage('cli.usage.hostMissing');
    const data = openData(dataDirOf(v['data-dir'], env));
    let account: StoredAccount;
    try {
      account = findAccount(data.repos, v.account);
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
      target: { settings, accountId: account.id, ...(credentials ? { credentials } : {}), ...(provider ? { provider } : {}) },
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
  const extraCaPem = v.ca !== undefined ? readCa(v.ca) : undefined;
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

function checkAddresses(field: string, values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined;
  const joined = values.join(', ');
  const parsed = parseAddressList(joined);
  const bad = parsed.issues[0];
  if (bad) throw new CliError(EX.DATAERR, 'cli.input.badAddress', { field, address: bad.params.address, reason: addressReason(bad.key) }, 'input.invalidAddress');
  if (parsed.mailboxes.length === 0) throw new CliError(EX.DATAERR, 'cli.input.badAddress', { field, address: joined, reason: addressReason('address.empty') }, 'input.invalidAddress');
  return joined;
}

let reasonText: (key: string) => string = (k) => k;
const addressReason = (key: string): string => reasonText(key);

function checkReadable(path: string, what: string): void {
  try {
    const s = statSync(path);
    if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new CliError(EX.DATAERR, 'cli.input.unreadableFile', { file: path, what, reason: systemReason(e) }, 'input.unreadableFile');
  }
}

export async function sendCommand(ctx: Ctx, args: string[]): Promise<number> {
  reasonText = (k) => ctx.t(`cli.${k}`);
  refusePasswordArgument(args);
  const { values } = parse(args, sendOptions, false);
  const withTranscript = values.transcript === true;
  const to = values.to ?? [];
  const cc = values.cc ?? [];
  const bcc = values.bcc ?? [];
  if (to.length + cc.length + bcc.length === 0) throw usage('cli.usage.noRecipients');
  if (values.text !== undefined && values['text-file'] !== undefined) throw usage('cli.usage.textTwice');
  // Everything about the message is checked before any connection or keychain access.
  const toList = checkAddresses('To', to);
  const ccList = checkAddresses('Cc', cc);
  const bccList = checkAddresses('Bcc', bcc);
  if (values.from !== undefined) checkAddresses('From', [values.from]);
  for (const a of values.attach ?? []) checkReadable(a, ctx.t('cli.what.attachment'));
  const html = values['html-file'] !== undefined ? readTextFile(values['html-file'], ctx.t('cli.what.html')) : undefined;
  let text = values['text-file'] !== undefined ? readTextFile(values['text-file'], ctx.t('cli.what.text')) : values.text;

  const resolved = await resolveTarget(ctx, values, { needData: true });
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
    if (!fromParsed?.valid) throw new CliError(EX.DATAERR, 'cli.input.badAddress', { field: 'From', address: fromText, reason: addressReason('address.badLocalPart') }, 'input.invalidAddress');
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
// postbote sendmail [-t] [-i] [-f from] [recipients…]

export const sendmailOptions = {
  account: { type: 'string', short: 'a' },
  'read-recipients': { type: 'boolean', short: 't' },
  'ignore-dots': { type: 'boolean', short: 'i' },
  'envelope-from': { type: 'string', short: 'f' },
  'full-name': { type: 'string', short: 'F' },
  transcript: { type: 'boolean' },
} as const;

/** sendmail options other programs pass that mean nothing here (-oi, -oem, -odb, -v …). */
function dropLegacyOptions(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === '--') { out.push(...args.slice(args.indexOf(a))); break; }
    if (/^-o[a-zA-Z]/.test(a) || a === '-v' || a === '-U' || a === '-n' || /^-B/.test(a) || /^-N/.test(a) || /^-X/.test(a)) {
      if (a === '-oi') out.push('-i');
      continue;
    }
    out.push(a);
  }
  return out;
}

export async function sendmailCommand(ctx: Ctx, rawArgs: string[]): Promise<number> {
  reasonText = (k) => ctx.t(`cli.${k}`);
  refusePasswordArgument(rawArgs);
  const { values, positionals } = parse(dropLegacyOptions(rawArgs), sendmailOptions, true);
  const readHeaders = values['read-recipients'] === true;
  if (!readHeaders && positionals.length === 0) throw usage('cli.usage.sendmailNoRecipients');
  const argRecipients: string[] = [];
  for (const p of positionals) {
    const list = parseAddressList(p);
    const bad = list.issues[0];
    if (bad) throw new CliError(EX.DATAERR, 'cli.input.badAddress', { field: ctx.t('cli.what.commandLine'), address: bad.params.address, reason: addressReason(bad.key) }, 'input.invalidAddress');
    for (const m of list.mailboxes) if (m.valid) argRecipients.push(m.valid.ascii);
  }
  let envelopeFrom: string | undefined;
  if (values['envelope-from'] !== undefined && values['envelope-from'] !== '<>') {
    const list = parseAddressList(values['envelope-from']);
    const m = list.mailboxes[0];
    if (!m?.valid || list.issues.length > 0) throw new CliError(EX.DATAERR, 'cli.input.badAddress', { field: '-f', address: values['envelope-from'], reason: addressReason(list.issues[0]?.key ?? 'address.empty') }, 'input.invalidAddress');
    envelopeFrom = m.valid.ascii;
  } else if (values['envelope-from'] === '<>') envelopeFrom = '';

  // The message first: a broken one is refused before the keychain or the network is touched.
  const input = await readAll(ctx.io.stdin);
  let raw;
  try {
    raw = await readRawMessage(input);
  } catch (e) {
    if (isComposeError(e)) throw new CliError(EX.DATAERR, `cli.${e.error.messageKey}`, e.error.params ?? {}, e.error.kind);
    throw e;
  }
  const chunks: Buffer[] = [];
  for await (const c of raw.stream) chunks.push(Buffer.from(c as Uint8Array));
  const body = Buffer.concat(chunks);
  const recipients = [...new Set([...(readHeaders ? raw.info.recipients : []), ...argRecipients].map((a) => a))];
  if (recipients.length === 0) throw new CliError(EX.DATAERR, 'cli.input.noRecipientsInMessage', {}, 'input.noRecipients');

  const resolved = await resolveTarget(ctx, { account: values.account, 'data-dir': values['data-dir'] }, { needData: true });
  try {
    const from = envelopeFrom ?? resolved.account?.address ?? raw.info.from[0]?.ascii ?? '';
    const subject = raw.info.fields.find((f) => f.name.toLowerCase() === 'subject')?.value ?? '';
    return await deliver(ctx, resolved, {
      kind: 'raw', envelope: { from, to: recipients }, body, subject,
      ...(raw.info.messageId ? { messageId: raw.info.messageId } : {}),
      smtpUtf8: raw.info.needsSmtpUtf8,
    }, values.transcript === true);
  } finally {
    resolved.data?.close();
  }
}
