/**
 * For tests: runs a Node script inside a private D-Bus session with an unlocked GNOME
 * Keyring, so keytar talks to a real Secret Service without a desktop session and without
 * touching the developer's own keyring (HOME points at a temp folder).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runChild, type ChildResult } from '../store/test-support.js';

const onPath = (bin: string): boolean => (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, bin)));

export const keyringAvailable = (): boolean => onPath('dbus-run-session') && onPath('gnome-keyring-daemon');

/** Runs `node <nodeArgs…>` in the keyring session; resolves with its output. */
export async function runInKeyringSession(nodeArgs: string[], timeoutMs = 120_000): Promise<ChildResult> {
  const home = mkdtempSync(join(tmpdir(), 'postbote-keyring-'));
  const quoted = [process.execPath, ...nodeArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `printf 'postbote-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${quoted}`;
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.XDG_RUNTIME_DIR;
  // Set by an outer `node --test`; the inner runner would otherwise report to it instead of stdout.
  delete env.NODE_TEST_CONTEXT;
  try {
    return await runChild('dbus-run-session', ['--', 'sh', '-c', script], { env, timeoutMs });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
