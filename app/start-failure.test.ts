/**
 * What the start-failure dialog says: the store's own catalogue text, "start with an empty
 * database" only where the store really set the damaged file aside, and Quit on Escape.
 * The damaged case runs the real createServices on a real damaged file, as the app does.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../main/services/index.js';
import { DATABASE_FILE } from '../main/store/database.js';
import { isStoreError, storeError } from '../main/store/errors.js';
import { MemorySecretStore } from '../main/testing/memory-secret-store.js';
import { translate } from '../shared/i18n/index.js';
import { describeStartFailure } from './start-failure.js';

function dataFolder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'postbote-start-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const open = (dataDir: string) => createServices({ dataDir, appVersion: '0.0.0-test', systemLanguage: 'de-DE', secrets: new MemorySecretStore() });

test('a damaged database: the store text says where it went, and trying again really starts empty', async (t) => {
  const dir = dataFolder(t);
  const garbage = Buffer.from('not an SQLite file '.repeat(300));
  writeFileSync(join(dir, DATABASE_FILE), garbage);
  let failure: unknown;
  try {
    await (open(dir)).close();
  } catch (error) {
    failure = error;
  }
  if (!isStoreError(failure)) assert.fail(`createServices refuses a damaged database with a store error, not ${String(failure)}`);
  const { messageKey, params = {} } = failure.appError;
  assert.equal(messageKey, 'store.storage.damaged');
  const movedTo = String(params.movedTo ?? '');
  assert.ok(movedTo.startsWith(join(dir, DATABASE_FILE)), 'the store set the file aside beside the database');
  for (const lang of ['de', 'en'] as const) {
    const dialog = describeStartFailure(failure, lang, dir);
    assert.equal(dialog.message, translate(lang, messageKey, params));
    assert.ok(dialog.message.includes(movedTo), 'names the file that was set aside');
    assert.equal(dialog.buttons[0], translate(lang, 'shell.start.startEmpty'));
    assert.equal(dialog.actions[0], 'retry');
    assert.ok(dialog.detail.includes(dir), 'the data folder is shown');
    assert.equal(dialog.title, translate(lang, 'shell.start.title'));
  }
  assert.deepEqual(readFileSync(movedTo), garbage, 'the damaged file is kept unchanged');
  // What "Start with an empty database" promises: the retry opens a fresh database.
  const services = open(dir);
  try {
    assert.deepEqual(await services.service['accounts.list'](), []);
  } finally {
    await services.close();
  }
});

test('damage that was not set aside never promises an empty database', () => {
  const notMoved = storeError('storage.damagedNotMoved', { file: '/data/postbote.sqlite', reason: 'EBUSY' }, 'could not move it aside: EBUSY');
  for (const lang of ['de', 'en'] as const) {
    const dialog = describeStartFailure(notMoved, lang, '/data');
    assert.equal(dialog.message, translate(lang, 'store.storage.damagedNotMoved', { file: '/data/postbote.sqlite', reason: 'EBUSY' }));
    assert.notEqual(dialog.message, translate(lang, 'store.storage.damaged', { file: '/data/postbote.sqlite', movedTo: '' }));
    assert.equal(dialog.buttons[0], translate(lang, 'shell.start.retry'));
    assert.ok(dialog.detail.includes('EBUSY'), 'the technical reason is in the detail');
  }
});

test('other storage errors show their own catalogue text with a plain Try again', () => {
  const cases = [
    storeError('storage.readOnly', { file: '/data' }, 'EACCES: permission denied', { systemCode: 'EACCES' }),
    storeError('storage.tooNew', { file: '/data/postbote.sqlite', version: 99 }, 'schema 99'),
    storeError('storage.busy', { file: '/data/postbote.sqlite' }, 'database is locked', { retryable: true }),
    storeError('storage.damagedNotMoved', { file: '/data/postbote.sqlite', reason: 'EBUSY' }, 'could not move it aside'),
  ];
  for (const error of cases) {
    const dialog = describeStartFailure(error, 'en', '/data');
    assert.equal(dialog.message, translate('en', error.appError.messageKey, error.appError.params), error.appError.kind);
    assert.equal(dialog.buttons[0], 'Try again');
    assert.ok(dialog.detail.includes(error.appError.kind));
  }
  assert.ok(describeStartFailure(cases[0], 'de', '/data').detail.includes('EACCES'));
  for (const error of cases.slice(0, 3)) {
    assert.notEqual(describeStartFailure(error, 'de', '/data').message, error.appError.messageKey, `a German text for ${error.appError.kind}`);
  }
});

test('an error that is not a store error gets the shell\'s text, its technical line only in the detail', () => {
  const error = Object.assign(new Error('EACCES: permission denied, mkdir \'/data\''), { code: 'EACCES' });
  const dialog = describeStartFailure(error, 'de', '/data');
  assert.equal(dialog.message, translate('de', 'shell.start.unexpected'));
  assert.ok(!dialog.message.includes('EACCES'));
  assert.ok(dialog.detail.includes('EACCES: permission denied'));
  assert.ok(dialog.detail.includes(translate('de', 'shell.start.dataFolder', { dir: '/data' })));
});

test('the choices: Try again first, Open data folder, and Quit on Escape', () => {
  const dialog = describeStartFailure(new Error('x'), 'en', '/data');
  assert.deepEqual(dialog.actions, ['retry', 'openFolder', 'quit']);
  assert.deepEqual(dialog.buttons, ['Try again', 'Open data folder', 'Quit']);
  assert.equal(dialog.actions[dialog.defaultId], 'retry');
  assert.equal(dialog.actions[dialog.cancelId], 'quit');
  assert.deepEqual(describeStartFailure(new Error('x'), 'de', '/data').buttons, ['Erneut versuchen', 'Datenordner öffnen', 'Beenden']);
});
