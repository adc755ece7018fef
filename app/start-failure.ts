/**
 * What the person is told when the services cannot start (the database cannot be opened,
 * the data folder is not writable, …): the store error's own catalogue text, the data folder,
 * the technical line, and the choices Try again / Open data folder / Quit. Pure, so the
 * wording decisions are unit-tested; app/main.ts only shows it in a native dialog.
 */
import type { Lang } from '../shared/domain.js';
import { translate } from '../shared/i18n/index.js';
import { isStoreError } from '../main/store/errors.js';

export type StartFailureAction = 'retry' | 'openFolder' | 'quit';

export interface StartFailureDialog {
  title: string;
  message: string;
  detail: string;
  /** Button labels, in the same order as actions. */
  buttons: string[];
  actions: StartFailureAction[];
  defaultId: number;
  /** The button Escape (or closing the dialog) chooses: Quit. */
  cancelId: number;
}

export function describeStartFailure(error: unknown, lang: Lang, dataDir: string): StartFailureDialog {
  let message: string;
  let technical: string;
  let retryLabel = translate(lang, 'shell.start.retry');
  if (isStoreError(error)) {
    const { kind, messageKey, params = {}, detail } = error.appError;
    technical = [kind, detail?.systemCode, detail?.message].filter(Boolean).join(' · ');
    // The store words every case itself (damaged and set aside, damaged and left in place …).
    message = translate(lang, messageKey, params);
    // Only storage.damaged means the file is already set aside: opening again starts empty.
    if (kind === 'storage.damaged') retryLabel = translate(lang, 'shell.start.startEmpty');
  } else {
    message = translate(lang, 'shell.start.unexpected');
    technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  const actions: StartFailureAction[] = ['retry', 'openFolder', 'quit'];
  return {
    title: translate(lang, 'shell.start.title'),
    message,
    detail: `${translate(lang, 'shell.start.dataFolder', { dir: dataDir })}\n\n${technical}`,
    buttons: [retryLabel, translate(lang, 'shell.start.openFolder'), translate(lang, 'shell.start.quit')],
    actions,
    defaultId: 0,
    cancelId: actions.indexOf('quit'),
  };
}
