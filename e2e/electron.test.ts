/**
 * Electron smoke test: starts the real app and checks the window, its security settings
 * and the preload bridge. It needs the Electron runtime binary, which npm fetches on first
 * launch; where none is present (no network beyond the registries, as in CI here) it is
 * skipped with that reason — everything behind the window is tested without Electron.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';

function electronBinary(): string | undefined {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(candidate) ? candidate : undefined;
  }
  const pathFile = resolve('node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = resolve('node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

test('the Electron app opens a secure window with the preload bridge', async (t) => {
  const binary = electronBinary();
  if (!binary) {
    t.skip('no Electron runtime binary in node_modules/electron/dist (it is downloaded on first launch, which needs network access beyond the package registries)');
    return;
  }
  if (!existsSync('out/app/main.cjs')) assert.fail('out/app/main.cjs is missing: run npm run build first');
  const userData = mkdtempSync(join(tmpdir(), 'postbote-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: ['--no-sandbox', `--user-data-dir=${userData}`, '.'],
    env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60000,
  });
  try {
    const window = await app.firstWindow();
    await window.locator('.shell').waitFor({ timeout: 30000 });
    assert.equal(await window.title(), 'Postbote');
    const url = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '');
    assert.ok(url.startsWith('app://postbote/'), `the window shows the bundled renderer, not ${url}`);
    // With contextIsolation, sandbox and no nodeIntegration the page sees neither require nor process.
    const bridge = await window.evaluate(async () => {
      const api = (globalThis as unknown as { postbote: { invoke(n: string): Promise<{ ok: boolean; value?: { name: string } }> }; require?: unknown; process?: unknown }).postbote;
      const info = await api.invoke('app.info');
      return { name: info.ok ? info.value?.name : null, hasRequire: typeof (globalThis as { require?: unknown }).require, hasProcess: typeof (globalThis as { process?: unknown }).process };
    });
    assert.deepEqual(bridge, { name: 'Postbote', hasRequire: 'undefined', hasProcess: 'undefined' });

    // The strict CSP refuses inline script; window.open is denied; the bridge is exactly two
    // functions; the data folder is the one given. (Plain JavaScript: it runs in the page.)
    const page = await window.evaluate(`(async () => {
      const script = document.createElement('script');
      script.textContent = 'globalThis.inlineRan = true';
      document.head.append(script);
      await new Promise((r) => setTimeout(r, 100));
      const info = await globalThis.postbote.invoke('app.info');
      return { bridgeKeys: Object.keys(globalThis.postbote).sort(), inlineRan: globalThis.inlineRan === true,
        opened: window.open('https://example.com/') !== null, dataDir: info.ok ? info.value.dataDir : null };
    })()`) as { bridgeKeys: string[]; inlineRan: boolean; opened: boolean; dataDir: string | null };
    assert.deepEqual(page, { bridgeKeys: ['invoke', 'on'], inlineRan: false, opened: false, dataDir: userData });

    // Navigation away from the bundled renderer is refused; the window stays where it was.
    await window.evaluate('location.href = "https://example.com/"');
    await new Promise((r) => setTimeout(r, 500));
    const after = await app.evaluate(({ BrowserWindow }) => ({ windows: BrowserWindow.getAllWindows().length, url: BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '' }));
    assert.equal(after.windows, 1, 'window.open made no second window');
    assert.ok(after.url.startsWith('app://postbote/'), `still on the bundled renderer, not ${after.url}`);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
