/**
 * The browser test harness: the built renderer, served on loopback, in Debian's Chromium
 * driven by playwright-core — with the REAL main-process service object behind
 * window.postbote, reached through the same validating dispatcher ipcMain uses.
 * No Electron needed, nothing mocked.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createDispatcher } from '../main/ipc/dispatcher.js';
import { createServices, type Services, type ServicesOptions } from '../main/services/index.js';
import { CONTENT_SECURITY_POLICY } from '../app/security.js';

export const CHROMIUM_PATH = process.env.POSTBOTE_CHROMIUM ?? '/usr/bin/chromium';
export const rendererDir = resolve('out/renderer');
export const screenshotDir = resolve(process.env.POSTBOTE_SCREENSHOTS ?? 'test-results/screenshots');

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM_PATH);
export const rendererBuilt = (): boolean => existsSync(join(rendererDir, 'index.html'));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json',
};

/** Serves out/renderer with the same CSP the Electron shell sends. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/index.html`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Playwright's launch() gives every browser a fresh, temporary --user-data-dir of its own. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  services: Services;
  dataDir: string;
  /** Uncaught page errors and console errors (CSP violations among them) seen so far. */
  pageErrors: readonly string[];
  /** Reload the page (the services and their data stay). */
  reload(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
  dataDir?: string;
  services?: Services;
  serviceOptions?: Partial<ServicesOptions>;
  viewport?: { width: number; height: number };
}

/** What preload exposes in Electron, rebuilt on top of the exposed binding. */
const bridgeScript = `(() => {
  const listeners = new Map();
  window.__postboteEmit = (name, payload) => { const set = listeners.get(name); if (set) for (const l of set) l(payload); };
  window.postbote = Object.freeze({
    invoke: (name, ...args) => window.__postboteInvoke(name, args),
    on: (name, listener) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(listener);
      return () => listeners.get(name).delete(listener);
    },
  });
})();`;

/** Opens the app in a fresh browser context wired to a real service object. */
export async function openApp(browser: Browser, appUrl: string, options: OpenAppOptions = {}): Promise<AppPage> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'postbote-e2e-'));
  const locale = options.locale ?? 'en-GB';
  const services = options.services ?? createServices({ dataDir, appVersion: '0.1.0-e2e', systemLanguage: locale, ...options.serviceOptions });
  // As app/main.ts does once the window is up: reconcile, then send what is due.
  if (!options.services) await services.outbox.start();
  const dispatch = createDispatcher(services.service, (line) => console.error(`[e2e] ${line}`));
  const context = await browser.newContext({ locale, colorScheme: options.colorScheme ?? 'light', viewport: options.viewport ?? { width: 1180, height: 780 } });
  const appOrigin = new URL(appUrl).origin;
  await context.exposeBinding('__postboteInvoke', async (source, name: unknown, args: unknown) => {
    // The same check as app/ipc.ts: only our own page may call.
    if (new URL(source.frame.url()).origin !== appOrigin) return { ok: false, error: { kind: 'ipc.untrustedSender', messageKey: 'ipc.internal' } };
    return dispatch(name, args);
  });
  // Plain JavaScript on purpose: a function would be serialised with the test compiler's helpers.
  await context.addInitScript({ content: bridgeScript });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  const unsubscribe = services.events.subscribe((name, payload) => {
    void page.evaluate(`window.__postboteEmit?.(${JSON.stringify(name)}, ${JSON.stringify(payload)})`).catch(() => {});
  });
  await page.goto(appUrl);
  await page.locator('.shell').waitFor({ timeout: 15000 });
  return {
    page, context, services, dataDir, pageErrors,
    async reload() {
      await page.reload();
      await page.locator('.shell').waitFor({ timeout: 15000 });
    },
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const file = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      unsubscribe();
      if (pageErrors.length > 0) console.error(`[e2e] page errors: ${pageErrors.join(' | ')}`);
      await context.close();
      if (!options.services) await services.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface AppSuite {
  /** Chromium and the built renderer are there (else the tests skip, or fail under CI). */
  ready(): boolean;
  /** A fresh app page in this file's browser (see openApp). */
  open(options?: OpenAppOptions): Promise<AppPage>;
}

/**
 * One Chromium and one renderer server per test file: started before its tests, closed
 * after them. Call at the top level of a test file.
 */
export function useAppSuite(): AppSuite {
  const ready = () => chromiumAvailable() && rendererBuilt();
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serveRenderer>> | undefined;
  before(async () => {
    if (!ready()) return;
    server = await serveRenderer();
    browser = await launchChromium();
    console.log(`screenshots: ${screenshotDir}`);
  });
  const opened: AppPage[] = [];
  after(async () => {
    await browser?.close();
    await server?.close();
    // A page that logged an error (an exception, a CSP violation, a failed load) fails the file,
    // even when each test's own assertions passed.
    const errors = opened.flatMap((app) => app.pageErrors);
    if (errors.length > 0) throw new Error(`the page logged ${errors.length} error(s):\n${errors.join('\n')}`);
  });
  return {
    ready,
    open: async (options) => {
      if (!browser || !server) throw new Error('the browser suite did not start (Chromium or the built renderer is missing)');
      const app = await openApp(browser, server.url, options);
      opened.push(app);
      return app;
    },
  };
}
