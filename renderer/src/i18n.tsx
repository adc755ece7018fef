import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Lang } from '../../shared/domain.js';
import { translate, type Params } from '../../shared/i18n/index.js';

export interface I18n {
  lang: Lang;
  t(key: string, params?: Params): string;
  formatBytes(bytes: number): string;
  /** A count with the language's digit grouping: 20,000 / 20.000. */
  formatCount(n: number): string;
  formatDateTime(ms: number): string;
}

const I18nContext = createContext<I18n | null>(null);

export function makeI18n(lang: Lang): I18n {
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    formatBytes(bytes) {
      if (bytes < 1024) return `${bytes} B`;
      if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)} KB`;
      return `${number.format(bytes / (1024 * 1024))} MB`;
    },
    formatCount: (n) => count.format(n),
    formatDateTime: (ms) => dateTime.format(new Date(ms)),
  };
}

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => makeI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
