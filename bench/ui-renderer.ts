/**
 * Renderer speed (issue 9), in Debian's Chromium against the real services:
 *  1. initial JavaScript of the built renderer, gzip (budget 400 KB);
 *  2. navigation → interactive compose screen (the To field accepts typing), median of runs;
 *  3. the send log scrolled through 100,000 entries (paged in over IPC as it scrolls),
 *     with every frame's duration (target: no frame over 50 ms);
 *  4. the End key on a freshly opened send log of 100,000 entries: time until the last row
 *     shows its entry, and how many rows that loaded.
 *   node scripts/build.mjs && node --import tsx bench/ui-renderer.ts [--entries 100000] [--runs 7]
 * Writes JSON to bench/results/ui-renderer-<time>.json.
 */
import { MemorySecretStore } from '../main/testing/memory-secret-store.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { createSendLogRepository } from '../main/store/sendlog.js';
import type { SendLogStatus } from '../shared/sendlog.js';
import { launchChromium, openApp, rendererDir, serveRenderer } from '../e2e/harness.js';
import { median, option, table, writeResults } from './lib/common.js';

const entries = option('entries', 100_000);
const runs = option('runs', 7);


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
const app = await openApp(browser, web.url, { locale: 'en-GB', serviceOptions: { secrets: new MemorySecretStore('memory (bench)') } });
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
  // The list is sized to the total from its first page; pages arrive as it scrolls (the list's
  // data-loaded attribute counts loaded rows). Scroll to the end, then keep counting frames
  // until the rows in view have arrived; note the frames that showed placeholders.
  const scroll = await page.evaluate(`(async (total) => {
    const el = document.querySelector('.log-list__scroll');
    // Long animation frames (Chromium): what ran in each frame over 50 ms, to say where it went.
    const loaf = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) loaf.push(e); });
    try { observer.observe({ type: 'long-animation-frame', buffered: false }); } catch {}
    // (A list without data-loaded grows as pages arrive: its height says how many rows are in.)
    const loadedRows = () => (el.dataset.loaded !== undefined ? Number(el.dataset.loaded) : Math.round(el.scrollHeight / 60));
    const frames = [];
    const arrivedAt = [];
    const placeholders = [];
    let loaded = loadedRows();
    let last = performance.now();
    const started = last;
    let endReached = 0;
    while (true) {
      el.scrollTop += 4800; // 80 rows per frame: far faster than a person scrolls
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      frames.push(t - last);
      arrivedAt.push(loadedRows() !== loaded);
      placeholders.push(el.querySelector('.log-row[aria-busy="true"]') !== null);
      loaded = loadedRows();
      last = t;
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      if (atEnd && !endReached) endReached = t;
      if (atEnd && (el.dataset.loaded === undefined ? loaded >= total : el.querySelector('.log-row[aria-busy="true"]') === null)) break;
      if (t - started > 240000) break;
    }
    observer.disconnect();
    const long = loaf.filter((f) => f.duration > 50);
    const causes = {};
    for (const f of long) {
      for (const sc of f.scripts) { const k = sc.invokerType + ' ' + (sc.invoker || '').slice(0, 60); causes[k] = (causes[k] || 0) + sc.duration; }
      causes['(style and layout)'] = (causes['(style and layout)'] || 0) + (f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0);
      causes['(render start → style)'] = (causes['(render start → style)'] || 0) + (f.renderStart && f.styleAndLayoutStart ? f.styleAndLayoutStart - f.renderStart : 0);
      causes['(blocking)'] = (causes['(blocking)'] || 0) + f.blockingDuration;
    }
    const detail = long.map((f) => ({ ms: Math.round(f.duration), beforeRender: Math.round((f.renderStart || f.startTime + f.duration) - f.startTime),
      render: Math.round(f.styleAndLayoutStart ? f.styleAndLayoutStart - f.renderStart : 0), styleLayout: Math.round(f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0),
      scripts: f.scripts.map((sc) => sc.invokerType + ':' + (sc.invoker || '').slice(0, 40) + ' ' + Math.round(sc.duration) + 'ms (forced layout ' + Math.round(sc.forcedStyleAndLayoutDuration) + ')').join('; ') }));
    return { detail, loafCount: long.length, causes, frames, longWhenPageArrived: frames.filter((f, i) => f > 50 && arrivedAt[i]).length, pagesArrived: arrivedAt.filter(Boolean).length,
      placeholderFrames: placeholders.filter(Boolean).length, endToLoadedMs: performance.now() - endReached,
      ms: performance.now() - started, rows: loaded, listRows: Math.round(el.scrollHeight / 60),
      lastText: [...document.querySelectorAll('.log-row')].sort((a, b) => Number(b.getAttribute('aria-posinset')) - Number(a.getAttribute('aria-posinset')))[0]?.querySelector('.log-row__subject')?.textContent ?? '' };
  })(${entries})`) as { detail: unknown[]; loafCount: number; causes: Record<string, number>; frames: number[]; longWhenPageArrived: number; pagesArrived: number; placeholderFrames: number; endToLoadedMs: number; ms: number; rows: number; listRows: number; lastText: string };

  // 4. End on a freshly opened log: the list asks for the last page directly.
  await page.locator('nav button[data-section="compose"]').click();
  await page.locator('nav button[data-section="log"]').click();
  await page.locator('.log-row').first().waitFor();
  const jump = await page.evaluate(`(async (total) => {
    const el = document.querySelector('.log-list__scroll');
    el.focus();
    const started = performance.now();
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    const selector = '.log-row[aria-posinset="' + total + '"]:not([aria-busy="true"])';
    while (!document.querySelector(selector)) {
      await new Promise((r) => requestAnimationFrame(r));
      if (performance.now() - started > 60000) break;
    }
    return { ms: performance.now() - started, loaded: Number(el.dataset.loaded ?? 0), last: document.querySelector(selector)?.querySelector('.log-row__subject')?.textContent ?? '' };
  })(${entries})`) as { ms: number; loaded: number; last: string };
  const sorted = [...scroll.frames].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const result = {
    when: new Date().toISOString(),
    bundle: { initialFiles: initial, initialJsGzipKB: +(initialGzip / 1024).toFixed(1), initialJsRawKB: +(initialRaw / 1024).toFixed(1), cssGzipKB: +(cssGzip / 1024).toFixed(1), jsChunks: allJs.length, budgetKB: 400 },
    compose: { runs: compose.map((x) => Math.round(x)), medianMs: Math.round(median(compose)) },
    sendLog: { entries, seedMs: Math.round(seedMs), rowsReached: scroll.rows, listRows: scroll.listRows, lastRow: scroll.lastText, frames: scroll.frames.length, scrollMs: Math.round(scroll.ms),
      longFrames: scroll.frames.flatMap((f, i) => (f > 50 ? [{ frame: i, ms: Math.round(f) }] : [])),
      pagesArrived: scroll.pagesArrived, longAnimationFrames: scroll.loafCount,
      longFrameTimeBy: Object.fromEntries(Object.entries(scroll.causes).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)])), framesWithPlaceholders: scroll.placeholderFrames, endToLastRowMs: Math.round(scroll.endToLoadedMs),
      frameMs: { median: +median(scroll.frames).toFixed(1), p95: +pct(95).toFixed(1), p99: +pct(99).toFixed(1), max: +(sorted[sorted.length - 1] ?? 0).toFixed(1) },
      framesOver50ms: scroll.frames.filter((f) => f > 50).length, over50msWhenAPageArrived: scroll.longWhenPageArrived,
      machineLoad: loadavg()[0] ?? 0 },
    endKey: { ms: Math.round(jump.ms), rowsLoaded: jump.loaded, lastRow: jump.last },
  };
  console.log(table([
    { measure: 'initial JS (gzip)', value: `${result.bundle.initialJsGzipKB} KB`, target: '< 400 KB' },
    { measure: 'navigation → interactive compose (median)', value: `${result.compose.medianMs} ms`, target: '' },
    { measure: `send log scrolled through ${entries} entries`, value: `${result.sendLog.frames} frames in ${result.sendLog.scrollMs} ms`, target: '' },
    { measure: 'frame time median / p95 / p99 / max', value: `${result.sendLog.frameMs.median} / ${result.sendLog.frameMs.p95} / ${result.sendLog.frameMs.p99} / ${result.sendLog.frameMs.max} ms`, target: 'max ≤ 50 ms' },
    { measure: 'frames over 50 ms (of which a page arrived)', value: `${result.sendLog.framesOver50ms} (${result.sendLog.over50msWhenAPageArrived})`, target: '0' },
    { measure: 'pages arrived / frames showing placeholders', value: `${result.sendLog.pagesArrived} / ${result.sendLog.framesWithPlaceholders}`, target: '' },
    { measure: 'end of list reached → last row loaded', value: `${result.sendLog.endToLastRowMs} ms (last: ${result.sendLog.lastRow})`, target: '' },
    { measure: 'End key on a fresh log → last row shown', value: `${result.endKey.ms} ms, ${result.endKey.rowsLoaded} rows loaded (last: ${result.endKey.lastRow})`, target: '' },
    { measure: 'machine load average (2 cores, shared)', value: String(result.sendLog.machineLoad.toFixed(1)), target: '' },
  ]));
  console.log('frames over 50 ms (index, ms):', JSON.stringify(result.sendLog.longFrames));
  if (process.env.LOAF_DETAIL) for (const d of scroll.detail) console.log(JSON.stringify(d));
  console.log('time in long animation frames (> 50 ms), by script invoker / phase, ms:', result.sendLog.longFrameTimeBy);
  console.log(`results: ${writeResults('ui-renderer', result)}`);
} finally {
  await app.close();
  await browser.close();
  await web.close();
}
