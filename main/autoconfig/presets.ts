/**
 * Our own provider presets (resources/providers/presets.json), validated against the
 * schema in shared/provider.ts when first used, and indexed by domain and MX pattern.
 */
import { ProviderPresetFileSchema, type ProviderPreset } from '../../shared/provider.js';
import presetJson from '../../resources/providers/presets.json' with { type: 'json' };
import { domainSuffixes } from './address.js';

export interface PresetIndex {
  presets: readonly ProviderPreset[];
  byId: ReadonlyMap<string, ProviderPreset>;
  byDomain: ReadonlyMap<string, ProviderPreset>;
  byMxSuffix: ReadonlyMap<string, ProviderPreset>;
}

export function indexPresets(presets: readonly ProviderPreset[]): PresetIndex {
  const byId = new Map<string, ProviderPreset>();
  const byDomain = new Map<string, ProviderPreset>();
  const byMxSuffix = new Map<string, ProviderPreset>();
  for (const p of presets) {
    byId.set(p.id, p);
    for (const d of p.domains) byDomain.set(d, p);
    for (const m of p.mxPatterns) if (!byMxSuffix.has(m)) byMxSuffix.set(m, p);
  }
  return { presets, byId, byDomain, byMxSuffix };
}

let shipped: PresetIndex | undefined;
/** The presets shipped with the app. Throws at first use if the data file is invalid (a test guards it). */
export function shippedPresets(): PresetIndex {
  shipped ??= indexPresets(ProviderPresetFileSchema.parse(presetJson).providers);
  return shipped;
}

/** The preset whose MX pattern matches this MX host, most specific suffix first. */
export function presetForMx(index: PresetIndex, mxHost: string): ProviderPreset | undefined {
  for (const suffix of domainSuffixes(mxHost)) {
    const p = index.byMxSuffix.get(suffix);
    if (p) return p;
  }
  return undefined;
}
