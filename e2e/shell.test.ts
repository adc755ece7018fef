/**
 * The foundation journey: the app loads in both languages, every section renders, and a
 * setting changed in the UI is persisted by the main-process service and survives a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { skipUnless } from '../main/testing/environment.js';
import { startTestSmtpServer } from '../main/testing/smtp-test-server.js';
import { readStoredSettings } from '../main/store/settings.js';
import { seedAccount, until, assertNoPageErrors } from './fixtures.js';
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
        await app.reload();
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
        assertNoPageErrors(app, `the shell in ${lang} (${colorScheme})`);
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

/** The element with the keyboard focus, as a person would name it: its label, else its text. */
interface Focus { tag: string; name: string; within: string | null }
const focusOf = (page: Page): Promise<Focus> => page.evaluate(`(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '', within: null };
  const labelled = el.getAttribute('aria-label') ?? (el.labels && el.labels[0] ? el.labels[0].innerText : null);
  const name = (labelled ?? el.innerText ?? '').replace(/\\s+/g, ' ').trim();
  const card = el.closest('li[aria-label]');
  return { tag: el.tagName.toLowerCase(), name, within: card ? card.getAttribute('aria-label') : null };
})()`) as Promise<Focus>;

const matches = (focus: Focus, want: { tag?: string; name: string | RegExp; within?: string }): boolean =>
  (want.tag === undefined || focus.tag === want.tag)
  && (typeof want.name === 'string' ? focus.name === want.name : want.name.test(focus.name))
  && (want.within === undefined || focus.within === want.within);

async function expectFocus(page: Page, want: { tag?: string; name: string | RegExp; within?: string }, step: string): Promise<void> {
  const focus = await until(async () => { const f = await focusOf(page); return matches(f, want) ? f : null; }, `${step}: focus on ${String(want.name)}`, 8000)
    .catch(async () => { throw new Error(`${step}: expected the focus on ${want.tag ?? ''} "${String(want.name)}"${want.within ? ` in ${want.within}` : ''}, it is on ${JSON.stringify(await focusOf(page))}`); });
  assert.ok(focus);
}

/**
 * Presses Tab (or Shift+Tab) until the focus reaches the element, as a keyboard user would,
 * failing with the way the focus took when it is not reached within `max` presses.
 */
async function tabTo(page: Page, want: { tag?: string; name: string | RegExp; within?: string }, step: string, options: { back?: boolean; max?: number } = {}): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < (options.max ?? 25); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const focus = await focusOf(page);
    path.push(`${focus.tag}:${focus.name.slice(0, 40)}`);
    if (matches(focus, want)) return;
  }
  assert.fail(`${step}: ${String(want.name)} was not reached by ${options.back ? 'Shift+Tab' : 'Tab'}; the focus went ${path.join(' → ')}`);
}

