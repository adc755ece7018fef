/**
 * The window's security policy in one place: the Content-Security-Policy sent with every
 * renderer response, and the rules for navigation and external links.
 */
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

export const isAppUrl = (raw: string): boolean => raw === APP_ORIGIN || raw.startsWith(`${APP_ORIGIN}/`);
