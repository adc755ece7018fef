/**
 * The outbox as a person sees it, in real Chromium against the real services: what
 * happened while Postbote was closed is told after start-up (the outbox starts before the
 * page has loaded, so the page has to ask), recipients refused only for now are tried
 * again alone, and counts read as words, not "(s)".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../main/services/index.js';
import { skipUnless } from '../main/testing/environment.js';
import { MemorySecretStore } from '../main/testing/memory-secret-store.js';
import { startTestSmtpServer } from '../main/testing/smtp-test-server.js';
import { createRepositories } from '../main/store/index.js';
import { startRecipientServer } from '../main/outbox/testing/recipient-server.js';
import { describeViolations, seedAccount, seriousAxeViolations, until } from './fixtures.js';
import { useAppSuite } from './harness.js';

const suite = useAppSuite();

/** A loopback port nobody listens on: connecting is refused at once (a temporary failure). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

test('a send-later message that fell due while Postbote was closed: after start-up the person is told, and the entry says so', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'pw' } });
  const dataDir = mkdtempSync(join(tmpdir(), 'postbote-e2e-overdue-'));
  const secrets = new MemorySecretStore('memory');
  t.after(async () => { await srv.close(); rmSync(dataDir, { recursive: true, force: true }); });

  // The last session: a message scheduled a moment ahead, then Postbote closes before it is due.
  const before = createServices({ dataDir, appVersion: '0.1.0-e2e', systemLanguage: 'en-GB', secrets });
  const account = await seedAccount(before, { address: 'alice@postbote.test', username: 'alice', password: 'pw', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem });
  await before.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
  const sendAt = Date.now() + 600;
  const scheduled = await before.outbox.outbox.enqueue({
    from: { name: 'Alice', address: 'alice@postbote.test' }, to: ['bob@example.org'], subject: 'Birthday wishes', text: 'Happy birthday!\n',
  }, { accountId: account.id, sendAt });
  assert.equal(scheduled.state, 'scheduled');
  await before.close();
  await new Promise((r) => setTimeout(r, Math.max(0, sendAt - Date.now()) + 200));

  // This start: the harness starts the outbox (which notices and sends) before the page loads, as app/main.ts does.
  const app = await suite.open({ dataDir, locale: 'en-GB', serviceOptions: { secrets } });
  const { page } = app;
  try {
    const text = '1 message was due while Postbote was closed: it is sent now.';
    const toast = page.locator('.toast', { hasText: text });
    await toast.waitFor({ timeout: 15000 });
    await app.screenshot('outbox-overdue-toast-en-light');

    await page.locator('nav button[data-section="outbox"]').click();
    const banner = page.getByTestId('outbox-notice');
    await banner.filter({ hasText: text }).waitFor();
    const item = page.locator('.outbox-item', { hasText: 'Birthday wishes' });
    await item.getByText(/Was due .*, while Postbote was closed/).waitFor();
    await until(async () => (await item.getByTestId('outbox-state').textContent()) === 'Sent', 'the overdue message sent');
    await item.getByText('1 attempt', { exact: true }).waitFor();
    assert.equal(srv.messages.length, 1);
    await app.screenshot('outbox-overdue-banner-en-light');
    const violations = await seriousAxeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));

    // "Got it": gone from the banner, the toast and the outbox service; a reload does not bring it back.
    await banner.getByRole('button', { name: 'Got it' }).click();
    await banner.waitFor({ state: 'detached' });
    await toast.waitFor({ state: 'detached' });
    assert.deepEqual(app.services.outbox.outbox.notices(), []);
    await app.reload();
    await page.locator('nav button[data-section="outbox"]').click();
    await page.locator('.outbox-item', { hasText: 'Birthday wishes' }).waitFor();
    assert.equal(await page.getByTestId('outbox-notice').count(), 0);
    assert.equal(await page.locator('.toast', { hasText: text }).count(), 0);
  } finally {
    await app.close();
  }
});

test('a notice closed in its toast is dismissed for good; a notice not yet read survives a reload', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'postbote-e2e-notice-'));
  const secrets = new MemorySecretStore('memory');
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await closedPort();
  const before = createServices({ dataDir, appVersion: '0.1.0-e2e', systemLanguage: 'de-DE', secrets });
  const account = await seedAccount(before, { address: 'erika@example.org', host: '127.0.0.1', port });
  const sendAt = Date.now() + 400;
  for (const subject of ['Einladung', 'Protokoll']) {
    await before.outbox.outbox.enqueue({ from: { address: 'erika@example.org' }, to: ['anna@example.org'], subject, text: 'Hallo\n' }, { accountId: account.id, sendAt });
  }
  await before.close();
  await new Promise((r) => setTimeout(r, Math.max(0, sendAt - Date.now()) + 200));

  const app = await suite.open({ dataDir, locale: 'de-DE', serviceOptions: { secrets } });
  const { page } = app;
  try {
    const text = '2 Nachrichten waren fällig, während Postbote geschlossen war; sie werden jetzt gesendet.';
    await page.locator('.toast', { hasText: text }).waitFor({ timeout: 15000 });
    // Not read yet: a reload (the window coming back) shows it again.
    await app.reload();
    const toast = page.locator('.toast', { hasText: text });
    await toast.waitFor({ timeout: 15000 });
    await toast.getByRole('button', { name: 'Schließen' }).click();
    await until(() => app.services.outbox.outbox.notices().length === 0, 'the notice dismissed in the outbox service');
    await app.reload();
    await page.locator('nav button[data-section="outbox"]').click();
    // Not sent yet (nobody listens on that port): marked overdue until it goes.
    for (const subject of ['Einladung', 'Protokoll']) {
      await page.locator('.outbox-item', { hasText: subject }).getByTestId('outbox-overdue').filter({ hasText: 'Überfällig' }).waitFor();
    }
    await app.screenshot('outbox-overdue-deferred-de-light');
    assert.equal(await page.getByTestId('outbox-notice').count(), 0);
    assert.equal(await page.locator('.toast', { hasText: text }).count(), 0);
  } finally {
    await app.close();
  }
});

test('attempts are counted in words: "1 Versuch", "2 Versuche" / "1 attempt", "2 attempts"', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const port = await closedPort();
  for (const [locale, one, two, sendNow] of [['de-DE', '1 Versuch', '2 Versuche', 'Jetzt senden'], ['en-GB', '1 attempt', '2 attempts', 'Send now']] as const) {
    const app = await suite.open({ locale, serviceOptions: { secrets: new MemorySecretStore('memory') } });
    const { page } = app;
    try {
      await app.services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
      const account = await seedAccount(app.services, { address: 'erika@example.org', host: '127.0.0.1', port });
      await app.services.outbox.outbox.enqueue({ from: { address: 'erika@example.org' }, to: ['anna@example.org'], subject: 'Zählen', text: 'x\n' }, { accountId: account.id });
      await page.locator('nav button[data-section="outbox"]').click();
      const item = page.locator('.outbox-item', { hasText: 'Zählen' });
      await item.getByText(one, { exact: true }).waitFor({ timeout: 15000 });
      await until(async () => (await item.getAttribute('data-state')) === 'deferred', 'deferred after the refused connection');
      await item.getByRole('button', { name: sendNow }).click();
      await item.getByText(two, { exact: true }).waitFor({ timeout: 15000 });
    } finally {
      await app.close();
    }
  }
});

test('some recipients accepted, one refused for now: the entry says who has it and who is tried again, and "Send now" goes to that one alone', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const answers: Record<string, string> = { 'carol@example.org': '451 4.2.1 mailbox busy, try again later' };
  const { srv, transactions } = await startRecipientServer(answers);
  t.after(() => srv.close());
  const app = await suite.open({ locale: 'en-GB', serviceOptions: { secrets: new MemorySecretStore('memory') } });
  const { page } = app;
  try {
    await app.services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    // A plaintext server on loopback (the scripted one offers no STARTTLS), stored as the app stores accounts.
    const account = createRepositories(app.services.db).accounts.create({
      displayName: 'Erika', address: 'erika@example.org', host: '127.0.0.1', port: srv.port, security: 'none', allowInsecureAuthOnLoopback: true,
    });
    await page.locator('nav button[data-section="outbox"]').click();
    const s = await app.services.outbox.outbox.enqueue({ from: { address: 'erika@example.org' }, to: ['bob@example.org', 'carol@example.org'], subject: 'Agenda', text: 'Hi\n' }, { accountId: account.id });
    await page.locator('.toast', { hasText: 'Sent to some, the others later: Agenda' }).waitFor({ timeout: 15000 });
    const item = page.locator('.outbox-item', { hasText: 'Agenda' });
    await until(async () => (await item.getAttribute('data-state')) === 'deferred', 'deferred for carol');
    await item.getByTestId('delivered').filter({ hasText: 'The server took it for bob@example.org.' }).waitFor();
    await item.getByTestId('retrying').filter({ hasText: 'The server refused carol@example.org for now; Postbote tries again for them only.' }).waitFor();
    // Bob has it: it cannot go back to the editor.
    assert.equal(await item.getByRole('button', { name: 'Edit' }).count(), 0);
    await app.screenshot('outbox-partly-delivered-en-light');
    const violations = await seriousAxeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));

    answers['carol@example.org'] = '250 2.1.5 ok';
    await item.getByRole('button', { name: 'Send now' }).click();
    await until(async () => (await item.getAttribute('data-state')) === 'sent', 'sent to carol too');
    assert.deepEqual(transactions.map((x) => x.recipients), [['bob@example.org', 'carol@example.org'], ['carol@example.org']]);
    assert.deepEqual(transactions.map((x) => x.messageId), [s.messageId, s.messageId]);
    assert.equal(await item.getByTestId('retrying').count(), 0);
  } finally {
    await app.close();
  }
});

test('after Cancel and Delete the keyboard keeps its place in the outbox (focus never falls back to the page)', async (t) => {
  if (skipUnless(t, suite.ready(), 'Chromium or the built renderer is missing')) return;
  const app = await suite.open({ locale: 'en-GB' });
  const { page, services } = app;
  try {
    const account = await seedAccount(services);
    for (const subject of ['First', 'Second']) {
      await services.outbox.outbox.enqueue({ from: { address: account.address }, to: ['bob@example.org'], subject, text: 'Later.\n' }, { accountId: account.id, sendAt: Date.now() + 3_600_000 });
    }
    await page.locator('nav button[data-section="outbox"]').click();
    const second = page.locator('.outbox-item', { hasText: 'Second' });
    await second.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.outbox-item[data-state="cancelled"]', { hasText: 'Second' }).waitFor();
    await until(async () => (await page.evaluate('document.activeElement?.textContent ?? ""')) === 'Edit', 'focus on the same message\'s first action');

    await page.keyboard.press('Tab'); // Edit → Delete
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Delete');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    await until(async () => (await page.locator('.outbox-item', { hasText: 'Second' }).count()) === 0, 'the message is gone');
    const focused = await until(async () => {
      const where = await page.evaluate(`(() => { const a = document.activeElement; return a && a !== document.body && a.closest('.outbox-list') ? a.closest('.outbox-item')?.getAttribute('aria-label') ?? 'list' : null; })()`) as string | null;
      return where;
    }, 'focus inside the outbox list');
    assert.equal(focused, 'First', 'the message now in its place has focus');
  } finally {
    await app.close();
  }
});