test('keyboard only: set up an account, edit and delete accounts, change settings, handle the outbox', async (t) => {
  if (skipUnless(t, ready(), 'Chromium (/usr/bin/chromium) or the built renderer (npm run build) is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'correct horse' } });
  const app = await suite.open({ locale: 'en-GB' });
  const { page, services } = app;
  const kb = page.keyboard;
  try {
    await services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    await app.reload();

    // The sections are reached from the top of the page with Tab; Enter opens one.
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Compose' }, 'first Tab');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Outbox' }, 'second Tab');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Send log' }, 'third Tab');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Accounts' }, 'fourth Tab');
    await kb.press('Enter');

    // The wizard: name, address, password, Enter; the review takes the focus at what was found.
    await expectFocus(page, { tag: 'input', name: 'Your name' }, 'wizard opened');
    await kb.type('Alice Example');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'input', name: 'E-mail address' }, 'wizard: address');
    await kb.type('alice@postbote.test');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'input', name: 'Password' }, 'wizard: password');
    await kb.type('correct horse');
    await kb.press('Enter');
    await expectFocus(page, { tag: 'h2', name: /postbote\.test/ }, 'wizard: settings found (or not)');
    await tabTo(page, { tag: 'input', name: 'Server' }, 'wizard: the server field');
    await kb.press('Control+A');
    await kb.type('127.0.0.1');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'input', name: 'Port' }, 'wizard: port');
    await kb.press('Control+A');
    await kb.type(String(srv.port));
    await kb.press('Tab');
    await expectFocus(page, { tag: 'select', name: 'Encryption' }, 'wizard: encryption');
    assert.equal(await page.evaluate('document.activeElement.value'), 'starttls');
    await tabTo(page, { tag: 'input', name: 'User name' }, 'wizard: user name');
    await kb.press('Control+A');
    await kb.type('alice');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'textarea', name: 'Additional trusted certificate (optional)' }, 'wizard: certificate');
    await kb.insertText(srv.caPem);
    await tabTo(page, { tag: 'button', name: 'Test and save' }, 'wizard: test and save');
    await kb.press('Enter');
    // Saved: the list of accounts, with the focus on its heading (the wizard it was in is gone).
    await expectFocus(page, { tag: 'h1', name: 'Accounts' }, 'account saved');
    await page.getByText('alice@postbote.test is ready').waitFor();
    const [alice] = await services.service['accounts.list']();
    assert.equal(alice?.host, '127.0.0.1');
    assert.equal(alice?.port, srv.port);
    assert.equal(alice?.username, 'alice');

    // Accounts: test the connection, edit the signature, cancel and then confirm a deletion.
    await seedAccount(services, { address: 'old@example.org', displayName: 'Old Address' });
    await page.locator('.account-card').nth(1).waitFor();
    await tabTo(page, { tag: 'button', name: 'Test connection', within: 'alice@postbote.test' }, 'accounts: test');
    await kb.press('Enter');
    await page.getByText('Connection to alice@postbote.test works').waitFor({ timeout: 20000 });
    await expectFocus(page, { tag: 'button', name: 'Test connection', within: 'alice@postbote.test' }, 'accounts: after the test');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Edit', within: 'alice@postbote.test' }, 'accounts: edit');
    await kb.press('Enter');
    await tabTo(page, { tag: 'textarea', name: 'Signature' }, 'editor: signature', { max: 3 });
    await kb.type('Alice');
    await kb.press('Enter');
    await kb.type('Postbote tests');
    await tabTo(page, { tag: 'button', name: 'Save' }, 'editor: save');
    await kb.press('Enter');
    await page.getByText('Changes saved').waitFor();
    await expectFocus(page, { tag: 'button', name: 'Edit', within: 'alice@postbote.test' }, 'editor closed: back on Edit');
    assert.equal((await services.service['accounts.list']()).find((a) => a.address === 'alice@postbote.test')?.signature, 'Alice\nPostbote tests');
    // Escape leaves the editor without saving, the focus back where it was.
    await kb.press('Enter');
    await tabTo(page, { tag: 'input', name: 'Your name' }, 'editor again: name', { max: 2 });
    await kb.type(' (changed)');
    await kb.press('Escape');
    await expectFocus(page, { tag: 'button', name: 'Edit', within: 'alice@postbote.test' }, 'editor left with Escape');
    assert.equal(await page.locator('.account-editor').count(), 0);
    assert.equal((await services.service['accounts.list']()).find((a) => a.address === 'alice@postbote.test')?.displayName, 'Alice Example');

    await tabTo(page, { tag: 'button', name: 'Delete', within: 'old@example.org' }, 'accounts: delete the old one');
    await kb.press('Enter');
    await expectFocus(page, { tag: 'button', name: 'Cancel' }, 'delete dialog: Cancel first');
    await kb.press('Escape');
    await expectFocus(page, { tag: 'button', name: 'Delete', within: 'old@example.org' }, 'dialog closed: back on Delete');
    assert.equal((await services.service['accounts.list']()).length, 2, 'Escape deleted nothing');
    await kb.press('Enter');
    await expectFocus(page, { tag: 'button', name: 'Cancel' }, 'delete dialog again');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Delete' }, 'delete dialog: Delete');
    await kb.press('Enter');
    await page.getByText('old@example.org was removed').waitFor();
    await expectFocus(page, { tag: 'h1', name: 'Accounts' }, 'account deleted: focus on the heading');
    assert.deepEqual((await services.service['accounts.list']()).map((a) => a.address), ['alice@postbote.test']);

    // Settings: back to the sections with Shift+Tab, then each control in turn.
    await tabTo(page, { tag: 'button', name: 'Settings' }, 'back to the sections', { back: true, max: 3 });
    await kb.press('Enter');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await kb.press('Tab');
    await expectFocus(page, { tag: 'select', name: 'Language' }, 'settings: language');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'select', name: 'Theme' }, 'settings: theme');
    await kb.press('ArrowDown'); // system → light
    await kb.press('ArrowDown'); // light → dark

    await page.locator('html[data-theme="dark"]').waitFor();
    await kb.press('Tab');
    await expectFocus(page, { tag: 'select', name: 'Undo send' }, 'settings: undo send');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'select', name: 'Keep retrying a delayed message for' }, 'settings: retry');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'input', name: /Thunderbird/ }, 'settings: online lookup');
    await kb.press('Space');
    await until(() => readStoredSettings(app.dataDir).onlineIspLookup === true, 'the lookup switch saved');
    assert.equal(readStoredSettings(app.dataDir).theme, 'dark');

    // The outbox: a message scheduled for tomorrow is cancelled, then deleted.
    await services.service['outbox.enqueue'](
      { from: { address: 'alice@postbote.test' }, to: ['bob@example.org'], cc: [], bcc: [], subject: 'Planned by keyboard', text: 'Hallo', attachments: [], inlineImages: [] },
      { accountId: alice?.id ?? '', sendAt: Date.now() + 86_400_000 },
    );
    await tabTo(page, { tag: 'button', name: /^Outbox/ }, 'back to the outbox', { back: true, max: 8 });
    await kb.press('Enter');
    await page.locator('.outbox-item').waitFor();
    await tabTo(page, { tag: 'button', name: 'Cancel', within: 'Planned by keyboard' }, 'outbox: cancel');
    await kb.press('Enter');
    await page.locator('.outbox-item[data-state="cancelled"]').waitFor();
    // The Cancel button is gone with the state it belonged to; Tab goes on from where it was
    // (the browser keeps that place; the outbox screen does not yet move the focus itself).
    await tabTo(page, { tag: 'button', name: 'Delete', within: 'Planned by keyboard' }, 'outbox: delete', { max: 4 });
    await kb.press('Enter');
    await expectFocus(page, { tag: 'button', name: 'Cancel' }, 'outbox delete dialog');
    await kb.press('Tab');
    await expectFocus(page, { tag: 'button', name: 'Delete' }, 'outbox delete dialog: Delete');
    await kb.press('Enter');
    await page.locator('.outbox-item').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Nothing waiting' }).waitFor();
    assert.deepEqual(await services.service['outbox.list'](), []);
    await app.screenshot('keyboard-outbox-emptied-en-dark');
    assertNoPageErrors(app, 'keyboard-only pass');
  } finally {
    await app.close();
    await srv.close();
  }
});

