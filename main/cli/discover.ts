/**
 * `postbote discover <address>`: auto-configuration, ranked candidates with their sources
 * in words.
 *
 * Test hooks (environment, not shown in --help; for tests against loopback servers):
 *   POSTBOTE_TEST_DNS=127.0.0.1:5353         DNS server for the MX and SRV lookups
 *   POSTBOTE_TEST_CA=/path/ca.pem            extra trusted CA for HTTPS and SMTP probes
 *   POSTBOTE_TEST_CONNECT=127.0.0.1          dial every host at this address (TLS still checks the name)
 *   POSTBOTE_TEST_PORT_MAP=443:8443,465:2465 standard port → port actually dialled
 *   POSTBOTE_ISPDB_URL=https://…/v1.1/        base URL of the online ISP database
 *   POSTBOTE_NO_ISPDB=1                      never ask the online ISP database (also --no-ispdb)
 */
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import type { DiscoveredCandidate, DiscoveryResult } from '../../shared/provider.js';
import {
  createDiscoveryDeps, createEngineProber, createHttpsFetcher, discoverSettings, shippedPresets,
  type DiscoveryDeps, type EngineProbeOptions,
} from '../autoconfig/index.js';
import { CliError, EX, columns, fileReason, parse, securityLabel, usage, wrap, type Ctx } from './common.js';
import { dataDirOf, openData } from './data.js';

export const discoverOptions = {
  'no-ispdb': { type: 'boolean' },
  all: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  timeout: { type: 'string' },
} as const;

export interface TestHooks {
  dns?: string;
  ca?: string;
  connect?: string;
  portMap?: Record<number, number>;
  ispDbUrl?: string;
  noIspDb: boolean;
}

export function testHooks(ctx: Ctx): TestHooks {
  const env = ctx.io.env;
  const hooks: TestHooks = { noIspDb: /^(1|true|yes)$/i.test(env.POSTBOTE_NO_ISPDB ?? '') };
  if (env.POSTBOTE_TEST_DNS) hooks.dns = env.POSTBOTE_TEST_DNS;
  if (env.POSTBOTE_TEST_CA) {
    try {
      hooks.ca = readFileSync(env.POSTBOTE_TEST_CA, 'utf8');
    } catch (e) {
      throw new CliError(EX.CONFIG, 'cli.input.unreadableCa', { file: env.POSTBOTE_TEST_CA, reason: fileReason(ctx, e) }, 'config.ca');
    }
  }
  if (env.POSTBOTE_TEST_CONNECT) hooks.connect = env.POSTBOTE_TEST_CONNECT;
  if (env.POSTBOTE_TEST_PORT_MAP) {
    const map: Record<number, number> = {};
    for (const pair of env.POSTBOTE_TEST_PORT_MAP.split(',')) {
      const [a, b] = pair.split(/[:=]/).map((x) => Number(x.trim()));
      if (a && b) map[a] = b;
    }
    hooks.portMap = map;
  }
  if (env.POSTBOTE_ISPDB_URL) hooks.ispDbUrl = env.POSTBOTE_ISPDB_URL;
  return hooks;
}

/** Options for the engine prober and the connection test that honour the test hooks. */
export function engineOptions(h: TestHooks): EngineProbeOptions {
  return {
    ...(h.ca ? { extraCaPem: h.ca } : {}),
    ...(h.portMap ? { portMap: h.portMap } : {}),
    ...(h.connect ? { connectAddress: () => h.connect } : {}),
  };
}

export function discoveryDeps(h: TestHooks, onlineIspDb: boolean): DiscoveryDeps {
  const base = createDiscoveryDeps({ onlineIspDb: onlineIspDb && !h.noIspDb });
  const deps: DiscoveryDeps = { ...base };
  if (h.dns) {
    const r = new Resolver({ timeout: 1500, tries: 1 });
    r.setServers([h.dns]);
    deps.resolver = { resolveMx: (d) => r.resolveMx(d), resolveSrv: (n) => r.resolveSrv(n) };
  }
  if (h.ca || h.portMap || h.connect) {
    deps.fetchText = createHttpsFetcher({
      ...(h.ca ? { extraCaPem: h.ca } : {}),
      ...(h.portMap ? { portMap: h.portMap } : {}),
      ...(h.connect ? { connectAddress: () => h.connect } : {}),
    });
    deps.probe = createEngineProber(engineOptions(h));
  }
  if (h.ispDbUrl) deps.ispDbBaseUrl = h.ispDbUrl;
  return deps;
}

