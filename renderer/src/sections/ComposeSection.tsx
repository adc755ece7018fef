import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import type { ComposeDraft, DraftAttachment, DraftSummary } from '../../../shared/contract/compose.js';
import { parseAddressList } from '../../../shared/address.js';
import { parseMailto } from '../../../shared/mailto.js';
import type { MessageDraftInput } from '../../../shared/message.js';
import { fromSender, senderLabel, senderOf, sendersOf, type Sender } from '../../../shared/sender.js';
import { htmlToPlainText, sanitizeHtml, textToHtml } from '../../../shared/sanitize-html.js';
import { ApiFailure, call, subscribe } from '../api.js';
import { onMailto } from '../mailto-inbox.js';
import { AddressField, useChipCheck } from '../components/AddressField.js';
import { DateField, TimeField } from '../components/DateField.js';
import { localMoment, sendLaterOptions } from '../date-input.js';
import { Icon } from '../components/Icon.js';
import { useToasts } from '../components/Toasts.js';
import { useI18n } from '../i18n.js';
import { outbox, stageAttachment } from '../pending-api.js';
import { useAppState } from '../settings-context.js';
import { useAccounts } from '../use-accounts.js';
import type { SectionProps } from './index.js';

// TipTap is loaded when the formatted mode is first shown, not with the app's first JavaScript.
const RichEditor = lazy(() => import('../components/RichEditor.js').then((m) => ({ default: m.RichEditor })));

/**
 * The compose screen's state: the draft plus which identity of the account it is from (absent:
 * the account's own sender). It goes to drafts.save with the draft; it is kept there once the
 * compose contract's ComposeDraftSchema declares identityId (until then a reopened draft starts
 * from the account's own sender).
 */
type ComposeState = ComposeDraft & { identityId?: string };

const emptyDraft = (accountId: string | null, identityId?: string): ComposeState => ({
  accountId, ...(identityId ? { identityId } : {}), to: [], cc: [], bcc: [], subject: '', mode: 'plain', text: '', html: '', attachments: [],
});

/** One option of the From list per sender: the account and the identity (none: the account's own). */
const senderKey = (s: Pick<Sender, 'accountId' | 'identityId'>): string => JSON.stringify([s.accountId, s.identityId ?? null]);
/** The identity a stored draft was written with, if it kept one. */
const identityOf = (draft: ComposeDraft): string | undefined =>
  'identityId' in draft && typeof draft.identityId === 'string' && draft.identityId !== '' ? draft.identityId : undefined;

interface PendingFile { key: string; name: string; size: number; ref?: string; error?: string }

const SIGNATURE_SEPARATOR = '-- ';
const signatureBlock = (signature: string | undefined): string => (signature?.trim() ? `\n\n${SIGNATURE_SEPARATOR}\n${signature.trim()}` : '');
/** Base64 grows attachments by 4/3 plus line breaks; headers and body add a little. */
export const estimateMessageSize = (attachmentBytes: number, bodyLength: number): number => Math.ceil(attachmentBytes * 1.37) + bodyLength * 2 + 2048;

/** Chips as mailboxes (name and address apart), so the outbox and the address history keep the names. */
function toMailboxes(chips: string[]): Array<string | { name: string; address: string }> {
  return chips.flatMap((chip) => {
    const parsed = parseAddressList(chip);
    if (!parsed.ok) return [chip];
    return parsed.mailboxes.map((m) => (m.name ? { name: m.name, address: m.address } : m.address));
  });
}

/** The new sender's signature in place of the old one's, when the text still ends with it. */
function swapSignature(text: string, from: string | undefined, to: string | undefined): string {
  const old = signatureBlock(from);
  const base = old && text.endsWith(old) ? text.slice(0, -old.length) : text;
  return base + signatureBlock(to);
}

