/**
 * Renderer speed (issue 9), in Debian's Chromium against the real services:
 *  1. initial JavaScript of the built renderer, gzip (budget 400 KB);
 *  2. navigation → interactive compose screen (the To field accepts typing), median of runs;
 *  3. the send log scrolled through 100,000 entries (paged in over IPC as it scrolls),
 *     with every frame's duration (target: no frame over 50 ms).
 *   node scripts/build.mjs && node --import tsx bench/ui-renderer.ts [--entries 100000] [--runs 7]
 * Writes JSON to bench/results/ui-renderer-<time>.json.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import type { SecretKind } from '../shared/account.js';
import type { SecretStore } from '../main/secrets/index.js';
import { createSendLogRepository } from '../main/store/sendlog.js';
import type { SendLogStatus } from '../shared/sendlog.js';
import { launchChromium, openApp, rendererDir, serveRenderer } from '../e2e/harness.js';
import { median, option, table, writeResults } from './lib/common.js';

const entries = option('entries', 100_000);
const runs = option('runs', 7);

/** The bench measures the UI, not the keychain: secrets stay in memory here. */
class MemorySecrets implements SecretStore {
  readonly backend = 'memory (bench)';
  private readonly map = new Map<string, string>();
  async get(id: string, kind: SecretKind) { return this.map.get(`${id}:${kind}`); }
  async set(id: string, kind: SecretKind, secret: string) { this.map.set(`${id}:${kind}`, secret); }
  async delete(id: string, kind: SecretKind) { return this.map.delete(`${id}:${kind}`); }
  async has(id: string, kind: SecretKind) { return this.map.has(`${id}:${kind}`); }
}

// 1. Initial JavaScript: the entry script and everything it preloads.
const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1] ?? '');
const allJs = readdirSync(join(rendererDir, 'assets')).filter((f) => f.endsWith('.js'));
const gz = (file: string) => gzipSync(readFileSync(join(rendererDir, file))).length;
const initialGzip = initial.reduce((n, f) => n + gz(f), 0);
const initialRaw = initial.reduce((n, f) => n + readFileSync(join(rendererDir, f)).length, 0);
const cssGzip = readdirSync(join(rendererDir, 'assets')).filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(join('assets', f)), 0);

const web = await serveRenderer();
const browser = await launchChromium();
const app = await openApp(browser, web.url, { locale: 'en-GB', serviceOptions: { secrets: new MemorySecrets() } });
try {
  const { page, services } = app;
  await services.service['accounts.create']({ displayName: 'Bench', address: 'bench@example.org', host: 'smtp.example.org', port: 587, security: 'starttls', username: 'bench@example.org' }, 'x');

  // 2. Navigation → interactive compose.
  const compose: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.reload({ waitUntil: 'commit' });
    await page.locator('.address-field input').waitFor({ state: 'visible' });
    await page.locator('.address-field input').pressSequentially('a', { delay: 0 });
    // performance.now() counts from the navigation start of this document.
    compose.push(await page.evaluate('performance.now()') as number);
  }

  // 3. 100,000 send-log entries, scrolled from top to bottom.
  const repo = createSendLogRepository(services.db);
  const statuses: SendLogStatus[] = ['sent', 'sent', 'sent', 'sentWithWarnings', 'deferred', 'failed'];
  const now = Date.now();
  const seedStart = performance.now();
  services.db.transaction(() => {
    for (let i = 0; i < entries; i++) {
      repo.append({ time: now - i * 30_000, accountId: null, envelopeFrom: 'bench@example.org', recipients: [`person${i % 977}@example.org`],
        subject: `Bench message ${i} – Übersicht`, size: 1000 + (i % 5000), status: statuses[i % statuses.length] ?? 'sent', durationMs: 100 + (i % 300) });
    }
  });
  const seedMs = performance.now() - seedStart;
  await page.locator('nav button[data-section="log"]').click();
  await page.locator('.log-row').first().waitFor();
  const scroll = await page.evaluate(`(async (total) => {
    const el = document.querySelector('.log-list__scroll');
    const frames = [];
    const grewAt = [];
    let height = el.scrollHeight;
    let last = performance.now();
    const started = last;
    const rowsLoaded = () => el.scrollHeight / 60;
    while (true) {
      el.scrollTop += 4800; // 80 rows per frame: far faster than a person scrolls
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      frames.push(t - last);
      grewAt.push(el.scrollHeight !== height);
      height = el.scrollHeight;
      last = t;
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      if (atEnd && rowsLoaded() >= total - 1) break;
      if (t - started > 240000) break;
    }
    return { frames, longWhenPageArrived: frames.filter((f, i) => f > 50 && grewAt[i]).length, ms: performance.now() - started, rows: Math.round(rowsLoaded()), lastText: document.querySelector('.log-row:last-child .log-row__subject')?.textContent ?? '' };
  })(${entries})`) as { frames: number[]; longWhenPageArrived: number; ms: number; rows: number; lastText: string };
  const sorted = [...scroll.frames].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const result = {
    when: new Date().toISOString(),
    bundle: { initialFiles: initial, initialJsGzipKB: +(initialGzip / 1024).toFixed(1), initialJsRawKB: +(initialRaw / 1024).toFixed(1), cssGzipKB: +(cssGzip / 1024).toFixed(1), jsChunks: allJs.length, budgetKB: 400 },
    compose: { runs: compose.map((x) => Math.round(x)), medianMs: Math.round(median(compose)) },
    sendLog: { entries, seedMs: Math.round(seedMs), rowsReached: scroll.rows, frames: scroll.frames.length, scrollMs: Math.round(scroll.ms),
      frameMs: { median: +median(scroll.frames).toFixed(1), p95: +pct(95).toFixed(1), p99: +pct(99).toFixed(1), max: +(sorted[sorted.length - 1] ?? 0).toFixed(1) },
      framesOver50ms: scroll.frames.filter((f) => f > 50).length, over50msWhenAPageArrived: scroll.longWhenPageArrived,
      machineLoad: loadavg()[0] ?? 0 },
  };
  console.log(table([
    { measure: 'initial JS (gzip)', value: `${result.bundle.initialJsGzipKB} KB`, target: '< 400 KB' },
    { measure: 'navigation → interactive compose (median)', value: `${result.compose.medianMs} ms`, target: '' },
    { measure: `send log scrolled through ${entries} entries`, value: `${result.sendLog.frames} frames in ${result.sendLog.scrollMs} ms`, target: '' },
    { measure: 'frame time median / p95 / p99 / max', value: `${result.sendLog.frameMs.median} / ${result.sendLog.frameMs.p95} / ${result.sendLog.frameMs.p99} / ${result.sendLog.frameMs.max} ms`, target: 'max ≤ 50 ms' },
    { measure: 'frames over 50 ms (of which a page arrived)', value: `${result.sendLog.framesOver50ms} (${result.sendLog.over50msWhenAPageArrived})`, target: '0' },
    { measure: 'machine load average (2 cores, shared)', value: String(result.sendLog.machineLoad.toFixed(1)), target: '' },
  ]));
  console.log(`results: ${writeResults('ui-renderer', result)}`);
} finally {
  await app.close();
  await browser.close();
  await web.close();
}
