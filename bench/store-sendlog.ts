/**
 * Send-log speed with 100,000 entries (issue 7): the newest page of 100, pages deep in the
 * list by offset (the list's End key), a filter by status and account, and full-text searches, each timed over many runs on a real database file.
 *   node --import tsx bench/store-sendlog.ts [entries]
 * Prints medians and p95 and writes JSON to bench/results/store-sendlog.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../main/store/database.js';
import { createRepositories } from '../main/store/index.js';
import type { SendLogQuery, SendLogStatus } from '../shared/sendlog.js';

const total = Number(process.argv[2] ?? 100_000);
const runs = 60;
const dir = mkdtempSync(join(tmpdir(), 'postbote-bench-'));
const db = openDatabase(dir);
const repos = createRepositories(db);

// Deterministic pseudo-random data (so runs are comparable).
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const words = ['Angebot', 'Rechnung', 'Termin', 'Bewerbung', 'Protokoll', 'Urlaub', 'Projekt', 'Bericht', 'Einladung', 'Vertrag',
  'Lieferung', 'Mahnung', 'Newsletter', 'Quartal', 'Budget', 'Entwurf', 'Feedback', 'Status', 'Planung', 'Abrechnung'];
const domains = ['example.com', 'firma.example', 'kunde.example', 'gmx.example', 'web.example', 'mail.example'];
const errors = ['550 5.1.1 mailbox unavailable', '451 4.7.1 greylisted, try again later', '554 5.7.1 relay access denied',
  '552 5.3.4 message size exceeds fixed limit', '421 4.4.2 connection timed out'];
const statuses: SendLogStatus[] = ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed'];

const accountIds = Array.from({ length: 5 }, (_, i) =>
  repos.accounts.create({ displayName: `Konto ${i}`, address: `konto${i}@example.de`, host: 'smtp.example.de', port: 587, security: 'starttls' }).id);

const t0 = performance.now();
const start = Date.UTC(2024, 0, 1);
const batch = 5000;
for (let done = 0; done < total; done += batch) {
  db.transaction(() => {
    for (let i = done; i < Math.min(total, done + batch); i += 1) {
      const status = pick(statuses);
      const recipients = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${pick(['anna', 'max', 'team', 'info', 'chef', 'lisa'])}${Math.floor(rand() * 500)}@${pick(domains)}`);
      repos.sendLog.append({
        time: start + i * 60_000 + Math.floor(rand() * 1000),
        accountId: pick(accountIds),
        envelopeFrom: 'konto@example.de',
        recipients,
        subject: `${pick(words)} ${pick(words)} ${Math.floor(rand() * 10000)}`,
        size: 1000 + Math.floor(rand() * 500_000),
        status,
        errorText: status === 'failed' || status === 'deferred' ? pick(errors) : null,
        results: recipients.map((address) => ({ address, accepted: status !== 'failed', code: status === 'failed' ? 550 : 250, message: 'OK' })),
        timings: { connect: 20, tls: 40, auth: 60, data: 100 },
        transcript: [
          { t: 0, dir: 'S', phase: 'greeting', line: '220 smtp.example.de ESMTP' },
          { t: 3, dir: 'C', phase: 'ehlo', line: 'EHLO client.example' },
          { t: 9, dir: 'C', phase: 'auth', line: 'AUTH PLAIN ****' },
          { t: 30, dir: 'S', phase: 'data', line: '250 2.0.0 Ok: queued' },
        ],
        durationMs: 50 + Math.floor(rand() * 2000),
      });
    }
  });
}
const insertMs = performance.now() - t0;
db.sql.exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE; PRAGMA optimize');

const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: +at(0.5).toFixed(3), p95: +at(0.95).toFixed(3), max: +(s.at(-1) ?? NaN).toFixed(3) };
};

function measure(name: string, query: SendLogQuery, budgetMs: number) {
  let rows = 0;
  for (let i = 0; i < 5; i += 1) repos.sendLog.list(query); // warm the page cache and statement
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    rows = repos.sendLog.list(query).entries.length;
    samples.push(performance.now() - t);
  }
  const s = stats(samples);
  const ok = s.median < budgetMs && s.p95 < budgetMs;
  console.log(`${ok ? 'ok  ' : 'SLOW'} ${name.padEnd(48)} median ${s.median.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  (budget ${budgetMs} ms, ${rows} rows)`);
  return { name, query, budgetMs, rows, ...s, ok };
}

const newest = repos.sendLog.list({ limit: 100 });
const results = [
  measure('newest page of 100', { limit: 100 }, 20),
  measure('second page (keyset cursor)', { limit: 100, before: newest.nextCursor ?? '' }, 20),
  measure('last page by offset (the End key), 200', { limit: 200, offset: total - 200 }, 20),
  measure('middle page by offset, 200', { limit: 200, offset: Math.floor(total / 2) }, 20),
  measure('last failed page by offset, 200', { status: ['failed'], limit: 200, offset: Math.max(0, (repos.sendLog.list({ status: ['failed'], limit: 1 }).total ?? 0) - 200) }, 20),
  measure('status failed + one account, 100', { status: ['failed'], accountId: accountIds[2], limit: 100 }, 20),
  measure('status sent + one account, 100', { status: ['sent'], accountId: accountIds[1], limit: 100 }, 20),
  measure('status failed|deferred, 100', { status: ['failed', 'deferred'], limit: 100 }, 20),
  measure('date range (one week), 100', { from: start + 20_000 * 60_000, to: start + 30_080 * 60_000, limit: 100 }, 20),
  measure('search rare word ("Mahnung 42")', { search: 'Mahnung 42', limit: 100 }, 50),
  measure('search common word ("Rechnung")', { search: 'Rechnung', limit: 100 }, 50),
  measure('search recipient ("anna1@kunde")', { search: 'anna1@kunde', limit: 100 }, 50),
  measure('search error text ("relay access")', { search: 'relay access', limit: 100 }, 50),
  measure('search + status + account', { search: 'mailbox', status: ['failed'], accountId: accountIds[0], limit: 100 }, 50),
];

const databaseBytes = statSync(join(dir, 'postbote.sqlite')).size;
const report: Record<string, unknown> = {
  bench: 'store-sendlog',
  date: new Date().toISOString(),
  node: process.version,
  sqlite: String(db.sql.prepare('SELECT sqlite_version() AS v').get()?.v),
  cpu: cpus()[0]?.model ?? 'unknown',
  entries: total,
  insertSeconds: +(insertMs / 1000).toFixed(2),
  databaseBytes,
  runs,
  results,
};
db.close();
// Opening runs PRAGMA quick_check, which reads the whole file: worth knowing at this size.
const tOpen = performance.now();
openDatabase(dir).close();
const openMs = +(performance.now() - tOpen).toFixed(1);
const tOpenNoCheck = performance.now();
openDatabase(dir, { integrityCheck: false }).close();
const openNoCheckMs = +(performance.now() - tOpenNoCheck).toFixed(1);
Object.assign(report, { openMs, openNoCheckMs });
console.log(`inserted ${total} entries in ${String(report.insertSeconds)} s; database ${(databaseBytes / 1e6).toFixed(1)} MB; open with quick_check ${openMs} ms, without ${openNoCheckMs} ms`);
if (process.env.KEEP_BENCH_DB) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
const out = join(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'store-sendlog.json'), `${JSON.stringify(report, null, 2)}\n`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
