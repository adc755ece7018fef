/**
 * Sender identities in real Chromium against the real services and a real SMTP server on
 * loopback: an identity is added in the account's edit area (by keyboard, then by mouse: a
 * refusal at its field, an edit, a removal after a confirmation), chosen under From in
 * compose, and the message arrives with the identity's From, Reply-To and envelope sender.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Page } from 'playwright-core';
import { skipUnless } from '../main/testing/environment.js';
import { startTestSmtpServer } from '../main/testing/smtp-test-server.js';
import { describeViolations, seedAccount, seriousAxeViolations, until, assertNoPageErrors } from './fixtures.js';
import { useAppSuite, type AppPage } from './harness.js';

const suite = useAppSuite();
const ready = suite.ready;

async function axe(app: AppPage, name: string) {
  const v = await seriousAxeViolations(app.page);
  assert.deepEqual(v, [], `${name}: ${describeViolations(v)}`);
}

/** The focused element as a person would name it: its label (else its text), and the tag. */
const focused = (page: Page): Promise<{ tag: string; name: string }> => page.evaluate(`(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', name: '' };
  const label = el.getAttribute('aria-label') ?? (el.labels && el.labels[0] ? el.labels[0].innerText : null);
  return { tag: el.tagName.toLowerCase(), name: (label ?? el.innerText ?? '').replace(/\\s+/g, ' ').trim() };
})()`) as Promise<{ tag: string; name: string }>;

async function expectFocus(page: Page, tag: string, name: string, step: string) {
  const got = await until(async () => { const f = await focused(page); return f.tag === tag && f.name === name ? f : null; }, `${step}: focus on ${tag} "${name}"`, 8000)
    .catch(async () => { throw new Error(`${step}: expected the focus on ${tag} "${name}", it is on ${JSON.stringify(await focused(page))}`); });
  assert.ok(got);
}

/** Tab until the focus reaches the element, as a keyboard user would (failing with the way it took). */
async function tabTo(page: Page, tag: string, name: string, step: string, max = 25) {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(`${f.tag}:${f.name.slice(0, 30)}`);
    if (f.tag === tag && f.name === name) return;
  }
  assert.fail(`${step}: ${name} not reached by Tab; the focus went ${path.join(' → ')}`);
}

const mailboxes = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.value.map((m) => ({ name: m.name, address: m.address ?? '' })));

/** The From select's groups and options as the person sees them. */
const fromList = (page: Page) => page.evaluate(`(() => {
  const select = document.querySelector('.compose__row select');
  return [...select.querySelectorAll('optgroup')].map((g) => ({ group: g.label, options: [...g.querySelectorAll('option')].map((o) => o.textContent) }));
})()`) as Promise<Array<{ group: string; options: string[] }>>;

/** The sender the From select shows now. */
const selectedFrom = (page: Page) =>
  page.evaluate(`document.querySelector('.compose__row select').selectedOptions[0]?.textContent ?? null`) as Promise<string | null>;

/** Closes the toasts (by their close buttons, as a person would) so that a screenshot shows what they covered. */
async function closeToasts(page: Page, closeLabel: string) {
  const close = page.locator('.toast').getByRole('button', { name: closeLabel });
  while (await close.count() > 0) await close.first().click();
}

/** The section at the top of the window, for its screenshot. */
const scrollToTop = (section: ReturnType<Page['locator']>) => section.evaluate((el) => el.scrollIntoView({ block: 'start' }));

/** A native select's list is not drawn in a headless screenshot: shown as an open list box for the picture only. */
async function screenshotFromList(app: AppPage, name: string) {
  const select = app.page.locator('.compose__row select');
  await select.evaluate((el) => { el.setAttribute('size', '6'); el.style.height = 'auto'; });
  await app.screenshot(name);
  await select.evaluate((el) => { el.removeAttribute('size'); el.style.height = ''; });
}

