/**
 * Composer speed and memory (issue 4), side by side with nodemailer's MailComposer:
 *  - throughput: a message with a 20 MiB attachment streamed to a null sink, alternating
 *    Postbote and nodemailer runs, median of several;
 *  - memory: peak RSS (maxRSS) of a child process that streams a message with a 5 MiB and
 *    a 100 MiB attachment; the growth between the two must stay under 10 MB.
 *   node --import tsx bench/mime-compose.ts [runs]
 * Prints a table and writes JSON to bench/results/mime-compose.json.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import MailComposer from 'nodemailer/lib/mail-composer';
import { composeMessage } from '../main/mime/compose.js';

const MiB = 1024 * 1024;
type Impl = 'postbote' | 'nodemailer';

const draftFor = (path: string) => ({
  from: { name: 'Jörg Müller', address: 'joerg@example.com' },
  to: 'Anna Schmidt <anna@example.org>',
  subject: 'Quartalsbericht – Grüße aus Köln',
  text: 'Hallo Anna,\n\nanbei der Bericht.\n\nViele Grüße\nJörg\n',
  attachments: [{ path, name: 'bericht.bin' }],
});

async function streamFor(impl: Impl, path: string): Promise<Readable> {
  if (impl === 'postbote') {
    const m = await composeMessage(draftFor(path), { eightBitMime: true, smtpUtf8: false });
    return m.stream();
  }
  const d = draftFor(path);
  return new MailComposer({
    from: { name: d.from.name, address: d.from.address },
    to: d.to,
    subject: d.subject,
    text: d.text,
    attachments: [{ path, filename: 'bericht.bin' }],
  })
    .compile()
    .createReadStream();
}

/** Streams one message to a sink that throws the bytes away; returns bytes and seconds. */
async function runOnce(impl: Impl, path: string): Promise<{ bytes: number; seconds: number }> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const t0 = performance.now();
  await pipeline(await streamFor(impl, path), sink);
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

function makeFile(dir: string, mib: number): string {
  const path = join(dir, `attachment-${mib}MiB.bin`);
  const fd = openSync(path, 'w');
  const block = randomBytes(MiB);
  for (let k = 0; k < mib; k++) writeSync(fd, block);
  closeSync(fd);
  return path;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

// ---- child mode: one streaming run, report peak RSS --------------------------------------
if (process.argv[2] === '--child') {
  const impl = process.argv[3] as Impl;
  const path = process.argv[4] ?? '';
  const before = process.memoryUsage().rss;
  let sampledPeak = before;
  const timer = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 5);
  const r = await runOnce(impl, path);
  clearInterval(timer);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  process.stdout.write(JSON.stringify({ before, sampledPeak, maxRss: process.resourceUsage().maxRSS * 1024, bytes: r.bytes, seconds: r.seconds }));
  process.exit(0);
}

// ---- parent: throughput, then memory in child processes -----------------------------------
const runs = Number(process.argv[2] ?? 7);
const MEMORY_SAMPLES = 3;
const dir = mkdtempSync(join(tmpdir(), 'postbote-bench-mime-'));
try {
  const file20 = makeFile(dir, 20);
  // Warm-up (JIT, file cache) for both.
  await runOnce('postbote', file20);
  await runOnce('nodemailer', file20);
  const times: Record<Impl, number[]> = { postbote: [], nodemailer: [] };
  const sizes: Record<Impl, number> = { postbote: 0, nodemailer: 0 };
  for (let k = 0; k < runs; k++) {
    for (const impl of (k % 2 === 0 ? ['postbote', 'nodemailer'] : ['nodemailer', 'postbote']) as Impl[]) {
      const r = await runOnce(impl, file20);
      times[impl].push(r.seconds);
      sizes[impl] = r.bytes;
    }
  }
  const throughput = (impl: Impl): { seconds: number; attachmentMiBs: number; outputMBs: number } => {
    const s = median(times[impl]);
    return { seconds: s, attachmentMiBs: 20 / s, outputMBs: sizes[impl] / 1e6 / s };
  };
  const tp = { postbote: throughput('postbote'), nodemailer: throughput('nodemailer') };

  const self = fileURLToPath(import.meta.url);
  const memory: Array<{ impl: Impl; attachmentMiB: number; before: number; sampledPeak: number; maxRss: number; samples: number[] }> = [];
  for (const mib of [5, 100]) {
    const path = makeFile(dir, mib);
    for (const impl of ['postbote', 'nodemailer'] as Impl[]) {
      // GC timing makes single runs noisy: take the median of several fresh processes.
      const samples: Array<{ before: number; sampledPeak: number; maxRss: number }> = [];
      for (let k = 0; k < MEMORY_SAMPLES; k++) {
        const child = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings=ExperimentalWarning', self, '--child', impl, path], { encoding: 'utf8', maxBuffer: MiB });
        if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
        samples.push(JSON.parse(child.stdout) as { before: number; sampledPeak: number; maxRss: number });
      }
      memory.push({
        impl,
        attachmentMiB: mib,
        before: median(samples.map((x) => x.before)),
        sampledPeak: median(samples.map((x) => x.sampledPeak)),
        maxRss: median(samples.map((x) => x.maxRss)),
        samples: samples.map((x) => x.maxRss),
      });
    }
    rmSync(path);
  }
  const peak = (impl: Impl, mib: number): number => memory.find((m) => m.impl === impl && m.attachmentMiB === mib)?.maxRss ?? 0;
  const growth = { postbote: peak('postbote', 100) - peak('postbote', 5), nodemailer: peak('nodemailer', 100) - peak('nodemailer', 5) };

  const mb = (n: number): string => (n / 1e6).toFixed(1);
  console.log(`\nStreaming a message with a 20 MiB attachment to a null sink (median of ${runs}, ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`);
  console.log('| composer            | median s | attachment MiB/s | output MB/s | message bytes |');
  console.log('|---------------------|---------:|-----------------:|------------:|--------------:|');
  for (const impl of ['postbote', 'nodemailer'] as Impl[]) {
    console.log(`| ${impl.padEnd(19)} | ${tp[impl].seconds.toFixed(3).padStart(8)} | ${tp[impl].attachmentMiBs.toFixed(1).padStart(16)} | ${tp[impl].outputMBs.toFixed(1).padStart(11)} | ${String(sizes[impl]).padStart(13)} |`);
  }
  const ratio = tp.postbote.attachmentMiBs / tp.nodemailer.attachmentMiBs;
  console.log(`throughput ratio postbote / nodemailer: ${ratio.toFixed(2)}×`);
  console.log(`\nPeak RSS of a child process streaming the message (maxRSS, MB, median of ${MEMORY_SAMPLES} processes)`);
  console.log('| composer   | 5 MiB attachment | 100 MiB attachment | growth |');
  console.log('|------------|-----------------:|-------------------:|-------:|');
  for (const impl of ['postbote', 'nodemailer'] as Impl[]) {
    console.log(`| ${impl.padEnd(10)} | ${mb(peak(impl, 5)).padStart(16)} | ${mb(peak(impl, 100)).padStart(18)} | ${mb(growth[impl]).padStart(6)} |`);
  }
  const pass = { throughput: ratio >= 1, memory: growth.postbote < 10e6 };
  console.log(`\nthroughput ≥ nodemailer: ${pass.throughput ? 'PASS' : 'FAIL'}; RSS growth 5→100 MiB < 10 MB: ${pass.memory ? 'PASS' : 'FAIL'} (${mb(growth.postbote)} MB)`);

  const results = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'mime-compose.json'),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, runs, throughput: tp, ratio, times, sizes, memory, growth, pass }, null, 2),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
