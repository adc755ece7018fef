/**
 * Where the send log's scrolling time goes: the same 100,000-entry scroll as ui-renderer.ts,
 * under Chromium's sampling profiler (CDP), summed by function (self time) and by script.
 *   node scripts/build.mjs && node --import tsx bench/ui-profile.ts [--entries 100000] [--top 25]
 * The renderer is built minified, so function names are short; the script URL says which bundle.
 */
import { MemorySecretStore } from '../main/testing/memory-secret-store.js';
import { createSendLogRepository } from '../main/store/sendlog.js';
import { launchChromium, openApp, serveRenderer } from '../e2e/harness.js';
import { option, table } from './lib/common.js';

const entries = option('entries', 100_000);
const top = option('top', 25);


interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const web = await serveRenderer();
const browser = await launchChromium();
const app = await openApp(browser, web.url, { locale: 'en-GB', serviceOptions: { secrets: new MemorySecretStore('memory (bench)') } });
try {
  const { page, services } = app;
  const repo = createSendLogRepository(services.db);
  const now = Date.now();
  services.db.transaction(() => {
    for (let i = 0; i < entries; i++) {
      repo.append({ time: now - i * 30_000, accountId: null, envelopeFrom: 'bench@example.org', recipients: [`person${i % 977}@example.org`],
        subject: `Bench message ${i} – Übersicht`, size: 1000 + (i % 5000), status: 'sent', durationMs: 100 + (i % 300) });
    }
  });
  await page.locator('nav button[data-section="log"]').click();
  await page.locator('.log-row').first().waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.evaluate(`(async (total) => {
    const el = document.querySelector('.log-list__scroll');
    const started = performance.now();
    while (true) {
      el.scrollTop += 4800;
      await new Promise((r) => requestAnimationFrame(r));
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 2 && Number(el.dataset.loaded ?? 0) >= total) break; // at the end, every page in
      if (performance.now() - started > 240000) break;
    }
  })(${entries})`);
  const { profile } = await cdp.send('Profiler.stop') as { profile: Profile };
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byScript = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byNode.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    if (!n) return;
    const script = n.callFrame.url.replace(/^.*\//, '') || `(${n.callFrame.functionName || 'native'})`;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${script}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    byScript.set(script, (byScript.get(script) ?? 0) + dt);
  });
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([what, ms]) => ({ what, ms: ms.toFixed(0) }));
  console.log(table(rows(byScript)));
  console.log(table(rows(self)));
} finally {
  await app.close();
  await browser.close();
  await web.close();
}
