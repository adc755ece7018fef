/** A mailto: link that arrived while the compose screen was not shown waits here for it. */
let pending: string | null = null;
const listeners = new Set<(url: string) => void>();

export function deliverMailto(url: string): void {
  if (listeners.size > 0) for (const l of listeners) l(url);
  else pending = url;
}

export function onMailto(listener: (url: string) => void): () => void {
  listeners.add(listener);
  if (pending) { const url = pending; pending = null; listener(url); }
  return () => listeners.delete(listener);
}
