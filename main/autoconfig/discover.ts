/**
 * From an e-mail address to ranked SMTP candidates. Presets and the offline table answer
 * instantly; otherwise every network lookup starts at once under one deadline, and the
 * most trustworthy answer wins as soon as nothing more trustworthy is still running.
 * Nothing here throws for bad input or a failing network: each lookup ends up in
 * `attempts`, so "nothing found" can say what was tried.
 */
import type { AuthMechanism, Security } from '../../shared/domain.js';
import { AuthMechanismSchema } from '../../shared/domain.js';
import {
  toProviderSummary,
  type CandidateSource, type CandidateWarning, type DiscoveredCandidate, type DiscoveryAttempt, type DiscoveryResult,
  type DiscoveryStep, type ProviderPreset, type TrustLevel,
} from '../../shared/provider.js';
import { domainSuffixes, parseAddress } from './address.js';
import { fillTemplate, mechanismsFor, parseAutoconfigXml, securityOf, type AddressParts, type AutoconfigDocument } from './config-xml.js';
import { shippedOfflineTable, type OfflineEntry, type OfflineIndex } from './offline-table.js';
import { shippedPresets, presetForMx, type PresetIndex } from './presets.js';

export interface MxRecordLike { exchange: string; priority: number }
export interface SrvRecordLike { name: string; port: number; priority: number; weight: number }
/** The two DNS questions discovery asks (node:dns/promises Resolver fits). */
export interface DiscoveryResolver {
  resolveMx(domain: string): Promise<MxRecordLike[]>;
  resolveSrv(name: string): Promise<SrvRecordLike[]>;
}
export interface FetchTextResult {
  status: number;
  text: string;
  /** The URL finally answered, after redirects. */
  url: string;
}
/** Fetches a small text document; rejects on network or TLS failure, or when the signal aborts. */
export type FetchText = (url: string, opts: { signal: AbortSignal }) => Promise<FetchTextResult>;

export type ProbeOutcome =
  | { ok: true; tls: boolean; authMechanisms: string[]; size?: number; serverName?: string }
  | { ok: false; reason: 'refused' | 'unreachable' | 'timeout' | 'certificate' | 'noTls' | 'protocol' | 'cancelled'; message: string };
/** Connects, (upgrades to TLS,) says EHLO and leaves: no credentials are sent. */
export type Probe = (host: string, port: number, security: Security, signal: AbortSignal) => Promise<ProbeOutcome>;

export interface DiscoveryDeps {
  resolver: DiscoveryResolver;
  fetchText: FetchText;
  probe: Probe;
  presets?: PresetIndex;
  offlineTable?: OfflineIndex;
  /** Ask autoconfig.thunderbird.net (the setting "onlineIspLookup"); default true. */
  onlineIspDb?: boolean;
  /** Base URL of the online ISP database; default https://autoconfig.thunderbird.net/v1.1/ */
  ispDbBaseUrl?: string;
}

export interface DiscoveryOptions {
  /** The whole discovery ends by then, whatever is still running. Default 6000 ms. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Run the network lookups even when a preset or the offline table knows the domain. */
  exhaustive?: boolean;
  /** Try connecting to guessed host names (default true). */
  probing?: boolean;
}

export const defaultDeadlineMs = 6000;

/** Lower is more trustworthy. Steps of one rank are equals. */
const rankOf: Record<CandidateSource, number> = {
  preset: 0, offlineTable: 1, autoconfig: 2, autoconfigWellKnown: 2, ispdbOnline: 3, srv: 4, mxPreset: 5, mxTable: 6,
  autoconfigHttp: 7, probe: 8,
};
const trustOf: Record<CandidateSource, TrustLevel> = {
  preset: 'high', offlineTable: 'high', autoconfig: 'high', autoconfigWellKnown: 'high', ispdbOnline: 'high',
  srv: 'medium', mxPreset: 'medium', mxTable: 'medium', autoconfigHttp: 'low', probe: 'low',
};
const securityOrder: Record<Security, number> = { tls: 0, starttls: 1, none: 2 };

