/** Deutsche Texte der Electron-Hülle (app/): Dialog bei einem Startfehler und Menüs. Schlüssel wie in shell.en.ts. */
export const shellDe: Record<string, string> = {
  'shell.start.title': 'Postbote kann nicht starten',
  'shell.start.retry': 'Erneut versuchen',
  'shell.start.startEmpty': 'Mit leerer Datenbank starten',
  'shell.start.openFolder': 'Datenordner öffnen',
  'shell.start.quit': 'Beenden',
  'shell.start.dataFolder': 'Datenordner: {dir}',
  'shell.start.unexpected':
    'Postbote konnte seinen Datenordner nicht öffnen. Prüfen Sie, ob der Ordner existiert und Sie darin schreiben dürfen, und versuchen Sie es dann erneut.',
  'shell.start.internal': 'Beim Start von Postbote ist etwas schiefgegangen. Bitte melden Sie dies mit dem Text unten.',

  'shell.menu.file': 'Ablage',
  'shell.menu.go': 'Gehe zu',
  'shell.menu.edit': 'Bearbeiten',
  'shell.menu.view': 'Ansicht',
  'shell.menu.window': 'Fenster',
  'shell.menu.compose': 'Verfassen',
  'shell.menu.outbox': 'Postausgang',
  'shell.menu.log': 'Sendeprotokoll',
  'shell.menu.accounts': 'Konten',
  'shell.menu.settings': 'Einstellungen',
};
