/** Standard menus in the person's language (texts in shared/i18n/shell.*); "Go" entries switch the app's sections. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Lang } from '../shared/domain.js';
import { translate } from '../shared/i18n/index.js';

export type Section = 'compose' | 'outbox' | 'log' | 'accounts' | 'settings';

export function buildMenu(lang: Lang, navigate: (section: Section) => void): Menu {
  const label = (name: string) => translate(lang, `shell.menu.${name}`);
  const go = (section: Section, accelerator: string): MenuItemConstructorOptions => ({ label: label(section), accelerator, click: () => navigate(section) });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: label('file'), submenu: [go('compose', 'CmdOrCtrl+N'), { type: 'separator' }, process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' }] },
    { label: label('edit'), role: 'editMenu' },
    { label: label('go'), submenu: [go('compose', 'CmdOrCtrl+1'), go('outbox', 'CmdOrCtrl+2'), go('log', 'CmdOrCtrl+3'), go('accounts', 'CmdOrCtrl+4'), go('settings', 'CmdOrCtrl+,')] },
    { label: label('view'), submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: label('window'), role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