interface StepReport {
  candidates: DiscoveredCandidate[];
  attempts: DiscoveryAttempt[];
  provider?: ProviderPreset;
}

const knownMechanisms = (names: readonly string[]): AuthMechanism[] =>
  names.map((n) => n.toUpperCase()).filter((n): n is AuthMechanism => AuthMechanismSchema.safeParse(n).success);

const withinDomain = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

function candidate(
  a: AddressParts, source: CandidateSource, server: { host: string; port: number; security: Security },
  username: string, authMechanisms: AuthMechanism[], extra: { params?: Record<string, string>; warnings?: CandidateWarning[]; providerId?: string; trust?: TrustLevel } = {},
): DiscoveredCandidate {
  return {
    host: fillTemplate(server.host, a),
    port: server.port,
    security: server.security,
    username,
    authMechanisms,
    source,
    sourceParams: extra.params ?? {},
    confirmedBy: [],
    trust: extra.trust ?? trustOf[source],
    warnings: extra.warnings ?? [],
    ...(extra.providerId ? { providerId: extra.providerId } : {}),
  };
}

function fromPreset(a: AddressParts, p: ProviderPreset, source: CandidateSource, mxHost?: string): DiscoveredCandidate[] {
  const username = p.usernameForm === 'localPart' ? a.localPart : a.address;
  return p.smtp.map((s) => candidate(a, source, { ...s, host: s.host === '%MXHOST%' ? (mxHost ?? a.domain) : s.host },
    username, [...p.authMechanisms], { params: { provider: p.name, ...(mxHost ? { mx: mxHost } : {}) }, providerId: p.id }));
}

function fromOffline(a: AddressParts, e: OfflineEntry, source: CandidateSource, params: Record<string, string>): DiscoveredCandidate[] {
  const encrypted = e.smtp.some((s) => s.security !== 'none');
  return e.smtp
    .filter((s) => !encrypted || s.security !== 'none')
    .map((s) => candidate(a, source, s, fillTemplate(s.username, a), s.authMechanisms,
      { params: { provider: e.name, ...params }, warnings: s.security === 'none' ? ['plaintextOnly'] : [] }));
}

function fromDocument(a: AddressParts, doc: AutoconfigDocument, source: CandidateSource, params: Record<string, string>, extraWarnings: CandidateWarning[], trust?: TrustLevel): DiscoveredCandidate[] {
  const encrypted = doc.outgoing.some((o) => o.socketType !== 'plain');
  return doc.outgoing
    .filter((o) => !encrypted || o.socketType !== 'plain')
    .map((o) => candidate(a, source, { host: o.hostname, port: o.port, security: securityOf(o.socketType) },
      fillTemplate(o.username, a), mechanismsFor(o.authentication), {
        params: { provider: doc.displayName, ...params },
        warnings: [...(o.socketType === 'plain' ? ['plaintextOnly' as const] : []), ...extraWarnings],
        ...(trust ? { trust } : {}),
      }));
}

const attempt = (step: DiscoveryStep, target: string, outcome: DiscoveryAttempt['outcome'], messageKey: string, ms: number, params?: DiscoveryAttempt['params']): DiscoveryAttempt =>
  ({ step, target, outcome, messageKey: `autoconfig.attempt.${messageKey}`, ms: Math.round(ms * 10) / 10, ...(params ? { params } : {}) });

/** Settles when the promise does, or rejects as soon as the signal aborts (for APIs without a signal). */
function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

const errorCode = (e: unknown): string => (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : '');
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isAbort = (e: unknown, signal: AbortSignal): boolean => signal.aborted || (e instanceof Error && e.name === 'AbortError');
const dnsNoData = (code: string): boolean => code === 'ENODATA' || code === 'ENOTFOUND' || code === 'NXDOMAIN';

