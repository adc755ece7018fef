import { test, assert, readFileSync, globSync } from '../../main/testing/node-test.js';
import { storeDe } from './store.de.js';
import { storeEn } from './store.en.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

test('store catalogues: same keys in German and English, same placeholders, no empty texts', () => {
  assert.deepEqual(Object.keys(storeDe).sort(), Object.keys(storeEn).sort());
  for (const [key, en] of Object.entries(storeEn)) {
    const de = storeDe[key] ?? '';
    assert.ok(en.trim().length > 10 && de.trim().length > 10, key);
    assert.deepEqual(placeholders(de), placeholders(en), key);
    assert.ok(key.startsWith('store.'), key);
  }
});

test('every error kind the store raises has a text', async () => {
  const files = globSync(['main/store/*.ts', 'main/secrets/*.ts', 'main/services/accounts-service.ts', 'main/services/sendlog-service.ts', 'main/services/compose-service.ts'], {
    exclude: (f: string) => f.endsWith('.test.ts'),
  });
  const kinds = new Set<string>(['account.invalid', 'keychain.unavailable']);
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/storeError\(\s*'([\w.]+)'/g)) kinds.add(m[1] ?? '');
  assert.ok(kinds.size > 10);
  for (const kind of kinds) assert.ok(storeEn[`store.${kind}`], `missing text for store.${kind}`);
});
