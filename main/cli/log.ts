/** `postbote log` and `postbote log show <id>`: the send log with explanations and transcripts. */
import { ExplanationSchema } from '../../shared/explanation.js';
import type { SendLogEntry, SendLogStatus } from '../../shared/sendlog.js';
import {
  CliError, EX, columns, explanationLines, formatBytes, formatMs, formatTime, parse, table, usage, type Ctx,
} from './common.js';
import { dataDirOf, findAccount, openData } from './data.js';
import { transcriptLines } from './send.js';

export const logOptions = {
  failed: { type: 'boolean' },
  since: { type: 'string' },
  search: { type: 'string' },
  limit: { type: 'string', short: 'n' },
  account: { type: 'string', short: 'a' },
} as const;

/** "2h", "30m", "7d", "1w", "today", "yesterday", or a date/time ("2026-05-01", "2026-05-01T10:00"). */
export function parseSince(value: string, now = Date.now()): number {
  const v = value.trim().toLowerCase();
  const rel = /^(\d+)\s*(m|min|h|d|w)$/.exec(v);
  if (rel) {
    const n = Number(rel[1]);
    const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2] as 'm' | 'min' | 'h' | 'd' | 'w'];
    return now - n * unit;
  }
  if (v === 'today' || v === 'heute' || v === 'yesterday' || v === 'gestern') {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    return d.getTime() - (v === 'yesterday' || v === 'gestern' ? 86_400_000 : 0);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$/.test(v)) {
    const t = new Date(v.length === 10 ? `${v}T00:00:00` : v.replace(' ', 'T')).getTime();
    if (Number.isFinite(t)) return t;
  }
  throw usage('cli.usage.badSince', { value });
}

const statusKey = (s: string): string => `cli.status.${s}`;

export async function logCommand(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, logOptions, true);
  const [sub, ...rest] = positionals;
  if (sub !== undefined && sub !== 'show' && sub !== 'list') throw usage('cli.usage.logSub', { sub });
  const data = openData(dataDirOf(values['data-dir'], ctx.io.env));
  try {
    if (sub === 'show') {
      const [idText, ...more] = rest;
      if (!idText) throw usage('cli.usage.logId');
      if (more.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: more[0] ?? '' });
      const id = Number(idText.replace(/^#/, ''));
      if (!Number.isInteger(id) || id < 1) throw usage('cli.usage.logId');
      const entry = data.repos.sendLog.get(id);
      if (!entry) throw new CliError(EX.DATAERR, 'cli.log.notFound', { id }, 'log.notFound');
      if (ctx.json) ctx.out(JSON.stringify({ ok: true, entry }, null, 2));
      else showEntry(ctx, entry);
      return EX.OK;
    }
    if (rest.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: rest[0] ?? '' });
    let limit = 20;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usage('cli.usage.badLimit', { value: values.limit });
    }
    const status: SendLogStatus[] | undefined = values.failed ? ['failed', 'deferred', 'unconfirmed', 'sentWithWarnings'] : undefined;
    const accountId = values.account !== undefined ? findAccount(data.repos, values.account).id : undefined;
    const page = data.repos.sendLog.list({
      limit,
      ...(status ? { status } : {}),
      ...(values.since !== undefined ? { from: parseSince(values.since) } : {}),
      ...(values.search ? { search: values.search } : {}),
      ...(accountId ? { accountId } : {}),
    });
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: true, entries: page.entries, more: page.nextCursor !== null }, null, 2));
      return EX.OK;
    }
    if (page.entries.length === 0) {
      ctx.out(ctx.t(values.failed || values.since || values.search ? 'cli.log.emptyFiltered' : 'cli.log.empty'));
      return EX.OK;
    }
    const rows = page.entries.map((e) => [
      `#${e.id}`, formatTime(e.time, ctx.lang), ctx.t(statusKey(e.status)),
      e.recipients.length > 2 ? `${e.recipients.slice(0, 2).join(', ')} +${e.recipients.length - 2}` : e.recipients.join(', '),
      truncate(e.subject || ctx.t('cli.log.noSubject'), 40),
    ]);
    for (const l of columns(['ID', ctx.t('cli.log.time'), ctx.t('cli.log.status'), ctx.t('cli.log.recipients'), ctx.t('cli.log.subject')], rows)) ctx.out(l);
    if (page.nextCursor !== null) ctx.out(`\n${ctx.t('cli.log.more', { n: limit })}`);
    ctx.out(`\n${ctx.t('cli.log.showHint')}`);
    return EX.OK;
  } finally {
    data.close();
  }
}

function truncate(s: string, n: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : chars.join('');
}

function showEntry(ctx: Ctx, e: SendLogEntry): void {
  const t = ctx.t;
  ctx.out(t('cli.log.entryTitle', { id: e.id, status: t(statusKey(e.status)) }));
  const tls = e.tls as { protocol?: unknown; cipher?: unknown } | null;
  const refused = e.results.filter((r) => !r.accepted);
  const accepted = e.results.filter((r) => r.accepted).map((r) => r.address);
  for (const l of table([
    [t('cli.log.time'), formatTime(e.time, ctx.lang)],
    [t('cli.log.from'), e.envelopeFrom || '<>'],
    [t('cli.log.recipients'), e.recipients.join('\n')],
    [t('cli.label.accepted'), accepted.join('\n')],
    [t('cli.label.refused'), refused.map((r) => `${r.address}  ${r.code}${r.enhancedCode ? ` ${r.enhancedCode}` : ''} ${r.message.split('\n')[0] ?? ''}`.trimEnd()).join('\n')],
    [t('cli.log.subject'), e.subject || t('cli.log.noSubject')],
    [t('cli.log.size'), e.size !== null ? formatBytes(e.size, ctx.lang) : null],
    [t('cli.probe.tls'), tls && typeof tls.protocol === 'string' ? `${tls.protocol}, ${String(tls.cipher)}` : t('cli.tls.none')],
    [t('cli.label.duration'), e.durationMs !== null ? formatMs(e.durationMs, ctx.lang) : null],
  ])) ctx.out(l);
  const parsed = e.explanation ? ExplanationSchema.safeParse(e.explanation) : null;
  if (parsed?.success) {
    ctx.out();
    // An entry of the app's outbox may rightly say "Postbote tries again"; a command's own send may not.
    const oneShot = e.outboxId === null;
    for (const l of explanationLines(ctx, parsed.data, { oneShot, ...(e.status === 'sentWithWarnings' ? { headline: t('cli.label.warning') } : {}) })) ctx.out(l);
  } else if (e.errorText) {
    ctx.out();
    ctx.out(`${t('cli.label.error')}: ${e.errorText}`);
  }
  if (e.transcript.length > 0) {
    ctx.out();
    ctx.out(t('cli.send.transcript'));
    for (const l of transcriptLines(e.transcript.map((x) => ({ ...x, phase: x.phase as 'data' })))) ctx.out(l);
  }
}