test('an identity added by keyboard and mouse, chosen under From, arrives with its From, Reply-To and envelope sender', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'pw' } });
  const app = await suite.open({ locale: 'en-GB' });
  const { page, services } = app;
  const kb = page.keyboard;
  try {
    await services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    await seedAccount(services, {
      displayName: 'Alice Example', address: 'alice@postbote.test', username: 'alice', password: 'pw', host: '127.0.0.1', port: srv.port,
      extraCaPem: srv.caPem, signature: 'Alice',
    });
    await app.reload();
    await page.locator('nav button[data-section="accounts"]').click();
    const card = page.locator('.account-card').filter({ hasText: 'alice@postbote.test' });
    await card.getByRole('button', { name: 'Edit', exact: true }).click();
    const identities = card.locator('section.identities');
    await identities.getByRole('heading', { name: 'Identities' }).waitFor();
    assert.match(await identities.locator('.identity-row--own').innerText(), /Alice Example <alice@postbote\.test>[\s\S]*Account’s own/);

    // By keyboard: from the account form's Save button on to "Add identity", Enter, the fields in turn.
    await card.getByRole('button', { name: 'Save', exact: true }).focus();
    await tabTo(page, 'button', 'Add identity', 'to Add identity');
    await kb.press('Enter');
    await expectFocus(page, 'input', 'Name', 'the new identity form opens on its name');
    await kb.type('Alice – Kasse');
    await kb.press('Tab');
    await expectFocus(page, 'input', 'E-mail address', 'address');
    await kb.type('kasse@verein');
    await kb.press('Enter');
    // Refused before anything is saved, at the field, which keeps the focus.
    const addressInput = identities.getByLabel('E-mail address', { exact: true });
    await identities.locator('.field-error').filter({ hasText: '“kasse@verein” is not a valid e-mail address' }).waitFor();
    assert.equal(await addressInput.getAttribute('aria-invalid'), 'true');
    await expectFocus(page, 'input', 'E-mail address', 'the refused field');
    await kb.type('.example');
    await kb.press('Tab');
    await expectFocus(page, 'input', 'Reply-to address (optional)', 'reply-to');
    await kb.type('vorstand@verein.example');
    await kb.press('Tab');
    await expectFocus(page, 'textarea', 'Signature (optional)', 'signature');
    await kb.type('Kassenwartin');
    await kb.press('Enter');
    await kb.type('Förderverein');
    await tabTo(page, 'button', 'Add identity', 'to the form\'s Add identity', 3);
    await kb.press('Enter');
    await page.locator('.toast').filter({ hasText: 'Identity Alice – Kasse <kasse@verein.example> added' }).waitFor();
    await expectFocus(page, 'button', 'Add identity', 'back on Add identity, ready for the next');
    const stored = (await services.service['accounts.list']())[0]?.identities ?? [];
    assert.deepEqual(stored.map(({ id: _id, ...rest }) => rest), [
      { name: 'Alice – Kasse', address: 'kasse@verein.example', replyTo: 'vorstand@verein.example', signature: 'Kassenwartin\nFörderverein' },
    ]);
    const row = identities.locator('.identity-row').filter({ hasText: 'kasse@verein.example' });
    assert.match(await row.innerText(), /Replies go to vorstand@verein\.example[\s\S]*Own signature/);

    // By mouse: the same sender again is refused in words; another one is added, edited, then removed after a confirmation.
    await identities.getByRole('button', { name: 'Add identity' }).click();
    const form = identities.getByRole('form', { name: 'New identity' });
    await form.getByLabel('Name', { exact: true }).fill('alice – kasse');
    await form.getByLabel('E-mail address', { exact: true }).fill('Kasse@Verein.example');
    await form.getByRole('button', { name: 'Add identity' }).click();
    await form.locator('.field-error').filter({ hasText: 'This account already has the sender alice – kasse <Kasse@Verein.example>.' }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Support');
    await form.getByLabel('E-mail address', { exact: true }).fill('support@postbote.test');
    await form.getByRole('button', { name: 'Add identity' }).click();
    const support = identities.locator('.identity-row').filter({ hasText: 'support@postbote.test' });
    await support.waitFor();
    await support.getByRole('button', { name: 'Edit' }).click();
    const editForm = identities.getByRole('form', { name: 'Edit identity Support <support@postbote.test>' });
    await editForm.getByLabel('Name', { exact: true }).fill('Alice (Support)');
    await editForm.getByRole('button', { name: 'Save identity' }).click();
    await identities.locator('.identity-row').filter({ hasText: 'Alice (Support) <support@postbote.test>' }).waitFor();
    await closeToasts(page, 'Close');
    await scrollToTop(identities);
    await app.screenshot('identities-accounts-edit-en-light');
    await axe(app, 'accounts edit area with identities');
    await identities.locator('.identity-row').filter({ hasText: 'support@postbote.test' }).getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the identity Alice (Support) <support@postbote.test>?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await services.service['accounts.list']())[0]?.identities?.length, 2, 'Cancel removes nothing');
    await identities.locator('.identity-row').filter({ hasText: 'support@postbote.test' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.locator('.toast').filter({ hasText: 'Identity Alice (Support) <support@postbote.test> removed' }).waitFor();
    await identities.locator('.identity-row').filter({ hasText: 'support@postbote.test' }).waitFor({ state: 'detached' });
    await expectFocus(page, 'h3', 'Identities', 'after the removal, on the list\'s heading');
    assert.deepEqual((await services.service['accounts.list']())[0]?.identities?.map((i) => i.address), ['kasse@verein.example']);

    // Compose: every sender, grouped under its account; chosen by keyboard, with its signature.
    await page.locator('nav button[data-section="compose"]').click();
    await page.locator('.address-field input').first().waitFor();
    assert.deepEqual(await fromList(page), [{ group: 'alice@postbote.test', options: ['Alice Example <alice@postbote.test>', 'Alice – Kasse <kasse@verein.example>'] }]);
    const body = page.locator('textarea.body-editor');
    assert.match(await body.inputValue(), /-- \nAlice$/, 'the account\'s signature to begin with');
    await page.getByLabel('From', { exact: true }).focus();
    await kb.press('ArrowDown');
    await until(async () => (await body.inputValue()).endsWith('-- \nKassenwartin\nFörderverein'), 'the identity\'s signature in place of the account\'s');
    assert.doesNotMatch(await body.inputValue(), /\nAlice$/m);
    await page.locator('.address-field input').first().pressSequentially('bob@example.org,');
    await page.getByLabel('Subject').fill('Beitrag 2026');
    await body.focus();
    await kb.press('Control+Home');
    await kb.type('Hallo Bob, anbei die Rechnung.');
    await app.screenshot('identities-compose-from-en-light');
    await screenshotFromList(app, 'identities-compose-from-list-en-light');
    await axe(app, 'compose with identities');
    await kb.press('Control+Enter');
    await page.locator('.toast').filter({ hasText: 'Sent: Beitrag 2026' }).waitFor({ timeout: 30000 });

    const received = await until(() => srv.messages[0], 'the message at the server');
    assert.ok(received);
    assert.equal(received.from, 'kasse@verein.example', 'MAIL FROM is the identity\'s address');
    assert.equal(received.user, 'alice', 'sent through the account, signed in as it');
    assert.deepEqual(received.to, ['bob@example.org']);
    const parsed = await simpleParser(received.raw);
    assert.deepEqual(mailboxes(parsed.from), [{ name: 'Alice – Kasse', address: 'kasse@verein.example' }]);
    assert.deepEqual(mailboxes(parsed.replyTo).map((m) => m.address), ['vorstand@verein.example']);
    assert.match(parsed.text ?? '', /Hallo Bob, anbei die Rechnung\.[\s\S]*-- \nKassenwartin\nFörderverein/);
    // The next message starts from the same sender.
    assert.equal(await selectedFrom(page), 'Alice – Kasse <kasse@verein.example>');
    assertNoPageErrors(app, 'identities journey');
  } finally {
    await app.close();
    await srv.close();
  }
});

