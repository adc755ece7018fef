/**
 * The rich-text body editor (TipTap), in real Chromium against the real services: formatting
 * from the toolbar and from the keyboard, lists, quote, links (and a refused one), hostile
 * pasted HTML — then the message through the real outbox to a real SMTP server, read back
 * with an independent MIME parser. Also: TipTap is not part of the JavaScript the app starts
 * with, and a draft loaded from outside replaces the editor's content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { skipUnless } from '../main/testing/environment.js';
import { startTestSmtpServer } from '../main/testing/smtp-test-server.js';
import { seedAccount, until, assertNoPageErrors } from './fixtures.js';
import { rendererDir, screenshotDir, useAppSuite } from './harness.js';

const suite = useAppSuite();
const ready = suite.ready;

const body = (page: Page) => page.locator('.rich-editor__body');
const tool = (page: Page, name: string) => page.getByRole('toolbar', { name: /^(Formatting|Formatierung)$/ }).getByRole('button', { name, exact: true });
const pressed = (page: Page, name: string) => tool(page, name).getAttribute('aria-pressed');
const focusedId = (page: Page) => page.evaluate('document.activeElement?.id') as Promise<string | undefined>;
const resourceLoaded = (page: Page, part: string) =>
  page.evaluate(`performance.getEntriesByType('resource').some((e) => e.name.includes(${JSON.stringify(part)}))`) as Promise<boolean>;

/** The message field with its toolbar, for people to look at. */
async function shootEditor(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.locator('.compose__body').screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Answers the link prompts in order and remembers what they asked. */
function answerPrompts(page: Page, answers: string[]): string[] {
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(`${dialog.type()}: ${dialog.message()} [${dialog.defaultValue()}]`);
    void dialog.accept(answers.shift() ?? '');
  });
  return asked;
}

/** A paste as the browser delivers it: a ClipboardEvent carrying HTML and its plain-text flavour. */
async function pasteHtml(page: Page, html: string, text: string) {
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/html', ${JSON.stringify(html)});
    data.setData('text/plain', ${JSON.stringify(text)});
    document.querySelector('.rich-editor__body').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}

test('TipTap is loaded only when the formatted mode is opened, never with the first JavaScript', (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  assert.ok(initial.length > 0, 'the entry script is found');
  for (const file of initial) {
    assert.doesNotMatch(file, /RichEditor/, 'the editor chunk is not preloaded');
    assert.doesNotMatch(readFileSync(join(rendererDir, file), 'utf8'), /prosemirror|ProseMirror-hideselection/i, `${file} carries no ProseMirror code`);
  }
});

