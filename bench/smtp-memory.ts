/**
 * Peak RSS and throughput for a big attachment over implicit TLS, our engine and
 * nodemailer side by side, each case in a fresh child process. Both clients send the
 * same pre-built MIME stream (nodemailer as `raw`), so the transport is what is compared;
 * `nodemailer-compose` (nodemailer building the attachment itself) is shown for reference.
 *
 *   node --import tsx bench/smtp-memory.ts            # 5 and 20 MiB
 *   node --import tsx bench/smtp-memory.ts --full     # 5, 20 and 100 MiB
 *   --runs N: median of N child processes per case (default 3)
 *   --sizes 5,20,100: attachment sizes in MiB (overrides --full)
 *   --cases postbote,nodemailer,…: which cases (default all, see below)
 *   --baseline DIR: also run the Postbote cases from another checkout (e.g. a `git archive`
 *     of the commit before an engine change, with node_modules linked), labelled "@baseline",
 *     so before and after are measured in one run on the same machine load
 *
 * Cases: postbote / nodemailer send the same pre-built MIME stream (transport only);
 * nodemailer-compose builds the message from an in-memory stream; postbote-file /
 * nodemailer-file go end to end from a file on disk, each client composing the message
 * itself (composeMessage from main/mime + the engine vs nodemailer's sendMail with the
 * file as attachment).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestCa } from '../main/testing/test-ca.js';
import { flag, median, option, optionString, table, writeResults } from './lib/common.js';
import { startSink } from './lib/sink-server.js';

interface Sample { client: string; mib: number; ms: number; baselineRss: number; peakRss: number; peakHeapUsed: number; peakArrayBuffers: number; mibPerSec: number }

const sizes = optionString('sizes', '') ? optionString('sizes', '').split(',').map(Number) : flag('full') ? [5, 20, 100] : [5, 20];
const allCases = ['postbote', 'nodemailer', 'nodemailer-compose', 'postbote-file', 'nodemailer-file'];
const cases = optionString('cases', '') ? optionString('cases', '').split(',') : allCases;
const baselineDir = optionString('baseline', '');
const files = mkdtempSync(join(tmpdir(), 'postbote-bench-mem-'));
const fileFor = (mib: number): string => {
  const path = join(files, `attachment-${mib}MiB.bin`);
  const fd = openSync(path, 'w');
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < mib; i++) writeSync(fd, block);
  closeSync(fd);
  return path;
};
const ca = createTestCa('Postbote Bench CA');
const cert = ca.issue();
const caPath = join(ca.dir, 'bench-ca.pem');
writeFileSync(caPath, ca.caCertPem);
const sink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: true });
const samples: Sample[] = [];
const runs = option('runs', 3);
const child = async (client: string, mib: number, file: string, tree = process.cwd()): Promise<Sample> => {
  // Asynchronous: the sink lives in this process and must keep answering.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(tree, 'bench', 'lib', 'memory-child.ts'), client, String(mib), String(sink.port), caPath, file], { encoding: 'utf8', timeout: 300_000, cwd: tree });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
};
try {
  const warmFile = fileFor(1);
  await child('postbote-file', 1, warmFile); // warm-up: tsx compiles and caches the sources once
  if (baselineDir) await child('postbote-file', 1, warmFile, resolve(baselineDir));
  for (const mib of sizes) {
    const file = fileFor(mib);
    const variants = cases.flatMap((c) => [{ client: c, label: c, tree: process.cwd() }, ...(baselineDir && c.startsWith('postbote') ? [{ client: c, label: `${c}@baseline`, tree: resolve(baselineDir) }] : [])]);
    const got = new Map<string, Sample[]>(variants.map((v) => [v.label, []]));
    // Interleaved (a, b, c, a, b, c …): a change in machine load hits every case alike.
    for (let i = 0; i < runs; i++) {
      for (const v of variants) got.get(v.label)?.push(await child(v.client, mib, file, v.tree));
    }
    for (const v of variants) {
      const g = got.get(v.label) ?? [];
      const pick = (k: 'ms' | 'baselineRss' | 'peakRss' | 'peakHeapUsed' | 'peakArrayBuffers' | 'mibPerSec'): number => median(g.map((x) => x[k]));
      samples.push({ client: v.label, mib, ms: pick('ms'), baselineRss: pick('baselineRss'), peakRss: pick('peakRss'), peakHeapUsed: pick('peakHeapUsed'), peakArrayBuffers: pick('peakArrayBuffers'), mibPerSec: pick('mibPerSec') });
    }
    rmSync(file, { force: true });
  }
} finally {
  await sink.close();
  rmSync(files, { recursive: true, force: true });
}
const MB = 1024 * 1024;
const rows = samples.map((s) => ({ client: s.client, attachmentMiB: s.mib, peakRssMB: s.peakRss / MB, growthOverBaselineMB: (s.peakRss - s.baselineRss) / MB, peakHeapMB: s.peakHeapUsed / MB, peakArrayBuffersMB: s.peakArrayBuffers / MB, seconds: s.ms / 1000, MiBPerSec: s.mibPerSec }));
const peak = (c: string, mib: number): number => (samples.find((s) => s.client === c && s.mib === mib)?.peakRss ?? NaN) / MB;
const speed = (c: string, mib: number): number => samples.find((s) => s.client === c && s.mib === mib)?.mibPerSec ?? NaN;
const summary: Record<string, number> = {};
const big = Math.max(...sizes);
for (const [ours, theirs] of [['postbote', 'nodemailer'], ['postbote-file', 'nodemailer-file'], ['postbote@baseline', 'nodemailer'], ['postbote-file@baseline', 'nodemailer-file']] as const) {
  if (!samples.some((s) => s.client === ours) || !samples.some((s) => s.client === theirs)) continue;
  if (sizes.includes(20)) {
    summary[`peakRss20MiB · ${ours}`] = peak(ours, 20);
    summary[`peakRss20MiB · ${theirs}`] = peak(theirs, 20);
    summary[`peakRss20MiB · ${ours} − ${theirs}`] = peak(ours, 20) - peak(theirs, 20);
    summary[`throughputRatio20MiB · ${ours} / ${theirs}`] = speed(ours, 20) / speed(theirs, 20);
  }
  if (sizes.includes(5) && big > 5) {
    summary[`peakGrowth5to${big}MiB · ${ours}`] = peak(ours, big) - peak(ours, 5);
    summary[`peakGrowth5to${big}MiB · ${theirs}`] = peak(theirs, big) - peak(theirs, 5);
  }
}
if (sizes.includes(20) && samples.some((s) => s.client === 'nodemailer-compose')) summary['peakRss20MiB · nodemailer-compose'] = peak('nodemailer-compose', 20);
console.log(`\nSMTP memory benchmark — attachment over implicit TLS to a loopback sink, one child process per run, median of ${runs}\n`);
console.log(table(rows));
console.log('');
console.log(table(Object.entries(summary).map(([k, v]) => ({ measure: k, value: v }))));
console.log(`\nresults: ${writeResults('smtp-memory', { sizes, samples, summary })}`);
