import { useEffect, useId, useRef, useState } from 'react';
import {
  checkIdentity, MAX_IDENTITY_NAME_LENGTH, MAX_SIGNATURE_LENGTH, type Account, type Identity, type IdentityField, type IdentityInput,
} from '../../../shared/account.js';
import { senderLabel } from '../../../shared/sender.js';
import { ApiFailure, call } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Icon } from '../components/Icon.js';
import { useToasts } from '../components/Toasts.js';
import { useI18n } from '../i18n.js';
import './AccountIdentities.css';

/** Where the keyboard focus goes once the element it was on is gone (a form closed, an identity removed). */
type FocusTarget = 'heading' | 'add' | { edit: string };

const identityFields: readonly IdentityField[] = ['name', 'address', 'replyTo', 'signature'];
const isIdentityField = (value: unknown): value is IdentityField => identityFields.includes(value as IdentityField);

/**
 * The "Identities" part of an account's edit area: the further senders (aliases) that send over
 * this account's server, each added, edited and removed on its own and saved at once, apart
 * from the account form above it (a form cannot hold another form).
 */
export function AccountIdentities({ account, onClose }: { account: Account; onClose(): void }) {
  const { t } = useI18n();
  const toasts = useToasts();
  const headingId = useId();
  const identities = account.identities ?? [];
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Identity | null>(null);
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Kept until the target is rendered (the list may update after the call returns), then moved once.
  useEffect(() => {
    if (!focusTarget) return;
    const target = focusTarget === 'heading' ? heading.current : focusTarget === 'add' ? addButton.current
      : section.current?.querySelector<HTMLElement>(`[data-identity-edit="${CSS.escape(focusTarget.edit)}"]`);
    if (target) { target.focus(); setFocusTarget(null); }
  });
  // An identity removed elsewhere (another window) while its form was open: nothing left to edit.
  const editing = identities.find((i) => i.id === editingId);
  useEffect(() => {
    if (editingId !== null && !editing) { setEditingId(null); setFocusTarget('heading'); }
  }, [editingId, editing]);

  const own = { name: account.displayName, address: account.address };

  async function remove(identity: Identity) {
    setRemoving(null);
    setFocusTarget('heading');
    try {
      await call('accounts.removeIdentity', account.id, identity.id);
      toasts.show({ tone: 'success', title: t('identities.removed', { sender: senderLabel(identity) }) });
    } catch (failure) {
      toasts.show({ tone: 'error', title: t('identities.removeFailed'), body: failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure) });
    }
  }

  return (
    <section ref={section} className="identities" aria-labelledby={headingId}
      onKeyDown={(e) => {
        // Escape leaves the edit area, as it does in the account form; an open identity form handles its own.
        if (e.key === 'Escape' && !removing && !adding && editingId === null) { e.preventDefault(); onClose(); }
      }}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>{t('identities.title')}</h3>
      <p className="identities__intro">{t('identities.intro')}</p>
      <ul className="identity-list" aria-labelledby={headingId}>
        <li className="identity-row identity-row--own">
          <div className="identity-row__who">
            <span className="identity-row__sender">{senderLabel(own)}</span>
            <div className="identity-row__facts muted">{t('identities.own.hint')}</div>
          </div>
          <span className="badge">{t('identities.own')}</span>
        </li>
        {identities.map((identity) => (
          editing?.id === identity.id ? (
            <li key={identity.id} className="identity-row identity-row--editing">
              <IdentityForm accountId={account.id} identity={identity}
                onCancel={() => { setEditingId(null); setFocusTarget({ edit: identity.id }); }}
                onSaved={(sender) => {
                  setEditingId(null);
                  setFocusTarget({ edit: identity.id });
                  toasts.show({ tone: 'success', title: t('identities.saved', { sender }) });
                }} />
            </li>
          ) : (
            <IdentityRow key={identity.id} identity={identity} onEdit={() => { setAdding(false); setEditingId(identity.id); }} onRemove={() => setRemoving(identity)} />
          )
        ))}
      </ul>
      {identities.length === 0 && !adding ? <p className="muted identities__none">{t('identities.none')}</p> : null}
      {adding ? (
        <IdentityForm accountId={account.id}
          onCancel={() => { setAdding(false); setFocusTarget('add'); }}
          onSaved={(sender) => {
            setAdding(false);
            setFocusTarget('add');
            toasts.show({ tone: 'success', title: t('identities.added', { sender }) });
          }} />
      ) : (
        <button ref={addButton} type="button" className="btn btn--small" onClick={() => { setEditingId(null); setAdding(true); }}>
          <Icon name="plus" size={14} />{t('identities.add')}
        </button>
      )}
      {removing ? (
        <ConfirmDialog title={t('identities.removeConfirm.title', { sender: senderLabel(removing) })} confirmLabel={t('identities.remove')} danger
          onCancel={() => setRemoving(null)} onConfirm={() => void remove(removing)}>
          <p>{t('identities.removeConfirm.body')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function IdentityRow({ identity, onEdit, onRemove }: { identity: Identity; onEdit(): void; onRemove(): void }) {
  const { t } = useI18n();
  const senderId = useId();
  return (
    <li className="identity-row" data-identity={identity.id}>
      <div className="identity-row__who">
        <span className="identity-row__sender" id={senderId}>{senderLabel(identity)}</span>
        {identity.replyTo || identity.signature ? (
          <div className="identity-row__facts muted">
            {identity.replyTo ? <span>{t('identities.repliesTo', { address: identity.replyTo })}</span> : null}
            {identity.signature ? <span className="badge">{t('identities.ownSignature')}</span> : null}
          </div>
        ) : null}
      </div>
      <div className="identity-row__actions">
        {/* The visible word is the name; the sender it acts on is its description. */}
        <button type="button" className="btn btn--small" data-identity-edit={identity.id} aria-describedby={senderId} onClick={onEdit}>{t('common.edit')}</button>
        <button type="button" className="btn btn--small btn--danger" aria-describedby={senderId} onClick={onRemove}>
          <Icon name="trash" size={14} />{t('identities.remove')}
        </button>
      </div>
    </li>
  );
}

/** Add (no identity) or edit one; checks as the store does before asking it, and shows a refusal at its field. */
function IdentityForm({ accountId, identity, onSaved, onCancel }: { accountId: string; identity?: Identity; onSaved(sender: string): void; onCancel(): void }) {
  const { t } = useI18n();
  const ids = { name: useId(), address: useId(), replyTo: useId(), signature: useId(), problem: useId() };
  const nameInput = useRef<HTMLInputElement>(null);
  const addressInput = useRef<HTMLInputElement>(null);
  const replyToInput = useRef<HTMLInputElement>(null);
  const signatureInput = useRef<HTMLTextAreaElement>(null);
  const inputOf = (field: IdentityField): HTMLElement | null =>
    ({ name: nameInput, address: addressInput, replyTo: replyToInput, signature: signatureInput })[field].current;
  const [name, setName] = useState(identity?.name ?? '');
  const [address, setAddress] = useState(identity?.address ?? '');
  const [replyTo, setReplyTo] = useState(identity?.replyTo ?? '');
  const [signature, setSignature] = useState(identity?.signature ?? '');
  const [problem, setProblem] = useState<{ field: IdentityField | null; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const refuse = (field: IdentityField | null, text: string) => {
    setProblem({ field, text });
    if (field) inputOf(field)?.focus();
  };

  async function save() {
    if (saving) return;
    const input: IdentityInput = { name, address, ...(replyTo.trim() ? { replyTo } : {}), ...(signature.trim() ? { signature } : {}) };
    const checked = checkIdentity(input);
    if (!checked.ok) { refuse(checked.problem.field, t(`store.${checked.problem.kind}`, checked.problem.params)); return; }
    setSaving(true);
    setProblem(null);
    try {
      if (identity) {
        await call('accounts.updateIdentity', accountId, identity.id, { name, address, replyTo: replyTo.trim() ? replyTo : null, signature: signature.trim() ? signature : null });
      } else {
        await call('accounts.addIdentity', accountId, input);
      }
      onSaved(senderLabel(checked.value));
    } catch (failure) {
      if (failure instanceof ApiFailure) {
        const field = failure.error.params?.field;
        refuse(isIdentityField(field) ? field : null, t(failure.error.messageKey, failure.error.params));
      } else {
        refuse(null, t('common.unexpected', { detail: String(failure) }));
      }
    } finally {
      setSaving(false);
    }
  }

  const errorId = ids.problem;
  const invalid = (field: IdentityField) => (problem?.field === field ? { 'aria-invalid': true as const } : {});
  const describedBy = (field: IdentityField, hint?: string) => [hint, problem?.field === field ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const errorAt = (field: IdentityField) => (problem?.field === field ? <p className="field-error" id={errorId} role="alert">{problem.text}</p> : null);

  return (
    <form className="identity-form" noValidate
      aria-label={identity ? t('identities.editTitle', { sender: senderLabel(identity) }) : t('identities.newTitle')}
      onSubmit={(e) => { e.preventDefault(); void save(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); if (!saving) onCancel(); } }}>
      <div className="identity-form__grid">
        <div className="field">
          <label htmlFor={ids.name}>{t('identities.name')}</label>
          <input id={ids.name} ref={nameInput} type="text" autoComplete="name" autoFocus value={name} maxLength={MAX_IDENTITY_NAME_LENGTH}
            onChange={(e) => setName(e.target.value)} aria-describedby={describedBy('name', `${ids.name}-hint`)} {...invalid('name')} />
          <p className="field__hint" id={`${ids.name}-hint`}>{t('identities.name.hint')}</p>
          {errorAt('name')}
        </div>
        <div className="field">
          <label htmlFor={ids.address}>{t('identities.address')}</label>
          <input id={ids.address} ref={addressInput} type="email" autoComplete="email" required value={address} maxLength={254}
            onChange={(e) => setAddress(e.target.value)} aria-describedby={describedBy('address', `${ids.address}-hint`)} {...invalid('address')} />
          <p className="field__hint" id={`${ids.address}-hint`}>{t('identities.address.hint')}</p>
          {errorAt('address')}
        </div>
        <div className="field">
          <label htmlFor={ids.replyTo}>{t('identities.replyTo')}</label>
          <input id={ids.replyTo} ref={replyToInput} type="email" autoComplete="off" value={replyTo} maxLength={254}
            onChange={(e) => setReplyTo(e.target.value)} aria-describedby={describedBy('replyTo', `${ids.replyTo}-hint`)} {...invalid('replyTo')} />
          <p className="field__hint" id={`${ids.replyTo}-hint`}>{t('identities.replyTo.hint')}</p>
          {errorAt('replyTo')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.signature}>{t('identities.signature')}</label>
        <textarea id={ids.signature} ref={signatureInput} rows={3} value={signature} maxLength={MAX_SIGNATURE_LENGTH}
          onChange={(e) => setSignature(e.target.value)} aria-describedby={describedBy('signature', `${ids.signature}-hint`)} {...invalid('signature')} />
        <p className="field__hint" id={`${ids.signature}-hint`}>{t('identities.signature.hint')}</p>
        {errorAt('signature')}
      </div>
      {problem && problem.field === null ? <div className="banner banner--error" role="alert">{problem.text}</div> : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn--primary" aria-disabled={saving || undefined} aria-busy={saving || undefined}>
          {identity ? t('identities.save') : t('identities.add')}
        </button>
      </div>
    </form>
  );
}
