/**
 * Provider auto-configuration: from an e-mail address to SMTP settings, and the
 * connection test that proves them. Everything outside main/autoconfig imports from here.
 */
import { Resolver } from 'node:dns/promises';
import type { DiscoveryDeps } from './discover.js';
import { createHttpsFetcher } from './fetch.js';
import { createEngineProber } from './engine-probe.js';

export { discoverSettings, resolveWithPresets, defaultDeadlineMs } from './discover.js';
export type {
  DiscoveryDeps, DiscoveryOptions, DiscoveryResolver, FetchText, FetchTextResult, Probe, ProbeOutcome,
} from './discover.js';
export { createHttpsFetcher, FetchError } from './fetch.js';
export type { FetcherOptions } from './fetch.js';
export { createEngineProber, testConnection, classifyProbeFailure } from './engine-probe.js';
export type { ConnectionTestResult, ConnectionTestSuccess, ConnectionTestFailure, EngineProbeOptions } from './engine-probe.js';
export { parseAutoconfigXml, fillTemplate } from './config-xml.js';
export type { AutoconfigDocument, OutgoingServer } from './config-xml.js';
export { parseAddress } from './address.js';
export { shippedPresets, presetForMx } from './presets.js';
export { shippedOfflineTable } from './offline-table.js';

/** The real network access: the system's DNS servers, HTTPS with the system CAs, the SMTP engine. */
export function createDiscoveryDeps(o: { dnsTimeoutMs?: number; onlineIspDb?: boolean } = {}): DiscoveryDeps {
  const resolver = new Resolver({ timeout: o.dnsTimeoutMs ?? 2000, tries: 2 });
  return {
    resolver: { resolveMx: (d) => resolver.resolveMx(d), resolveSrv: (n) => resolver.resolveSrv(n) },
    fetchText: createHttpsFetcher(),
    probe: createEngineProber(),
    onlineIspDb: o.onlineIspDb ?? true,
  };
}
