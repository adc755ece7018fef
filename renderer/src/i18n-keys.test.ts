/** Every literal catalogue key the screens use exists in both languages (a missing one would show as its key). */
import { test, assert, readFileSync, readdirSync, join } from '../../main/testing/node-test.js';
import { catalogues } from '../../shared/i18n/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []);
}

test('literal t() keys of the renderer exist in German and English', () => {
  const missing: string[] = [];
  for (const file of sources(join(import.meta.dirname, '.'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
      const key = m[1] ?? '';
      for (const lang of ['de', 'en'] as const) if (!(key in catalogues[lang])) missing.push(`${lang}:${key} (${file})`);
    }
  }
  assert.deepEqual(missing, []);
});
