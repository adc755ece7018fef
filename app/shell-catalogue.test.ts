/** The shell's texts (shared/i18n/shell.*): both languages, same placeholders, own keys only, every menu label present. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogues } from '../shared/i18n/index.js';
import { shellDe } from '../shared/i18n/shell.de.js';
import { shellEn } from '../shared/i18n/shell.en.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('German and English have the same shell keys and placeholders, all under shell.', () => {
  assert.deepEqual(Object.keys(shellDe).sort(), Object.keys(shellEn).sort());
  for (const [key, en] of Object.entries(shellEn)) {
    assert.ok(key.startsWith('shell.'), key);
    assert.deepEqual(placeholders(shellDe[key] ?? ''), placeholders(en), key);
  }
});

test('the shell catalogue is merged and overwrites no other domain\'s key', () => {
  for (const [key, text] of Object.entries(shellEn)) assert.equal(catalogues.en[key], text, key);
  for (const [key, text] of Object.entries(shellDe)) assert.equal(catalogues.de[key], text, key);
});

test('every menu label exists', () => {
  for (const name of ['file', 'go', 'edit', 'view', 'window', 'compose', 'outbox', 'log', 'accounts', 'settings']) {
    assert.ok(shellEn[`shell.menu.${name}`], `en ${name}`);
    assert.ok(shellDe[`shell.menu.${name}`], `de ${name}`);
  }
});