test('formatting by toolbar and keyboard, lists, quote, links, a cleaned paste — sent through the outbox with a plain-text alternative', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const srv = await startTestSmtpServer({ users: { alice: 'correct horse' } });
  const app = await suite.open({ locale: 'en-GB' });
  const { page } = app;
  const asked = answerPrompts(page, ['https://example.org/docs', 'javascript:alert(document.domain)']);
  try {
    await app.services.service['settings.set']({ undoSendSeconds: 0, onlineIspLookup: false });
    await seedAccount(app.services, { address: 'alice@postbote.test', username: 'alice', password: 'correct horse', host: '127.0.0.1', port: srv.port, extraCaPem: srv.caPem });
    await app.reload();
    await page.locator('nav button[data-section="compose"]').click();
    await page.locator('.address-field input').first().pressSequentially('bob@example.org,');
    await page.getByLabel('Subject').fill('Formatted notes');

    assert.equal(await resourceLoaded(page, 'RichEditor'), false, 'the editor is not loaded for plain text');
    await page.getByRole('radio', { name: 'Formatted' }).click();
    await body(page).waitFor();
    assert.equal(await resourceLoaded(page, 'RichEditor'), true);

    // The editable element: a labelled multi-line textbox with the id the label and the tests use.
    const editor = page.getByRole('textbox', { name: 'Message' });
    assert.equal(await editor.getAttribute('contenteditable'), 'true');
    assert.equal(await editor.getAttribute('aria-multiline'), 'true');
    assert.match(await editor.getAttribute('class') ?? '', /\bbody-editor\b/);
    const editorId = await editor.getAttribute('id');
    assert.ok(editorId);
    assert.equal(await tool(page, 'Bold').getAttribute('title'), 'Bold (Ctrl+B)');
    assert.equal(await tool(page, 'Numbered list').getAttribute('title'), 'Numbered list (Ctrl+Shift+7)');

    await editor.click();
    await page.keyboard.type('Hello team,');
    await page.keyboard.press('Enter');

    // Toolbar: each button toggles, shows its state, and leaves the keyboard in the text.
    for (const [name, words] of [['Bold', 'bold words'], ['Italic', 'slanted'], ['Underline', 'underlined']] as const) {
      assert.equal(await pressed(page, name), 'false');
      await tool(page, name).click();
      assert.equal(await pressed(page, name), 'true', `${name} is shown as on`);
      assert.equal(await focusedId(page), editorId, `${name} does not take the focus from the text`);
      await page.keyboard.type(words);
      await tool(page, name).click();
      assert.equal(await pressed(page, name), 'false');
      await page.keyboard.type(' ');
    }
    await page.keyboard.press('Enter');
    // The same from the keyboard.
    for (const [key, name, words] of [['b', 'Bold', 'strong keys'], ['i', 'Italic', 'italic keys'], ['u', 'Underline', 'under keys']] as const) {
      await page.keyboard.press(`Control+${key}`);
      assert.equal(await pressed(page, name), 'true', `Ctrl+${key.toUpperCase()} turns ${name} on`);
      await page.keyboard.type(words);
      await page.keyboard.press(`Control+${key}`);
      assert.equal(await pressed(page, name), 'false');
      await page.keyboard.type(' ');
    }
    await page.keyboard.press('Enter');

    // A bulleted list, a numbered list (Enter on an empty item leaves the list), a quote.
    await tool(page, 'Bulleted list').click();
    assert.equal(await pressed(page, 'Bulleted list'), 'true');
    await page.keyboard.type('first point');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second point');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    assert.equal(await pressed(page, 'Bulleted list'), 'false');
    await tool(page, 'Numbered list').click();
    await page.keyboard.type('step one');
    await page.keyboard.press('Enter');
    await page.keyboard.type('step two');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await tool(page, 'Quote').click();
    assert.equal(await pressed(page, 'Quote'), 'true');
    await page.keyboard.type('quoted line');
    await page.keyboard.press('Enter');
    await tool(page, 'Quote').click();
    assert.equal(await pressed(page, 'Quote'), 'false');

    // A link on selected words.
    await page.keyboard.type('our site');
    await page.keyboard.press('Shift+Home');
    await tool(page, 'Link').click();
    await body(page).locator('a[href="https://example.org/docs"]').waitFor();
    assert.equal(await body(page).locator('a[href="https://example.org/docs"]').innerText(), 'our site');
    assert.equal(await pressed(page, 'Link'), 'true');
    assert.equal(await focusedId(page), editorId);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');

    // A javascript: address is refused, with a reason.
    await page.keyboard.type('nope');
    await page.keyboard.press('Shift+Home');
    await tool(page, 'Link').click();
    await page.getByText('This link was not added').waitFor();
    assert.equal(await body(page).locator('a').count(), 1, 'only the safe link exists');
    assert.deepEqual(asked, ['prompt: Web address of the link [https://]', 'prompt: Web address of the link [https://]']);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');

    // Hostile HTML from the clipboard: text and harmless formatting stay, the rest does not.
    await page.evaluate('window.__pwned = 0');
    await pasteHtml(page,
      '<meta charset="utf-8"><p style="color: red; background: url(https://tracker.example/p.gif)">Pasted <b onclick="window.__pwned = 1">strong</b> text</p>' +
      '<script>window.__pwned = 2</script><img src="x" onerror="window.__pwned = 3"><a href="javascript:window.__pwned = 4">trap</a>',
      'Pasted strong text trap');
    await body(page).getByText('Pasted').waitFor();
    const editorHtml = await body(page).innerHTML();
    assert.match(editorHtml, /Pasted <strong>strong<\/strong> text/);
    for (const gone of [/<script/i, /onclick/i, /onerror/i, /style=/i, /<img/i, /javascript:/i, /tracker\.example/]) assert.doesNotMatch(editorHtml, gone);
    assert.equal(await page.evaluate('window.__pwned'), 0, 'nothing pasted ran');

    await body(page).getByText('first point').click();
    await shootEditor(page, 'editor-formatted-en-light');

    // Send it with Ctrl+Enter from inside the editor (the editor lets the shortcut through).
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Sent: Formatted notes' }).waitFor({ timeout: 30000 });
    const received = await until(() => srv.messages[0], 'the message at the server');
    assert.ok(received);
    const mail = await simpleParser(received.raw);
    const html = typeof mail.html === 'string' ? mail.html : '';
    assert.match(html, /<(b|strong)>bold words<\/\1>/);
    assert.match(html, /<(i|em)>slanted<\/\1>/);
    assert.match(html, /<u>underlined<\/u>/);
    assert.match(html, /<(b|strong)>strong keys<\/\1>/);
    assert.match(html, /<(i|em)>italic keys<\/\1>/);
    assert.match(html, /<u>under keys<\/u>/);
    assert.match(html, /<ul><li>first point<\/li><li>second point<\/li><\/ul>/);
    assert.match(html, /<ol><li>step one<\/li><li>step two<\/li><\/ol>/);
    assert.match(html, /<blockquote><div>quoted line<\/div><\/blockquote>/);
    assert.match(html, /<a href="https:\/\/example\.org\/docs"[^>]*>our site<\/a>/);
    assert.match(html, /<div>nope<\/div>/);
    for (const gone of [/<script/i, /onclick/i, /onerror/i, /style=/i, /javascript:/i, /<p>/, /<br><\/div>$/]) assert.doesNotMatch(html, gone);
    const text = mail.text ?? '';
    assert.match(text, /^Hello team,$/m);
    assert.match(text, /^bold words slanted underlined$/m);
    assert.match(text, /^• first point\n• second point$/m);
    assert.match(text, /^1\. step one\n2\. step two$/m);
    assert.match(text, /^> quoted line$/m);
    assert.match(text, /our site <https:\/\/example\.org\/docs>/);
    assert.match(text, /^Pasted strong text\ntrap$/m);
    assertNoPageErrors(app, 'editing and sending');
  } finally {
    await app.close();
    await srv.close();
  }
});

