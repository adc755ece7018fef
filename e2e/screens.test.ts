/**
 * Every screen in both languages and both themes: screenshots for people to look at, and
 * axe-core on each screen with no serious or critical violations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../main/testing/environment.js';
import { createSendLogRepository } from '../main/store/sendlog.js';
import { describeViolations, gmailSignInRefusedEntry, seedAccount, seedLog, seriousAxeViolations, assertNoPageErrors } from './fixtures.js';
import { useAppSuite, type AppPage } from './harness.js';

const suite = useAppSuite();
const ready = suite.ready;


async function check(app: AppPage, name: string, found: string[]) {
  await app.page.waitForTimeout(150);
  await app.screenshot(name);
  const violations = await seriousAxeViolations(app.page);
  if (violations.length > 0) found.push(`${name}:\n${describeViolations(violations)}`);
}

for (const lang of ['de', 'en'] as const) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`every screen in ${lang} (${colorScheme}): screenshots and axe`, async (t) => {
      if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
      const app = await suite.open({ locale: lang === 'de' ? 'de-DE' : 'en-GB', colorScheme });
      const found: string[] = [];
      const tag = `${lang}-${colorScheme}`;
      const { page } = app;
      try {
        await app.reload(); // with the error watch from the first paint on
        // An empty send log: the list says so, the detail pane does not ask to pick an entry.
        await page.locator('nav button[data-section="log"]').click();
        await page.locator('.log-list .empty').waitFor();
        const emptyDetail = await page.locator('.log-detail').innerText();
        assert.doesNotMatch(emptyDetail, lang === 'de' ? /Wählen Sie einen Eintrag/ : /Pick an entry/);
        assert.match(emptyDetail, lang === 'de' ? /Hier steht zu jedem Eintrag/ : /Here each entry shows/);
        await check(app, `log-empty-${tag}`, found);

        // First run: no account yet → the wizard.
        await page.locator('nav button[data-section="accounts"]').click();
        await page.locator('.wizard').first().waitFor();
        await page.locator('input[type="email"]').fill('erika.mustermann@gmail.com');
        await page.locator('input[type="password"]').fill('app-passwort');
        await check(app, `wizard-start-${tag}`, found);
        await page.locator('form.wizard button[type="submit"]').click();
        await page.locator('.provider__name').waitFor({ timeout: 20000 });
        await check(app, `wizard-provider-${tag}`, found);
        await page.locator('nav button[data-section="compose"]').click();
        await page.locator('.empty').waitFor();
        await check(app, `compose-no-account-${tag}`, found);

        const account = await seedAccount(app.services, { signature: lang === 'de' ? 'Viele Grüße\nErika' : 'Best regards,\nErika' });
        await seedAccount(app.services, { address: 'erika.m@firma.example', displayName: 'Erika M. (Firma)', host: 'mail.firma.example', port: 465 });
        seedLog(app.services, 240, account.id);
        // Older than the rest: a sign-in Gmail refused, whose explanation links Gmail's help page.
        const gmailSubject = lang === 'de' ? 'Anmeldung bei Gmail abgelehnt' : 'Gmail refused the sign-in';
        createSendLogRepository(app.services.db).append(gmailSignInRefusedEntry(null, Date.now() - 300 * 60_000, gmailSubject));
        await app.services.service['drafts.save']({ draft: { accountId: account.id, to: ['anna@example.org'], cc: [], bcc: [], subject: lang === 'de' ? 'Angebot für den Sommer' : 'Summer offer', mode: 'plain', text: 'Hallo Anna,\n\nanbei…', html: '', attachments: [] } });
        await app.reload();

        await page.locator('nav button[data-section="compose"]').click();
        await page.locator('form.compose').waitFor();
        const to = page.locator('.address-field input').first();
        await to.pressSequentially('anna@example.org,Ben Becker <ben@example.net>,kaputt@,');
        await page.locator('.compose input[type="text"]').last().fill(lang === 'de' ? 'Grüße aus Köln – Übergabe' : 'Handover from Cologne');
        await page.locator('textarea.body-editor').click();
        await page.keyboard.press('Control+Home');
        await page.keyboard.type(lang === 'de' ? 'Hallo zusammen,\n\nhier die Unterlagen.' : 'Hi all,\n\nhere are the documents.');
        await check(app, `compose-${tag}`, found);
        await page.getByRole('radio', { name: lang === 'de' ? 'Formatiert' : 'Formatted' }).click();
        await page.locator('.rich-editor__body').waitFor();
        await page.getByRole('button', { name: lang === 'de' ? 'Später senden' : 'Send later' }).click();
        await page.locator('.popover').waitFor();
        // The picker speaks the person's date and time format, not the browser's.
        const laterDate = page.getByLabel(lang === 'de' ? 'Datum' : 'Date', { exact: true });
        const laterTime = page.getByLabel(lang === 'de' ? 'Uhrzeit' : 'Time', { exact: true });
        assert.equal(await laterDate.getAttribute('placeholder'), lang === 'de' ? 'TT.MM.JJJJ' : 'DD/MM/YYYY');
        assert.equal(await laterTime.getAttribute('placeholder'), 'HH:MM', 'German and British English read the 24-hour clock');
        assert.equal(await page.locator('.popover input[type="datetime-local"]').count(), 0);
        const choiceTimes = await page.locator('.popover__item .muted').allInnerTexts();
        assert.equal(new Set(choiceTimes).size, choiceTimes.length, `no two quick choices at the same moment: ${choiceTimes.join(' | ')}`);
        await check(app, `compose-send-later-${tag}`, found);
        await page.keyboard.press('Escape');
        await page.locator('button[aria-controls="drafts-panel"]').click();
        await page.locator('#drafts-panel').waitFor();
        await check(app, `compose-rich-drafts-${tag}`, found);

        await page.locator('nav button[data-section="outbox"]').click();
        await page.locator('main h1').waitFor();
        await check(app, `outbox-empty-${tag}`, found);
        // Entries in every state the screen distinguishes, as the outbox reports them.
        const base = { accountId: account.id, from: account.address, messageId: null, firstAttemptAt: null, overdue: false, offline: false, lastError: null, explanation: null, results: [] };
        const now = Date.now();
        const shown = [
          { ...base, id: 'o1', state: 'sending' as const, subject: lang === 'de' ? 'Präsentation mit Video' : 'Slides with video', recipients: ['anna@example.org', 'ben@example.net'], size: 18_400_000, createdAt: now - 60_000, updatedAt: now, nextAttemptAt: null, attemptCount: 1 },
          { ...base, id: 'o2', state: 'deferred' as const, subject: lang === 'de' ? 'Protokoll der Sitzung' : 'Minutes', recipients: ['chris@firma.example'], size: 24_000, createdAt: now - 3_600_000, updatedAt: now, nextAttemptAt: now + 600_000, attemptCount: 2 },
          { ...base, id: 'o3', state: 'unconfirmed' as const, subject: lang === 'de' ? 'Rechnung März' : 'Invoice March', recipients: ['dora@example.com'], size: 81_000, createdAt: now - 7_200_000, updatedAt: now, nextAttemptAt: null, attemptCount: 1 },
          { ...base, id: 'o4', state: 'scheduled' as const, subject: lang === 'de' ? 'Geburtstagsgrüße' : 'Happy birthday', recipients: ['emil@verein.example'], size: 3_000, createdAt: now - 100_000, updatedAt: now, nextAttemptAt: now + 86_400_000, attemptCount: 0 },
        ];
        for (const entry of shown) app.services.events.emit('outbox.changed', { id: entry.id, entry });
        app.services.events.emit('outbox.progress', { id: 'o1', accountId: account.id, phase: 'data', bytesSent: 7_300_000, totalBytes: 18_400_000 });
        await page.locator('.progress').waitFor();
        await check(app, `outbox-${tag}`, found);

        await page.locator('nav button[data-section="log"]').click();
        await page.locator('.log-row').first().waitFor();
        await page.locator('.log-row').nth(3).click();
        await page.locator('.transcript').waitFor();
        // A delayed entry opens with its explanation, then the recipients' replies.
        await page.locator('.log-detail .explanation').waitFor();
        assert.match(await page.locator('.log-detail .badge').first().innerText(), lang === 'de' ? /Verzögert/ : /Delayed/);
        const replies = await page.locator('.log-detail .results').innerText();
        assert.match(replies, /451 4\.7\.1/);
        assert.match(replies, lang === 'de' ? /Zurückgestellt/ : /Postponed/, 'a 4xx reply turns a recipient away for now, it does not refuse it');
        // The sharing tools have their own place: they do not cover the status badge.
        const badgeBox = await page.locator('.log-detail__bar .badge').boundingBox();
        const toolsBox = await page.locator('.log-detail__tools').boundingBox();
        assert.ok(badgeBox && toolsBox, 'badge and tools are shown');
        const overlap = badgeBox.x < toolsBox.x + toolsBox.width && toolsBox.x < badgeBox.x + badgeBox.width
          && badgeBox.y < toolsBox.y + toolsBox.height && toolsBox.y < badgeBox.y + badgeBox.height;
        assert.equal(overlap, false, `the tools (${JSON.stringify(toolsBox)}) do not overlap the badge (${JSON.stringify(badgeBox)})`);
        await check(app, `log-${tag}`, found);
        // Every failing kind the list shows opens explanation first.
        for (const [status, count] of [['failed', 31], ['unconfirmed', 30], ['sentWithWarnings', 30]] as const) {
          await page.getByLabel('Status').selectOption(status);
          await page.locator('.log-list__count').filter({ hasText: new RegExp(`^${count} `) }).waitFor();
          await page.locator('.log-row').first().click();
          await page.locator('.log-detail .explanation').waitFor();
          const first = await page.locator('.log-detail__inner > *').evaluateAll((nodes) => nodes.map((n) => n.className));
          assert.ok(first[1]?.includes('explanation'), `${status}: the explanation comes right after the heading (${first.join(', ')})`);
          if (status === 'failed') await check(app, `log-failed-${tag}`, found);
        }
        await page.getByLabel('Status').selectOption('');

        // A web address in an explanation is a link that opens outside the app.
        await page.locator('input[type="search"]').fill(gmailSubject);
        await page.locator('.log-list__count').filter({ hasText: /^1 / }).waitFor();
        await page.locator('.log-row').first().click();
        const help = page.locator('.log-detail .explanation__actions a[href="https://support.google.com/accounts/answer/185833"]');
        await help.waitFor();
        assert.equal(await help.getAttribute('target'), '_blank');
        assert.equal(await help.getAttribute('rel'), 'noreferrer');
        assert.match(await page.locator('.log-detail .explanation__actions').innerText(), /app[- ]?passwor/i);
        await check(app, `log-explanation-link-${tag}`, found);
        await page.locator('input[type="search"]').fill('');
        await page.locator('.log-list__count').filter({ hasText: /^241 / }).waitFor();
        // Full-text search and the status filter narrow the list.
        await page.locator('input[type="search"]').fill('Rechnung');
        await page.locator('.log-list__count').filter({ hasText: /^30 / }).waitFor();
        for (const subject of await page.locator('.log-row__subject').allInnerTexts()) assert.match(subject, /Rechnung/);
        await page.getByLabel('Status').selectOption('sentWithWarnings');
        await page.locator('.log-list__count').filter({ hasText: /^30 / }).waitFor();
        await page.locator('input[type="search"]').fill('');
        await page.locator('.log-list__count').filter({ hasText: /^30 / }).waitFor();
        await check(app, `log-filtered-${tag}`, found);
        await page.getByLabel('Status').selectOption('');

        // Date filters in the person's language, typed or stepped with the arrow keys.
        const fromDate = page.getByLabel(lang === 'de' ? 'Ab Datum' : 'From date');
        assert.equal(await fromDate.getAttribute('placeholder'), lang === 'de' ? 'TT.MM.JJJJ' : 'DD/MM/YYYY');
        const day = (offset: number) => { const d = new Date(); d.setDate(d.getDate() + offset); return d; };
        const typed = (d: Date) => new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
        await fromDate.fill(typed(day(1)));
        await page.locator('.log-list .empty').waitFor();
        await fromDate.press('ArrowDown');
        await fromDate.press('ArrowDown');
        assert.equal(await fromDate.inputValue(), typed(day(-1)), 'two days back, shown as the person writes dates');
        await page.locator('.log-list__count').filter({ hasText: /^241 / }).waitFor();
        await fromDate.fill(lang === 'de' ? '31.02.2025' : '31/02/2025');
        await fromDate.press('Tab');
        const dateError = page.locator('.date-error');
        await dateError.waitFor();
        assert.match(await dateError.innerText(), lang === 'de' ? /TT\.MM\.JJJJ/ : /DD\/MM\/YYYY/);
        assert.equal(await fromDate.getAttribute('aria-invalid'), 'true');
        await page.locator('.log-list__count').filter({ hasText: /^241 / }).waitFor(); // the last good date still filters
        await check(app, `log-date-invalid-${tag}`, found);
        await fromDate.fill('');
        await fromDate.press('Tab');
        assert.equal(await dateError.count(), 0);

        await page.locator('nav button[data-section="accounts"]').click();
        await page.locator('.account-card').first().waitFor();
        await check(app, `accounts-${tag}`, found);
        await page.locator('.account-card').first().getByRole('button', { name: lang === 'de' ? 'Bearbeiten' : 'Edit' }).click();
        await page.locator('.account-editor').waitFor();
        await check(app, `accounts-edit-${tag}`, found);
        await page.locator('.account-card').nth(1).getByRole('button', { name: lang === 'de' ? 'Löschen' : 'Delete' }).click();
        await page.locator('dialog[open]').waitFor();
        await check(app, `accounts-delete-confirm-${tag}`, found);
        await page.keyboard.press('Escape');

        await page.locator('nav button[data-section="settings"]').click();
        await page.locator('main h1').waitFor();
        // The keychain by the name the system gives it, not the library's.
        const backend = await page.getByTestId('secret-backend').innerText();
        if (process.platform === 'linux' && app.services.secrets.backend === 'keytar') {
          assert.equal(backend, lang === 'de' ? 'GNOME-Schlüsselbund / Secret Service' : 'GNOME Keyring / Secret Service');
        }
        assert.doesNotMatch(backend, /keytar/);
        await check(app, `settings-${tag}`, found);

        assert.deepEqual(found, [], found.join('\n\n'));
        assertNoPageErrors(app, `every screen in ${tag}`);
      } finally {
        await app.close();
      }
    });
  }
}
