/** The shell's security rules: each case here fails if its check were removed or loosened. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { APP_ORIGIN, isAppUrl, isPermissionGranted, isSafeExternalUrl, isTrustedIpcSender, rendererFileFor } from './security.js';

test('only plain http(s) links with a host and no credentials may open in the system browser', () => {
  for (const ok of ['https://example.com/', 'http://example.com/path?q=1', 'https://mail.gmx.net/hilfe']) assert.equal(isSafeExternalUrl(ok), true, ok);
  for (const bad of [
    'file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@example.com', 'app://postbote/index.html', 'smb://server/share',
    'https://user:pw@example.com/', 'https://user@example.com/', 'http://', 'not a url', '', 'data:text/html,<b>x</b>',
  ]) assert.equal(isSafeExternalUrl(bad), false, bad);
});

test('only the bundled renderer counts as the app, not hosts or schemes that merely start alike', () => {
  for (const ok of [APP_ORIGIN, `${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/assets/app.js`]) assert.equal(isAppUrl(ok), true, ok);
  for (const bad of [
    'app://postbote.evil.example/', 'app://postbotex/index.html', 'app://evil/postbote/', 'https://postbote/index.html',
    'file:///postbote/index.html', 'http://app://postbote/', '', 'about:blank',
  ]) assert.equal(isAppUrl(bad), false, bad);
});

test('IPC is served only to the app window showing the bundled renderer', () => {
  const appWindow = { id: 1 };
  const otherWindow = { id: 2 };
  assert.equal(isTrustedIpcSender(appWindow, `${APP_ORIGIN}/index.html`, appWindow), true);
  // Another webContents, even one that shows the app's own page.
  assert.equal(isTrustedIpcSender(otherWindow, `${APP_ORIGIN}/index.html`, appWindow), false);
  // The right window, but its frame shows something else (navigated away, an injected frame).
  assert.equal(isTrustedIpcSender(appWindow, 'https://evil.example/', appWindow), false);
  assert.equal(isTrustedIpcSender(appWindow, undefined, appWindow), false);
  // No window yet (or it was closed): nobody is trusted.
  assert.equal(isTrustedIpcSender(appWindow, `${APP_ORIGIN}/index.html`, undefined), false);
});

test('the page may write to the clipboard and nothing else, and only from the app origin', () => {
  // A permission request carries the page URL, a permission check the origin.
  assert.equal(isPermissionGranted('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`), true);
  assert.equal(isPermissionGranted('clipboard-sanitized-write', APP_ORIGIN), true);
  for (const origin of ['https://evil.example', 'app://postbote.evil.example', '', undefined]) {
    assert.equal(isPermissionGranted('clipboard-sanitized-write', origin), false, String(origin));
  }
  for (const permission of ['clipboard-read', 'deprecated-sync-clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fileSystem', 'unknown']) {
    assert.equal(isPermissionGranted(permission, `${APP_ORIGIN}/index.html`), false, permission);
  }
});

test('app:// requests read files below the renderer folder only', () => {
  const root = join(sep, 'opt', 'postbote', 'out', 'renderer');
  assert.deepEqual(rendererFileFor(root, 'app://postbote/'), { file: join(root, 'index.html') });
  assert.deepEqual(rendererFileFor(root, 'app://postbote/assets/index-abc.js'), { file: join(root, 'assets', 'index-abc.js') });
  assert.deepEqual(rendererFileFor(`${root}${sep}`, 'app://postbote/index.html'), { file: join(root, 'index.html') });
  // Encoded slashes and dots are decoded before the check, so they cannot climb out.
  assert.deepEqual(rendererFileFor(root, 'app://postbote/..%2F..%2F..%2Fetc%2Fpasswd'), { status: 403 });
  assert.deepEqual(rendererFileFor(root, 'app://postbote/%2e%2e/%2e%2e/secret'), { file: join(root, 'secret') }, 'URL parsing resolves %2e%2e within the path');
  assert.deepEqual(rendererFileFor(root, 'app://postbote/a%2F..%2F..%2Frenderer-evil%2Fx.js'), { status: 403 }, 'a sibling folder whose name starts like the root');
  assert.deepEqual(rendererFileFor(root, 'app://postbote/index.html%00.png'), { status: 403 });
  assert.deepEqual(rendererFileFor(root, 'app://postbote/%E0%A4%A'), { status: 404 }, 'malformed escapes are refused, not thrown');
  assert.deepEqual(rendererFileFor(root, 'app://other/index.html'), { status: 404 });
  assert.deepEqual(rendererFileFor(root, 'https://postbote/index.html'), { status: 404 });
});
