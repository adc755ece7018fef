/** The merged catalogues: both languages have the same keys and placeholders, and no domain overwrites another's key. */
import { test, assert, readFileSync } from '../../main/testing/node-test.js';
import { catalogues, translate } from './index.js';
import { autoconfigDe } from './autoconfig.de.js';
import { cliDe } from './cli.de.js';
import { composeDe } from './compose.de.js';
import { outboxDe } from './outbox.de.js';
import { shellDe } from './shell.de.js';
import { composeEn } from './compose.en.js';
import { errorsDe } from './errors.de.js';
import { storeDe } from './store.de.js';
import { uiDe } from './ui.de.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('German and English have the same keys with the same placeholders', () => {
  const de = Object.keys(catalogues.de).sort();
  const en = Object.keys(catalogues.en).sort();
  assert.deepEqual(de, en);
  for (const key of de) assert.deepEqual(placeholders(catalogues.de[key]!), placeholders(catalogues.en[key]!), key);
});

test('no domain catalogue redefines another domain\'s key', () => {
  const seen = new Map<string, string>();
  for (const [domain, table] of Object.entries({ ui: uiDe, errors: errorsDe, store: storeDe, autoconfig: autoconfigDe, compose: composeDe, cli: cliDe, outbox: outboxDe, shell: shellDe })) {
    for (const key of Object.keys(table)) {
      assert.equal(seen.get(key), undefined, `${key} is defined by both ${seen.get(key)} and ${domain}`);
      seen.set(key, domain);
    }
  }
  // Every merged key comes from a domain listed here, so a new catalogue cannot slip past this check.
  assert.deepEqual(Object.keys(catalogues.de).filter((key) => !seen.has(key)), []);
});

test('translate fills placeholders and never returns undefined', () => {
  assert.equal(translate('de', 'settings.undoSend.seconds', { n: 10 }), '10 Sekunden');
  assert.equal(translate('en', 'settings.undoSend.seconds', { n: 10 }), '10 seconds');
  assert.equal(translate('en', 'no.such.key'), 'no.such.key');
});

test('every composer error kind has a text in both languages', async () => {
  const source = readFileSync(new URL('../../main/mime/errors.ts', import.meta.url), 'utf8');
  const kinds = [...source.matchAll(/\| '(compose\.\w+)'/g)].map((m) => m[1]);
  assert.ok(kinds.length >= 10);
  for (const kind of kinds) {
    assert.ok(composeEn[`err.${kind}`], `en: err.${kind}`);
    assert.ok(catalogues.de[`err.${kind}`], `de: err.${kind}`);
  }
});
