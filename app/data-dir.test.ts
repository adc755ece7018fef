/**
 * The app opens the command line's data folder, so both share accounts, outbox and send log;
 * and the packaging names agree with it (Electron derives its own folders from productName).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { dataDirOf } from '../main/cli/data.js';
import { defaultDataDir } from '../main/services/index.js';
import { appDataDir } from './data-dir.js';

const environments: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; expected: string }[] = [
  { platform: 'linux', env: { HOME: '/home/anna' }, expected: '/home/anna/.config/Postbote' },
  { platform: 'linux', env: { HOME: '/home/anna', XDG_CONFIG_HOME: '/home/anna/.xdg' }, expected: '/home/anna/.xdg/Postbote' },
  { platform: 'darwin', env: { HOME: '/Users/anna' }, expected: '/Users/anna/Library/Application Support/Postbote' },
  { platform: 'win32', env: { USERPROFILE: 'C:\\Users\\anna', APPDATA: 'C:\\Users\\anna\\AppData\\Roaming' }, expected: 'C:\\Users\\anna\\AppData\\Roaming\\Postbote' },
  { platform: 'linux', env: { HOME: '/home/anna', POSTBOTE_DATA_DIR: '/srv/postbote-data' }, expected: '/srv/postbote-data' },
];

test('the app chooses exactly the folder the CLI uses by default', () => {
  for (const { platform, env, expected } of environments) {
    const chosen = appDataDir({ userDataSwitch: '', env, platform });
    assert.equal(chosen, expected, `${platform} ${JSON.stringify(env)}`);
    assert.equal(chosen, defaultDataDir(env, platform));
  }
  // The CLI's own resolution (no --data-dir) for this machine's platform and environment.
  const env = { HOME: '/home/anna', XDG_CONFIG_HOME: '/home/anna/.config' };
  assert.equal(appDataDir({ userDataSwitch: '', env, platform: process.platform }), dataDirOf(undefined, env));
});

test('on Linux it is ~/.config/Postbote, not Electron\'s lower-case package name', () => {
  assert.equal(appDataDir({ userDataSwitch: '', env: { HOME: '/home/anna' }, platform: 'linux' }), '/home/anna/.config/Postbote');
  assert.notEqual(appDataDir({ userDataSwitch: '', env: { HOME: '/home/anna' }, platform: 'linux' }), '/home/anna/.config/postbote');
});

test('an explicit --user-data-dir wins (as the CLI\'s --data-dir does)', () => {
  assert.equal(appDataDir({ userDataSwitch: '/tmp/postbote-smoke', env: { HOME: '/home/anna' }, platform: 'linux' }), '/tmp/postbote-smoke');
  assert.equal(appDataDir({ userDataSwitch: 'relative/dir', env: { HOME: '/home/anna' }, platform: 'linux' }), resolve('relative/dir'));
  assert.equal(appDataDir({ userDataSwitch: '  ', env: { HOME: '/home/anna' }, platform: 'linux' }), '/home/anna/.config/Postbote');
});

test('package.json productName and electron-builder agree with the data folder\'s name', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { productName?: string };
  const folderName = basename(defaultDataDir({ HOME: '/home/anna' }, 'linux'));
  // Electron names app.getName() and its default userData after productName.
  assert.equal(pkg.productName, folderName);
  const builder = readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8');
  assert.equal(/^productName:\s*(.+)$/m.exec(builder)?.[1]?.trim(), folderName);
});
