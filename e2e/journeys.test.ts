/**
 * The journeys people take, in real Chromium against the real services and a real SMTP
 * server on loopback (the npm smtp-server, STARTTLS with a test CA that the account
 * trusts as its extra certificate): set up, write, send, follow it, find it in the log —
 * and the ways it can go wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { skipUnless } from '../main/testing/environment.js';
import { startTestSmtpServer, type TestSmtpServer } from '../main/testing/smtp-test-server.js';
import { describeViolations, seedAccount, seriousAxeViolations, until } from './fixtures.js';
import { useAppSuite, type AppPage } from './harness.js';

const suite = useAppSuite();
const ready = suite.ready;
const files = mkdtempSync(join(tmpdir(), 'postbote-e2e-files-'));


async function start(app: AppPage, undoSeconds: 0 | 5 = 0) {
  await app.services.service['settings.set']({ undoSendSeconds: undoSeconds, onlineIspLookup: false });
}

async function addRecipients(page: Page, text: string, field = 0) {
  await page.locator('.address-field input').nth(field).pressSequentially(text);
}

/** Records outbox events in the page, so the test can see what the UI was told. */
async function recordEvents(page: Page) {
  await page.evaluate(`(() => {
    window.__events = [];
    for (const name of ['outbox.progress', 'outbox.outcome']) window.postbote.on(name, (p) => window.__events.push({ name, p }));
  })()`);
}
const events = (page: Page) => page.evaluate('window.__events') as Promise<Array<{ name: string; p: Record<string, unknown> }>>;

async function axe(app: AppPage, name: string) {
  const v = await seriousAxeViolations(app.page);
  assert.deepEqual(v, [], `${name}: ${describeViolations(v)}`);
}

test('the whole journey: wizard, compose to three recipients with an attachment, send, progress, sent, send log, arrived intact', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv: TestSmtpServer = await startTestSmtpServer({ users: { alice: 'correct horse' } });
  const app = await suite.open({ locale: 'en-GB' });
  const { page } = app;
  try {
    await start(app);
    // Set up through the wizard.
    await page.locator('nav button[data-section="accounts"]').click();
    await page.getByLabel('Your name').fill('Alice Example');
    await page.getByLabel('E-mail address').fill('alice@postbote.test');
    await page.getByLabel('Password', { exact: true }).fill('correct horse');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('textbox', { name: 'Server', exact: true }).waitFor({ timeout: 20000 });
    await app.screenshot('journey-wizard-manual-en-light');
    await page.getByRole('textbox', { name: 'Server', exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(srv.port));
    await page.getByLabel('Encryption').selectOption('starttls');
    await page.getByLabel('Port').fill(String(srv.port));
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Additional trusted certificate (optional)').fill(srv.caPem);
    await axe(app, 'wizard-review');
    await page.getByRole('button', { name: 'Test and save' }).click();
    await page.locator('.account-card').waitFor({ timeout: 20000 });
    await page.getByText('alice@postbote.test is ready').waitFor();
    await app.screenshot('journey-account-saved-en-light');
    const [account] = await app.services.service['accounts.list']();
    assert.equal(account?.host, '127.0.0.1');
    assert.equal(account?.hasSecret, true);

    // Write.
    await page.locator('nav button[data-section="compose"]').click();
    await addRecipients(page, 'bob@example.org, Carla Ćosić <carla@example.net>, dave@example.com,');
    assert.equal(await page.locator('.chip').count(), 3);
    await page.getByLabel('Subject').fill('Grüße aus Köln – Übergabe für Jürgen');
    await page.locator('textarea.body-editor').fill('Hallo zusammen,\n\nanbei die Übergabe.\n');
    const attachment = randomBytes(150_000);
    const path = join(files, 'Übergabe-Protokoll.pdf');
    writeFileSync(path, attachment);
    await page.locator('input[type="file"]').setInputFiles(path);
    await page.locator('.attachment:not(.attachment--pending)').filter({ hasText: 'Übergabe-Protokoll.pdf' }).waitFor();
    assert.match(await page.locator('.attachment').innerText(), /146\.5 KB/);
    await app.screenshot('journey-compose-ready-en-light');
    await axe(app, 'compose');
    await recordEvents(page);

    // Send with the keyboard shortcut.
    await page.locator('textarea.body-editor').press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Sent: Grüße aus Köln' }).waitFor({ timeout: 30000 });
    await app.screenshot('journey-sent-toast-en-light');
    const seen = await events(page);
    const progress = seen.filter((e) => e.name === 'outbox.progress');
    assert.ok(progress.some((e) => e.p.phase === 'data' && Number(e.p.totalBytes) > attachment.length), 'the UI followed the send into DATA with its size');
    assert.equal(seen.find((e) => e.name === 'outbox.outcome')?.p.state, 'sent');
    await page.locator('nav button[data-section="outbox"]').click();
    await page.locator('.outbox-item[data-state="sent"]').waitFor();
    assert.equal(await page.locator('.outbox-item [data-testid="outbox-state"]').first().innerText(), 'Sent');
    await app.screenshot('journey-outbox-sent-en-light');
    await axe(app, 'outbox');

    // The send log: entry, transcript, per-recipient results.
    await page.locator('nav button[data-section="log"]').click();
    await page.locator('.log-row').filter({ hasText: 'Grüße aus Köln' }).click();
    await page.locator('.transcript').waitFor();
    assert.equal(await page.locator('.results tbody tr').count(), 3);
    assert.equal(await page.locator('.results .badge--success').count(), 3);
    assert.ok(await page.locator('.transcript__line--C').count() > 3);
    assert.ok(await page.locator('.transcript__line--S').count() > 3);
    assert.doesNotMatch(await page.locator('.transcript').innerText(), /correct horse/);
    await app.screenshot('journey-log-detail-en-light');
    await axe(app, 'log');

    // Who was written to comes back as a suggestion.
    await page.locator('nav button[data-section="compose"]').click();
    await page.locator('.address-field input').first().pressSequentially('Car');
    const option = page.getByRole('option', { name: /Carla/ });
    await option.waitFor();
    await app.screenshot('journey-suggestion-en-light');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('.chip').first().innerText(), /carla@example\.net/);

    // It arrived, attachment intact.
    const received = await until(() => srv.messages[0], 'the message at the server');
    assert.ok(received);
    assert.deepEqual([...received.to].sort(), ['bob@example.org', 'carla@example.net', 'dave@example.com']);
    const parsed = await simpleParser(received.raw);
    assert.equal(parsed.subject, 'Grüße aus Köln – Übergabe für Jürgen');
    assert.equal(parsed.attachments.length, 1);
    assert.equal(parsed.attachments[0]?.filename, 'Übergabe-Protokoll.pdf');
    assert.ok(parsed.attachments[0]?.content.equals(attachment), 'attachment bytes are identical');
  } finally {
    await app.close();
    await srv.close();
  }
});