test('German, dark: the identities part and the From list read in German, a refusal too', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const app = await suite.open({ locale: 'de-DE', colorScheme: 'dark' });
  const { page, services } = app;
  try {
    await services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    const erika = await seedAccount(services, { displayName: 'Erika Mustermann', address: 'erika@example.org', signature: 'Erika' });
    await services.service['accounts.addIdentity'](erika.id, { name: 'Erika Mustermann (Vertrieb)', address: 'vertrieb@example.org', replyTo: 'team@example.org', signature: 'Ihr Vertrieb' });
    await services.service['accounts.addIdentity'](erika.id, { name: 'Buchhaltung', address: 'buchhaltung@example.org' });
    await seedAccount(services, { displayName: 'Erika M.', address: 'erika.privat@example.net' });
    await app.reload();
    await page.locator('nav button[data-section="accounts"]').click();
    const card = page.locator('.account-card').filter({ hasText: 'erika@example.org' });
    await card.getByRole('button', { name: 'Bearbeiten', exact: true }).click();
    const identities = card.locator('section.identities');
    await identities.getByRole('heading', { name: 'Identitäten' }).waitFor();
    assert.match(await identities.locator('.identity-row').filter({ hasText: 'vertrieb@' }).innerText(), /Antworten gehen an team@example\.org[\s\S]*Eigene Signatur/);
    await identities.getByRole('button', { name: 'Identität hinzufügen' }).click();
    const form = identities.getByRole('form', { name: 'Neue Identität' });
    await form.getByLabel('E-Mail-Adresse', { exact: true }).fill('support@example.org');
    await form.getByLabel('Antwortadresse (optional)').fill('team(at)example.org');
    await form.getByRole('button', { name: 'Identität hinzufügen' }).click();
    await form.locator('.field-error').filter({ hasText: 'Die Antwortadresse „team(at)example.org“ ist keine gültige E-Mail-Adresse.' }).waitFor();
    await scrollToTop(identities);
    await app.screenshot('identities-accounts-edit-de-dark');
    await axe(app, 'Identitäten');
    await form.getByRole('button', { name: 'Abbrechen' }).click();
    await identities.getByRole('button', { name: 'Identität hinzufügen' }).waitFor();

    await page.locator('nav button[data-section="compose"]').click();
    await page.locator('.address-field input').first().waitFor();
    assert.deepEqual(await fromList(page), [
      { group: 'erika@example.org', options: ['Erika Mustermann <erika@example.org>', 'Erika Mustermann (Vertrieb) <vertrieb@example.org>', 'Buchhaltung <buchhaltung@example.org>'] },
      { group: 'erika.privat@example.net', options: ['Erika M. <erika.privat@example.net>'] },
    ]);
    await page.getByLabel('Von', { exact: true }).selectOption({ label: 'Erika Mustermann (Vertrieb) <vertrieb@example.org>' });
    await until(async () => (await page.locator('textarea.body-editor').inputValue()).endsWith('-- \nIhr Vertrieb'), 'the identity\'s signature');
    // An identity without a signature of its own takes the account's.
    await page.getByLabel('Von', { exact: true }).selectOption({ label: 'Buchhaltung <buchhaltung@example.org>' });
    await until(async () => (await page.locator('textarea.body-editor').inputValue()).endsWith('-- \nErika'), 'the account\'s signature for it');
    await page.getByLabel('Von', { exact: true }).selectOption({ label: 'Erika Mustermann (Vertrieb) <vertrieb@example.org>' });
    await app.screenshot('identities-compose-from-de-dark');
    await screenshotFromList(app, 'identities-compose-from-list-de-dark');
    await axe(app, 'Verfassen mit Identitäten');
  } finally {
    await app.close();
  }
});


