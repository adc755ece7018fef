/**
 * `postbote probe <host[:port]>`: connect, TLS, EHLO, QUIT — what the server offers,
 * explained, without credentials (msmtp's --serverinfo).
 */
import { readFileSync } from 'node:fs';
import type { Security } from '../../shared/domain.js';
import { renderExplanation } from '../../shared/explanation.js';
import { explainDeliveryError } from '../errors/explain.js';
import { probe, type SessionInfo, type TranscriptEntry } from '../smtp/index.js';
import {
  CliError, EX, actionTexts, explanationLines, failureExitCode, fileReason, formatBytes, formatMs, parse, securityLabel, table, usage, wrap, type Ctx,
} from './common.js';
import { defaultPort, parsePort, parseSecurity, transcriptLines } from './send.js';

export const probeOptions = {
  security: { type: 'string' },
  port: { type: 'string', short: 'p' },
  ca: { type: 'string' },
  transcript: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** "host", "host:port", "[v6]", "[v6]:port", a bare IPv6 address. */
export function splitHostPort(input: string): { host: string; port?: number } {
  const s = input.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1] ?? '', ...(bracket[2] ? { port: parsePort(bracket[2]) as number } : {}) };
  const colons = s.split(':').length - 1;
  if (colons === 1) {
    const [h, p] = s.split(':');
    return { host: h ?? '', port: parsePort(p) as number };
  }
  return { host: s };
}

const extensionOrder = ['SIZE', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'BINARYMIME', 'DSN', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'AUTH', 'REQUIRETLS', 'DELIVERBY', 'ETRN', 'VRFY', 'EXPN', 'HELP', 'MTRK', 'FUTURERELEASE', 'NO-SOLICITING', 'CLIENTID', 'LIMITS', 'XCLIENT', 'XFORWARD', 'X-EXPS'];

export function probeJson(info: SessionInfo, host: string, port: number, security: Security): Record<string, unknown> {
  const c = info.capabilities;
  return {
    ok: true,
    host, port, security,
    serverName: c.serverName,
    tls: info.tls ? { protocol: info.tls.protocol, cipher: info.tls.cipher, authorized: info.tls.authorized, certificate: info.tls.certificate ?? null } : null,
    extensions: c.extensions,
    size: c.size ?? null,
    pipelining: c.pipelining, eightBitMime: c.eightBitMime, smtpUtf8: c.smtpUtf8, chunking: c.chunking, dsn: c.dsn,
    enhancedStatusCodes: c.enhancedStatusCodes, startTls: c.startTls,
    authMechanisms: c.authMechanisms,
    timings: info.timings,
    error: null,
  };
}

export async function probeCommand(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, probeOptions, true);
  const [target, ...extra] = positionals;
  if (!target) throw usage('cli.usage.probeTarget');
  if (extra.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: extra[0] ?? '' });
  const hp = splitHostPort(target);
  if (!hp.host || /[\s/]/.test(hp.host)) throw usage('cli.usage.badHost', { value: target });
  const portOpt = parsePort(values.port) ?? hp.port;
  const security = parseSecurity(values.security, portOpt);
  const port = portOpt ?? defaultPort(security);
  let extraCaPem: string | undefined;
  if (values.ca !== undefined) {
    try {
      extraCaPem = readFileSync(values.ca, 'utf8');
    } catch (e) {
      throw new CliError(EX.CONFIG, 'cli.input.unreadableCa', { file: values.ca, reason: fileReason(ctx, e) }, 'config.ca');
    }
  }
  const timeoutS = values.timeout !== undefined ? Number(values.timeout) : 15;
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) throw usage('cli.usage.badTimeout', { value: values.timeout ?? '' });
  const ms = Math.round(timeoutS * 1000);
  const transcript: TranscriptEntry[] = [];
  try {
    const info = await probe({
      host: hp.host, port, security,
      ...(extraCaPem ? { extraCaPem } : {}),
      timeouts: { connect: ms, tlsHandshake: ms, greeting: ms, command: ms },
      onTranscript: (e) => transcript.push(e),
    });
    if (ctx.json) {
      ctx.out(JSON.stringify({ ...probeJson(info, hp.host, port, security), ...(values.transcript ? { transcript: transcript.map((e) => ({ dir: e.dir, line: e.line })) } : {}) }, null, 2));
      return EX.OK;
    }
    if (values.transcript) {
      ctx.out(ctx.t('cli.send.transcript'));
      for (const l of transcriptLines(transcript)) ctx.out(l);
      ctx.out();
    }
    printProbe(ctx, info, hp.host, port, security);
    return EX.OK;
  } catch (e) {
    const expl = explainDeliveryError(e, { account: { host: hp.host, port, security } });
    const code = failureExitCode(expl);
    if (ctx.json) {
      ctx.out(JSON.stringify({
        ok: false, host: hp.host, port, security,
        ...(values.transcript ? { transcript: transcript.map((x) => ({ dir: x.dir, line: x.line })) } : {}),
        error: { kind: expl.kind, phase: expl.technical.phase, code: expl.technical.code ?? null, enhancedCode: expl.technical.enhancedCode ?? null,
          serverText: expl.technical.serverText ?? null, title: renderExplanation(expl, ctx.lang).title, action: actionTexts(ctx, expl)[0] ?? '',
          retryable: code === EX.TEMPFAIL },
      }, null, 2));
    } else {
      if (values.transcript) for (const l of transcriptLines(transcript)) ctx.err(l);
      for (const l of explanationLines(ctx, expl)) ctx.err(l);
    }
    return code;
  }
}

