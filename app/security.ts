/**
 * The window's security policy in one place: the Content-Security-Policy sent with every
 * renderer response, the rules for navigation and external links, which IPC sender is
 * trusted, which file an app:// request may read, and the one permission the page gets.
 * Plain functions without Electron, so every rule has a unit test (security.test.ts).
 */
import { join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'postbote';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** No remote code, no eval, no inline script; styles inline only for React's style props. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only plain web links may leave the app, and only to the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The bundled renderer's origin (Chromium reports an origin without a path, a URL with one). */
export const isAppUrl = (raw: string): boolean => raw === APP_ORIGIN || raw.startsWith(`${APP_ORIGIN}/`);

/**
 * An IPC call is served only when it comes from the app's own window and from a frame that
 * shows the bundled renderer: a page that somehow got into another webContents, or a frame
 * navigated elsewhere, gets nothing.
 */
export function isTrustedIpcSender<Contents>(sender: Contents, frameUrl: string | undefined, trusted: Contents | undefined): boolean {
  return trusted !== undefined && sender === trusted && isAppUrl(frameUrl ?? '');
}

/**
 * The page may write plain text to the clipboard (the send log's Copy button uses
 * navigator.clipboard.writeText), and nothing else: no camera, notifications from the page,
 * clipboard reading, geolocation… Main posts notifications itself.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** For both of Electron's hooks: a permission request (requesting URL) and a permission check (requesting origin). */
export function isPermissionGranted(permission: string, requestingUrlOrOrigin: string | undefined): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isAppUrl(requestingUrlOrOrigin ?? '');
}

/**
 * The file an app:// request may read: only below the renderer's build folder. Encoded
 * slashes and dots (%2F, %2e) are decoded before the check, so they cannot climb out.
 */
export function rendererFileFor(rendererRoot: string, requestUrl: string): { file: string } | { status: 403 | 404 } {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 404 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404 };
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return { status: 404 };
  }
  if (relative.includes('\0')) return { status: 403 };
  const root = normalize(rendererRoot).replace(/[\\/]+$/, '');
  const file = normalize(join(root, relative));
  if (!file.startsWith(root + sep)) return { status: 403 };
  return { file };
}