test('keyboard only: send later at a typed date and time; Enter in the time field schedules, it does not send now', async (t) => {
  if (skipUnless(t, ready(), 'Chromium (/usr/bin/chromium) or the built renderer (npm run build) is missing')) return;
  // An American system: the English UI reads the clock with am/pm there.
  const app = await suite.open({ locale: 'en-US' });
  const { page, services } = app;
  const kb = page.keyboard;
  try {
    await services.service['settings.set']({ undoSendSeconds: 0 });
    const account = await seedAccount(services);
    await app.reload();
    await expectFocus(page, { tag: 'input', name: /^To/ }, 'compose opens in To');
    await kb.type('bob@example.org,');
    await tabTo(page, { tag: 'input', name: 'Subject' }, 'compose: subject');
    await kb.type('Later, by keyboard');
    await tabTo(page, { tag: 'button', name: 'Send later' }, 'compose: the send-later button');
    await kb.press('Enter');
    await tabTo(page, { tag: 'input', name: 'Date' }, 'send later: date', { max: 5 });
    assert.equal(await page.evaluate('document.activeElement.placeholder'), 'DD/MM/YYYY');
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    const pad = (n: number) => String(n).padStart(2, '0');
    await kb.type(`${pad(tomorrow.getDate())}/${pad(tomorrow.getMonth() + 1)}/${tomorrow.getFullYear()}`);
    await kb.press('Tab');
    await expectFocus(page, { tag: 'input', name: 'Time' }, 'send later: time');
    assert.equal(await page.evaluate('document.activeElement.placeholder'), 'h:mm am/pm');
    await kb.type('9:30 pm');
    const at = new Date(tomorrow.getFullYear(), tomorrow.getMonth(), tomorrow.getDate(), 21, 30).getTime();
    assert.match(await page.getByTestId('send-later-when').innerText(), /^Will be sent on /);
    await kb.press('Enter');
    const scheduled = await until(async () => (await services.service['outbox.list']())[0], 'the message in the outbox');
    assert.equal(scheduled?.state, 'scheduled', 'Enter scheduled the message instead of sending it now');
    assert.equal(scheduled?.nextAttemptAt, at);
    assert.equal(scheduled?.accountId, account.id);
    await page.locator('.popover').waitFor({ state: 'detached' });
    assertNoPageErrors(app, 'send later by keyboard');
  } finally {
    await app.close();
  }
});
