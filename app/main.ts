/**
 * The Electron shell: the only code that imports 'electron'. It creates the secure window,
 * serves the built renderer under app://postbote with a strict CSP, wires the contract to
 * ipcMain, and hands everything else to main/ (plain Node).
 */
import { app, BrowserWindow, Menu, net, Notification, protocol, shell, session } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices, type Services } from '../main/services/index.js';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl, isSafeExternalUrl } from './security.js';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererRoot = join(__dirname, '..', 'renderer');
let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;
const log = (line: string) => console.log(`[postbote] ${line}`);

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererRoot, relative));
    if (!file.startsWith(rendererRoot + sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 860,
    minHeight: 560,
    title: 'Postbote',
    show: false,
    backgroundColor: '#f6f7f9',
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

function mailtoFrom(argv: string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith('mailto:'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const mailto = mailtoFrom(argv);
    if (mailto) services?.events.emit('app.mailto', { url: mailto });
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (url.toLowerCase().startsWith('mailto:')) services?.events.emit('app.mailto', { url });
  });

  void app.whenReady().then(() => {
    app.setAsDefaultProtocolClient('mailto');
    // Permission requests (camera, notifications from the page, …) are not needed: deny all.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    serveRenderer();
    services = createServices({
      dataDir: app.getPath('userData'),
      appVersion: app.getVersion(),
      systemLanguage: app.getLocale(),
      host: {
        notify: (title, body) => {
          if (Notification.isSupported() && !mainWindow?.isFocused()) new Notification({ title, body }).show();
        },
        openExternal: async (url) => { if (isSafeExternalUrl(url)) await shell.openExternal(url); },
      },
    });
    mainWindow = createWindow();
    registerIpc(services, () => mainWindow?.webContents, log);
    // Reconcile what a crash left behind, then send what is due.
    void services.outbox.start();
    Menu.setApplicationMenu(buildMenu(app.getLocale().startsWith('de') ? 'de' : 'en', (section) => services?.events.emit('app.navigate', { section })));
    const mailto = mailtoFrom(process.argv);
    if (mailto) mainWindow.webContents.once('did-finish-load', () => services?.events.emit('app.mailto', { url: mailto }));
  });

  app.on('window-all-closed', () => {
    void services?.close();
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}
