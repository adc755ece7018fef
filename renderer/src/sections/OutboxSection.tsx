import { useEffect, useRef, useState } from 'react';
import type { ComposeDraft } from '../../../shared/contract/compose.js';
import type { RecipientsInput } from '../../../shared/message.js';
import { ApiFailure, call } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ExplanationView } from '../components/ExplanationView.js';
import { Icon } from '../components/Icon.js';
import { useToasts } from '../components/Toasts.js';
import { useI18n } from '../i18n.js';
import { outbox, type OutboxItem, type OutboxState } from '../pending-api.js';
import { pluralKey, useOutbox, useOutboxNotices } from '../use-outbox.js';
import type { SectionProps } from './index.js';

type Action = 'retryNow' | 'cancel' | 'delete' | 'markArrived' | 'resend' | 'edit';
const actionsFor: Record<OutboxState, Action[]> = {
  scheduled: ['retryNow', 'edit', 'cancel'],
  waiting: ['retryNow', 'cancel'],
  queued: ['cancel'],
  sending: ['cancel'],
  deferred: ['retryNow', 'edit', 'cancel'],
  failed: ['retryNow', 'edit', 'delete'],
  unconfirmed: ['markArrived', 'resend', 'delete'],
  sent: ['delete'],
  sentWithWarnings: ['delete'],
  cancelled: ['edit', 'delete'],
};
/** States after which nothing more happens on its own. */
const finished = new Set<OutboxState>(['sent', 'sentWithWarnings', 'failed', 'cancelled']);
export const stateTone = (s: string): 'success' | 'warning' | 'danger' | 'accent' | 'neutral' =>
  s === 'sent' ? 'success' : s === 'sentWithWarnings' || s === 'deferred' || s === 'unconfirmed' ? 'warning' : s === 'failed' ? 'danger' : s === 'sending' ? 'accent' : 'neutral';

/** Recipients as the draft holds them (typed text, mailboxes or groups) → chip texts. */
function list(v: RecipientsInput | undefined): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return v.trim() ? [v] : [];
  return v.flatMap((x) => (typeof x === 'string' ? [x] : 'group' in x ? x.members.map((m) => m.address) : [x.name ? `${x.name} <${x.address}>` : x.address]));
}

