import { useId, useState, type ReactNode } from 'react';
import type { Settings } from '../../../shared/domain.js';
import { ApiFailure } from '../api.js';
import { useI18n } from '../i18n.js';
import { useAppState } from '../settings-context.js';

function Row({ label, hint, children, htmlFor }: { label: string; hint?: string; children: ReactNode; htmlFor: string }) {
  return (
    <div className="form-row">
      <div className="form-row__label">
        <label htmlFor={htmlFor}>{label}</label>
        {hint ? <p className="form-row__hint" id={`${htmlFor}-hint`}>{hint}</p> : null}
      </div>
      <div className="form-row__control">{children}</div>
    </div>
  );
}

/**
 * The keychain in the words the person knows from their system: keytar is only the library
 * that talks to it. Anything we have no name for keeps its technical one.
 */
export function secretBackendName(backend: string, platform: string, t: (key: string) => string): string {
  if (backend.startsWith('memory')) return t('settings.secretBackend.memory');
  if (backend !== 'keytar') return backend;
  if (platform === 'darwin') return t('settings.secretBackend.macos');
  if (platform === 'win32') return t('settings.secretBackend.windows');
  return t('settings.secretBackend.secretService');
}

export function SettingsSection() {
  const { t } = useI18n();
  const { settings: stored, updateSettings, info } = useAppState();
  // What the person chose and is being saved, shown at once: a control showing the stored value
  // until the round trip ends would jump back meanwhile, and a second arrow key press in a select
  // would start from the old value again (Down, Down gave "light", not "dark").
  const [choosing, setChoosing] = useState<Partial<Settings>>({});
  const settings: Settings = { ...stored, ...choosing };
  const [error, setError] = useState<string | null>(null);
  const [savedKey, setSavedKey] = useState<string | null>(null);
  const ids = { language: useId(), theme: useId(), undo: useId(), retry: useId(), lookup: useId() };

  async function change(patch: Partial<Settings>, key: string) {
    setError(null);
    setChoosing((c) => ({ ...c, ...patch }));
    // Only what this change chose is let go afterwards; a later choice for the same setting stays.
    const settle = () => setChoosing((c) => {
      const next: Partial<Settings> = { ...c };
      for (const name of Object.keys(patch) as Array<keyof Settings>) if (next[name] === patch[name]) delete next[name];
      return next;
    });
    try {
      await updateSettings(patch);
      settle();
      setSavedKey(key);
      window.setTimeout(() => setSavedKey((current) => (current === key ? null : current)), 1600);
    } catch (failure) {
      settle();
      setError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : t('common.unexpected', { detail: String(failure) }));
    }
  }
  const savedBadge = (key: string) => (savedKey === key ? <span className="saved-badge" role="status">{t('common.saved')}</span> : null);

  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1>{t('settings.title')}</h1>
      </header>
      {error ? <div className="banner banner--error" role="alert">{error}</div> : null}

      <section className="card" aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">{t('settings.appearance')}</h2>
        <Row label={t('settings.language')} htmlFor={ids.language}>
          <select id={ids.language} value={settings.language} onChange={(e) => change({ language: e.target.value as Settings['language'] }, 'language')}>
            <option value="system">{t('settings.language.system', { system: info.systemLanguage })}</option>
            <option value="de">{t('settings.language.de')}</option>
            <option value="en">{t('settings.language.en')}</option>
          </select>
          {savedBadge('language')}
        </Row>
        <Row label={t('settings.theme')} htmlFor={ids.theme}>
          <select id={ids.theme} value={settings.theme} onChange={(e) => change({ theme: e.target.value as Settings['theme'] }, 'theme')}>
            <option value="system">{t('settings.theme.system')}</option>
            <option value="light">{t('settings.theme.light')}</option>
            <option value="dark">{t('settings.theme.dark')}</option>
          </select>
          {savedBadge('theme')}
        </Row>
      </section>

      <section className="card" aria-labelledby="settings-sending">
        <h2 id="settings-sending">{t('settings.sending')}</h2>
        <Row label={t('settings.undoSend')} hint={t('settings.undoSend.hint')} htmlFor={ids.undo}>
          <select id={ids.undo} aria-describedby={`${ids.undo}-hint`} value={settings.undoSendSeconds}
            onChange={(e) => change({ undoSendSeconds: Number(e.target.value) as Settings['undoSendSeconds'] }, 'undo')}>
            <option value={0}>{t('settings.undoSend.off')}</option>
            {[5, 10, 30].map((n) => <option key={n} value={n}>{t('settings.undoSend.seconds', { n })}</option>)}
          </select>
          {savedBadge('undo')}
        </Row>
        <Row label={t('settings.retry')} hint={t('settings.retry.hint')} htmlFor={ids.retry}>
          <select id={ids.retry} aria-describedby={`${ids.retry}-hint`} value={settings.retryGiveUpHours}
            onChange={(e) => change({ retryGiveUpHours: Number(e.target.value) }, 'retry')}>
            {[1, 6, 12, 24, 48, 72, 168].map((n) => <option key={n} value={n}>{t('settings.retry.hours', { n })}</option>)}
          </select>
          {savedBadge('retry')}
        </Row>
      </section>

      <section className="card" aria-labelledby="settings-privacy">
        <h2 id="settings-privacy">{t('settings.privacy')}</h2>
        <Row label={t('settings.onlineLookup')} hint={t('settings.onlineLookup.hint')} htmlFor={ids.lookup}>
          <input id={ids.lookup} type="checkbox" className="switch" role="switch" aria-describedby={`${ids.lookup}-hint`}
            checked={settings.onlineIspLookup} onChange={(e) => change({ onlineIspLookup: e.target.checked }, 'lookup')} />
          {savedBadge('lookup')}
        </Row>
        <dl className="facts">
          <dt>{t('settings.dataDir')}</dt>
          <dd><code>{info.dataDir}</code></dd>
          <dt>{t('settings.secretBackend')}</dt>
          <dd data-testid="secret-backend">{secretBackendName(info.secretBackend, info.platform, t)}</dd>
          <dt>{t('settings.version')}</dt>
          <dd>{info.name} {info.version}</dd>
        </dl>
      </section>
    </div>
  );
}
