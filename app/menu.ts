/** Standard menus in the person's language; "Go" entries switch the app's sections. */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export type Section = 'compose' | 'outbox' | 'log' | 'accounts' | 'settings';

const labels = {
  de: { file: 'Ablage', go: 'Gehe zu', compose: 'Verfassen', outbox: 'Postausgang', log: 'Sendeprotokoll', accounts: 'Konten', settings: 'Einstellungen', edit: 'Bearbeiten', view: 'Ansicht', window: 'Fenster' },
  en: { file: 'File', go: 'Go', compose: 'Compose', outbox: 'Outbox', log: 'Send log', accounts: 'Accounts', settings: 'Settings', edit: 'Edit', view: 'View', window: 'Window' },
};

export function buildMenu(lang: 'de' | 'en', navigate: (section: Section) => void): Menu {
  const l = labels[lang];
  const go = (section: Section, accelerator: string): MenuItemConstructorOptions => ({ label: l[section], accelerator, click: () => navigate(section) });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: l.file, submenu: [go('compose', 'CmdOrCtrl+N'), { type: 'separator' }, process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' }] },
    { label: l.edit, role: 'editMenu' },
    { label: l.go, submenu: [go('compose', 'CmdOrCtrl+1'), go('outbox', 'CmdOrCtrl+2'), go('log', 'CmdOrCtrl+3'), go('accounts', 'CmdOrCtrl+4'), go('settings', 'CmdOrCtrl+,')] },
    { label: l.view, submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { label: l.window, role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
