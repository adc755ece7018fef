import { useEffect, useId, useRef, useState } from 'react';
import type { Account } from '../../../shared/account.js';
import { isPlausibleAddress } from '../../../shared/account.js';
import { AuthMechanismSchema, type SmtpSettings } from '../../../shared/domain.js';
import type { AppError } from '../../../shared/errors.js';
import type { Explanation } from '../../../shared/explanation.js';
import type { DiscoveredCandidate, DiscoveryResult, ProviderSummary } from '../../../shared/provider.js';
import { ApiFailure, call } from '../api.js';
import { ExplanationView } from '../components/ExplanationView.js';
import { Icon } from '../components/Icon.js';
import { useI18n } from '../i18n.js';

/** Each takes white text at 5:1 or more, in both themes (the mark sets its own text colour). */
const providerColors = ['#2457c5', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0e7490'];
export function providerInitial(providerId: string | undefined, address: string): string {
  const source = providerId ?? address.split('@')[1] ?? address;
  return (source.replace(/^(www\.|mail\.)/, '')[0] ?? '?').toUpperCase();
}
const colorFor = (key: string): string => providerColors[[...key].reduce((n, c) => n + c.charCodeAt(0), 0) % providerColors.length] ?? '#2457c5';

type StepId = 'connect' | 'tls' | 'auth';
type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
const stepOfPhase = (phase: string | undefined): StepId => {
  if (phase === 'tls' || phase === 'starttls' || phase === 'ehlo') return 'tls';
  if (phase === 'auth') return 'auth';
  return 'connect';
};

/** Host, port, security, authentication, user name and an extra trusted certificate. */
export function ServerFields({ value, onChange }: { value: SmtpSettings; onChange(next: SmtpSettings): void }) {
  const { t } = useI18n();
  const ids = { host: useId(), port: useId(), security: useId(), auth: useId(), user: useId(), ca: useId() };
  const set = (patch: Partial<SmtpSettings>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="server-fields">
      <legend>{t('wizard.server')}</legend>
      <div className="server-fields__grid">
        <div className="field field--host">
          <label htmlFor={ids.host}>{t('wizard.host')}</label>
          <input id={ids.host} type="text" value={value.host} spellCheck={false} autoCapitalize="off" onChange={(e) => set({ host: e.target.value.trim() })} />
        </div>
        <div className="field field--port">
          <label htmlFor={ids.port}>{t('wizard.port')}</label>
          <input id={ids.port} type="number" min={1} max={65535} value={value.port} onChange={(e) => set({ port: Number(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor={ids.security}>{t('wizard.security')}</label>
          <select id={ids.security} value={value.security} onChange={(e) => {
            const security = e.target.value as SmtpSettings['security'];
            set({ security, port: security === 'tls' && value.port === 587 ? 465 : security === 'starttls' && value.port === 465 ? 587 : value.port });
          }}>
            <option value="tls">{t('wizard.security.tls')}</option>
            <option value="starttls">{t('wizard.security.starttls')}</option>
            <option value="none">{t('wizard.security.none')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.auth}>{t('wizard.auth')}</label>
          <select id={ids.auth} value={value.username === undefined ? 'none' : value.authMechanism ?? 'auto'} onChange={(e) => {
            const v = e.target.value;
            if (v === 'none') { const { username: _u, authMechanism: _a, ...rest } = value; onChange(rest); return; }
            const mech = AuthMechanismSchema.safeParse(v);
            const { authMechanism: _a, ...rest } = value;
            onChange({ ...rest, username: value.username ?? '', ...(mech.success ? { authMechanism: mech.data } : {}) });
          }}>
            <option value="auto">{t('wizard.auth.auto')}</option>
            {(['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'] as const).map((m) => <option key={m} value={m}>{m}</option>)}
            <option value="none">{t('wizard.auth.none')}</option>
          </select>
        </div>
        {value.username !== undefined ? (
          <div className="field field--wide">
            <label htmlFor={ids.user}>{t('wizard.username')}</label>
            <input id={ids.user} type="text" value={value.username} spellCheck={false} autoCapitalize="off" onChange={(e) => set({ username: e.target.value })} />
          </div>
        ) : null}
        <div className="field field--wide">
          <label htmlFor={ids.ca}>{t('wizard.extraCa')}</label>
          <textarea id={ids.ca} rows={3} className="mono" spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" value={value.extraCaPem ?? ''}
            aria-describedby={`${ids.ca}-hint`}
            onChange={(e) => { const pem = e.target.value; const { extraCaPem: _c, ...rest } = value; onChange(pem.trim() ? { ...rest, extraCaPem: pem } : rest); }} />
          <p className="field__hint" id={`${ids.ca}-hint`}>{t('wizard.extraCa.hint')}</p>
        </div>
      </div>
    </fieldset>
  );
}

function RequirementNotice({ provider }: { provider: ProviderSummary }) {
  const { t, lang } = useI18n();
  const text = provider.requirementText?.[lang];
  if (!text && provider.requirements.length === 0) return null;
  return (
    <div className="banner banner--warning requirement" role="note">
      <Icon name="info" />
      <div>
        <strong>{t(`wizard.requirement.${provider.requirements[0] ?? 'appPassword'}`, { provider: provider.name })}</strong>
        {text ? <p>{text}</p> : null}
        <a href={provider.helpUrl} onClick={(e) => { e.preventDefault(); void call('app.openExternal', provider.helpUrl).catch(() => false); }}>
          {t('wizard.requirement.help', { provider: provider.name })}
        </a>
      </div>
    </div>
  );
}

const candidateSettings = (c: DiscoveredCandidate): SmtpSettings => ({
  host: c.host, port: c.port, security: c.security, username: c.username,
});

export function AccountWizard({ onDone }: { onDone(account: Account): void }) {
  const { t, lang } = useI18n();
  const ids = { name: useId(), address: useId(), password: useId() };
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [password, setPassword] = useState('');
  const [phase, setPhase] = useState<'identity' | 'discovering' | 'review'>('identity');
  const [result, setResult] = useState<DiscoveryResult | null>(null);
  const [candidate, setCandidate] = useState(0);
  const [manual, setManual] = useState(false);
  const [settings, setSettings] = useState<SmtpSettings>({ host: '', port: 587, security: 'starttls', username: '' });
  const [steps, setSteps] = useState<Record<StepId, StepState> | null>(null);
  const [failure, setFailure] = useState<{ error: AppError; explanation?: Explanation } | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);

  const testCard = useRef<HTMLElement>(null);
  // The form the person submitted is replaced by the review: the keyboard continues at the
  // provider's name (what was found), not at the top of the page.
  const reviewHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { if (phase === 'review') reviewHeading.current?.focus(); }, [phase]);
  // The outcome of the test is what the person waits for: bring it into view.
  useEffect(() => { if (failure) testCard.current?.scrollIntoView({ block: 'end', behavior: 'smooth' }); }, [failure]);
  const provider = result?.provider;
  const addressOk = isPlausibleAddress(address.trim());

  async function findSettings() {
    if (!addressOk) { setFieldError(t('wizard.addressInvalid')); return; }
    if (!password) { setFieldError(t('wizard.passwordMissing')); return; }
    setFieldError(null);
    setPhase('discovering');
    try {
      const found = await call('autoconfig.discover', address.trim());
      setResult(found);
      const first = found.candidates[0];
      if (first) { setSettings(candidateSettings(first)); setManual(false); }
      else { setSettings({ host: `smtp.${address.split('@')[1] ?? ''}`, port: 587, security: 'starttls', username: address.trim() }); setManual(true); }
    } catch {
      setResult(null);
      setSettings({ host: `smtp.${address.split('@')[1] ?? ''}`, port: 587, security: 'starttls', username: address.trim() });
      setManual(true);
    }
    setSteps(null);
    setFailure(null);
    setPhase('review');
  }

  async function testAndSave() {
    setBusy(true);
    setFailure(null);
    const usesTls = settings.security !== 'none';
    setSteps({ connect: 'running', tls: 'pending', auth: settings.username !== undefined ? 'pending' : 'skipped' });
    // The engine reports the outcome once; the steps advance while it works so the wait reads as progress.
    const timers = [
      window.setTimeout(() => setSteps((s) => (s && s.connect === 'running' ? { ...s, connect: 'done', tls: usesTls ? 'running' : 'skipped' } : s)), 350),
      window.setTimeout(() => setSteps((s) => (s && s.tls !== 'failed' && s.tls !== 'pending' && s.auth === 'pending' ? { ...s, tls: usesTls ? 'done' : 'skipped', auth: 'running' } : s)), 800),
    ];
    try {
      const outcome = await call('accounts.testConnection', { settings, password, ...(provider ? { providerId: provider.id } : {}) });
      timers.forEach((x) => window.clearTimeout(x));
      if (!outcome.ok) {
        const failed = stepOfPhase(outcome.error?.detail?.phase);
        const order: StepId[] = ['connect', 'tls', 'auth'];
        const at = order.indexOf(failed);
        setSteps({
          connect: at > 0 ? 'done' : 'failed',
          tls: !usesTls ? 'skipped' : at > 1 ? 'done' : at === 1 ? 'failed' : 'pending',
          auth: settings.username === undefined ? 'skipped' : at === 2 ? 'failed' : 'pending',
        });
        setFailure({ error: outcome.error ?? { kind: 'unknown', messageKey: 'common.unexpected', params: { detail: '' } }, ...(outcome.explanation ? { explanation: outcome.explanation } : {}) });
        return;
      }
      setSteps({ connect: 'done', tls: usesTls ? 'done' : 'skipped', auth: settings.username !== undefined ? 'done' : 'skipped' });
      const created = await call('accounts.create', {
        ...settings, displayName: name.trim(), address: address.trim(),
        ...(provider ? { providerId: provider.id } : {}),
      }, settings.username !== undefined ? password : undefined);
      onDone(created);
    } catch (error) {
      timers.forEach((x) => window.clearTimeout(x));
      setSteps(null);
      setFailure({ error: error instanceof ApiFailure ? error.error : { kind: 'unknown', messageKey: 'common.unexpected', params: { detail: String(error) } } });
    } finally {
      setBusy(false);
    }
  }

  if (phase === 'identity' || phase === 'discovering') {
    return (
      <form className="card wizard" onSubmit={(e) => { e.preventDefault(); void findSettings(); }} aria-label={t('wizard.title')}>
        <ol className="wizard__progress" aria-label={t('wizard.progress')}>
          <li aria-current="step">{t('wizard.step.you')}</li><li>{t('wizard.step.server')}</li><li>{t('wizard.step.test')}</li>
        </ol>
        <div className="field">
          <label htmlFor={ids.name}>{t('wizard.name')}</label>
          <input id={ids.name} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-describedby={`${ids.name}-hint`} />
          <p className="field__hint" id={`${ids.name}-hint`}>{t('wizard.name.hint')}</p>
        </div>
        <div className="field">
          <label htmlFor={ids.address}>{t('wizard.address')}</label>
          <input id={ids.address} type="email" autoComplete="email" spellCheck={false} value={address} onChange={(e) => setAddress(e.target.value)}
            aria-invalid={fieldError === t('wizard.addressInvalid') || undefined} />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('wizard.password')}</label>
          <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={`${ids.password}-hint`} />
          <p className="field__hint" id={`${ids.password}-hint`}><Icon name="lock" size={13} /> {t('wizard.password.hint')}</p>
        </div>
        {fieldError ? <p className="field-error" role="alert">{fieldError}</p> : null}
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={phase === 'discovering'}>
            {phase === 'discovering' ? <><span className="spinner" aria-hidden="true" />{t('wizard.discovering')}</> : t('wizard.continue')}
          </button>
        </div>
      </form>
    );
  }

  const candidates = result?.candidates ?? [];
  const chosen = candidates[candidate];
  const stepLabels: Record<StepId, string> = {
    connect: t('wizard.test.connect', { host: settings.host, port: settings.port }),
    tls: settings.security === 'tls' ? t('wizard.test.tls') : t('wizard.test.starttls'),
    auth: t('wizard.test.auth', { user: settings.username ?? '' }),
  };
  return (
    <div className="wizard-review">
      <section className="card wizard" aria-label={t('wizard.step.server')}>
        <ol className="wizard__progress" aria-label={t('wizard.progress')}>
          <li className="done">{t('wizard.step.you')}</li><li aria-current={steps ? undefined : 'step'}>{t('wizard.step.server')}</li><li aria-current={steps ? 'step' : undefined}>{t('wizard.step.test')}</li>
        </ol>
        <div className="provider">
          <span className="provider-mark provider-mark--large" aria-hidden="true" style={{ background: colorFor(provider?.id ?? address), color: '#fff' }}>
            {providerInitial(provider?.id ?? provider?.name, address)}
          </span>
          <div>
            <h2 className="provider__name" ref={reviewHeading} tabIndex={-1}>{provider ? provider.name : t('wizard.provider.unknown', { domain: address.split('@')[1] ?? '' })}</h2>
            <p className="muted">{address.trim()}</p>
          </div>
          <button type="button" className="btn btn--ghost btn--small provider__back" onClick={() => setPhase('identity')}>{t('wizard.back')}</button>
        </div>
        {provider ? <RequirementNotice provider={provider} /> : null}
        {result?.status === 'noSmtp' ? <div className="banner banner--error" role="alert">{t('wizard.noSmtp', { provider: provider?.name ?? '' })}</div> : null}

        {chosen && !manual ? (
          <div className="found">
            <h3>{t('wizard.found')}</h3>
            {candidates.length > 1 ? (
              <div role="radiogroup" aria-label={t('wizard.found')} className="candidates">
                {candidates.slice(0, 4).map((c, i) => (
                  <label key={`${c.host}:${c.port}`} className={`candidate${i === candidate ? ' candidate--chosen' : ''}`}>
                    <input type="radio" name="candidate" checked={i === candidate} onChange={() => { setCandidate(i); setSettings(candidateSettings(c)); }} />
                    <span><strong>{c.host}:{c.port}</strong> · {c.security === 'tls' ? 'SSL/TLS' : c.security === 'starttls' ? 'STARTTLS' : t('wizard.security.none')}</span>
                  </label>
                ))}
              </div>
            ) : null}
            <dl className="facts facts--tight">
              <dt>{t('wizard.host')}</dt><dd>{settings.host}:{settings.port}</dd>
              <dt>{t('wizard.security')}</dt><dd>{t(`wizard.security.${settings.security}`)}</dd>
              <dt>{t('wizard.username')}</dt><dd>{settings.username ?? t('wizard.auth.none')}</dd>
              <dt>{t('wizard.source')}</dt><dd>{sourceWords(chosen, t, lang)}</dd>
            </dl>
            {chosen.warnings.map((w) => <p key={w} className="field-warning">{t(`autoconfig.warning.${w}`)}</p>)}
            <button type="button" className="link-btn" onClick={() => setManual(true)}>{t('wizard.editManually')}</button>
          </div>
        ) : (
          <>
            {!chosen ? (
              <div className="banner banner--info" role="status">
                {t('wizard.notFound')}
                {result && result.attempts.length > 0 ? (
                  <details className="attempts">
                    <summary>{t('wizard.tried', { n: result.attempts.length })}</summary>
                    <ul>{result.attempts.map((a, i) => <li key={i}><code>{a.target}</code> – {t(`wizard.attempt.${a.outcome}`)}</li>)}</ul>
                  </details>
                ) : null}
              </div>
            ) : null}
            <ServerFields value={settings} onChange={setSettings} />
            {chosen ? <button type="button" className="link-btn" onClick={() => { setManual(false); setSettings(candidateSettings(chosen)); }}>{t('wizard.useFound')}</button> : null}
          </>
        )}
      </section>

      <section ref={testCard} className="card wizard" aria-labelledby="wizard-test-title">
        <h2 id="wizard-test-title">{t('wizard.test.title')}</h2>
        <p className="muted">{t('wizard.test.hint')}</p>
        {steps ? (
          <ol className="steps" aria-live="polite">
            {(['connect', 'tls', 'auth'] as const).map((id) => (
              <li key={id} className={`step step--${steps[id]}`} data-step={id} data-state={steps[id]}>
                <span className="step__icon" aria-hidden="true">
                  {steps[id] === 'done' ? <Icon name="check" size={16} /> : steps[id] === 'failed' ? <Icon name="close" size={16} /> : steps[id] === 'running' ? <span className="spinner" /> : null}
                </span>
                <span>{stepLabels[id]}</span>
                <span className="visually-hidden">{t(`wizard.stepState.${steps[id]}`)}</span>
              </li>
            ))}
          </ol>
        ) : null}
        {failure ? (
          <div className="wizard__failure" role="alert">
            <ExplanationView explanation={failure.explanation} error={failure.error} technical />
          </div>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn btn--primary" aria-disabled={busy || !settings.host || undefined} aria-busy={busy || undefined}
            onClick={() => { if (!busy && settings.host) void testAndSave(); }}>
            {busy ? <><span className="spinner" aria-hidden="true" />{t('wizard.testing')}</> : failure ? t('wizard.retest') : t('wizard.testAndSave')}
          </button>
        </div>
      </section>
    </div>
  );
}

function sourceWords(c: DiscoveredCandidate, t: (k: string, p?: Record<string, string | number>) => string, _lang: string): string {
  const key = `autoconfig.source.${c.source}`;
  const own = t(key, c.sourceParams);
  const words = own === key ? t(`wizard.sourceWords.${c.source}`, c.sourceParams) : own;
  const confirmed = c.confirmedBy.length > 0 ? ` ${t('wizard.confirmedBy', { n: c.confirmedBy.length })}` : '';
  return words + confirmed;
}
