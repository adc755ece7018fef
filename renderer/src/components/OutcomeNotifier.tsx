import { useEffect, useRef } from 'react';
import type { Section } from '../../../shared/contract/app.js';
import { useI18n } from '../i18n.js';
import { subscribeOutbox } from '../pending-api.js';
import { pluralKey, useOutboxNotices } from '../use-outbox.js';
import { explanationTitle } from './ExplanationView.js';
import { useToasts, type ToastTone } from './Toasts.js';

const tones: Record<string, ToastTone> = { sent: 'success', sentWithWarnings: 'warning', deferred: 'warning', unconfirmed: 'warning', failed: 'error', cancelled: 'info' };

/** A toast for every send outcome (and a native notification while the window is in the background). */
export function OutcomeNotifier({ onNavigate }: { onNavigate(section: Section): void }) {
  const { t, lang } = useI18n();
  const toasts = useToasts();
  useEffect(() => subscribeOutbox('outbox.outcome', (o) => {
    if (o.byPerson) return;
    const tone = tones[o.state] ?? 'info';
    const subject = o.subject || t('compose.noSubject');
    const refused = o.results.filter((r) => !r.accepted).map((r) => r.address);
    const reason = explanationTitle(o.explanation, lang);
    // Deferred after the server took it for some: the others are tried again (refused for now).
    const partly = o.state === 'deferred' && o.results.some((r) => r.accepted);
    const refusedForNow = o.results.filter((r) => !r.accepted && r.code >= 400 && r.code < 500).map((r) => r.address);
    const body = partly && refusedForNow.length > 0 ? t('outbox.partial.retrying', { list: refusedForNow.join(', ') })
      : o.state === 'sentWithWarnings' && refused.length > 0 ? t('outcome.refused', { list: refused.join(', ') }) : reason;
    toasts.show({
      tone,
      key: `message-${o.id}`,
      title: partly ? t('outbox.outcome.partlyDeferred', { subject }) : t(`outcome.${o.state}`, { subject }),
      ...(body ? { body } : {}),
      action: o.state === 'sent' || o.state === 'sentWithWarnings'
        ? { label: t('outcome.showLog'), run: () => onNavigate('log') }
        : { label: t('outcome.showOutbox'), run: () => onNavigate('outbox') },
    });
  }), [t, lang, toasts, onNavigate]);
  // Start-up notices come before this window listens: fetched, shown once each, and kept
  // (in the outbox's banner too) until the person closes them.
  const { notices, dismiss } = useOutboxNotices();
  /** noticeId → its toast (null once closed), so each notice is toasted once. */
  const toasted = useRef(new Map<string, number | null>());
  useEffect(() => {
    const pending = new Set(notices.map((n) => n.noticeId));
    // Dismissed elsewhere (the outbox's banner, another window): its toast goes too.
    for (const [noticeId, toastId] of toasted.current) {
      if (toastId !== null && !pending.has(noticeId)) {
        toasts.dismiss(toastId);
        toasted.current.set(noticeId, null);
      }
    }
    for (const notice of notices) {
      if (toasted.current.has(notice.noticeId)) continue;
      toasted.current.set(notice.noticeId, toasts.show({
        tone: notice.kind === 'reconciledUnconfirmed' ? 'warning' : 'info',
        key: `notice-${notice.noticeId}`,
        title: t(pluralKey(lang, `outbox.notice.${notice.kind}`, notice.ids.length), { count: notice.ids.length }),
        duration: 0,
        action: { label: t('outcome.showOutbox'), run: () => onNavigate('outbox') },
        onClose: () => dismiss(notice.noticeId),
      }));
    }
  }, [notices, dismiss, t, lang, toasts, onNavigate]);
  return null;
}