function printProbe(ctx: Ctx, info: SessionInfo, host: string, port: number, security: Security): void {
  const c = info.capabilities;
  const t = ctx.t;
  ctx.out(t('cli.probe.title', { host, port }));
  const tls = info.tls;
  const cert = tls?.certificate;
  const rows: Array<[string, string | null]> = [
    [t('cli.probe.server'), c.serverName || null],
    [t('cli.probe.security'), `${securityLabel(security)}${security === 'none' ? ` (${t('cli.probe.unencrypted')})` : ''}`],
    [t('cli.probe.tls'), tls ? `${tls.protocol}, ${tls.cipher}` : t('cli.tls.none')],
  ];
  if (cert) {
    rows.push([t('cli.probe.certSubject'), cert.subject]);
    rows.push([t('cli.probe.certIssuer'), cert.issuer]);
    rows.push([t('cli.probe.certValid'), `${cert.validFrom} – ${cert.validTo}`]);
    if (cert.subjectAltNames) rows.push([t('cli.probe.certNames'), cert.subjectAltNames]);
    rows.push([t('cli.probe.certFingerprint'), cert.fingerprint256]);
    rows.push([t('cli.probe.certVerified'), tls?.authorized ? t('cli.yes') : t('cli.no')]);
  }
  rows.push([t('cli.probe.connectTime'), info.timings.open !== undefined ? formatMs(info.timings.open, ctx.lang) : null]);
  for (const l of table(rows)) ctx.out(l);

  ctx.out();
  ctx.out(t('cli.probe.capabilities'));
  const names = Object.keys(c.extensions).sort((a, b) => {
    const ia = extensionOrder.indexOf(a);
    const ib = extensionOrder.indexOf(b);
    return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b);
  });
  const capRows: Array<[string, string]> = names.map((name) => {
    const params = c.extensions[name] ?? [];
    const key = `cli.ext.${name}`;
    let words = t(key);
    if (words === key) words = t('cli.ext.other');
    if (name === 'SIZE') words = c.size ? t('cli.ext.SIZE.limit', { size: formatBytes(c.size, ctx.lang) }) : t('cli.ext.SIZE.none');
    if (name === 'AUTH') words = t('cli.ext.AUTH');
    const shown = name === 'AUTH' || name === 'SIZE' ? name : [name, ...params].join(' ');
    return [shown, words];
  });
  if (capRows.length === 0) ctx.out(`  ${c.heloOnly ? t('cli.probe.heloOnly') : t('cli.probe.noExtensions')}`);
  for (const l of table(capRows)) ctx.out(l);

  ctx.out();
  ctx.out(t('cli.probe.auth'));
  if (c.authMechanisms.length === 0) {
    for (const l of wrap(t(security === 'starttls' || security === 'tls' ? 'cli.probe.noAuth' : 'cli.probe.noAuthPlain'), 2)) ctx.out(l);
  } else {
    // PLAIN, LOGIN and OAuth send the secret itself: inside TLS that is fine, without it readable.
    const encrypted = tls !== null;
    for (const l of table(c.authMechanisms.map((m) => {
      const key = `cli.mech.${m}`;
      const plainKey = `${key}.unencrypted`;
      const words = !encrypted && t(plainKey) !== plainKey ? t(plainKey) : t(key);
      return [m, words === key ? t('cli.mech.other') : words] as [string, string];
    }))) ctx.out(l);
  }
  if (security === 'none' && c.startTls) {
    ctx.out();
    for (const l of wrap(t('cli.probe.hintStartTls', { host, port }), 0)) ctx.out(l);
  }
}