export async function runDiscovery(ctx: Ctx, address: string, o: { noIspDb: boolean; dataDir?: string | undefined; timeoutMs?: number }): Promise<DiscoveryResult> {
  let online = true;
  try {
    const data = openData(dataDirOf(o.dataDir, ctx.io.env));
    online = data.onlineIspLookup;
    data.close();
  } catch {
    // Without a data folder the default applies.
  }
  const hooks = testHooks(ctx);
  return discoverSettings(address, discoveryDeps(hooks, online && !o.noIspDb), { ...(o.timeoutMs ? { deadlineMs: o.timeoutMs } : {}) });
}

export function sourceWords(ctx: Ctx, c: DiscoveredCandidate): string {
  const base = ctx.t(`autoconfig.source.${c.source}`, { provider: c.sourceParams.provider ?? '', ...c.sourceParams });
  const where = c.sourceParams.url ?? c.sourceParams.record ?? (c.sourceParams.mx ? `MX ${c.sourceParams.mx}` : undefined);
  return where && !base.includes(where) ? `${base} (${where})` : base;
}

export async function discoverCommand(ctx: Ctx, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, discoverOptions, true);
  const [address, ...extra] = positionals;
  if (!address) throw usage('cli.usage.discoverAddress');
  if (extra.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: extra[0] ?? '' });
  const timeoutS = values.timeout !== undefined ? Number(values.timeout) : undefined;
  if (timeoutS !== undefined && (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 120)) throw usage('cli.usage.badTimeout', { value: values.timeout ?? '' });
  const r = await runDiscovery(ctx, address, { noIspDb: values['no-ispdb'] === true, dataDir: values['data-dir'], ...(timeoutS ? { timeoutMs: timeoutS * 1000 } : {}) });
  const code = r.status === 'found' ? EX.OK : r.status === 'invalidAddress' ? EX.DATAERR : EX.UNAVAILABLE;
  if (ctx.json) {
    ctx.out(JSON.stringify({
      ok: r.status === 'found', ...r,
      message: ctx.t(r.messageKey, { domain: r.domain }),
      candidates: r.candidates.map((c, i) => ({ rank: i + 1, ...c, sourceText: sourceWords(ctx, c) })),
    }, null, 2));
    return code;
  }
  printDiscovery(ctx, r, values.verbose === true || values.all === true);
  return code;
}

export function printDiscovery(ctx: Ctx, r: DiscoveryResult, verbose: boolean): void {
  const t = ctx.t;
  if (r.status === 'invalidAddress') {
    ctx.err(`${t('cli.label.error')}: ${t(r.messageKey, { domain: r.domain })}`);
    return;
  }
  ctx.out(t('cli.discover.title', { address: r.address }));
  if (r.provider) ctx.out(`  ${t('cli.discover.provider')}: ${r.provider.name}`);
  ctx.out();
  if (r.candidates.length > 0) {
    const rows = r.candidates.map((c, i) => [
      String(i + 1), `${c.host}:${c.port}`, securityLabel(c.security), c.username, t(`autoconfig.trust.${c.trust}`), sourceWords(ctx, c),
    ]);
    for (const l of columns(['#', t('cli.discover.server'), t('cli.discover.security'), t('cli.discover.user'), t('cli.discover.trust'), t('cli.discover.source')], rows, '  ')) ctx.out(l);
    const notes: string[] = [];
    for (const [i, c] of r.candidates.entries()) {
      if (c.confirmedBy.length > 0) notes.push(`#${i + 1}: ${t('cli.discover.confirmedBy', { sources: c.confirmedBy.map((s) => t(`autoconfig.source.${s}`, { provider: c.sourceParams.provider ?? '' })).join('; ') })}`);
      for (const w of c.warnings) notes.push(`#${i + 1}: ${t(`autoconfig.warning.${w}`)}`);
    }
    if (notes.length > 0) {
      ctx.out();
      for (const n of notes) for (const l of wrap(n, 2)) ctx.out(l);
    }
    const preset = r.provider ? shippedPresets().byId.get(r.provider.id) : undefined;
    const req = preset?.requirementText?.[ctx.lang];
    if (req) {
      ctx.out();
      for (const l of wrap(`${t('cli.discover.note')}: ${req}`, 2)) ctx.out(l);
    }
    ctx.out();
  }
  for (const l of wrap(t(r.messageKey, { domain: r.domain }), 0)) ctx.out(l);
  if (verbose || r.candidates.length === 0) {
    ctx.out();
    ctx.out(t('cli.discover.tried'));
    const rows = r.attempts.map((a) => [
      t(`cli.step.${a.step}`), a.target, t(a.messageKey, Object.fromEntries(Object.entries(a.params ?? {}).map(([k, v]) => [k, v]))), `${Math.round(a.ms)} ms`,
    ]);
    for (const l of columns([t('cli.discover.step'), t('cli.discover.target'), t('cli.discover.outcome'), ''], rows, '  ')) ctx.out(l);
  }
  ctx.out(`\n${t('cli.discover.elapsed', { ms: Math.round(r.elapsedMs) })}`);
}
