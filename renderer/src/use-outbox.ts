import { useCallback, useEffect, useState } from 'react';
import type { Lang } from '../../shared/domain.js';
import type { OutboxNotice } from '../../shared/outbox.js';
import { ApiFailure, call, subscribe } from './api.js';
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

/**
 * The outbox's start-up notices that the person has not dismissed. They are fetched, not
 * only listened for: the outbox starts (and notices) before the window has loaded.
 */
export function useOutboxNotices(): { notices: OutboxNotice[]; dismiss(noticeId: string): void } {
  const [notices, setNotices] = useState<OutboxNotice[]>([]);
  useEffect(() => {
    let live = true;
    const add = (incoming: OutboxNotice[]) => setNotices((list) => {
      const known = new Set(list.map((n) => n.noticeId));
      const fresh = incoming.filter((n) => !known.has(n.noticeId));
      return fresh.length === 0 ? list : [...list, ...fresh].sort((a, b) => a.at - b.at);
    });
    // Subscribed before asking, so a notice that arrives in between is not missed (duplicates are dropped).
    const offNotice = subscribe('outbox.notice', (n) => add([n]));
    const offDismissed = subscribe('outbox.noticeDismissed', ({ noticeId }) => setNotices((list) => list.filter((n) => n.noticeId !== noticeId)));
    // A build without the method shows what arrives as events; nothing to tell the person.
    call('outbox.notices').then((list) => { if (live) add(list); }).catch(() => undefined);
    return () => { live = false; offNotice(); offDismissed(); };
  }, []);
  const dismiss = useCallback((noticeId: string) => {
    setNotices((list) => list.filter((n) => n.noticeId !== noticeId));
    void call('outbox.dismissNotice', noticeId).catch(() => undefined);
  }, []);
  return { notices, dismiss };
}

/** The catalogue key for a count: `base.one` or `base.other`, chosen by the language's plural rules. */
export function pluralKey(lang: Lang, base: string, count: number): string {
  return `${base}.${new Intl.PluralRules(lang === 'de' ? 'de-DE' : 'en-GB').select(count) === 'one' ? 'one' : 'other'}`;
}
