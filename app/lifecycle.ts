/** Process-lifetime rules of the shell that do not need Electron to decide. */

/** A mailto: link handed over on the command line (Windows, Linux) or by a second start. */
export function mailtoFrom(argv: readonly string[]): string | undefined {
  return argv.find(isMailtoUrl);
}

export const isMailtoUrl = (value: string): boolean => value.toLowerCase().startsWith('mailto:');

/**
 * macOS keeps an app running with no window (the Dock icon reopens one), so there the
 * services and the outbox worker stay open until the app really quits; elsewhere closing
 * the last window quits.
 */
export const quitsWhenLastWindowCloses = (platform: NodeJS.Platform): boolean => platform !== 'darwin';

/**
 * Runs close() but gives up waiting after ms, so a server that never answers QUIT cannot
 * keep the app from quitting. The database is safe either way: a send cut short is found
 * by the outbox at the next start (see main/outbox reconcile).
 */
export async function closeWithin(close: () => Promise<void>, ms: number): Promise<'closed' | 'timedOut'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timedOut'>((resolve) => { timer = setTimeout(() => resolve('timedOut'), ms); });
  try {
    return await Promise.race([close().then(() => 'closed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
