/**
 * What every command shares: the io it writes to, the language, exit codes (sysexits),
 * argument parsing with clear usage errors, aligned output and explanations in words.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Lang } from '../../shared/domain.js';
import type { AppError, FailureDetail } from '../../shared/errors.js';
import { renderExplanation, renderText, type Explanation } from '../../shared/explanation.js';
import { catalogues, languageFromTag } from '../../shared/i18n/index.js';
import { cliDe } from '../../shared/i18n/cli.de.js';
import { cliEn } from '../../shared/i18n/cli.en.js';
import { createTranslator, type Params } from '../../shared/i18n/translate.js';

/** sysexits.h, the codes sendmail and msmtp use. */
export const EX = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOUSER: 67,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  TEMPFAIL: 75,
  /**
   * The connection broke after the message's final dot, before the server's reply: it may
   * have been delivered. Not 75, which tells callers (scripts, Postfix's pipe transport) to
   * send again and so risks a double send; sysexits has no exact code, and EX_PROTOCOL
   * ("remote error in protocol") is the nearest that no caller retries by itself.
   */
  UNCONFIRMED: 76,
  CONFIG: 78,
} as const;

export interface CliIo {
  stdin: AsyncIterable<Uint8Array | string>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
}

// Until the lead merges cli.* into shared/i18n/index.ts, the CLI adds its own catalogue here.
const translateCli = createTranslator({
  de: { ...catalogues.de, ...cliDe },
  en: { ...catalogues.en, ...cliEn },
});

export interface Ctx {
  io: CliIo;
  lang: Lang;
  json: boolean;
  t(key: string, params?: Params): string;
  out(line?: string): void;
  err(line?: string): void;
}

export function createCtx(io: CliIo, lang: Lang, json: boolean): Ctx {
  return {
    io, lang, json,
    t: (key, params) => translateCli(lang, key, params),
    out: (line = '') => { io.stdout.write(`${line}\n`); },
    err: (line = '') => { io.stderr.write(`${line}\n`); },
  };
}

/** --lang wins; then LC_ALL, LC_MESSAGES, LANG (POSIX order); default English. */
export function detectLang(argv: readonly string[], env: Record<string, string | undefined>): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'de' || v === 'en') return v;
  }
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return languageFromTag(tag && tag !== 'C' && tag !== 'POSIX' ? tag : undefined);
}

/** A failure before anything was done: a message and an exit code. */
export class CliError extends Error {
  constructor(readonly code: number, readonly key: string, readonly params: Params = {}, readonly kind = 'usage') {
    super(key);
    this.name = 'CliError';
  }
}
export const usage = (key: string, params: Params = {}): CliError => new CliError(EX.USAGE, key, params, 'usage');

export const globalOptions = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with our globals, strict, and its errors turned into readable usage errors. */
export function parse<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...globalOptions, ...options }, allowPositionals, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    const m = /'(-[^' ]+)/.exec(e instanceof Error ? e.message : '');
    const option = m?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usage('cli.usage.unknownOption', { option });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw usage('cli.usage.missingValue', { option });
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw usage('cli.usage.unexpectedArgument', { argument: e instanceof Error ? e.message.replace(/^.*'([^']*)'.*$/s, '$1') : '' });
    throw usage('cli.usage.invalid', { message: e instanceof Error ? e.message : String(e) });
  }
}

/** A --password argument is refused before anything else is looked at. */
export function refusePasswordArgument(args: readonly string[]): void {
  if (args.some((a) => a === '--password' || a.startsWith('--password=') || a === '--pass' || a.startsWith('--pass='))) {
    throw usage('cli.usage.passwordArgument');
  }
}

export function readTextFile(ctx: Ctx, path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(EX.DATAERR, 'cli.input.unreadableFile', { file: path, what, reason: fileReason(ctx, e) }, 'input.unreadableFile');
  }
}

const systemCodes = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', 'EIO']);

/** Why a file could not be read, in words ("no such file or folder"), from a Node error or its code. */
export function fileReason(ctx: Ctx, e: unknown): string {
  const code = typeof e === 'string' ? e : (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && systemCodes.has(code)) return ctx.t(`cli.reason.${code === 'EPERM' ? 'EACCES' : code}`);
  if (typeof code === 'string' && code !== '') return ctx.t('cli.reason.other', { code });
  return e instanceof Error ? e.message : String(e);
}

export async function readAll(stdin: CliIo['stdin'], maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stdin) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c);
    size += b.length;
    if (size > maxBytes) throw new CliError(EX.DATAERR, 'cli.input.stdinTooLarge', { max: `${Math.round(maxBytes / 1048576)} MB` }, 'input.tooLarge');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Rows of [label, value], labels padded to one width; values with line breaks stay aligned. */
export function table(rows: Array<[string, string | undefined | null]>, indent = '  '): string[] {
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== null && r[1] !== '');
  const width = Math.max(0, ...shown.map(([l]) => [...l].length));
  return shown.flatMap(([label, value]) => value.split('\n').map((line, i) =>
    `${indent}${i === 0 ? label + ' '.repeat(width - [...label].length) : ' '.repeat(width)}  ${line}`));
}

/** Columns padded to the widest cell. */
export function columns(header: string[], rows: string[][], indent = ''): string[] {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]): string => indent + cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * The explainer's "nothing to do, Postbote tries again automatically" is true for the app's
 * outbox, which retries; a command run once does not, so it says what to do instead.
 */
const oneShotActions: Readonly<Record<string, string>> = {
  'act.nothingToDo': 'cli.act.runAgainSoon',
  'act.nothingToDoServer': 'cli.act.runAgainLater',
  'act.nothingToDoNetwork': 'cli.act.runAgainOnline',
  'act.waitForRateLimit': 'cli.act.runAgainAfterWait',
};