test('wrong password: the German explanation with the provider hint, and the message stays in the outbox', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'correct horse' } });
  const app = await suite.open({ locale: 'de-DE' });
  const { page } = app;
  try {
    await start(app);
    await seedAccount(app.services, { address: 'alice@gmail.com', username: 'alice', password: 'wrong', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem, providerId: 'gmail' });
    await app.reload();
    // The accounts list's connection test explains the failure as the outbox does, with Gmail's hint.
    await page.locator('nav button[data-section="accounts"]').click();
    await page.getByRole('button', { name: 'Verbindung testen' }).click();
    const testResult = page.locator('.account-card__test .explanation');
    await testResult.waitFor({ timeout: 20000 });
    const testText = await testResult.innerText();
    assert.match(testText, /Gmail/, 'the test result names the provider');
    assert.match(testText, /App-Passwort/i, 'and says what Gmail needs');
    assert.match(testText, /Was Sie tun können/);
    await app.screenshot('journey-accounts-test-failed-de-light');
    await axe(app, 'accounts-test-failed');
    await page.locator('nav button[data-section="compose"]').click();
    await addRecipients(page, 'bob@example.org,');
    await page.getByLabel('Betreff').fill('Wichtig: Termin');
    await page.getByRole('button', { name: 'Senden', exact: true }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Nicht gesendet: Wichtig: Termin' });
    await toast.waitFor({ timeout: 30000 });
    await page.locator('nav button[data-section="outbox"]').click();
    const item = page.locator('.outbox-item').filter({ hasText: 'Wichtig: Termin' });
    await item.locator('.explanation').waitFor();
    const text = await item.innerText();
    assert.match(text, /Nicht gesendet/);
    assert.match(text, /Gmail/, 'the provider hint names Gmail');
    assert.match(text, /App-Passwort/i, 'the hint says what Gmail needs');
    await app.screenshot('journey-wrong-password-de-light');
    await axe(app, 'outbox-failed');
    const entries = await app.services.service['outbox.list'](undefined);
    assert.equal(entries.length, 1, 'nothing is lost');
    assert.equal(srv.messages.length, 0);
  } finally {
    await app.close();
    await srv.close();
  }
});

