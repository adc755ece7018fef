/**
 * Discovery speed (issue 5):
 *  1. a preset domain and an offline-table domain: answered without the network, < 1 ms;
 *  2. an unknown domain where every lookup (each autoconfig URL, SRV, MX, each probe)
 *     takes 300 ms: all run in parallel, so discovery takes about one lookup, not the sum.
 *   node --import tsx bench/autoconfig-discovery.ts
 * Prints medians and p95 and writes JSON to bench/results/autoconfig-discovery.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { discoverSettings, type DiscoveryDeps } from '../main/autoconfig/discover.js';
import { shippedOfflineTable } from '../main/autoconfig/offline-table.js';
import { shippedPresets } from '../main/autoconfig/presets.js';

const lookupMs = 300;
let lookups = 0;
const wait = <T>(value: T, signal?: AbortSignal): Promise<T> => new Promise((resolve, reject) => {
  lookups++;
  const t = setTimeout(() => resolve(value), lookupMs);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
});
const slowDeps = (answerBy?: 'probe' | 'srv'): DiscoveryDeps => ({
  resolver: {
    resolveMx: () => wait([{ exchange: 'mx.unknown-isp.example', priority: 10 }]),
    resolveSrv: (name) => wait(answerBy === 'srv' && name.startsWith('_submissions.')
      ? [{ name: 'mail.slow.example', port: 465, priority: 0, weight: 0 }] : []),
  },
  fetchText: (url, { signal }) => wait({ status: 404, text: '', url }, signal),
  probe: (host, port, _security, signal) => wait(answerBy === 'probe' && host.startsWith('smtp.') && port === 465
    ? { ok: true as const, tls: true, authMechanisms: ['PLAIN', 'LOGIN'] }
    : { ok: false as const, reason: 'refused' as const, message: 'refused' }, signal),
});
const instantDeps: DiscoveryDeps = {
  resolver: { resolveMx: () => Promise.reject(new Error('no network in this run')), resolveSrv: () => Promise.reject(new Error('no network')) },
  fetchText: () => Promise.reject(new Error('no network in this run')),
  probe: () => Promise.reject(new Error('no network in this run')),
};

const stats = (xs: number[]): { median: number; p95: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: +at(0.5).toFixed(4), p95: +at(0.95).toFixed(4), max: +(s[s.length - 1] ?? NaN).toFixed(4) };
};

// Loading and validating the data files happens once at start-up; time it apart.
let t0 = performance.now();
const presetCount = shippedPresets().presets.length;
const table = shippedOfflineTable();
const loadMs = performance.now() - t0;

async function timeInstant(address: string, runs: number): Promise<ReturnType<typeof stats> & { source: string }> {
  const xs: number[] = [];
  let source = '';
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const r = await discoverSettings(address, instantDeps);
    xs.push(performance.now() - s);
    source = r.candidates[0]?.source ?? r.status;
  }
  return { ...stats(xs.slice(Math.floor(runs / 10))), source };
}

const preset = await timeInstant('max.mustermann@web.de', 2000);
const offline = await timeInstant('someone@wp.pl', 2000);

async function timeSlow(kind: 'nothing' | 'probe' | 'srv'): Promise<{ ms: number; lookups: number; sumOfLookupsMs: number; status: string; found?: string }> {
  lookups = 0;
  t0 = performance.now();
  const r = await discoverSettings(`anna@${kind}.slow.example`, { ...slowDeps(kind === 'nothing' ? undefined : kind), onlineIspDb: true }, { deadlineMs: 6000 });
  const ms = performance.now() - t0;
  const c = r.candidates[0];
  return { ms: +ms.toFixed(1), lookups, sumOfLookupsMs: lookups * lookupMs, status: r.status, ...(c ? { found: `${c.host}:${c.port} (${c.source})` } : {}) };
}
const unknown = await timeSlow('nothing');
const viaSrv = await timeSlow('srv');
const viaProbe = await timeSlow('probe');

const result = {
  date: new Date().toISOString(), node: process.version, cpus: cpus().length,
  presetCount, offlineTableDomains: table.byDomain.size, offlineTableFiles: table.table.fileCount, dataLoadMs: +loadMs.toFixed(2),
  presetDomainMs: preset, offlineTableDomainMs: offline,
  unknownDomain: { lookupMs, noAnswer: unknown, answeredBySrv: viaSrv, answeredByProbe: viaProbe },
};
console.log(`presets: ${presetCount}, offline table: ${table.byDomain.size} domains from ${table.table.fileCount} files (loaded and validated in ${loadMs.toFixed(1)} ms)`);
console.log(`preset domain (web.de):        median ${preset.median} ms, p95 ${preset.p95} ms  [${preset.source}]`);
console.log(`offline-table domain (wp.pl):  median ${offline.median} ms, p95 ${offline.p95} ms  [${offline.source}]`);
for (const [name, r] of [['no answer anywhere', unknown], ['answered by SRV', viaSrv], ['answered by probing', viaProbe]] as const) {
  console.log(`unknown domain, ${name}: ${r.ms} ms for ${r.lookups} lookups of ${lookupMs} ms (sum ${r.sumOfLookupsMs} ms) → ${r.status}${r.found ? ` ${r.found}` : ''}`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/autoconfig-discovery.json', `${JSON.stringify(result, null, 2)}\n`);
const ok = preset.p95 < 1 && offline.p95 < 1 && unknown.ms < unknown.sumOfLookupsMs / 4;
if (!ok) {
  console.error('speed goals missed');
  process.exit(1);
}
