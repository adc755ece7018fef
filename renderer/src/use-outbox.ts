import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from './api.js';
import { useI18n } from './i18n.js';
import { outbox, subscribeOutbox, type OutboxItem, type OutboxProgress } from './pending-api.js';

/** The outbox, kept current through outbox.changed, with per-message progress from outbox.progress. */
export function useOutbox(): { items: OutboxItem[] | null; progress: Record<string, OutboxProgress>; error: string | null } {
  const { t } = useI18n();
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [progress, setProgress] = useState<Record<string, OutboxProgress>>({});
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    outbox.list().then((list) => { setItems(list); setError(null); }).catch((failure: unknown) => {
      setItems((current) => current ?? []);
      if (failure instanceof ApiFailure && failure.error.kind === 'ipc.unknownMethod') return; // the outbox is not wired in this build
      setError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure));
    });
  }, [t]);
  useEffect(() => {
    reload();
    const offChanged = subscribeOutbox('outbox.changed', ({ id, entry }) => {
      setItems((list) => {
        const rest = (list ?? []).filter((x) => x.id !== id);
        return entry ? [...rest, entry] : rest;
      });
    });
    const offProgress = subscribeOutbox('outbox.progress', (p) => setProgress((all) => ({ ...all, [p.id]: p })));
    return () => { offChanged(); offProgress(); };
  }, [reload]);
  return { items, progress, error };
}
