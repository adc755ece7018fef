/**
 * The foundation journey: the app loads in both languages, every section renders, and a
 * setting changed in the UI is persisted by the main-process service and survives a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../main/testing/environment.js';
import { readStoredSettings } from '../main/store/settings.js';
import { useAppSuite } from './harness.js';

const suite = useAppSuite();
const ready = suite.ready;


const sections = [
  { id: 'compose', de: 'Verfassen', en: 'Compose' },
  { id: 'outbox', de: 'Postausgang', en: 'Outbox' },
  { id: 'log', de: 'Sendeprotokoll', en: 'Send log' },
  { id: 'accounts', de: 'Konten', en: 'Accounts' },
  { id: 'settings', de: 'Einstellungen', en: 'Settings' },
] as const;

for (const lang of ['de', 'en'] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`the app loads in ${lang} (${colorScheme}) with every section reachable`, async (t) => {
      if (skipUnless(t, ready(), 'Chromium (/usr/bin/chromium) or the built renderer (npm run build) is missing')) return;
      const app = await suite.open({ locale: lang === 'de' ? 'de-DE' : 'en-US', colorScheme });
      try {
        assert.equal(await app.page.locator('html').getAttribute('lang'), lang);
        assert.equal(await app.page.locator('html').getAttribute('data-theme'), colorScheme);
        for (const section of sections) {
          const button = app.page.locator(`nav button[data-section="${section.id}"]`);
          assert.equal((await button.innerText()).trim(), section[lang]);
          await button.click();
          assert.equal(await button.getAttribute('aria-current'), 'page');
          await app.page.locator('main h1').first().waitFor();
          await app.screenshot(`shell-${section.id}-${lang}-${colorScheme}`);
        }
      } finally {
        await app.close();
      }
    });
  }
}

test('a setting changed in the UI is persisted by main and still there after a reload', async (t) => {
  if (skipUnless(t, ready(), 'Chromium (/usr/bin/chromium) or the built renderer (npm run build) is missing')) return;
  const app = await suite.open({ locale: 'en-US' });
  try {
    const { page } = app;
    await page.keyboard.press('Control+,');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await page.getByLabel('Erscheinungsbild').selectOption('dark');
    await page.getByLabel('Senden rückgängig machen').selectOption('10');
    await page.locator('html[data-theme="dark"]').waitFor();

    const onDisk = readStoredSettings(app.dataDir);
    assert.deepEqual({ language: onDisk.language, theme: onDisk.theme, undo: onDisk.undoSendSeconds }, { language: 'de', theme: 'dark', undo: 10 });

    await app.reload();
    await page.locator('nav button[data-section="settings"]').click();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Erscheinungsbild').inputValue(), 'dark');
    assert.equal(await page.getByLabel('Senden rückgängig machen').inputValue(), '10');
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await app.screenshot('settings-persisted-de-dark');
  } finally {
    await app.close();
  }
});

test('the page cannot call a method outside the contract, and bad arguments are refused', async (t) => {
  if (skipUnless(t, ready(), 'Chromium (/usr/bin/chromium) or the built renderer (npm run build) is missing')) return;
  const app = await suite.open();
  try {
    const results = await app.page.evaluate(async () => {
      const bridge = (globalThis as unknown as { postbote: { invoke(n: string, ...a: unknown[]): Promise<{ ok: boolean; error?: { kind: string } }> } }).postbote;
      return [await bridge.invoke('fs.readFile', '/etc/passwd'), await bridge.invoke('settings.set', { theme: 'neon' })];
    });
    assert.equal(results[0]?.ok, false);
    assert.equal(results[0]?.error?.kind, 'ipc.unknownMethod');
    assert.equal(results[1]?.error?.kind, 'ipc.invalidArguments');
  } finally {
    await app.close();
  }
});
