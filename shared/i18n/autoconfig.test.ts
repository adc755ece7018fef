import { test, assert, readFileSync } from '../../main/testing/node-test.js';
import { autoconfigDe } from './autoconfig.de.js';
import { autoconfigEn } from './autoconfig.en.js';
import { CandidateSourceSchema, CandidateWarningSchema, DiscoveryStepSchema, TrustLevelSchema } from '../provider.js';
import { ProviderRequirementSchema } from '../domain.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

test('autoconfig catalogues: same keys, same placeholders, real translations', () => {
  assert.deepEqual(Object.keys(autoconfigDe).sort(), Object.keys(autoconfigEn).sort());
  for (const [k, de] of Object.entries(autoconfigDe)) {
    const en = autoconfigEn[k] ?? '';
    assert.deepEqual(placeholders(de), placeholders(en), k);
    if (de.length > 12) assert.notEqual(de, en, k);
  }
});

test('autoconfig catalogues: every key the code uses exists', () => {
  const keys = [
    ...CandidateSourceSchema.options.map((s) => `autoconfig.source.${s}`),
    ...CandidateWarningSchema.options.map((s) => `autoconfig.warning.${s}`),
    ...TrustLevelSchema.options.map((s) => `autoconfig.trust.${s}`),
    ...DiscoveryStepSchema.options.map((s) => `autoconfig.step.${s}`),
    ...ProviderRequirementSchema.options.map((s) => `autoconfig.requirement.${s}`),
  ];
  const src = ['../../main/autoconfig/discover.ts', '../../main/autoconfig/engine-probe.ts']
    .map((p) => readFileSync(new URL(p, import.meta.url), 'utf8')).join('\n');
  for (const m of src.matchAll(/attempt\([^,]+,[^,]+,\s*'[a-z]+',\s*'(\w+)'/g)) keys.push(`autoconfig.attempt.${m[1] ?? ''}`);
  // Keys chosen by a condition.
  for (const k of ['presetFound', 'presetNoSmtp', 'configFound', 'foundAfterRedirect', 'certificateProblem', 'hostNotFound', 'fetchFailed',
    'srvDeclined', 'srvNone', 'domainNotFound', 'mxNone', 'dnsFailed']) keys.push(`autoconfig.attempt.${k}`);
  for (const r of ['refused', 'unreachable', 'timeout', 'certificate', 'noTls', 'protocol', 'cancelled']) keys.push(`autoconfig.attempt.probe.${r}`);
  for (const m of src.matchAll(/'(autoconfig\.(?:result|attempt|test)\.[\w.]+)'/g)) keys.push(m[1] ?? '');
  for (const r of ['empty', 'noAt', 'localPart', 'domain', 'tooLong']) keys.push(`autoconfig.result.invalidAddress.${r}`);
  for (const k of keys) assert.ok(k in autoconfigDe, `missing ${k}`);
  assert.ok(keys.length > 50);
});
