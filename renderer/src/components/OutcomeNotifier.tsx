import { useEffect } from 'react';
import type { Section } from '../../../shared/contract/app.js';
import { useI18n } from '../i18n.js';
import { subscribeOutbox } from '../pending-api.js';
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
    const body = o.state === 'sentWithWarnings' && refused.length > 0 ? t('outcome.refused', { list: refused.join(', ') }) : reason;
    toasts.show({
      tone,
      key: `message-${o.id}`,
      title: t(`outcome.${o.state}`, { subject }),
      ...(body ? { body } : {}),
      action: o.state === 'sent' || o.state === 'sentWithWarnings'
        ? { label: t('outcome.showLog'), run: () => onNavigate('log') }
        : { label: t('outcome.showOutbox'), run: () => onNavigate('outbox') },
    });
  }), [t, lang, toasts, onNavigate]);
  useEffect(() => subscribeOutbox('outbox.notice', (notice) => {
    toasts.show({ tone: notice.kind === 'reconciledUnconfirmed' ? 'warning' : 'info', title: t(`outbox.notice.${notice.kind}`, { count: notice.ids.length }), action: { label: t('outcome.showOutbox'), run: () => onNavigate('outbox') } });
  }), [t, toasts, onNavigate]);
  return null;
}
