#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs unit|e2e|all [extra files or globs…]
// Unit tests sit beside the code (*.test.ts); browser tests live in e2e/.
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The keychain tests and the app's account flows need a real Secret Service. Without a
// desktop session, run the whole suite inside a private D-Bus session with gnome-keyring
// unlocked by a throwaway password (nothing here touches a person's real keychain).
const onPath = (tool) => (process.env.PATH ?? '').split(':').some((dir) => existsSync(`${dir}/${tool}`));
if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.POSTBOTE_NO_DBUS_WRAP && onPath('dbus-run-session') && onPath('gnome-keyring-daemon')) {
  // A fresh XDG_DATA_HOME: the daemon creates a new login keyring with our password instead
  // of finding the machine's own (locked, with a password we do not know).
  const keyringHome = mkdtempSync(join(tmpdir(), 'postbote-keyring-'));
  const inner = `printf 'postbote-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"`;
  const wrapped = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, XDG_DATA_HOME: keyringHome, POSTBOTE_NO_DBUS_WRAP: '1', POSTBOTE_TEST_KEYRING: '1' },
  });
  rmSync(keyringHome, { recursive: true, force: true });
  process.exit(wrapped.status ?? 1);
}

const suite = process.argv[2] ?? 'all';
const extra = process.argv.slice(3);
const patterns = {
  unit: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts'],
  e2e: ['e2e/**/*.test.ts'],
};
const chosen = extra.length > 0 ? extra : suite === 'all' ? [...patterns.unit, ...patterns.e2e] : patterns[suite];
if (!chosen) {
  console.error(`unknown suite "${suite}" (unit, e2e or all)`);
  process.exit(64);
}
const files = [...new Set(chosen.flatMap((p) => globSync(p, { exclude: (f) => f.includes('node_modules') })))].sort();
if (files.length === 0) {
  console.error('no test files found for', chosen.join(' '));
  process.exit(1);
}
const args = [
  '--import', 'tsx', '--no-warnings=ExperimentalWarning', '--test',
  `--test-concurrency=${process.env.POSTBOTE_TEST_CONCURRENCY ?? 2}`,
  '--test-timeout=180000',
  '--test-reporter=spec',
  ...files,
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
process.exit(result.status ?? 1);