export function resolveWithPresets(a: AddressParts, presets: PresetIndex, table: OfflineIndex): StepReport | undefined {
  const t0 = performance.now();
  const preset = presets.byDomain.get(a.domain);
  if (preset) {
    return { provider: preset, candidates: fromPreset(a, preset, 'preset'),
      attempts: [attempt('preset', a.domain, 'found', preset.noSmtp ? 'presetNoSmtp' : 'presetFound', performance.now() - t0, { provider: preset.name })] };
  }
  const entry = table.byDomain.get(a.domain);
  if (entry) {
    return { candidates: fromOffline(a, entry, 'offlineTable', {}),
      attempts: [attempt('offlineTable', a.domain, 'found', 'offlineFound', performance.now() - t0, { provider: entry.name })] };
  }
  return undefined;
}

interface RunningStep {
  rank: number;
  readonly settled: boolean;
  promise: Promise<StepReport>;
  /** What to record when the step is cut off. */
  pending: () => DiscoveryAttempt[];
}

export async function discoverSettings(input: string, deps: DiscoveryDeps, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
  const parsed = parseAddress(input);
  if (!parsed.ok) {
    return { address: input.trim().slice(0, 320), domain: '', status: 'invalidAddress', messageKey: `autoconfig.result.invalidAddress.${parsed.reason}`,
      candidates: [], attempts: [], elapsedMs: elapsed() };
  }
  const a = parsed.parts;
  const presets = deps.presets ?? shippedPresets();
  const table = deps.offlineTable ?? shippedOfflineTable();

  const instant = resolveWithPresets(a, presets, table);
  if (instant && (!opts.exhaustive || instant.provider?.noSmtp)) return finish(a, [instant], elapsed());

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(0, opts.deadlineMs ?? defaultDeadlineMs));
  const onOuterAbort = (): void => deadline.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) deadline.abort();
  const signal = deadline.signal;

  const steps: RunningStep[] = [];
  const start = (rank: number, pending: () => DiscoveryAttempt[], run: () => Promise<StepReport>): void => {
    const holder: { settled: boolean } = { settled: false };
    const promise = run()
      .catch((e: unknown): StepReport => ({ candidates: [], attempts: pending().map((x) => ({ ...x, outcome: 'failed', messageKey: 'autoconfig.attempt.internalError', params: { message: errorMessage(e) } })) }))
      .finally(() => { holder.settled = true; });
    steps.push({ rank, pending, promise, get settled() { return holder.settled; } });
  };

  const enc = encodeURIComponent(a.address);
  const autoconfigStep = (step: DiscoveryStep, source: CandidateSource, url: string, expectHost: string, trust?: TrustLevel, warn: CandidateWarning[] = []): void => {
    start(rankOf[source], () => [attempt(step, url, 'timeout', 'timeout', elapsed())], async () => {
      const t0 = performance.now();
      const ms = (): number => performance.now() - t0;
      try {
        const r = await deps.fetchText(url, { signal });
        if (r.status === 404 || r.status === 410) return { candidates: [], attempts: [attempt(step, url, 'nothing', 'httpNotFound', ms(), { status: r.status })] };
        if (r.status < 200 || r.status > 299) return { candidates: [], attempts: [attempt(step, url, 'failed', 'httpStatus', ms(), { status: r.status })] };
        const doc = parseAutoconfigXml(r.text);
        if (!doc.ok) return { candidates: [], attempts: [attempt(step, url, 'failed', 'badConfigFile', ms(), { message: doc.message })] };
        let finalHost = expectHost;
        try { finalHost = new URL(r.url).hostname.toLowerCase(); } catch { /* keep */ }
        const redirected = !withinDomain(finalHost, expectHost) && !withinDomain(finalHost, a.domain);
        const warnings: CandidateWarning[] = [...warn, ...(redirected ? ['redirectedToOtherDomain' as const] : [])];
        const cands = fromDocument(a, doc.doc, source, { url: r.url }, warnings, redirected && trust === undefined ? 'medium' : trust);
        return { candidates: cands, attempts: [attempt(step, url, 'found', redirected ? 'foundAfterRedirect' : 'configFound', ms(), { servers: cands.length, finalUrl: r.url })] };
      } catch (e) {
        if (isAbort(e, signal)) return { candidates: [], attempts: [attempt(step, url, 'timeout', 'timeout', ms())] };
        const code = errorCode(e);
        const key = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code) ? 'certificateProblem' : dnsNoData(code) ? 'hostNotFound' : 'fetchFailed';
        return { candidates: [], attempts: [attempt(step, url, 'failed', key, ms(), { message: errorMessage(e), ...(code ? { code } : {}) })] };
      }
    });
  };

  autoconfigStep('autoconfig', 'autoconfig', `https://autoconfig.${a.domain}/mail/config-v1.1.xml?emailaddress=${enc}`, `autoconfig.${a.domain}`);
  autoconfigStep('autoconfigWellKnown', 'autoconfigWellKnown', `https://${a.domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${enc}`, a.domain);
  if (deps.onlineIspDb !== false) {
    const base = deps.ispDbBaseUrl ?? 'https://autoconfig.thunderbird.net/v1.1/';
    let baseHost = 'autoconfig.thunderbird.net';
    try { baseHost = new URL(base).hostname; } catch { /* default */ }
    autoconfigStep('ispdbOnline', 'ispdbOnline', `${base}${a.domain}`, baseHost);
  }
  autoconfigStep('autoconfigHttp', 'autoconfigHttp', `http://autoconfig.${a.domain}/mail/config-v1.1.xml?emailaddress=${enc}`, `autoconfig.${a.domain}`, 'low', ['unencryptedSource']);

  // DNS SRV (RFC 6186, RFC 8314 §5.1): _submissions = implicit TLS, _submission = STARTTLS.
  for (const [step, prefix, security] of [['srvSubmissions', '_submissions._tcp', 'tls'], ['srvSubmission', '_submission._tcp', 'starttls']] as const) {
    const name = `${prefix}.${a.domain}`;
    start(rankOf.srv, () => [attempt(step, name, 'timeout', 'timeout', elapsed())], async () => {
      const t0 = performance.now();
      try {
        const records = await raceSignal(deps.resolver.resolveSrv(name), signal);
        const usable = records.filter((r) => r.name !== '' && r.name !== '.' && r.port > 0)
          .sort((x, y) => x.priority - y.priority || y.weight - x.weight);
        if (usable.length === 0) {
          return { candidates: [], attempts: [attempt(step, name, 'nothing', records.length > 0 ? 'srvDeclined' : 'srvNone', performance.now() - t0)] };
        }
        const cands = usable.map((r) => {
          const host = r.name.toLowerCase().replace(/\.$/, '');
          return candidate(a, 'srv', { host, port: r.port, security }, a.address, ['PLAIN', 'LOGIN'],
            { params: { record: name }, warnings: withinDomain(host, a.domain) ? [] : ['targetOutsideDomain'] });
        });
        return { candidates: cands, attempts: [attempt(step, name, 'found', 'srvFound', performance.now() - t0, { servers: cands.length })] };
      } catch (e) {
        if (isAbort(e, signal)) return { candidates: [], attempts: [attempt(step, name, 'timeout', 'timeout', performance.now() - t0)] };
        const code = errorCode(e);
        return { candidates: [], attempts: [dnsNoData(code)
          ? attempt(step, name, 'nothing', 'srvNone', performance.now() - t0)
          : attempt(step, name, 'failed', 'dnsFailed', performance.now() - t0, { code: code || 'unknown', message: errorMessage(e) })] };
      }
    });
  }

  // MX: a custom domain hosted by a known provider (Google Workspace, Microsoft 365, IONOS…).
  start(rankOf.mxPreset, () => [attempt('mx', a.domain, 'timeout', 'timeout', elapsed())], async () => {
    const t0 = performance.now();
    const ms = (): number => performance.now() - t0;
    try {
      const mx = (await raceSignal(deps.resolver.resolveMx(a.domain), signal))
        .filter((r) => r.exchange !== '' && r.exchange !== '.')
        .sort((x, y) => x.priority - y.priority);
      if (mx.length === 0) return { candidates: [], attempts: [attempt('mx', a.domain, 'nothing', 'mxNone', ms())] };
      for (const r of mx) {
        const host = r.exchange.toLowerCase().replace(/\.$/, '');
        const p = presetForMx(presets, host);
        if (p && !p.noSmtp) {
          return { provider: p, candidates: fromPreset(a, p, 'mxPreset', host), attempts: [attempt('mx', a.domain, 'found', 'mxPreset', ms(), { mx: host, provider: p.name })] };
        }
        for (const suffix of domainSuffixes(host)) {
          const e = table.byDomain.get(suffix);
          if (e) return { candidates: fromOffline(a, e, 'mxTable', { mx: host }), attempts: [attempt('mx', a.domain, 'found', 'mxTable', ms(), { mx: host, provider: e.name })] };
        }
      }
      return { candidates: [], attempts: [attempt('mx', a.domain, 'nothing', 'mxUnknown', ms(), { mx: mx.map((r) => r.exchange).join(', ') })] };
    } catch (e) {
      if (isAbort(e, signal)) return { candidates: [], attempts: [attempt('mx', a.domain, 'timeout', 'timeout', ms())] };
      const code = errorCode(e);
      return { candidates: [], attempts: [code === 'ENOTFOUND' || code === 'NXDOMAIN'
        ? attempt('mx', a.domain, 'nothing', 'domainNotFound', ms())
        : code === 'ENODATA' ? attempt('mx', a.domain, 'nothing', 'mxNone', ms())
          : attempt('mx', a.domain, 'failed', 'dnsFailed', ms(), { code: code || 'unknown', message: errorMessage(e) })] };
    }
  });

  if (opts.probing !== false) {
    const hosts = [`smtp.${a.domain}`, `mail.${a.domain}`, a.domain];
    const ports: Array<[number, Security]> = [[465, 'tls'], [587, 'starttls'], [25, 'starttls']];
    for (const host of hosts) {
      for (const [port, security] of ports) {
        const target = `${host}:${port}`;
        start(rankOf.probe, () => [attempt('probe', target, 'timeout', 'timeout', elapsed())], async () => {
          const t0 = performance.now();
          const ms = (): number => performance.now() - t0;
          try {
            const r = await deps.probe(host, port, security, signal);
            if (!r.ok) {
              if (r.reason === 'cancelled' || (r.reason === 'timeout' && signal.aborted)) return { candidates: [], attempts: [attempt('probe', target, 'timeout', 'timeout', ms())] };
              if (r.reason === 'certificate') {
                return { candidates: [candidate(a, 'probe', { host, port, security }, a.address, ['PLAIN', 'LOGIN'], { params: { host }, warnings: ['certificateProblem'] })],
                  attempts: [attempt('probe', target, 'found', 'probeCertificate', ms(), { message: r.message })] };
              }
              return { candidates: [], attempts: [attempt('probe', target, r.reason === 'noTls' ? 'nothing' : 'failed', `probe.${r.reason}`, ms(), { message: r.message })] };
            }
            if (!r.tls) return { candidates: [], attempts: [attempt('probe', target, 'nothing', 'probe.noTls', ms())] };
            const mechs = knownMechanisms(r.authMechanisms);
            if (r.authMechanisms.length === 0) return { candidates: [], attempts: [attempt('probe', target, 'nothing', 'probeNoAuth', ms())] };
            return { candidates: [candidate(a, 'probe', { host, port, security }, a.address, mechs, { params: { host } })],
              attempts: [attempt('probe', target, 'found', 'probeFound', ms(), { mechanisms: r.authMechanisms.join(' ') })] };
          } catch (e) {
            if (isAbort(e, signal)) return { candidates: [], attempts: [attempt('probe', target, 'timeout', 'timeout', ms())] };
            return { candidates: [], attempts: [attempt('probe', target, 'failed', 'probe.protocol', ms(), { message: errorMessage(e) })] };
          }
        });
      }
    }
  }

  // Finish when the deadline passes, or as soon as some step has candidates and every
  // step at least as trustworthy has settled.
  const reports = new Map<RunningStep, StepReport>();
  await new Promise<void>((resolveAll) => {
    let done = false;
    const check = (): void => {
      if (done) return;
      const all = steps.every((s) => s.settled);
      const bestFound = Math.min(...[...reports.entries()].filter(([, r]) => r.candidates.length > 0).map(([s]) => s.rank));
      const decided = Number.isFinite(bestFound) && steps.every((s) => s.settled || s.rank > bestFound);
      if (all || decided || signal.aborted) {
        done = true;
        resolveAll();
      }
    };
    signal.addEventListener('abort', check, { once: true });
    for (const s of steps) void s.promise.then((r) => { reports.set(s, r); check(); });
    check();
  });
  const cutOff = !signal.aborted;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onOuterAbort);
  // Whatever still runs is stopped: lower-trust lookups are no longer needed, or time is up.
  deadline.abort();

  const collected: StepReport[] = instant ? [instant] : [];
  for (const s of steps) {
    const r = reports.get(s);
    if (r) collected.push(r);
    else collected.push({ candidates: [], attempts: s.pending().map((x) => cutOff ? { ...x, outcome: 'skipped', messageKey: 'autoconfig.attempt.notNeeded' } : x) });
  }
  return finish(a, collected, elapsed());
}

