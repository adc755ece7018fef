/**
 * The Electron shell: the only code that imports 'electron'. It creates the secure window,
 * serves the built renderer under app://postbote with a strict CSP, wires the contract to
 * ipcMain, and hands everything else to main/ (plain Node). The decisions it makes (which
 * folder, which sender, which permission, what a start failure says) are pure functions in
 * the modules beside it, each with a unit test; this file only connects them to Electron.
 */
import { app, BrowserWindow, dialog, Menu, nativeTheme, net, Notification, protocol, shell, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lang, Settings } from '../shared/domain.js';
import { languageFromTag, translate } from '../shared/i18n/index.js';
import { createServices, type Services } from '../main/services/index.js';
import { windowBackgroundColor } from './appearance.js';
import { appDataDir } from './data-dir.js';
import { registerIpc } from './ipc.js';
import { closeWithin, isMailtoUrl, mailtoFrom, quitsWhenLastWindowCloses } from './lifecycle.js';
import { buildMenu } from './menu.js';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl, isPermissionGranted, isSafeExternalUrl, rendererFileFor } from './security.js';
import { describeStartFailure, type StartFailureAction } from './start-failure.js';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererRoot = join(__dirname, '..', 'renderer');
const log = (line: string) => console.log(`[postbote] ${line}`);

// The CLI's data folder, and Electron's userData with it, set before anything reads
// userData (the single-instance lock, Chromium's profile): one folder per database.
const dataDir = appDataDir({ userDataSwitch: app.commandLine.getSwitchValue('user-data-dir'), env: process.env, platform: process.platform });
try {
  mkdirSync(dataDir, { recursive: true });
  app.setPath('userData', dataDir);
} catch (error) {
  // createServices meets the same problem and explains it in the start-failure dialog.
  log(`data folder ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
}

let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;
let disposeIpc: (() => void) | undefined;
/** While the first window is being made (the theme is read first), later callers wait for it instead of making a second. */
let openingWindow: Promise<BrowserWindow> | undefined;
/** A mailto: link that arrived before the services and a window were ready. */
let pendingMailto: string | undefined;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = rendererFileFor(rendererRoot, request.url);
    if ('status' in target) return new Response(target.status === 403 ? 'Forbidden' : 'Not found', { status: target.status });
    const response = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(theme: Settings['theme'] | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 860,
    minHeight: 560,
    title: 'Postbote',
    show: false,
    backgroundColor: windowBackgroundColor(theme, nativeTheme.shouldUseDarkColors),
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // A destroyed window throws on every call: forget it, so notify() and IPC see "no window".
  win.on('closed', () => { if (mainWindow === win) mainWindow = undefined; });
  // Navigation never leaves the app; web links open in the system browser after a check.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
    }
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function currentTheme(): Promise<Settings['theme'] | undefined> {
  try {
    return (await services?.service['settings.get']())?.theme;
  } catch {
    return undefined;
  }
}

/** The window, created (macOS: after the last one was closed) or brought to the front. */
async function showWindow(): Promise<BrowserWindow> {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return mainWindow;
  }
  openingWindow ??= currentTheme()
    .then((theme) => (mainWindow = createWindow(theme)))
    .finally(() => { openingWindow = undefined; });
  return openingWindow;
}

function deliverMailto(url: string): void {
  if (!services || !app.isReady()) {
    pendingMailto = url;
    return;
  }
  void showWindow().then((win) => {
    const emit = () => services?.events.emit('app.mailto', { url });
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', emit);
    else emit();
  });
}

function systemLanguage(): Lang {
  return languageFromTag(app.getPreferredSystemLanguages()[0] ?? app.getLocale());
}

/**
 * Opens the database and the services; on failure asks the person (Try again / Open data
 * folder / Quit) instead of ending with no window and no word. Undefined means: quit.
 */
async function openServices(lang: Lang): Promise<Services | undefined> {
  for (;;) {
    try {
      return createServices({
        dataDir,
        appVersion: app.getVersion(),
        systemLanguage: app.getLocale(),
        host: {
          notify: (title, body) => {
            if (Notification.isSupported() && !mainWindow?.isFocused()) new Notification({ title, body }).show();
          },
          openExternal: async (url) => { if (isSafeExternalUrl(url)) await shell.openExternal(url); },
        },
      });
    } catch (error) {
      log(`start: ${error instanceof Error ? error.message : String(error)}`);
      const failure = describeStartFailure(error, lang, dataDir);
      let action: StartFailureAction;
      do {
        const { response } = await dialog.showMessageBox({
          type: 'error', title: failure.title, message: failure.message, detail: failure.detail,
          buttons: failure.buttons, defaultId: failure.defaultId, cancelId: failure.cancelId, noLink: true,
        });
        action = failure.actions[response] ?? 'quit';
        if (action === 'openFolder') {
          const problem = await shell.openPath(dataDir);
          if (problem) log(`open data folder: ${problem}`);
        }
      } while (action === 'openFolder');
      if (action === 'quit') return undefined;
    }
  }
}

async function start(): Promise<void> {
  // Registering makes this binary the system's mailto: handler. Only where no mail program
  // has that role yet: re-registering on every start would take it back from the program the
  // person chose. A development build (the bare Electron binary) never registers.
  if (!app.isPackaged) log('development build: not registering as the mailto: handler');
  else if (app.getApplicationNameForProtocol('mailto:') === '') app.setAsDefaultProtocolClient('mailto');
  const lang = systemLanguage();
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
  serveRenderer();
  const opened = await openServices(lang);
  if (!opened) {
    app.quit();
    return;
  }
  services = opened;
  disposeIpc = registerIpc(opened, () => mainWindow?.webContents, log);
  Menu.setApplicationMenu(buildMenu(lang, (section) => services?.events.emit('app.navigate', { section })));
  await showWindow();
  // Reconcile what a crash left behind, then send what is due.
  opened.outbox.start().catch((error: unknown) => log(`outbox: ${error instanceof Error ? error.message : String(error)}`));
  const mailto = pendingMailto ?? mailtoFrom(process.argv);
  pendingMailto = undefined;
  if (mailto) deliverMailto(mailto);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const mailto = mailtoFrom(argv);
    if (mailto) deliverMailto(mailto);
    else if (services) void showWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (isMailtoUrl(url)) deliverMailto(url);
  });

  void app.whenReady().then(start).catch((error: unknown) => {
    log(`start failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    const lang = systemLanguage();
    const technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    dialog.showErrorBox(translate(lang, 'shell.start.title'), `${translate(lang, 'shell.start.internal')}\n\n${technical}`);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (quitsWhenLastWindowCloses(process.platform)) app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && services && BrowserWindow.getAllWindows().length === 0) void showWindow();
  });
  // The services (outbox worker, database) live as long as the app, not the window: closed
  // once, here, then the quit goes on.
  app.on('will-quit', (event) => {
    const open = services;
    if (!open) return;
    event.preventDefault();
    services = undefined;
    disposeIpc?.();
    disposeIpc = undefined;
    void closeWithin(() => open.close(), 5000)
      .then((result) => { if (result === 'timedOut') log('quit: the outbox did not stop within 5 s; quitting anyway'); })
      .catch((error: unknown) => log(`quit: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => app.quit());
  });
}