test('a refused recipient shows a partial success naming that recipient', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'pw' }, rejectRecipients: ['niemand@example.org'] });
  const app = await suite.open({ locale: 'de-DE', colorScheme: 'dark' });
  const { page } = app;
  try {
    await start(app);
    await seedAccount(app.services, { address: 'alice@postbote.test', username: 'alice', password: 'pw', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem });
    await app.reload();
    await page.locator('nav button[data-section="compose"]').click();
    await addRecipients(page, 'bob@example.org, niemand@example.org,');
    await page.getByLabel('Betreff').fill('Einladung');
    await page.locator('textarea.body-editor').press('Control+Enter');
    const toast = page.locator('.toast').filter({ hasText: 'Gesendet, aber nicht an alle: Einladung' });
    await toast.waitFor({ timeout: 30000 });
    assert.match(await toast.innerText(), /niemand@example\.org/);
    await app.screenshot('journey-partial-toast-de-dark');
    await page.locator('nav button[data-section="log"]').click();
    await page.locator('.log-row').first().click();
    await page.locator('.results').waitFor();
    const refused = page.locator('.results__refused');
    assert.equal(await refused.count(), 1);
    assert.match(await refused.innerText(), /niemand@example\.org/);
    assert.match(await page.locator('.log-detail .explanation').innerText(), /niemand@example\.org/);
    await app.screenshot('journey-partial-log-de-dark');
    await until(() => srv.messages.length === 1, 'delivery to the accepted recipient');
    assert.deepEqual(srv.messages[0]?.to, ['bob@example.org']);
  } finally {
    await app.close();
    await srv.close();
  }
});

test('a message over the server SIZE limit is stopped before sending, saying the sizes', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'pw' }, size: 100_000 });
  const app = await suite.open({ locale: 'de-DE' });
  const { page } = app;
  try {
    await start(app);
    await seedAccount(app.services, { address: 'alice@postbote.test', username: 'alice', password: 'pw', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem });
    await app.reload();
    // The connection test learns the server's SIZE limit.
    await page.locator('nav button[data-section="accounts"]').click();
    await page.getByRole('button', { name: 'Verbindung testen' }).click();
    await page.locator('.toast').filter({ hasText: 'funktioniert' }).waitFor({ timeout: 20000 });
    // … and keeps it on the account, not in the window's storage.
    await page.getByTestId('account-learnt').filter({ hasText: '97,7 KB' }).waitFor();
    assert.equal((await app.services.service['accounts.list']())[0]?.learnt?.sizeLimit, 100_000);
    assert.equal(await page.evaluate('Object.keys(localStorage).filter((k) => k.startsWith("postbote.sizeLimit")).length'), 0);
    await page.locator('nav button[data-section="compose"]').click();
    // The accounts screen's "works" toast does not follow onto compose, where it would cover the size warning.
    await page.locator('.toast').filter({ hasText: 'funktioniert' }).waitFor({ state: 'detached', timeout: 2000 });
    await addRecipients(page, 'bob@example.org,');
    await page.getByLabel('Betreff').fill('Große Datei');
    // Dropped onto the message, as from a file manager.
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(120000).fill(7)], 'video.bin', { type: 'application/octet-stream' }));
      const target = document.querySelector('form.compose');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await page.locator('.attachment:not(.attachment--pending)').filter({ hasText: 'video.bin' }).waitFor();
    const warning = page.locator('.attachments .field-error');
    await warning.waitFor();
    assert.match(await warning.innerText(), /etwa 16\d,\d KB.*höchstens 97,7 KB/);
    await page.getByRole('button', { name: 'Senden', exact: true }).click();
    await page.locator('.compose .banner--error').filter({ hasText: 'zu groß' }).waitFor();
    assert.equal(await page.locator('.attachments .field-error').count(), 0, 'said once, not twice');
    await app.screenshot('journey-too-large-de-light');
    assert.equal((await app.services.service['outbox.list'](undefined)).length, 0, 'nothing was queued');
    assert.equal(srv.messages.length, 0);
  } finally {
    await app.close();
    await srv.close();
  }
});

