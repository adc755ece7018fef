/**
 * Round trips and wall time of one send, our engine side by side with nodemailer, through
 * a loopback proxy that adds latency (default 25 ms each way = 50 ms RTT) and counts
 * round trips. Implicit TLS + AUTH, one message to 5 recipients.
 *
 *   node --import tsx bench/smtp-latency.ts [--one-way 25] [--runs 3] [--messages 20]
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { SmtpSession, WarmSession, sendMail } from '../main/smtp/index.js';
import { createTestCa } from '../main/testing/test-ca.js';
import { median, option, table, writeResults } from './lib/common.js';
import { startLatencyProxy, type LatencyProxy } from './lib/latency-proxy.js';
import { startSink, type Sink } from './lib/sink-server.js';

const oneWay = option('one-way', 25);
const runs = option('runs', 3);
const batch = option('messages', 20);
const to = ['r1@example.test', 'r2@example.test', 'r3@example.test', 'r4@example.test', 'r5@example.test'];
const from = 'sender@example.test';
const raw = `From: ${from}\r\nTo: ${to.join(', ')}\r\nSubject: benchmark\r\nMessage-ID: <bench@example.test>\r\n\r\n${'Hello, this is a small benchmark message.\r\n'.repeat(20)}`;
const creds = { username: 'bench', password: 'bench-password' };

const ca = createTestCa('Postbote Bench CA');
const cert = ca.issue();

interface Row { scenario: string; client: string; roundTrips: number; ms: number; [k: string]: string | number }

async function measure(proxy: LatencyProxy, fn: () => Promise<unknown>): Promise<{ ms: number; roundTrips: number }> {
  const times: number[] = [];
  const rts: number[] = [];
  for (let i = 0; i < runs; i++) {
    proxy.reset();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    rts.push(proxy.stats.roundTrips);
    await new Promise((r) => setTimeout(r, 4 * oneWay)); // let QUITs finish outside the clock
  }
  return { ms: median(times), roundTrips: median(rts) };
}

function ours(proxy: LatencyProxy) {
  return { host: proxy.host, port: proxy.port, security: 'tls' as const, servername: 'localhost', extraCaPem: ca.caCertPem };
}

function nm(proxy: LatencyProxy, pool: boolean): Transporter {
  return nodemailer.createTransport({
    host: proxy.host, port: proxy.port, secure: true, auth: { user: creds.username, pass: creds.password },
    tls: { ca: ca.caCertPem, servername: 'localhost' }, name: 'bench.client', pool, maxConnections: 1, maxMessages: Infinity,
  });
}

async function main(): Promise<void> {
  const sinks: Sink[] = [];
  const proxies: LatencyProxy[] = [];
  const rows: Row[] = [];
  try {
    const chunkSink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: true });
    const dataSink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: false });
    sinks.push(chunkSink, dataSink);
    const pChunk = await startLatencyProxy(chunkSink, oneWay);
    const pData = await startLatencyProxy(dataSink, oneWay);
    proxies.push(pChunk, pData);
    const message = { envelope: { from, to }, body: raw };

    // 1. A fresh connection per message.
    const fBdat = await measure(pChunk, () => sendMail({ ...ours(pChunk), credentials: creds }, message));
    rows.push({ scenario: 'fresh, 1 msg → 5 rcpts', client: 'postbote (CHUNKING)', ...fBdat });
    const fData = await measure(pData, () => sendMail({ ...ours(pData), credentials: creds }, message));
    rows.push({ scenario: 'fresh, 1 msg → 5 rcpts', client: 'postbote (DATA)', ...fData });
    const nmFresh = await measure(pChunk, async () => {
      const t = nm(pChunk, false);
      await t.sendMail({ envelope: { from, to }, raw });
      t.close();
    });
    rows.push({ scenario: 'fresh, 1 msg → 5 rcpts', client: 'nodemailer', ...nmFresh });

    // 2. A warm (opened ahead, kept alive) session: only the send is timed.
    const warm = new WarmSession({ ...ours(pChunk), credentials: creds });
    await warm.open();
    const wBdat = await measure(pChunk, () => warm.send(message));
    await warm.close();
    rows.push({ scenario: 'warm session, 1 msg', client: 'postbote (CHUNKING)', ...wBdat });
    const warmData = new WarmSession({ ...ours(pData), credentials: creds });
    await warmData.open();
    const wData = await measure(pData, () => warmData.send(message));
    await warmData.close();
    rows.push({ scenario: 'warm session, 1 msg', client: 'postbote (DATA)', ...wData });
    const pool = nm(pChunk, true);
    await pool.sendMail({ envelope: { from, to }, raw }); // opens the pooled connection
    const nmPooled = await measure(pChunk, () => pool.sendMail({ envelope: { from, to }, raw }));
    pool.close();
    rows.push({ scenario: 'warm session, 1 msg', client: 'nodemailer (pooled, 2nd msg)', ...nmPooled });

    // 3. N messages over one session, connection set-up included.
    const nOurs = await measure(pChunk, async () => {
      const s = await SmtpSession.open(ours(pChunk));
      await s.authenticate(creds);
      await Promise.all(Array.from({ length: batch }, () => s.send(message)));
      void s.quit();
    });
    rows.push({ scenario: `${batch} msgs, one session`, client: 'postbote (CHUNKING)', ...nOurs, msgsPerSec: batch / (nOurs.ms / 1000) });
    const nNm = await measure(pChunk, async () => {
      const t = nm(pChunk, true);
      await Promise.all(Array.from({ length: batch }, () => t.sendMail({ envelope: { from, to }, raw })));
      t.close();
    });
    rows.push({ scenario: `${batch} msgs, one session`, client: 'nodemailer (pooled, 1 conn)', ...nNm, msgsPerSec: batch / (nNm.ms / 1000) });

    const ratios = {
      freshRoundTrips: fBdat.roundTrips,
      freshRoundTripsData: fData.roundTrips,
      nodemailerFreshRoundTrips: nmFresh.roundTrips,
      warmRoundTrips: wBdat.roundTrips,
      freshSpeedup: nmFresh.ms / fBdat.ms,
      freshSpeedupData: nmFresh.ms / fData.ms,
      warmSpeedupVsNodemailerFresh: nmFresh.ms / wBdat.ms,
      warmSpeedupVsNodemailerPooled: nmPooled.ms / wBdat.ms,
      batchThroughputRatio: nNm.ms / nOurs.ms,
    };
    console.log(`\nSMTP latency benchmark — implicit TLS + AUTH, ${to.length} recipients, RTT ${2 * oneWay} ms, median of ${runs} runs\n`);
    console.log(table(rows));
    console.log('\nround trips include the TCP handshake and both TLS 1.3 flights (the greeting follows the handshake)');
    console.log(table(Object.entries(ratios).map(([k, v]) => ({ measure: k, value: v }))));
    console.log(`\nresults: ${writeResults('smtp-latency', { oneWayMs: oneWay, runs, batch, rows, ratios })}`);
  } finally {
    for (const p of proxies) await p.close();
    for (const s of sinks) await s.close();
  }
}

await main();
