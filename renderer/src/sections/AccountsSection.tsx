import { useEffect, useId, useRef, useState } from 'react';
import type { Account, AccountPatch } from '../../../shared/account.js';
import type { SmtpSettings } from '../../../shared/domain.js';
import type { AppError } from '../../../shared/errors.js';
import type { Explanation } from '../../../shared/explanation.js';
import { ApiFailure, call } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ExplanationView } from '../components/ExplanationView.js';
import { Icon } from '../components/Icon.js';
import { useToasts } from '../components/Toasts.js';
import { useI18n } from '../i18n.js';
import { useAccounts } from '../use-accounts.js';
import { AccountIdentities } from './AccountIdentities.js';
import { AccountWizard, ServerFields, providerInitial } from './AccountWizard.js';
import type { SectionProps } from './index.js';

/** The last connection test of an account in this session: worked, or why not. */
type TestOutcome = { ok: true } | { ok: false; error: AppError; explanation?: Explanation };

const securityLabel = (s: SmtpSettings['security']) => (s === 'tls' ? 'SSL/TLS' : s === 'starttls' ? 'STARTTLS' : '—');

export function AccountsSection({ onNavigate }: SectionProps) {
  const { t, formatBytes, formatDateTime } = useI18n();
  const accounts = useAccounts();
  const toasts = useToasts();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Account | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [status, setStatus] = useState<Record<string, TestOutcome>>({});

  // Where the keyboard focus goes once the element it was on is gone (wizard finished, editor
  // closed, account deleted): kept until that target is rendered, then moved there once. State,
  // not a ref: the list may already show (the accounts event came first) when the wizard says it
  // is done, and the request itself must cause the render that moves the focus.
  const [focusTarget, setFocusTarget] = useState<'heading' | { edit: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!focusTarget) return;
    const target = focusTarget === 'heading' ? heading.current : document.querySelector<HTMLElement>(`[data-edit-for="${CSS.escape(focusTarget.edit)}"]`);
    if (target) { target.focus(); setFocusTarget(null); }
  });

  const failText = (failure: unknown) => (failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : t('common.unexpected', { detail: String(failure) }));

  async function test(account: Account) {
    setTesting(account.id);
    try {
      const result = await call('accounts.testConnection', { accountId: account.id });
      // A failure is explained in the account's card (it stays until the next test); success is a toast.
      setStatus((s) => ({ ...s, [account.id]: result.ok ? { ok: true }
        : { ok: false, error: result.error ?? { kind: 'unknown', messageKey: 'common.unexpected', params: { detail: '' } }, ...(result.explanation ? { explanation: result.explanation } : {}) } }));
      if (result.ok) toasts.show({ tone: 'success', title: t('accounts.test.ok', { address: account.address }) });
    } catch (failure) {
      setStatus((s) => ({ ...s, [account.id]: { ok: false, error: failure instanceof ApiFailure ? failure.error : { kind: 'unknown', messageKey: 'common.unexpected', params: { detail: String(failure) } } } }));
    } finally {
      setTesting(null);
    }
  }
  async function remove(account: Account) {
    setDeleting(null);
    setFocusTarget('heading');
    try {
      await call('accounts.delete', account.id);
      toasts.show({ tone: 'success', title: t('accounts.deleted', { address: account.address }) });
    } catch (failure) {
      toasts.show({ tone: 'error', title: t('accounts.deleteFailed'), body: failText(failure) });
    }
  }

  if (adding || (accounts && accounts.length === 0)) {
    return (
      <div className="page page--narrow">
        <header className="page__header">
          <div>
            <h1>{t('wizard.title')}</h1>
            <p>{t('wizard.subtitle')}</p>
          </div>
          {accounts && accounts.length > 0 ? <button type="button" className="btn btn--ghost" onClick={() => { setFocusTarget('heading'); setAdding(false); }}>{t('common.cancel')}</button> : null}
        </header>
        <AccountWizard onDone={(created) => {
          setFocusTarget('heading');
          setAdding(false);
          toasts.show({ tone: 'success', title: t('wizard.saved', { address: created.address }), action: { label: t('wizard.writeFirst'), run: () => onNavigate('compose') } });
        }} />
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1 ref={heading} tabIndex={-1}>{t('section.accounts.title')}</h1>
        <button type="button" className="btn btn--primary" onClick={() => setAdding(true)}><Icon name="plus" />{t('accounts.add')}</button>
      </header>
      {accounts === null ? <p className="muted" aria-busy="true">{t('common.loading')}</p> : null}
      <ul className="account-list">
        {(accounts ?? []).map((a) => (
          <li key={a.id} className="card account-card" aria-label={a.address}>
            <div className="account-card__main">
              <span className="provider-mark" aria-hidden="true">{providerInitial(a.providerId, a.address)}</span>
              <div className="account-card__who">
                <div className="account-card__name">
                  <strong>{a.displayName || a.address}</strong>
                  {a.isDefault ? <span className="badge badge--accent">{t('accounts.default')}</span> : null}
                </div>
                <div className="muted">{a.address}</div>
                <div className="account-card__server muted"><Icon name="lock" size={14} /> {a.host}:{a.port} · {securityLabel(a.security)}{a.username ? ` · ${a.username}` : ''}</div>
                {a.learnt ? (
                  <div className="account-card__learnt muted" data-testid="account-learnt">
                    {a.learnt.sizeLimit ? t('accounts.learnt.size', { size: formatBytes(a.learnt.sizeLimit), time: formatDateTime(a.learnt.testedAt) })
                      : t('accounts.learnt.noSize', { time: formatDateTime(a.learnt.testedAt) })}
                  </div>
                ) : null}
              </div>
              <div className="account-card__status">
                {a.secretStatus === 'unknown' && a.username ? <span className="badge badge--warning" title={t('accounts.keychainUnknown.hint')}><Icon name="warning" size={14} />{t('accounts.keychainUnknown')}</span>
                  : !a.hasSecret && a.username ? <span className="badge badge--warning"><Icon name="warning" size={14} />{t('accounts.noPassword')}</span>
                  : status[a.id]?.ok === false ? <span className="badge badge--danger"><Icon name="error" size={14} />{t('accounts.status.failed')}</span>
                  : status[a.id]?.ok ? <span className="badge badge--success"><Icon name="check" size={14} />{t('accounts.status.ok')}</span>
                  : <span className="badge"><Icon name="check" size={14} />{t('accounts.status.ready')}</span>}
              </div>
            </div>
            <div className="account-card__actions">
              {!a.isDefault ? <button type="button" className="btn btn--small" onClick={() => void call('accounts.setDefault', a.id).catch((f: unknown) => toasts.show({ tone: 'error', title: failText(f) }))}>{t('accounts.makeDefault')}</button> : null}
              <button type="button" className="btn btn--small" aria-disabled={testing === a.id || undefined} aria-busy={testing === a.id || undefined} onClick={() => { if (testing !== a.id) void test(a); }}>{testing === a.id ? t('accounts.testing') : t('accounts.test')}</button>
              <button type="button" className="btn btn--small" aria-expanded={editing === a.id} data-edit-for={a.id} onClick={() => setEditing(editing === a.id ? null : a.id)}>{t('accounts.edit')}</button>
              <button type="button" className="btn btn--small btn--danger" onClick={() => setDeleting(a)}><Icon name="trash" size={14} />{t('accounts.delete')}</button>
            </div>
            <TestFailure outcome={status[a.id]} address={a.address} />
            {editing === a.id ? (
              <>
                <AccountEditor account={a} onClose={() => { setFocusTarget({ edit: a.id }); setEditing(null); }} />
                <AccountIdentities account={a} onClose={() => { setFocusTarget({ edit: a.id }); setEditing(null); }} />
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {deleting ? (
        <ConfirmDialog title={t('accounts.deleteConfirm.title', { address: deleting.address })} confirmLabel={t('accounts.delete')} danger
          onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}>
          <p>{t('accounts.deleteConfirm.body')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Why the last connection test of this account failed, in the person's language, with the provider's hint. */
function TestFailure({ outcome, address }: { outcome: TestOutcome | undefined; address: string }) {
  const { t } = useI18n();
  if (!outcome || outcome.ok) return null;
  return (
    <div className="account-card__test" role="alert" aria-label={t('accounts.test.failed', { address })}>
      <ExplanationView explanation={outcome.explanation} error={outcome.error} technical />
    </div>
  );
}

function AccountEditor({ account, onClose }: { account: Account; onClose(): void }) {
  const { t } = useI18n();
  const toasts = useToasts();
  const ids = { name: useId(), signature: useId(), password: useId() };
  const [displayName, setDisplayName] = useState(account.displayName);
  const [signature, setSignature] = useState(account.signature ?? '');
  const [settings, setSettings] = useState<SmtpSettings>({
    host: account.host, port: account.port, security: account.security,
    ...(account.authMechanism ? { authMechanism: account.authMechanism } : {}),
    ...(account.username !== undefined ? { username: account.username } : {}),
    ...(account.extraCaPem ? { extraCaPem: account.extraCaPem } : {}),
  });
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save() {
    if (saving) return;
    setSaving(true);
    setError(null);
    const patch: AccountPatch = {
      displayName, signature: signature.trim() ? signature : null,
      host: settings.host, port: settings.port, security: settings.security,
      authMechanism: settings.authMechanism ?? null, username: settings.username ?? null, extraCaPem: settings.extraCaPem ?? null,
    };
    try {
      await call('accounts.update', account.id, patch);
      if (password) await call('accounts.setSecret', account.id, 'password', password);
      toasts.show({ tone: 'success', title: t('accounts.savedChanges') });
      onClose();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure));
    } finally {
      setSaving(false);
    }
  }
  return (
    <form className="account-editor" onSubmit={(e) => { e.preventDefault(); void save(); }} aria-label={t('accounts.editTitle', { address: account.address })}
      onKeyDown={(e) => { if (e.key === 'Escape' && !saving) { e.preventDefault(); onClose(); } }}>
      <div className="field">
        <label htmlFor={ids.name}>{t('wizard.name')}</label>
        <input id={ids.name} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.signature}>{t('accounts.signature')}</label>
        <textarea id={ids.signature} rows={4} value={signature} onChange={(e) => setSignature(e.target.value)} aria-describedby={`${ids.signature}-hint`} />
        <p className="field__hint" id={`${ids.signature}-hint`}>{t('accounts.signature.hint')}</p>
      </div>
      <ServerFields value={settings} onChange={setSettings} />
      <div className="field">
        <label htmlFor={ids.password}>{t('accounts.newPassword')}</label>
        <input id={ids.password} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={`${ids.password}-hint`} />
        <p className="field__hint" id={`${ids.password}-hint`}>{t('accounts.newPassword.hint')}</p>
      </div>
      {error ? <div className="banner banner--error" role="alert">{error}</div> : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn--primary" aria-disabled={saving || undefined} aria-busy={saving || undefined}>{t('common.save')}</button>
      </div>
    </form>
  );
}