test('keyboard only: compose, send with undo, find it in the log', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'pw' } });
  const app = await suite.open({ locale: 'en-GB', colorScheme: 'dark' });
  const { page } = app;
  try {
    await start(app, 5);
    await seedAccount(app.services, { address: 'alice@postbote.test', username: 'alice', password: 'pw', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem });
    await app.reload();
    const kb = page.keyboard;
    await kb.press('Control+1');
    await page.locator('.address-field input').first().waitFor();
    // The To field has focus on arrival.
    await kb.type('bob@example.org');
    await kb.press('Enter');
    await kb.press('Tab'); // Cc/Bcc
    await kb.press('Tab'); // Subject
    await kb.type('Keyboard only');
    await kb.press('Tab'); // Plain text
    await kb.press('Tab'); // Formatted
    await kb.press('Tab'); // body
    await kb.type('Typed without a mouse.');
    await kb.press('Control+Enter');
    const undoToast = page.locator('.toast').filter({ hasText: 'Sending in 5 seconds' });
    await undoToast.waitFor();
    // Undo with the keyboard: the toast's button is reachable… and the message comes back.
    await undoToast.getByRole('button', { name: 'Undo' }).focus();
    await kb.press('Enter');
    await page.locator('.toast').filter({ hasText: 'Sending undone' }).waitFor();
    assert.equal(await page.getByLabel('Subject').inputValue(), 'Keyboard only');
    await page.locator('textarea.body-editor').focus();
    await kb.press('Control+Enter');
    await page.locator('.toast').filter({ hasText: 'Sent: Keyboard only' }).waitFor({ timeout: 30000 });
    await kb.press('Control+3');
    await page.locator('.log-row').first().waitFor();
    await page.locator('[role="listbox"][aria-label="Send log entries"]').focus();
    await kb.press('Home');
    await kb.press('Enter');
    await page.locator('.transcript').waitFor();
    assert.match(await page.locator('.log-detail h2').innerText(), /Keyboard only/);
    await app.screenshot('journey-keyboard-log-en-dark');
    assert.equal(srv.messages.length, 1);
  } finally {
    await app.close();
    await srv.close();
  }
});

test('the wizard saves only a working account: wrong password shown on the step list, then fixed; delete asks first', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'richtig' } });
  const app = await suite.open({ locale: 'de-DE' });
  const { page } = app;
  try {
    await start(app);
    await page.locator('nav button[data-section="accounts"]').click();
    await page.getByLabel('Ihr Name').fill('Alice');
    await page.getByLabel('E-Mail-Adresse').fill('alice@postbote.test');
    await page.getByLabel('Passwort', { exact: true }).fill('falsch');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Server', exact: true }).waitFor({ timeout: 20000 });
    await page.getByRole('textbox', { name: 'Server', exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(srv.port));
    await page.getByLabel('Benutzername').fill('alice');
    await page.getByLabel('Zusätzliches vertrauenswürdiges Zertifikat (optional)').fill(srv.caPem);
    await page.getByRole('button', { name: 'Testen und speichern' }).click();
    await page.locator('.step[data-step="auth"][data-state="failed"]').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.step[data-step="connect"]').getAttribute('data-state'), 'done');
    assert.equal(await page.locator('.step[data-step="tls"]').getAttribute('data-state'), 'done');
    const wizardExplanation = await page.locator('.wizard .explanation').innerText();
    assert.match(wizardExplanation, /Passwort nicht akzeptiert/, 'the explainer\'s words, in German');
    assert.match(wizardExplanation, /Was Sie tun können/, 'with what to do');
    assert.doesNotMatch(wizardExplanation, /Proton/, 'a local test server is not taken for a provider\'s bridge');
    await app.screenshot('journey-wizard-wrong-password-de-light');
    await axe(app, 'wizard-failed');
    assert.equal((await app.services.service['accounts.list']()).length, 0, 'a failing account is not saved');

    // Back to the first step for the right password; the server settings are found again.
    await page.getByRole('button', { name: 'Adresse ändern' }).click();
    await page.getByLabel('Passwort', { exact: true }).fill('richtig');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByRole('textbox', { name: 'Server', exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(srv.port));
    await page.getByLabel('Benutzername').fill('alice');
    await page.getByLabel('Zusätzliches vertrauenswürdiges Zertifikat (optional)').fill(srv.caPem);
    await page.getByRole('button', { name: 'Testen und speichern' }).click();
    await page.locator('.account-card').waitFor({ timeout: 20000 });

    await page.getByRole('button', { name: 'Löschen' }).click();
    const dialog = page.getByRole('dialog', { name: 'alice@postbote.test löschen?' });
    await dialog.waitFor();
    await app.screenshot('journey-delete-confirm-de-light');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    assert.equal((await app.services.service['accounts.list']()).length, 1, 'cancel keeps the account');
    await page.getByRole('button', { name: 'Löschen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Löschen' }).click();
    await page.locator('.toast').filter({ hasText: 'wurde entfernt' }).waitFor();
    assert.equal((await app.services.service['accounts.list']()).length, 0);
  } finally {
    await app.close();
    await srv.close();
  }
});
