/**
 * The autoconfig part of the contract. Discovery's network access (DNS, HTTPS, SMTP
 * probing) is injected; `createAutoconfigService()` without arguments uses the real ones.
 */
import type { autoconfigMethods } from '../../shared/contract/autoconfig.js';
import type { ServiceOf } from '../../shared/contract/define.js';
import { toProviderSummary } from '../../shared/provider.js';
import { createDiscoveryDeps, discoverSettings, shippedPresets, type DiscoveryDeps } from '../autoconfig/index.js';

export type AutoconfigService = ServiceOf<typeof autoconfigMethods>;

export interface AutoconfigServiceDeps {
  /** Network access for discovery; defaults to the system resolver, HTTPS and the SMTP engine. */
  discovery?: DiscoveryDeps;
  /** The "onlineIspLookup" setting, read at each discovery. */
  onlineIspLookup?: () => boolean | Promise<boolean>;
  deadlineMs?: number;
}

export function createAutoconfigService(deps: AutoconfigServiceDeps = {}): AutoconfigService {
  const discovery = deps.discovery ?? createDiscoveryDeps();
  return {
    'autoconfig.discover': async (address) => {
      const online = deps.onlineIspLookup ? await deps.onlineIspLookup() : discovery.onlineIspDb !== false;
      return discoverSettings(address, { ...discovery, onlineIspDb: online }, { deadlineMs: deps.deadlineMs ?? 6000 });
    },
    'autoconfig.presets': async () => shippedPresets().presets.map(toProviderSummary),
  };
}