test('plain text becomes paragraphs with its blank lines; a stored draft replaces the content; edits are saved sanitised', async (t) => {
  if (skipUnless(t, ready(), 'Chromium or the built renderer is missing')) return;
  const app = await suite.open({ locale: 'de-DE', colorScheme: 'dark' });
  const { page } = app;
  const asked = answerPrompts(page, ['']);
  try {
    const account = await seedAccount(app.services);
    const stored = await app.services.service['drafts.save']({ draft: {
      accountId: account.id, to: ['anna@example.org'], cc: [], bcc: [], subject: 'Gespeichert', mode: 'rich', text: '',
      html: '<div>Geladener <b>Entwurf</b></div><div><br></div><ul><li>eins</li></ul><div>Ende <a href="https://alt.example/">weg</a></div>', attachments: [] } });
    await app.reload();
    await page.locator('nav button[data-section="compose"]').click();
    await page.locator('textarea.body-editor').fill('Zeile eins\n\nZeile drei');
    await page.getByRole('radio', { name: 'Formatiert' }).click();
    await body(page).waitFor();
    // Three lines, the middle one empty — one line high, not two (an empty paragraph, no <br> inside).
    // Ctrl+Enter in the editor is the send shortcut (refused here: no recipient yet), not a line break.
    await body(page).getByText('Zeile drei').click();
    await page.keyboard.press('Control+Enter');
    await page.getByText('Bitte mindestens einen Empfänger angeben.').waitFor();
    const lines = body(page).locator(':scope > p');
    assert.deepEqual((await lines.allInnerTexts()).map((line) => line.trim()), ['Zeile eins', '', 'Zeile drei']);
    assert.equal(await body(page).locator(':scope > p br:not(.ProseMirror-trailingBreak)').count(), 0);
    const [textLine, blankLine] = [await lines.nth(0).boundingBox(), await lines.nth(1).boundingBox()];
    assert.ok(textLine && blankLine && Math.abs(blankLine.height - textLine.height) < 2, `the blank line is one line high (${blankLine?.height} vs ${textLine?.height})`);

    // A draft opened from the list replaces what the editor shows, without echoing back (a loop would exceed React's update depth).
    await page.locator('button[aria-controls="drafts-panel"]').click();
    await page.locator('.draft-row__open').filter({ hasText: 'Gespeichert' }).click();
    await body(page).getByText('Entwurf').waitFor();
    assert.equal(await body(page).locator('strong').innerText(), 'Entwurf');
    assert.deepEqual(await body(page).locator('li').allInnerTexts(), ['eins']);
    assert.doesNotMatch(await body(page).innerText(), /Zeile/);
    await body(page).getByText('eins').click();
    assert.equal(await pressed(page, 'Aufzählung'), 'true');
    await shootEditor(page, 'editor-draft-de-dark');

    // A link is edited from its own address; an empty answer removes it.
    await body(page).getByText('weg').click();
    assert.equal(await pressed(page, 'Link'), 'true');
    await tool(page, 'Link').click();
    await until(async () => await body(page).locator('a').count() === 0, 'the link to be removed');
    assert.deepEqual(asked, ['prompt: Webadresse des Links (leer lassen, um den Link zu entfernen) [https://alt.example/]']);
    assert.match(await body(page).innerText(), /Ende weg/);

    // Typing saves the draft: sanitised, paragraphs as <div> lines, the blank line kept.
    await body(page).getByText('Ende weg').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' gut');
    const saved = await until(async () => {
      const draft = (await app.services.service['drafts.get'](stored.id)).draft;
      return draft.html.includes('Ende weg gut') ? draft : undefined;
    }, 'the edited draft to be saved');
    assert.ok(saved);
    assert.equal(saved.html, '<div>Geladener <b>Entwurf</b></div><div><br></div><ul><li>eins</li></ul><div>Ende weg gut</div>');

    // Back to plain text: the same lines, the list as bullets.
    await page.getByRole('radio', { name: 'Nur Text' }).click();
    assert.equal(await page.locator('textarea.body-editor').inputValue(), 'Geladener Entwurf\n\n• eins\nEnde weg gut');
    assertNoPageErrors(app, 'switching modes and loading a draft');
  } finally {
    await app.close();
  }
});