/** The explanation's actions in words; for a one-shot send without the promise of automatic retries. */
export function actionTexts(ctx: Ctx, expl: Explanation, oneShot = true): string[] {
  return expl.actions.map((a) => {
    const replacement = oneShot ? oneShotActions[a.key] : undefined;
    return replacement ? ctx.t(replacement) : renderText(a, ctx.lang);
  });
}

/**
 * The exit code of a failed attempt. A one-shot command has no outbox that retries, so what
 * may work on the next run is 75 (EX_TEMPFAIL) — network trouble and 4xx replies included,
 * even where the app's outbox would give up — and a possibly delivered message is 76.
 */
export function failureExitCode(expl: Explanation, detail?: FailureDetail | null, mayHaveBeenDelivered = false): number {
  if (mayHaveBeenDelivered || expl.kind === 'uncertain.mayHaveBeenDelivered') return EX.UNCONFIRMED;
  if (expl.retryable && !expl.permanent) return EX.TEMPFAIL;
  if (expl.kind.startsWith('network.') || expl.kind.startsWith('timeout.')) return EX.TEMPFAIL;
  const code = detail?.code ?? expl.technical.code;
  if (code !== undefined && code >= 400 && code < 500) return EX.TEMPFAIL;
  return EX.UNAVAILABLE;
}

/** The explanation in words: title, what happened, why, what to do, technical details. */
export function explanationLines(ctx: Ctx, expl: Explanation, opts: { headline?: string; oneShot?: boolean } = {}): string[] {
  const r = renderExplanation(expl, ctx.lang);
  const out: string[] = [];
  out.push(`${opts.headline ?? ctx.t('cli.label.error')}: ${r.title}`);
  out.push('');
  out.push(...wrap(r.happened, 2));
  out.push(...wrap(`${ctx.t('cli.label.why')}: ${r.cause}`, 2));
  out.push('');
  out.push(`  ${ctx.t('cli.label.whatToDo')}:`);
  for (const a of actionTexts(ctx, expl, opts.oneShot ?? true)) out.push(...wrap(a, 4, '- '));
  out.push('');
  out.push(`  ${ctx.t('cli.label.technical')}:`);
  for (const line of r.technical) out.push(`    ${line.replace(/\n/g, '\n      ')}`);
  return out;
}

/** Soft-wraps a paragraph at 88 columns with a hanging indent. */
export function wrap(text: string, indent: number, bullet = ''): string[] {
  const width = 88;
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    const first = ' '.repeat(indent) + bullet;
    const rest = ' '.repeat(indent + bullet.length);
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const prefix = lines.length === 0 && line === '' ? first : line === '' ? rest : '';
      const candidate = line === '' ? prefix + word : `${line} ${word}`;
      if ([...candidate].length > width && line !== '') {
        lines.push(line);
        line = rest + word;
      } else line = candidate;
    }
    if (line) lines.push(line);
  }
  return lines;
}

/** The catalogue key and parameters that put an AppError (a composer refusal, a store error) in words. */
export function appErrorMessage(ctx: Ctx, e: AppError): { key: string; params: Params } | null {
  const params = e.kind.startsWith('compose.') ? composeParams(ctx, e) : e.params ?? {};
  const key = `cli.${e.messageKey}`;
  // Some refusals have a text per reason (compose.invalidMessage: badHeaderLine, headerTooLarge).
  const reasonKey = typeof e.params?.reason === 'string' ? `${key}.${e.params.reason}` : undefined;
  for (const k of [reasonKey, key, e.messageKey]) {
    if (k !== undefined && ctx.t(k, params) !== k) return { key: k, params };
  }
  return null;
}

/** Any AppError in words. */
export function appErrorText(ctx: Ctx, e: AppError): string {
  const m = appErrorMessage(ctx, e);
  return m ? ctx.t(m.key, m.params) : e.detail?.message ?? e.kind;
}

/** A composer refusal of the caller's input as a CliError with that exit code. */
export function appErrorAsCliError(ctx: Ctx, e: AppError, code: number): CliError {
  const m = appErrorMessage(ctx, e);
  return m ? new CliError(code, m.key, m.params, e.kind) : new CliError(code, 'cli.input.refused', { message: e.detail?.message ?? e.kind }, e.kind);
}

/**
 * The composer's parameters made readable: an address reason key ("address.missingAt") or a
 * system code ("ENOENT") in words, a byte count in MB; missing names get a neutral stand-in
 * so no text shows a bare placeholder.
 */
function composeParams(ctx: Ctx, e: AppError): Params {
  const p: Record<string, string | number> = { ...e.params };
  if (typeof p.reason === 'string' && p.reason.startsWith('address.')) p.reason = ctx.t(`cli.${p.reason}`);
  if (typeof p.systemCode === 'string') p.reason = fileReason(ctx, p.systemCode);
  if (p.reason === undefined) p.reason = ctx.t('cli.reason.unknown');
  if (typeof p.max === 'number') p.max = formatBytes(p.max, ctx.lang);
  if (p.field === undefined) p.field = ctx.t('cli.what.message');
  if (p.address === undefined) p.address = '';
  return p;
}

export const securityLabel = (s: string): string => (s === 'tls' ? 'SSL/TLS' : s === 'starttls' ? 'STARTTLS' : s === 'none' ? '—' : s);

export function formatMs(ms: number, lang: Lang): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

export function formatBytes(n: number, lang: Lang): string {
  const f = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${f.format(n / 1024)} KB`;
  return `${f.format(n / 1048576)} MB`;
}

export function formatTime(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(ms));
}