test('a draft remembers the identity it was written with', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const app = await suite.open({ locale: 'en-GB' });
  const { page, services } = app;
  try {
    await services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    const erika = await seedAccount(services, { displayName: 'Erika Mustermann', address: 'erika@example.org' });
    await services.service['accounts.addIdentity'](erika.id, { name: 'Vertrieb', address: 'vertrieb@example.org' });
    await app.reload();
    await page.locator('nav button[data-section="compose"]').click();
    await page.getByLabel('From', { exact: true }).selectOption({ label: 'Vertrieb <vertrieb@example.org>' });
    await page.getByLabel('Subject').fill('Angebot');
    await page.locator('.autosave').filter({ hasText: 'Draft saved' }).waitFor();
    const [summary] = await services.service['drafts.list']();
    assert.ok(summary);
    await app.reload();
    await page.locator('nav button[data-section="compose"]').click();
    assert.equal(await selectedFrom(page), 'Erika Mustermann <erika@example.org>');
    await page.getByRole('button', { name: /^Drafts/ }).click();
    await page.locator('.draft-row__open').filter({ hasText: 'Angebot' }).click();
    await until(async () => (await selectedFrom(page)) === 'Vertrieb <vertrieb@example.org>', 'the draft\'s sender');
  } finally {
    await app.close();
  }
});
