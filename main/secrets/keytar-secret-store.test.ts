import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipUnless } from '../testing/environment.js';
import { isStoreError } from '../store/errors.js';
import { runChild, tsNodeArgs } from '../store/test-support.js';
import { KeytarSecretStore } from './keytar-secret-store.js';
import { keyringAvailable, runInKeyringSession } from './keyring-session.js';

const here = import.meta.dirname;

test('keytar against a real GNOME Keyring: secrets, accounts service, and no secret in the database or IPC results', async (t) => {
  if (skipUnless(t, keyringAvailable(), 'dbus-run-session and gnome-keyring-daemon are not installed')) return;
  const r = await runInKeyringSession(['--import', 'tsx', '--no-warnings=ExperimentalWarning', '--test', '--test-reporter=spec', join(here, 'keytar.keyring.ts')]);
  assert.equal(r.code, 0, `keyring tests failed:\n${r.stdout}\n${r.stderr.slice(-4000)}`);
  assert.match(r.stdout, /pass [1-9]/);
  assert.match(r.stdout, /fail 0/);
  for (const line of r.stdout.split('\n').filter((l) => /^[✔✖]/.test(l))) t.diagnostic(line);
});

test('without a Secret Service, keytar errors become keychain.unavailable with what to install', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/postbote-test-bus' };
  delete env.DISPLAY;
  const r = await runChild(process.execPath, tsNodeArgs(join(here, 'fixtures', 'keytar-probe.ts')), { env, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { error?: { kind: string; messageKey: string; params: Record<string, string> } };
  assert.equal(out.error?.kind, 'keychain.unavailable', r.stdout);
  assert.equal(out.error?.messageKey, 'store.keychain.unavailable');
  assert.ok(out.error?.params.reason);
});

test('a keytar module that cannot be loaded is keychain.unavailable, not a crash', async () => {
  const store = new KeytarSecretStore({ load: () => Promise.reject(new Error('Cannot find module keytar.node')) });
  await assert.rejects(store.set('a', 'password', 'x'), (e: unknown) => {
    assert.ok(isStoreError(e));
    assert.equal(e.appError.kind, 'keychain.unavailable');
    assert.match(String(e.appError.params?.reason), /keytar\.node/);
    return true;
  });
  const odd = new KeytarSecretStore({ load: () => Promise.resolve({ nothing: true }) });
  await assert.rejects(odd.has('a', 'password'), (e: unknown) => isStoreError(e) && e.appError.kind === 'keychain.unavailable');
});
