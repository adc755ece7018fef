/**
 * Looking up catalogue texts. Catalogues are flat maps from key to text with {name}
 * placeholders; every domain (ui, errors, store, autoconfig…) contributes one per language.
 */
import type { Lang } from '../domain.js';

export type Catalogue = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export function formatText(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function createTranslator(catalogues: Record<Lang, Catalogue>) {
  return function translate(lang: Lang, key: string, params?: Params): string {
    const text = catalogues[lang][key] ?? catalogues.en[key];
    // A missing key shows itself plainly rather than as "undefined"; a test keeps this from shipping.
    return text === undefined ? key : formatText(text, params);
  };
}

/** "de-DE" → "de"; anything that is not German falls back to English. */
export const languageFromTag = (tag: string | undefined): Lang => (tag?.toLowerCase().startsWith('de') ? 'de' : 'en');
