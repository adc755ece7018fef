/** The shell's lifetime rules: mailto: hand-over, who quits with the last window, quitting never hangs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeWithin, isMailtoUrl, mailtoFrom, quitsWhenLastWindowCloses } from './lifecycle.js';

test('a mailto: link is found among the arguments of a (second) start, in any case', () => {
  assert.equal(mailtoFrom(['/usr/bin/postbote', '--no-sandbox', 'mailto:anna@example.com?subject=Hallo']), 'mailto:anna@example.com?subject=Hallo');
  assert.equal(mailtoFrom(['postbote.exe', 'MAILTO:Anna@Example.com']), 'MAILTO:Anna@Example.com');
  assert.equal(mailtoFrom(['postbote', '--flag', 'https://example.com/mailto:x', 'file.eml']), undefined);
  assert.equal(isMailtoUrl('mailto:'), true);
  assert.equal(isMailtoUrl('https://mailto.example/'), false);
});

test('macOS keeps running (and keeps its services) without a window; other systems quit', () => {
  assert.equal(quitsWhenLastWindowCloses('darwin'), false);
  assert.equal(quitsWhenLastWindowCloses('linux'), true);
  assert.equal(quitsWhenLastWindowCloses('win32'), true);
});

test('closing the services is awaited, but a close that hangs cannot keep the app from quitting', async () => {
  let closed = false;
  assert.equal(await closeWithin(async () => { closed = true; }, 1000), 'closed');
  assert.equal(closed, true);
  const started = Date.now();
  assert.equal(await closeWithin(() => new Promise<void>(() => {}), 50), 'timedOut');
  assert.ok(Date.now() - started < 1000);
  await assert.rejects(closeWithin(async () => { throw new Error('database is locked'); }, 1000), /database is locked/);
});
