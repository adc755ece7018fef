import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { AppInfo, Section } from '../../shared/contract/app.js';
import type { Settings, SettingsPatch } from '../../shared/domain.js';
import { languageFromTag } from '../../shared/i18n/index.js';
import { call, subscribe } from './api.js';
import { Icon, type IconName } from './components/Icon.js';
import { OutcomeNotifier } from './components/OutcomeNotifier.js';
import { ToastProvider, useToasts } from './components/Toasts.js';
import { I18nProvider, useI18n } from './i18n.js';
import { sectionViews } from './sections/index.js';
import { AppStateContext, type AppState } from './settings-context.js';
import { useAppliedTheme } from './theme.js';
import { useOutbox } from './use-outbox.js';
import { deliverMailto } from './mailto-inbox.js';

const sections: Array<{ id: Section; icon: IconName; shortcut: string }> = [
  { id: 'compose', icon: 'compose', shortcut: '1' },
  { id: 'outbox', icon: 'outbox', shortcut: '2' },
  { id: 'log', icon: 'log', shortcut: '3' },
  { id: 'accounts', icon: 'accounts', shortcut: '4' },
  { id: 'settings', icon: 'settings', shortcut: ',' },
];

const waitingStates = new Set(['scheduled', 'waiting', 'queued', 'sending', 'deferred', 'failed', 'unconfirmed']);

function LiveShell({ section, onNavigate }: { section: Section; onNavigate(s: Section): void }) {
  const { items } = useOutbox();
  const pending = items?.filter((i) => waitingStates.has(i.state)).length ?? 0;
  return (
    <ToastProvider>
      <OutcomeNotifier onNavigate={onNavigate} />
      <Shell section={section} onNavigate={onNavigate} badges={{ outbox: pending > 0 ? pending : null }} />
    </ToastProvider>
  );
}

function Shell({ section, onNavigate, badges }: { section: Section; onNavigate(s: Section): void; badges: Partial<Record<Section, ReactNode>> }) {
  const { t } = useI18n();
  const { dismissPassing, show } = useToasts();
  // Account changes that went through but left something to know (e.g. keychain entries behind).
  useEffect(() => subscribe('accounts.notice', (notice) => { show({ tone: 'warning', title: t(notice.messageKey, notice.params) }); }), [show, t]);
  // A "done" toast from the screen just left would only cover the next one's content.
  useEffect(() => { dismissPassing(); }, [section, dismissPassing]);
  const View = sectionViews[section];
  // Each screen opens at its top, not where the previous one was scrolled to.
  const content = useRef<HTMLElement>(null);
  useLayoutEffect(() => { content.current?.scrollTo({ top: 0 }); }, [section]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <div className="sidebar__brand">
          <span className="brand-mark" aria-hidden="true">P</span>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <ul className="nav-list">
          {sections.map((s) => (
            <li key={s.id}>
              <button type="button" className="nav-item" aria-current={section === s.id ? 'page' : undefined}
                data-section={s.id} onClick={() => onNavigate(s.id)} title={`${t(`nav.${s.id}`)} (Ctrl+${s.shortcut})`}>
                <Icon name={s.icon} />
                <span className="nav-item__label">{t(`nav.${s.id}`)}</span>
                {badges[s.id] ? <span className="nav-item__badge" aria-label={t('nav.badge', { n: String(badges[s.id]) })}>{badges[s.id]}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" id="main" ref={content}>
        <View onNavigate={onNavigate} />
      </main>
    </div>
  );
}

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [section, setSection] = useState<Section>('compose');

  useEffect(() => {
    Promise.all([call('app.info'), call('settings.get')])
      .then(([i, s]) => { setInfo(i); setSettings(s); })
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
    const offSettings = subscribe('settings.changed', setSettings);
    const offNavigate = subscribe('app.navigate', ({ section: next }) => setSection(next));
    const offMailto = subscribe('app.mailto', ({ url }) => { setSection('compose'); deliverMailto(url); });
    return () => { offSettings(); offNavigate(); offMailto(); };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const match = sections.find((s) => s.shortcut === event.key);
      if (match) { event.preventDefault(); setSection(match.id); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Messages deferred while offline are tried as soon as the system says the network is back.
  useEffect(() => {
    const onOnline = () => { void call('outbox.online').catch(() => undefined); };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, []);

  useAppliedTheme(settings?.theme);
  const lang = settings && settings.language !== 'system' ? settings.language : languageFromTag(info?.systemLanguage ?? navigator.language);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);

  const updateSettings = useCallback(async (patch: SettingsPatch) => {
    setSettings(await call('settings.set', patch));
  }, []);

  if (loadError) return <div className="boot boot--error" role="alert">{loadError}</div>;
  if (!info || !settings) return <div className="boot" aria-busy="true" />;
  const state: AppState = { info, settings, updateSettings };
  return (
    <AppStateContext.Provider value={state}>
      <I18nProvider lang={lang}>
        <LiveShell section={section} onNavigate={setSection} />
      </I18nProvider>
    </AppStateContext.Provider>
  );
}
