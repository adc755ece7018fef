/** English texts of the Electron shell (app/): the start-failure dialog and the menus. Keys: shell.*. */
export const shellEn: Record<string, string> = {
  'shell.start.title': 'Postbote cannot start',
  'shell.start.retry': 'Try again',
  'shell.start.startEmpty': 'Start with an empty database',
  'shell.start.openFolder': 'Open data folder',
  'shell.start.quit': 'Quit',
  'shell.start.dataFolder': 'Data folder: {dir}',
  'shell.start.unexpected':
    'Postbote could not open its data folder. Check that the folder exists and that you can write to it, then try again.',
  'shell.start.internal': 'Something went wrong while Postbote was starting. Please report this with the text below.',

  'shell.menu.file': 'File',
  'shell.menu.go': 'Go',
  'shell.menu.edit': 'Edit',
  'shell.menu.view': 'View',
  'shell.menu.window': 'Window',
  'shell.menu.compose': 'Compose',
  'shell.menu.outbox': 'Outbox',
  'shell.menu.log': 'Send log',
  'shell.menu.accounts': 'Accounts',
  'shell.menu.settings': 'Settings',
};
