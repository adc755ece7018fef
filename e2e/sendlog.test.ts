/**
 * The send log as a long list, in real Chromium against the real services: jumping to the
 * end (End key) or anywhere between loads only the rows around the view, every row shown
 * is the right entry, and an entry arriving while the view is deep keeps that true.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSendLogRepository } from '../main/store/sendlog.js';
import { skipUnless } from '../main/testing/environment.js';
import { sampleLogEntry, seedAccount, seedLog, until } from './fixtures.js';
import { useAppSuite, type AppPage } from './harness.js';

const suite = useAppSuite();
const ENTRIES = 20_000;

/**
 * The rows in the DOM that show an entry: position in the list and the entry's number. Seeded
 * entry #k is the k-th oldest, so in a newest-first list of n entries it sits at position n - k.
 */
function shownRows(app: AppPage): Promise<{ position: number; number: number }[]> {
  return app.page.evaluate(`[...document.querySelectorAll('.log-row:not([aria-busy="true"])')].map((row) => ({
    position: Number(row.getAttribute('aria-posinset')),
    number: Number(/#(\\d+)$/.exec(row.querySelector('.log-row__subject')?.textContent ?? '')?.[1] ?? -1),
  }))`) as Promise<{ position: number; number: number }[]>;
}

const loadedRows = async (app: AppPage): Promise<number> => Number(await app.page.locator('.log-list__scroll').getAttribute('data-loaded'));

async function expectRowsInPlace(app: AppPage, total: number, what: string): Promise<void> {
  const rows = await shownRows(app);
  assert.ok(rows.length > 0, `${what}: rows are shown`);
  for (const row of rows) assert.equal(row.number, total - row.position, `${what}: row ${row.position} shows entry #${row.number}`);
}

test('the send log jumps to its end and to its middle without loading what lies between', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const app = await suite.open({ locale: 'en-GB' });
  const { page, services } = app;
  try {
    const account = await seedAccount(services);
    const now = Date.now();
    seedLog(services, ENTRIES, account.id, now);
    await app.reload();
    await page.locator('nav button[data-section="log"]').click();
    await page.locator('.log-row').first().waitFor();
    assert.match(await page.locator('.log-list__count').innerText(), /20,000/);

    // End: the last row (the oldest entry, #0) arrives without walking the 20,000 above it.
    const list = page.getByRole('listbox', { name: 'Send log entries' });
    await list.focus();
    await page.keyboard.press('End');
    const lastRow = page.locator(`.log-row[aria-posinset="${ENTRIES}"]:not([aria-busy="true"])`);
    await lastRow.waitFor({ timeout: 10_000 });
    assert.match(await lastRow.locator('.log-row__subject').innerText(), /#0$/);
    await until(async () => (await page.locator('.log-row[aria-busy="true"]').count()) === 0, 'no placeholders left in view');
    await expectRowsInPlace(app, ENTRIES, 'after End');
    const afterEnd = await loadedRows(app);
    assert.ok(afterEnd < 1_000, `only the pages around the view are loaded (${afterEnd} rows)`);
    await page.keyboard.press('Enter');
    await page.locator('.transcript').waitFor();
    assert.match(await page.locator('.log-detail h2').innerText(), /#0$/);
    await app.screenshot('log-jumped-to-end-en-light');

    // A new entry while the view is at the end: the rows in view stay the same entries.
    const id = createSendLogRepository(services.db).append({ ...sampleLogEntry(ENTRIES, account.id, now + 60_000), subject: `Arrived while deep #${ENTRIES}` });
    services.events.emit('log.appended', { id });
    await until(async () => /20,001/.test(await page.locator('.log-list__count').innerText()), 'the count grows by one');
    await page.locator(`.log-row[aria-posinset="${ENTRIES + 1}"]:not([aria-busy="true"])`).waitFor();
    await expectRowsInPlace(app, ENTRIES + 1, 'after an entry arrived');

    // The middle, as a dragged scroll bar would go: again only the rows around the view.
    await list.evaluate((el, top) => { el.scrollTop = top; }, 10_000 * 60);
    await page.locator('.log-row[aria-posinset="10002"]:not([aria-busy="true"])').waitFor({ timeout: 10_000 });
    await until(async () => (await page.locator('.log-row[aria-busy="true"]').count()) === 0, 'no placeholders left in the middle');
    await expectRowsInPlace(app, ENTRIES + 1, 'in the middle');
    assert.ok(await loadedRows(app) < 2_000, 'the jump loaded a few pages, not the 10,000 rows above');

    // Scrolling on from a jump continues by cursor: the next rows follow without gaps.
    for (let step = 0; step < 5; step++) {
      await list.evaluate((el) => { el.scrollTop += 600; });
      await page.waitForTimeout(50);
    }
    await until(async () => (await page.locator('.log-row[aria-busy="true"]').count()) === 0, 'rows further down arrive');
    await expectRowsInPlace(app, ENTRIES + 1, 'after scrolling on');

    // Home: the newest entry, the one that arrived, is first.
    await list.focus();
    await page.keyboard.press('Home');
    await page.locator('.log-row[aria-posinset="1"]:not([aria-busy="true"])').waitFor();
    assert.match(await page.locator('.log-row[aria-posinset="1"] .log-row__subject').innerText(), /Arrived while deep/);
  } finally {
    await app.close();
  }
});