export function ComposeSection({ onNavigate }: SectionProps) {
  const { t, formatBytes, formatDateTime } = useI18n();
  const { settings } = useAppState();
  const toasts = useToasts();
  const accounts = useAccounts();
  const check = useChipCheck();
  const ids = { from: useId(), subject: useId(), body: useId(), bodyLabel: useId(), later: useId(), files: useId() };
  const defaultAccount = accounts?.find((a) => a.isDefault) ?? accounts?.[0];
  const [draft, setDraft] = useState<ComposeState>(() => emptyDraft(null));
  const [draftId, setDraftId] = useState<string | undefined>();
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [showCopies, setShowCopies] = useState(false);
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [showDrafts, setShowDrafts] = useState(false);
  const [showLater, setShowLater] = useState(false);
  const [laterDay, setLaterDay] = useState('');
  const [laterTime, setLaterTime] = useState('');
  const [sending, setSending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dirty = useRef(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const account = accounts?.find((a) => a.id === draft.accountId) ?? defaultAccount;
  // Who it is from: the chosen identity of the account, or its own sender (also when the identity was removed since).
  const sender = account ? senderOf(account, draft.accountId === account.id ? draft.identityId : undefined) : undefined;
  const signature = sender?.signature;
  // The server's SIZE limit as the last connection test learnt it (kept on the account).
  const sizeLimit = account?.learnt?.sizeLimit ?? null;
  // Pick the default account (and its signature) once accounts are known.
  useEffect(() => {
    if (!draft.accountId && defaultAccount) {
      setDraft((d) => (d.accountId ? d : { ...d, accountId: defaultAccount.id, text: d.text || signatureBlock(defaultAccount.signature) }));
    }
  }, [defaultAccount, draft.accountId]);
  useEffect(() => {
    if (!account) return;
    void outbox.warmUp(account.id);
  }, [account]);

  const refreshDrafts = useCallback(() => { call('drafts.list').then(setDrafts).catch(() => undefined); }, []);
  useEffect(() => {
    refreshDrafts();
    return subscribe('drafts.changed', refreshDrafts);
  }, [refreshDrafts]);

  useEffect(() => onMailto((url) => {
    const fields = parseMailto(url);
    if (!fields) return;
    dirty.current = true;
    setDraftId(undefined);
    setDraft((d) => ({ ...emptyDraft(d.accountId, d.identityId), to: fields.to, cc: fields.cc, bcc: fields.bcc, subject: fields.subject, text: fields.body + signatureBlock(signature) }));
    if (fields.cc.length || fields.bcc.length) setShowCopies(true);
  }), [signature]);

  const update = (patch: Partial<ComposeState>) => { dirty.current = true; setDraft((d) => ({ ...d, ...patch })); };

  // Autosave: a second and a half after the last change.
  useEffect(() => {
    if (!dirty.current) return;
    const hasContent = draft.to.length + draft.cc.length + draft.bcc.length > 0 || draft.subject.trim() !== '' ||
      (draft.mode === 'plain' ? draft.text.trim() !== signatureBlock(signature).trim() : htmlToPlainText(draft.html) !== '') || draft.attachments.length > 0;
    if (!hasContent) return;
    const timer = window.setTimeout(() => {
      call('drafts.save', { ...(draftId ? { id: draftId } : {}), draft })
        .then((summary) => { setDraftId(summary.id); setSavedAt(summary.updatedAt); dirty.current = false; })
        .catch(() => undefined);
    }, 1500);
    return () => window.clearTimeout(timer);
  }, [draft, draftId, signature]);

  const attachmentBytes = draft.attachments.reduce((n, a) => n + a.size, 0);
  const bodyLength = draft.mode === 'plain' ? draft.text.length : draft.html.length * 2;
  const estimated = estimateMessageSize(attachmentBytes, bodyLength);
  const overLimit = sizeLimit !== null && sizeLimit > 0 && estimated > sizeLimit;
  const nearLimit = sizeLimit !== null && sizeLimit > 0 && !overLimit && estimated > sizeLimit * 0.8;
  const tooLargeText = sizeLimit ? t('compose.error.tooLarge', { size: formatBytes(estimated), limit: formatBytes(sizeLimit) }) : '';

  async function addFiles(list: FileList | File[]) {
    for (const file of Array.from(list)) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setFiles((f) => [...f, { key, name: file.name, size: file.size }]);
      try {
        const staged = await stageAttachment(file);
        setFiles((f) => f.filter((x) => x.key !== key));
        const attachment: DraftAttachment = { ref: staged.ref, name: file.name, size: staged.size, ...(file.type ? { contentType: file.type } : {}) };
        dirty.current = true;
        setDraft((d) => ({ ...d, attachments: [...d.attachments, attachment] }));
      } catch (failure) {
        const message = failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure);
        setFiles((f) => f.map((x) => (x.key === key ? { ...x, error: message } : x)));
      }
    }
  }
  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) void addFiles(e.dataTransfer.files);
  }

  function switchMode(mode: ComposeDraft['mode']) {
    if (mode === draft.mode) return;
    if (mode === 'rich') update({ mode, html: draft.html || textToHtml(draft.text) });
    else update({ mode, text: htmlToPlainText(draft.html) });
  }
  function changeSender(key: string) {
    const next = (accounts ?? []).flatMap(sendersOf).find((s) => senderKey(s) === key);
    if (!next) return;
    dirty.current = true;
    setDraft(({ identityId: _previous, ...d }) => ({
      ...d, accountId: next.accountId, ...(next.identityId ? { identityId: next.identityId } : {}),
      text: d.mode === 'plain' ? swapSignature(d.text, signature, next.signature) : d.text,
    }));
  }
  async function openDraft(id: string) {
    try {
      const stored = await call('drafts.get', id);
      dirty.current = false;
      const identityId = identityOf(stored.draft);
      setDraft({ ...stored.draft, ...(identityId ? { identityId } : {}) });
      setDraftId(stored.id);
      setSavedAt(stored.updatedAt);
      setShowDrafts(false);
      if (stored.draft.cc.length || stored.draft.bcc.length) setShowCopies(true);
    } catch (failure) {
      setFormError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure));
    }
  }
  async function discardDraft(id: string) {
    await call('drafts.delete', id).catch(() => false);
    if (id === draftId) { setDraftId(undefined); setSavedAt(null); }
    refreshDrafts();
  }

  function problems(): string | null {
    if (!account) return t('compose.error.noAccount');
    const all = [...draft.to, ...draft.cc, ...draft.bcc];
    if (all.length === 0) return t('compose.error.noRecipients');
    for (const a of all) { const p = check(a); if (p) return p; }
    if (files.some((f) => !f.error)) return t('compose.error.stillAttaching');
    if (overLimit && sizeLimit) return tooLargeText;
    return null;
  }

  async function send(sendAt?: number) {
    if (sending) return;
    const problem = problems();
    setFormError(problem);
    if (problem || !account || !sender) return;
    setSending(true);
    setShowLater(false);
    const html = draft.mode === 'rich' ? sanitizeHtml(draft.html) : undefined;
    // From, Reply-To and the envelope sender are the chosen identity's (shared/sender.ts).
    const message: MessageDraftInput = fromSender({
      to: toMailboxes(draft.to), cc: toMailboxes(draft.cc), bcc: toMailboxes(draft.bcc),
      subject: draft.subject,
      text: draft.mode === 'plain' ? draft.text : htmlToPlainText(html ?? ''),
      ...(html ? { html } : {}),
      attachments: draft.attachments.map((a) => ({ path: a.ref, name: a.name, ...(a.contentType ? { contentType: a.contentType } : {}) })),
    }, sender);
    try {
      const queued = await outbox.enqueue(message, { accountId: account.id, ...(sendAt ? { sendAt } : {}) });
      if (draftId) await call('drafts.delete', draftId).catch(() => false);
      const sent = draft;
      const sentDraftId = draftId;
      dirty.current = false;
      // The next message starts from the same sender, with its signature.
      setDraft({ ...emptyDraft(account.id, sender.identityId), text: signatureBlock(sender.signature) });
      setDraftId(undefined);
      setSavedAt(null);
      setShowCopies(false);
      setLaterDay('');
      setLaterTime('');
      const undoable = sendAt === undefined && settings.undoSendSeconds > 0;
      toasts.show({
        tone: 'info',
        key: `message-${queued.id}`,
        title: sendAt ? t('compose.toast.scheduled', { when: formatDateTime(sendAt) }) : undoable ? t('compose.toast.sending', { n: settings.undoSendSeconds }) : t('compose.toast.queued'),
        body: sent.subject || t('compose.noSubject'),
        duration: undoable ? settings.undoSendSeconds * 1000 : 5000,
        action: undoable || sendAt ? {
          label: t('compose.undo'),
          run: () => {
            outbox.undo(queued.id)
              .then(() => { setDraft(sent); setDraftId(sentDraftId); dirty.current = true; toasts.show({ tone: 'info', title: t('compose.toast.undone') }); })
              .catch((failure: unknown) => toasts.show({ tone: 'error', title: t('compose.toast.undoFailed'), body: failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure) }));
          },
        } : undefined,
      });
    } catch (failure) {
      setFormError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : t('common.unexpected', { detail: String(failure) }));
    } finally {
      setSending(false);
    }
  }

  // Recomputed each time the picker opens, so "in one hour" means from now.
  const later = useMemo(() => (showLater ? sendLaterOptions(new Date()) : []), [showLater]);
  const customAt = localMoment(laterDay, laterTime);
  const customPassed = customAt !== null && customAt <= Date.now();
  const scheduleCustom = () => { if (customAt !== null && !customPassed) void send(customAt); };

  // Nothing until the accounts are known: a form shown meanwhile would take the focus (the To
  // field's autofocus) and, on a first run, vanish under it for the "add an account" card, leaving
  // the keyboard's place inside a form that is gone.
  if (accounts === null) return <div className="page page--compose" aria-busy="true" />;
  if (accounts.length === 0) {
    return (
      <div className="page page--narrow">
        <header className="page__header"><h1>{t('section.compose.title')}</h1></header>
        <div className="card empty">
          <div className="empty__icon" aria-hidden="true"><Icon name="accounts" size={28} /></div>
          <h2>{t('compose.noAccount.title')}</h2>
          <p>{t('compose.noAccount.body')}</p>
          <button type="button" className="btn btn--primary" onClick={() => onNavigate('accounts')}><Icon name="plus" />{t('accounts.add')}</button>
        </div>
      </div>
    );
  }

  return (
    <div className="page page--compose" onKeyDown={(e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send(); }
      else if (e.key === 'Escape' && (showLater || showDrafts)) { e.preventDefault(); setShowLater(false); setShowDrafts(false); }
    }}>
      <header className="page__header">
        <div>
          <h1>{t('section.compose.title')}</h1>
          <p className="autosave" aria-live="polite">{savedAt ? t('compose.savedAt', { time: formatDateTime(savedAt) }) : '\u00a0'}</p>
        </div>
        <div className="page__actions">
          <button type="button" className="btn btn--ghost" aria-expanded={showDrafts} aria-controls="drafts-panel" onClick={() => setShowDrafts((v) => !v)}>
            <Icon name="log" />{t('compose.drafts', { n: drafts.length })}
          </button>
        </div>
      </header>

      {showDrafts ? (
        <section id="drafts-panel" className="card drafts" aria-label={t('compose.draftsTitle')}>
          <h2>{t('compose.draftsTitle')}</h2>
          {drafts.length === 0 ? <p className="muted">{t('compose.draftsEmpty')}</p> : (
            <ul className="drafts__list">
              {drafts.map((d) => (
                <li key={d.id} className={`draft-row${d.id === draftId ? ' draft-row--current' : ''}`}>
                  <button type="button" className="draft-row__open" onClick={() => void openDraft(d.id)}>
                    <strong>{d.subject || t('compose.noSubject')}</strong>
                    <span className="muted">{d.recipients.join(', ') || t('compose.noRecipientsYet')}</span>
                    <span className="muted draft-row__preview">{d.preview}</span>
                  </button>
                  <span className="muted draft-row__time">{formatDateTime(d.updatedAt)}</span>
                  <button type="button" className="icon-btn" aria-label={t('compose.discardDraft', { subject: d.subject || t('compose.noSubject') })} onClick={() => void discardDraft(d.id)}>
                    <Icon name="trash" size={16} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <form className={`card compose${dragging ? ' compose--dragging' : ''}`} onSubmit={(e) => { e.preventDefault(); void send(); }}
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }} onDrop={onDrop}
        aria-label={t('section.compose.title')}>
        <div className="compose__row">
          <label htmlFor={ids.from} className="compose__label">{t('compose.from')}</label>
          <select id={ids.from} value={sender ? senderKey(sender) : ''} onChange={(e) => changeSender(e.target.value)}>
            {/* Every sender of every account, grouped under the account it sends through. */}
            {(accounts ?? []).map((a) => (
              <optgroup key={a.id} label={a.address}>
                {sendersOf(a).map((s) => <option key={senderKey(s)} value={senderKey(s)}>{senderLabel(s)}</option>)}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="compose__row compose__row--address">
          <AddressField label={t('compose.to')} values={draft.to} onChange={(to) => update({ to })} autoFocus />
          {!showCopies ? <button type="button" className="btn btn--ghost btn--small" onClick={() => setShowCopies(true)}>{t('compose.showCopies')}</button> : null}
        </div>
        {showCopies ? (
          <>
            <div className="compose__row compose__row--address"><AddressField label={t('compose.cc')} values={draft.cc} onChange={(cc) => update({ cc })} /></div>
            <div className="compose__row compose__row--address"><AddressField label={t('compose.bcc')} values={draft.bcc} onChange={(bcc) => update({ bcc })} /></div>
          </>
        ) : null}
        <div className="compose__row">
          <label htmlFor={ids.subject} className="compose__label">{t('compose.subject')}</label>
          <input id={ids.subject} type="text" value={draft.subject} maxLength={2000} onChange={(e) => update({ subject: e.target.value.replace(/[\r\n]/g, ' ') })} />
        </div>

        <div className="compose__body">
          <div className="compose__body-head">
            <span id={ids.bodyLabel} className="compose__label">{t('compose.body')}</span>
            <div className="segmented" role="radiogroup" aria-label={t('compose.format')}>
              {(['plain', 'rich'] as const).map((m) => (
                <button key={m} type="button" role="radio" aria-checked={draft.mode === m} className="segmented__item" onClick={() => switchMode(m)}>
                  {t(`compose.format.${m}`)}
                </button>
              ))}
            </div>
          </div>
          {draft.mode === 'plain' ? (
            <textarea id={ids.body} className="body-editor" aria-labelledby={ids.bodyLabel} value={draft.text} rows={12} onChange={(e) => update({ text: e.target.value })} />
          ) : (
            <Suspense fallback={<div className="rich-editor rich-editor--loading" aria-hidden="true"><div className="rich-editor__toolbar" /><div className="body-editor" /></div>}>
              <RichEditor id={ids.body} labelledBy={ids.bodyLabel} html={draft.html} onChange={(html) => update({ html })} />
            </Suspense>
          )}
        </div>

        <div className="attachments" aria-label={t('compose.attachments')} role="group">
          <div className="attachments__head">
            <button type="button" className="btn btn--small" onClick={() => fileInput.current?.click()}><Icon name="attach" size={16} />{t('compose.attach')}</button>
            <input ref={fileInput} id={ids.files} type="file" multiple hidden aria-label={t('compose.attach')} onChange={(e) => { if (e.target.files) void addFiles(e.target.files); e.target.value = ''; }} />
            <span className="muted attachments__hint">{t('compose.dropHint')}</span>
            <span className={`size-meter${overLimit ? ' size-meter--over' : nearLimit ? ' size-meter--near' : ''}`} data-testid="size-meter">
              {sizeLimit ? t('compose.sizeOfLimit', { size: formatBytes(estimated), limit: formatBytes(sizeLimit) }) : t('compose.size', { size: formatBytes(estimated) })}
            </span>
          </div>
          {sizeLimit ? (
            <div className="meter" aria-hidden="true"><div className="meter__fill" style={{ width: `${Math.min(100, (estimated / sizeLimit) * 100)}%` }} /></div>
          ) : null}
          {overLimit && sizeLimit && formError !== tooLargeText ? <p className="field-error" role="alert">{tooLargeText}</p> : null}
          {nearLimit && sizeLimit ? <p className="field-warning">{t('compose.warning.nearLimit', { limit: formatBytes(sizeLimit) })}</p> : null}
          {draft.attachments.length + files.length > 0 ? (
            <ul className="attachment-list">
              {draft.attachments.map((a, i) => (
                <li key={`${a.ref}-${i}`} className="attachment">
                  <Icon name="attach" size={16} />
                  <span className="attachment__name">{a.name}</span>
                  <span className="muted">{formatBytes(a.size)}</span>
                  <button type="button" className="icon-btn" aria-label={t('compose.removeAttachment', { name: a.name })}
                    onClick={() => update({ attachments: draft.attachments.filter((_, j) => j !== i) })}><Icon name="close" size={14} /></button>
                </li>
              ))}
              {files.map((f) => (
                <li key={f.key} className={`attachment attachment--pending${f.error ? ' attachment--error' : ''}`}>
                  <Icon name={f.error ? 'error' : 'clock'} size={16} />
                  <span className="attachment__name">{f.name}</span>
                  <span className="muted">{f.error ?? t('compose.attaching')}</span>
                  {f.error ? <button type="button" className="icon-btn" aria-label={t('compose.removeAttachment', { name: f.name })} onClick={() => setFiles((l) => l.filter((x) => x.key !== f.key))}><Icon name="close" size={14} /></button> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>

        {formError ? <div className="banner banner--error" role="alert">{formError}</div> : null}

        <div className="compose__footer">
          <div className="send-group">
            <button type="submit" className="btn btn--primary" aria-disabled={sending || undefined} aria-busy={sending || undefined} aria-keyshortcuts="Control+Enter Meta+Enter">
              <Icon name="send" />{t('compose.send')}
            </button>
            <button type="button" className="btn btn--primary send-group__more" aria-expanded={showLater} aria-controls={ids.later} aria-label={t('compose.sendLater')} onClick={() => setShowLater((v) => !v)}>
              <Icon name="clock" />
            </button>
          </div>
          <span className="muted kbd-hint"><kbd>Ctrl</kbd> + <kbd>Enter</kbd></span>
          {showLater ? (
            <div id={ids.later} className="popover" role="group" aria-label={t('compose.sendLater')}>
              <h3>{t('compose.sendLater')}</h3>
              {later.map((o) => (
                <button key={o.id} type="button" className="popover__item" onClick={() => void send(o.at)}>
                  <span>{t(`compose.later.${o.id}`)}</span><span className="muted">{formatDateTime(o.at)}</span>
                </button>
              ))}
              <fieldset className="popover__custom" onKeyDown={(e) => {
                // Enter in a date or time field schedules; it must never submit the form (that sends now).
                if (e.key === 'Enter' && !(e.ctrlKey || e.metaKey) && e.target instanceof HTMLInputElement) { e.preventDefault(); scheduleCustom(); }
              }}>
                <legend className="popover__label">{t('compose.later.custom')}</legend>
                <DateField label={t('compose.later.date')} value={laterDay} onChange={setLaterDay} />
                <TimeField label={t('compose.later.time')} value={laterTime} onChange={setLaterTime} />
                <button type="button" className="btn popover__schedule" disabled={customAt === null || customPassed} onClick={scheduleCustom}>{t('compose.later.schedule')}</button>
              </fieldset>
              <p className={customPassed ? 'field-error popover__when' : 'muted popover__when'} role={customPassed ? 'alert' : undefined} data-testid="send-later-when">
                {customPassed ? t('compose.later.past') : customAt !== null ? t('compose.later.at', { when: formatDateTime(customAt) }) : '\u00a0'}
              </p>
            </div>
          ) : null}
        </div>
        {dragging ? <div className="drop-overlay" aria-hidden="true"><Icon name="attach" size={28} />{t('compose.dropHere')}</div> : null}
      </form>
    </div>
  );
}
