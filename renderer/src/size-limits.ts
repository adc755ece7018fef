/**
 * The SIZE limit each account's server announced (RFC 1870), remembered from the last
 * connection test so the compose screen can warn before a message is too large.
 */
const key = (accountId: string) => `postbote.sizeLimit.${accountId}`;

export function rememberSizeLimit(accountId: string, capabilities: Record<string, unknown> | undefined): void {
  const size = capabilities?.size;
  try {
    if (typeof size === 'number' && size > 0) localStorage.setItem(key(accountId), String(size));
    else localStorage.removeItem(key(accountId));
  } catch { /* storage may be unavailable; the server still checks */ }
}

export function serverSizeLimit(accountId: string): number | null {
  try {
    const value = Number(localStorage.getItem(key(accountId)));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}
