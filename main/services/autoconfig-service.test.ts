import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoconfigMethods } from '../../shared/contract/autoconfig.js';
import { createAutoconfigService } from './autoconfig-service.js';

const offline = {
  resolver: { resolveMx: async () => [], resolveSrv: async () => [] },
  fetchText: async () => ({ status: 404, text: '', url: 'https://x.test/' }),
  probe: async () => ({ ok: false as const, reason: 'refused' as const, message: 'refused' }),
};

test('autoconfig service: results match the contract schemas', async () => {
  let asked = false;
  const svc = createAutoconfigService({ discovery: offline, onlineIspLookup: () => { asked = true; return false; }, deadlineMs: 500 });
  const found = await svc['autoconfig.discover']('anna@gmx.de');
  assert.equal(found.status, 'found');
  assert.ok(autoconfigMethods['autoconfig.discover'].result.safeParse(found).success);
  const none = await svc['autoconfig.discover']('anna@unknown-domain.test');
  assert.equal(none.status, 'notFound');
  assert.ok(asked);
  assert.ok(autoconfigMethods['autoconfig.discover'].result.safeParse(none).success);
  const bad = await svc['autoconfig.discover']('not an address');
  assert.equal(bad.status, 'invalidAddress');
  const presets = await svc['autoconfig.presets']();
  assert.ok(presets.length >= 40);
  assert.ok(autoconfigMethods['autoconfig.presets'].result.safeParse(presets).success);
  assert.ok(autoconfigMethods['autoconfig.discover'].args.safeParse(['x'.repeat(401)]).success === false);
});
