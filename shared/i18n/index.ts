/**
 * All catalogues, merged per language. Each domain keeps its own pair of files
 * (ui.*, errors.*, store.*, autoconfig.*); the renderer, the send log and the CLI all
 * translate through this one function, so they show the same words.
 */
import type { Lang } from '../domain.js';
import { autoconfigDe } from './autoconfig.de.js';
import { autoconfigEn } from './autoconfig.en.js';
import { cliDe } from './cli.de.js';
import { cliEn } from './cli.en.js';
import { composeDe } from './compose.de.js';
import { composeEn } from './compose.en.js';
import { errorsDe } from './errors.de.js';
import { errorsEn } from './errors.en.js';
import { outboxDe } from './outbox.de.js';
import { outboxEn } from './outbox.en.js';
import { shellDe } from './shell.de.js';
import { shellEn } from './shell.en.js';
import { storeDe } from './store.de.js';
import { storeEn } from './store.en.js';
import { createTranslator, type Catalogue } from './translate.js';
import { uiDe } from './ui.de.js';
import { uiEn } from './ui.en.js';

export const catalogues: Record<Lang, Catalogue> = {
  de: { ...uiDe, ...errorsDe, ...storeDe, ...autoconfigDe, ...composeDe, ...cliDe, ...outboxDe, ...shellDe },
  en: { ...uiEn, ...errorsEn, ...storeEn, ...autoconfigEn, ...composeEn, ...cliEn, ...outboxEn, ...shellEn },
};

export const translate = createTranslator(catalogues);
export { formatText, languageFromTag } from './translate.js';
export type { Params } from './translate.js';
