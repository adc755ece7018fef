import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from './dispatcher.js';
import { createServices } from '../services/index.js';
import { readStoredSettings } from '../store/settings.js';
import type { PostboteService } from '../../shared/contract/index.js';

const makeServices = () => createServices({ dataDir: mkdtempSync(join(tmpdir(), 'postbote-ipc-')), appVersion: '0.0.0-test', systemLanguage: 'de-DE' });

test('refuses a method the contract does not declare', async () => {
  const dispatch = createDispatcher(makeServices().service);
  const outcome = await dispatch('fs.readFile', ['/etc/passwd']);
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.error.kind, 'ipc.unknownMethod');
});

test('validates arguments against the schema before the handler runs', async () => {
  const { service } = makeServices();
  const dispatch = createDispatcher(service);
  const bad = await dispatch('settings.set', [{ undoSendSeconds: 7 }]);
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.kind, 'ipc.invalidArguments');
  const unknownField = await dispatch('settings.set', [{ theme: 'dark', evil: true }]);
  assert.equal(unknownField.ok, false);
  const settings = await dispatch('settings.get', []);
  assert.deepEqual(settings.ok && (settings.value as { theme: string }).theme, 'system');
});

test('persists settings in the database and emits a change event', async () => {
  const services = makeServices();
  const dispatch = createDispatcher(services.service);
  const seen: unknown[] = [];
  services.events.subscribe((name, payload) => seen.push([name, payload]));
  const outcome = await dispatch('settings.set', [{ language: 'en', theme: 'dark' }]);
  assert.equal(outcome.ok, true);
  const info = await dispatch('app.info', []);
  assert.ok(info.ok);
  const dataDir = (info.value as { dataDir: string }).dataDir;
  const onDisk = readStoredSettings(dataDir);
  assert.equal(onDisk.language, 'en');
  assert.equal(onDisk.theme, 'dark');
  assert.equal(seen.length, 1);
  const reopened = createServices({ dataDir, appVersion: 'x', systemLanguage: 'en' });
  assert.equal((await reopened.service['settings.get']()).theme, 'dark');
});

test('a handler result outside the contract is refused, never passed on', async () => {
  const { service } = makeServices();
  const leaky = { ...service, 'app.info': async () => ({ name: 'Postbote' }) } as unknown as PostboteService;
  const outcome = await createDispatcher(leaky)('app.info', []);
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.error.kind, 'ipc.invalidResult');
});

test('an unexpected exception becomes a structured internal error', async () => {
  const { service } = makeServices();
  const broken = { ...service, 'settings.get': async () => { throw new TypeError('boom'); } } as PostboteService;
  const outcome = await createDispatcher(broken)('settings.get', []);
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.error.kind, 'internal');
  assert.equal(!outcome.ok && outcome.error.detail?.message, 'boom');
});