function finish(a: AddressParts, reports: StepReport[], elapsedMs: number): DiscoveryResult {
  const all = reports.flatMap((r) => r.candidates)
    .map((c, i) => ({ c, i }))
    .sort((x, y) => rankOf[x.c.source] - rankOf[y.c.source]
      || Number(x.c.warnings.length > 0) - Number(y.c.warnings.length > 0)
      || securityOrder[x.c.security] - securityOrder[y.c.security]
      || x.i - y.i)
    .map(({ c }) => c);
  const byKey = new Map<string, DiscoveredCandidate>();
  const candidates: DiscoveredCandidate[] = [];
  for (const c of all) {
    const key = `${c.host}:${c.port}:${c.security}`;
    const first = byKey.get(key);
    if (first) {
      if (first.source !== c.source && !first.confirmedBy.includes(c.source)) first.confirmedBy.push(c.source);
      continue;
    }
    byKey.set(key, c);
    candidates.push(c);
  }
  const provider = reports.find((r) => r.provider)?.provider;
  const attempts = reports.flatMap((r) => r.attempts);
  const noSmtp = provider?.noSmtp === true;
  const nxdomain = attempts.some((x) => x.messageKey === 'autoconfig.attempt.domainNotFound');
  const status: DiscoveryResult['status'] = noSmtp ? 'noSmtp' : candidates.length > 0 ? 'found' : 'notFound';
  const messageKey = noSmtp ? 'autoconfig.result.noSmtp'
    : candidates.length > 0 ? 'autoconfig.result.found'
      : nxdomain ? 'autoconfig.result.domainNotFound' : 'autoconfig.result.notFound';
  return {
    address: a.address,
    domain: a.domain,
    status,
    messageKey,
    ...(provider ? { provider: toProviderSummary(provider) } : {}),
    candidates,
    attempts,
    elapsedMs,
  };
}
