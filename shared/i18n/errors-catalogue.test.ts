import { test, assert, readFileSync, readdirSync, join } from '../../main/testing/node-test.js';
import { errorsDe } from './errors.de.js';
import { errorsEn } from './errors.en.js';
import { explanationKinds } from '../explanation.js';

const root = join(import.meta.dirname, '..', '..');
const placeholders = (s: string): string[] => [...s.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '').sort();

test('every key exists in both languages', () => {
  assert.deepEqual(Object.keys(errorsDe).sort(), Object.keys(errorsEn).sort());
});

test('placeholders are identical in both languages, texts are non-empty and translated', () => {
  for (const [key, de] of Object.entries(errorsDe)) {
    const en = errorsEn[key] ?? '';
    assert.deepEqual(placeholders(de), placeholders(en), key);
    assert.ok(de.trim() !== '' && en.trim() !== '', `${key} is empty`);
    assert.ok(!/undefined|TODO|FIXME/.test(de + en), key);
    if (!key.startsWith('tech.server')) assert.notEqual(de, en, `${key} is not translated`);
    // Sentences end with a full stop; titles, labels and fragments do not.
    const sentence = /\.(happened|cause(\.\w+)?)$|^act\./.test(key) && key.startsWith('err.') || key.startsWith('act.');
    if (sentence) {
      assert.match(de, /[.!]$/, `${key} (de) ends a sentence`);
      assert.match(en, /[.!]$/, `${key} (en) ends a sentence`);
    }
  }
});

test('German uses "Sie" consistently, never "du"', () => {
  for (const [key, de] of Object.entries(errorsDe)) assert.ok(!/\b(du|dein\w*|dich|dir)\b/i.test(de), key);
});

/** Keys the code names literally, plus the ones built from a kind: err.<kind>.title|happened|cause. */
function usedKeys(): Set<string> {
  const files = [
    ...readdirSync(join(root, 'main/errors')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(root, 'main/errors', f)),
    join(root, 'shared/explanation.ts'),
  ];
  const used = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'((?:act|tech|phase|reply|err|text)\.[A-Za-z0-9.]+)'/g)) used.add(m[1] ?? '');
  }
  for (const kind of explanationKinds) for (const part of ['title', 'happened', 'cause']) used.add(`err.${kind}.${part}`);
  return used;
}

test('every catalogue key is used, and every used key exists', () => {
  const used = usedKeys();
  const unused = Object.keys(errorsEn).filter((k) => !used.has(k));
  assert.deepEqual(unused, [], 'unused catalogue entries');
  const missing = [...used].filter((k) => !(k in errorsEn));
  assert.deepEqual(missing, [], 'keys used in code but missing from the catalogue');
});

test('every kind is produced somewhere in the explainer', () => {
  const src = readFileSync(join(root, 'main/errors/explain.ts'), 'utf8');
  for (const kind of explanationKinds) assert.ok(src.includes(`'${kind}'`), kind);
});
