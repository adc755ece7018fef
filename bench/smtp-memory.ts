/**
 * Peak RSS and throughput for a big attachment over implicit TLS, our engine and
 * nodemailer side by side, each case in a fresh child process. Both clients send the
 * same pre-built MIME stream (nodemailer as `raw`), so the transport is what is compared;
 * `nodemailer-compose` (nodemailer building the attachment itself) is shown for reference.
 *
 *   node --import tsx bench/smtp-memory.ts            # 5 and 20 MiB
 *   node --import tsx bench/smtp-memory.ts --full     # 5, 20 and 100 MiB
 *   --runs N: median of N child processes per case (default 3)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa } from '../main/testing/test-ca.js';
import { flag, median, option, table, writeResults } from './lib/common.js';
import { startSink } from './lib/sink-server.js';

interface Sample { client: string; mib: number; ms: number; baselineRss: number; peakRss: number; mibPerSec: number }

const sizes = flag('full') ? [5, 20, 100] : [5, 20];
const ca = createTestCa('Postbote Bench CA');
const cert = ca.issue();
const caPath = join(ca.dir, 'bench-ca.pem');
writeFileSync(caPath, ca.caCertPem);
const sink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: true });
const samples: Sample[] = [];
const runs = option('runs', 3);
const child = async (client: string, mib: number): Promise<Sample> => {
  // Asynchronous: the sink lives in this process and must keep answering.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join('bench', 'lib', 'memory-child.ts'), client, String(mib), String(sink.port), caPath], { encoding: 'utf8', timeout: 300_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
};
try {
  await child('postbote', 1); // warm-up: tsx compiles and caches the sources once
  for (const mib of sizes) {
    for (const client of ['postbote', 'nodemailer', 'nodemailer-compose']) {
      const got: Sample[] = [];
      for (let i = 0; i < runs; i++) got.push(await child(client, mib));
      const pick = (k: 'ms' | 'baselineRss' | 'peakRss' | 'mibPerSec'): number => median(got.map((g) => g[k]));
      samples.push({ client, mib, ms: pick('ms'), baselineRss: pick('baselineRss'), peakRss: pick('peakRss'), mibPerSec: pick('mibPerSec') });
    }
  }
} finally {
  await sink.close();
}
const MB = 1024 * 1024;
const rows = samples.map((s) => ({ client: s.client, attachmentMiB: s.mib, peakRssMB: s.peakRss / MB, growthOverBaselineMB: (s.peakRss - s.baselineRss) / MB, seconds: s.ms / 1000, MiBPerSec: s.mibPerSec }));
const peak = (c: string, mib: number): number => (samples.find((s) => s.client === c && s.mib === mib)?.peakRss ?? NaN) / MB;
const summary: Record<string, number> = {
  peakRss20MiB_postbote: peak('postbote', 20),
  peakRss20MiB_nodemailer: peak('nodemailer', 20),
  throughputRatio20MiB: (samples.find((s) => s.client === 'postbote' && s.mib === 20)?.mibPerSec ?? NaN) / (samples.find((s) => s.client === 'nodemailer' && s.mib === 20)?.mibPerSec ?? NaN),
  peakGrowth5to20MiB_postbote: peak('postbote', 20) - peak('postbote', 5),
};
if (sizes.includes(100)) summary.peakGrowth5to100MiB_postbote = peak('postbote', 100) - peak('postbote', 5);
summary.peakRss20MiB_nodemailerComposing = peak('nodemailer-compose', 20);
if (sizes.includes(100)) summary.peakGrowth5to100MiB_nodemailer = peak('nodemailer', 100) - peak('nodemailer', 5);
console.log(`\nSMTP memory benchmark — attachment over implicit TLS to a loopback sink, one child process per run, median of ${runs}\n`);
console.log(table(rows));
console.log('');
console.log(table(Object.entries(summary).map(([k, v]) => ({ measure: k, value: v }))));
console.log(`\nresults: ${writeResults('smtp-memory', { sizes, samples, summary })}`);