export function OutboxSection({ onNavigate }: SectionProps) {
  const { t, lang, formatBytes, formatDateTime } = useI18n();
  const toasts = useToasts();
  const { items, progress, error } = useOutbox();
  const { notices, dismiss: dismissNotice } = useOutboxNotices();
  const [confirmDelete, setConfirmDelete] = useState<OutboxItem | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { const timer = window.setInterval(() => setNow(Date.now()), 1000); return () => window.clearInterval(timer); }, []);

  // After an action the button that had focus may be gone (cancel, delete …): keep the person's
  // place — the same message's first action, else the message now in its place, else the list.
  const listRef = useRef<HTMLUListElement>(null);
  const refocus = useRef<{ id: string; index: number } | null>(null);
  useEffect(() => {
    const target = refocus.current;
    const list = listRef.current;
    if (!target || !list) return;
    const active = document.activeElement;
    if (active && list.contains(active)) return; // focus still has its place (it may vanish with a later update)
    refocus.current = null;
    if (active && active !== document.body) return; // the person has moved on: do not pull focus back
    const rows = [...list.querySelectorAll<HTMLElement>(':scope > li')];
    const row = rows.find((li) => li.dataset.id === target.id) ?? rows[Math.min(target.index, rows.length - 1)];
    (row?.querySelector<HTMLElement>('.outbox-item__actions button') ?? row ?? list).focus();
  }, [items]);

  async function run(action: Action, item: OutboxItem) {
    refocus.current = { id: item.id, index: sorted.findIndex((x) => x.id === item.id) };
    try {
      if (action === 'edit') {
        // Undo hands back exactly what was enqueued; it becomes a draft in the editor again.
        const back = await outbox.undo(item.id);
        const d = back.draft;
        const draft: ComposeDraft = {
          accountId: back.accountId, ...(d.identityId ? { identityId: d.identityId } : {}), to: list(d.to), cc: list(d.cc), bcc: list(d.bcc), subject: d.subject ?? '',
          mode: d.html ? 'rich' : 'plain', text: d.text ?? '', html: d.html ?? '',
          attachments: (d.attachments ?? []).map((a) => ({ ref: a.path, name: a.name ?? a.path.split(/[\\/]/).pop() ?? a.path, size: 0, ...(a.contentType ? { contentType: a.contentType } : {}) })),
        };
        await call('drafts.save', { draft });
        toasts.show({ tone: 'info', title: t('outbox.movedToDrafts') });
        onNavigate('compose');
        return;
      }
      await outbox.action(action, item.id);
      const done: Partial<Record<Action, string>> = { markArrived: 'outbox.done.markArrived', resend: 'outbox.done.resend', cancel: 'outbox.done.cancel', retryNow: 'outbox.done.retryNow' };
      const key = done[action];
      if (key) toasts.show({ tone: 'info', title: t(key, { subject: item.subject || t('compose.noSubject') }) });
    } catch (failure) {
      toasts.show({ tone: 'error', title: t('outbox.actionFailed'), body: failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure) });
    }
  }

  const sorted = [...(items ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>{t('section.outbox.title')}</h1>
          <p>{t('outbox.subtitle')}</p>
        </div>
      </header>
      {error ? <div className="banner banner--error" role="alert">{error}</div> : null}
      {notices.map((notice) => (
        <div key={notice.noticeId} className={`banner banner--${notice.kind === 'reconciledUnconfirmed' ? 'warning' : 'info'} outbox-notice`} role="status" data-testid="outbox-notice">
          <span>{t(pluralKey(lang, `outbox.notice.${notice.kind}`, notice.ids.length), { count: notice.ids.length })}</span>{' '}
          <button type="button" className="btn btn--small" onClick={() => dismissNotice(notice.noticeId)}>{t('outbox.notice.dismiss')}</button>
        </div>
      ))}
      {items === null && !error ? <p className="muted" aria-busy="true">{t('common.loading')}</p> : null}
      {items && sorted.length === 0 ? (
        <div className="card empty">
          <div className="empty__icon" aria-hidden="true"><Icon name="outbox" size={28} /></div>
          <h2>{t('outbox.empty.title')}</h2>
          <p>{t('outbox.empty.body')}</p>
        </div>
      ) : null}
      <ul className="outbox-list" aria-label={t('section.outbox.title')} ref={listRef} tabIndex={-1}>
        {sorted.map((item) => {
          const p = progress[item.id];
          const tone = stateTone(item.state);
          const pct = p && p.totalBytes ? Math.min(100, Math.round((p.bytesSent / p.totalBytes) * 100)) : null;
          // Recipients still tried (refused only for now), those who have it, and those refused for good.
          const remaining = item.remainingRecipients ?? [];
          const stillTried = new Set(remaining.map((a) => a.toLowerCase()));
          const reached = item.results.filter((r) => r.accepted).map((r) => r.address);
          const refused = item.results.filter((r) => !r.accepted && !stillTried.has(r.address.toLowerCase())).map((r) => r.address);
          const gaveUpHours = item.lastError?.params?.gaveUpAfterHours;
          // A message some recipients have cannot go back to the editor.
          const actions = actionsFor[item.state].filter((action) => action !== 'edit' || reached.length === 0);
          return (
            <li key={item.id} className="card outbox-item" data-id={item.id} data-state={item.state} tabIndex={-1} aria-label={item.subject || t('compose.noSubject')}>
              <div className="outbox-item__head">
                <span className={`badge badge--${tone}`} data-testid="outbox-state">{t(`state.${item.state}`)}</span>
                {item.overdue && !finished.has(item.state) ? <span className="badge badge--warning" data-testid="outbox-overdue">{t('outbox.overdue.badge')}</span> : null}
                <strong className="outbox-item__subject">{item.subject || t('compose.noSubject')}</strong>
                <span className="muted outbox-item__size">{item.size !== null ? formatBytes(item.size) : ''}</span>
              </div>
              <div className="muted outbox-item__to">{t('outbox.to', { list: item.recipients.join(', ') })}</div>
              {item.state === 'sending' ? (
                <div className="progress" role="progressbar" aria-label={t('outbox.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}
                  aria-valuetext={p?.totalBytes ? t('outbox.progressText', { sent: formatBytes(p.bytesSent), total: formatBytes(p.totalBytes) }) : t('outbox.connecting')}>
                  <div className={`progress__bar${pct === null ? ' progress__bar--indeterminate' : ''}`} style={pct !== null ? { width: `${pct}%` } : undefined} />
                  <span className="progress__text">{p?.totalBytes ? t('outbox.progressText', { sent: formatBytes(p.bytesSent), total: formatBytes(p.totalBytes) }) : t('outbox.connecting')}</span>
                </div>
              ) : null}
              <div className="outbox-item__meta muted">
                {item.state === 'waiting' && item.nextAttemptAt ? <span><Icon name="clock" size={14} /> {t('outbox.undoUntil', { s: Math.max(0, Math.ceil((item.nextAttemptAt - now) / 1000)) })}</span> : null}
                {item.state === 'scheduled' && item.nextAttemptAt ? <span><Icon name="clock" size={14} /> {t('outbox.scheduledFor', { when: formatDateTime(item.nextAttemptAt) })}</span> : null}
                {item.state === 'deferred' && item.nextAttemptAt ? <span><Icon name="clock" size={14} /> {t('outbox.nextRetry', { when: formatDateTime(item.nextAttemptAt) })}</span> : null}
                {item.state === 'deferred' && item.offline ? <span>{t('outbox.state.deferredOffline')}</span> : null}
                {item.overdue ? <span><Icon name="clock" size={14} /> {t('outbox.overdue.explain', { when: formatDateTime(item.scheduledFor ?? item.createdAt) })}</span> : null}
                {item.attemptCount > 0 ? <span>{t(pluralKey(lang, 'outbox.attempts', item.attemptCount), { n: item.attemptCount })}</span> : null}
                <span>{t('outbox.created', { when: formatDateTime(item.createdAt) })}</span>
              </div>
              {reached.length > 0 && remaining.length > 0 ? <p className="muted" data-testid="delivered">{t('outbox.partial.delivered', { list: reached.join(', ') })}</p> : null}
              {remaining.length > 0 ? <p className="field-warning" data-testid="retrying">{t('outbox.partial.retrying', { list: remaining.join(', ') })}</p> : null}
              {refused.length > 0 ? <p className="field-warning" data-testid="refused">{t('outcome.refused', { list: refused.join(', ') })}</p> : null}
              {typeof gaveUpHours === 'number' ? (
                <p className="field-warning" data-testid="gave-up">{t(item.state === 'sentWithWarnings' ? 'outbox.gaveUpRemaining' : 'outbox.gaveUp', { hours: gaveUpHours })}</p>
              ) : null}
              {item.state === 'unconfirmed' ? <p className="banner banner--warning">{t('outbox.unconfirmed.help')}</p> : null}
              {(item.state === 'failed' || item.state === 'deferred' || item.state === 'unconfirmed' || item.state === 'sentWithWarnings') && (item.explanation || item.lastError)
                ? <ExplanationView explanation={item.explanation} error={item.lastError} compact /> : null}
              {actions.length > 0 ? (
                <div className="outbox-item__actions">
                  {actions.map((action) => (
                    <button key={action} type="button" className={`btn btn--small${action === 'delete' || action === 'cancel' ? ' btn--danger' : action === 'markArrived' ? ' btn--primary' : ''}`}
                      onClick={() => (action === 'delete' ? setConfirmDelete(item) : void run(action, item))}>
                      {t(`outbox.action.${action}`)}
                    </button>
                  ))}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {confirmDelete ? (
        <ConfirmDialog title={t('outbox.deleteConfirm.title')} confirmLabel={t('outbox.action.delete')} danger
          onCancel={() => setConfirmDelete(null)} onConfirm={() => { const item = confirmDelete; setConfirmDelete(null); void run('delete', item); }}>
          <p>{t('outbox.deleteConfirm.body', { subject: confirmDelete.subject || t('compose.noSubject') })}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
