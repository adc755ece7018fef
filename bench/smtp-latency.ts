/**
 * Round trips and wall time of one send, our engine side by side with nodemailer, through
 * a loopback proxy that adds latency (default 25 ms each way = 50 ms RTT) and counts
 * round trips. AUTH, one message to 5 recipients.
 *
 *   node --import tsx bench/smtp-latency.ts [--server postfix|sink|both] [--one-way 25] [--runs 3] [--messages 20]
 *
 * --server postfix (the default when the loopback test Postfix is up, see
 *   main/testing/postfix.ts): the real Postfix 3.7 + Dovecot SASL, implicit TLS on the
 *   submissions port and STARTTLS on the submission port, AUTH with the test user. Postfix
 *   offers PIPELINING and CHUNKING and AUTH PLAIN LOGIN CRAM-MD5, and is as strict as 3.9+
 *   about pipelining (smtpd_forbid_unauth_pipelining = yes). A fresh small send is then
 *   TCP, TLS, greeting, EHLO, and AUTH PLAIN + MAIL + RCPTs + BDAT LAST in one write (RFC 4954
 *   §4, RFC 3030): 5 round trips. Recipients: the test
 *   domain's two users, repeated to make five (Postfix accepts each RCPT and delivers once
 *   per mailbox); the delivered copies are removed afterwards.
 * --server sink: our CHUNKING / DATA-only sink (bench/lib/sink-server.ts), implicit TLS.
 *
 * For each fresh send one extra, untimed run is traced: which client write burst waited
 * for which server reply (bench/lib/burst-trace.ts).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { SmtpSession, WarmSession, sendMail, type AuthMechanism, type SendOptions, type SmtpConnectOptions } from '../main/smtp/index.js';
import { createTestCa } from '../main/testing/test-ca.js';
import { loadPostfixInfo, readCaCert, readDeliveredMessages, removeDelivered, type PostfixInfo } from '../main/testing/postfix.js';
import { LineLog, explainRoundTrips } from './lib/burst-trace.js';
import { median, option, optionString, table, writeResults } from './lib/common.js';
import { startLatencyProxy, type LatencyProxy } from './lib/latency-proxy.js';
import { startSink, type Sink } from './lib/sink-server.js';

const oneWay = option('one-way', 25);
const runs = option('runs', 3);
const batch = option('messages', 20);
const marker = `postbote-bench-${process.pid}-${Date.now()}`;

type NmLogger = Exclude<SMTPTransport.Options['logger'], boolean | undefined>;

interface Target {
  name: string;
  proxy: LatencyProxy;
  security: 'tls' | 'starttls';
  servername: string;
  ca: string;
  creds: { username: string; password: string };
  from: string;
  to: string[];
}

interface Row { target: string; scenario: string; client: string; roundTrips: number; ms: number; [k: string]: string | number }

function rawMessage(t: Target): string {
  return `From: ${t.from}\r\nTo: ${t.to.join(', ')}\r\nSubject: benchmark ${marker}\r\nMessage-ID: <bench@example.test>\r\n\r\n${'Hello, this is a small benchmark message.\r\n'.repeat(20)}`;
}

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

/** One more, untimed run with the proxy recording bursts and the client logging lines. */
async function trace(proxy: LatencyProxy, log: LineLog, fn: () => Promise<unknown>): Promise<string[]> {
  proxy.reset();
  log.clear();
  proxy.tracing = true;
  await fn();
  proxy.tracing = false;
  const lines = explainRoundTrips([...proxy.bursts], [...log.lines], oneWay);
  await new Promise((r) => setTimeout(r, 4 * oneWay));
  return lines;
}

function ours(t: Target, log?: LineLog): SmtpConnectOptions {
  return {
    host: t.proxy.host, port: t.proxy.port, security: t.security, servername: t.servername, extraCaPem: t.ca,
    ...(log ? { onTranscript: (e) => { if (e.dir === 'C' || e.dir === 'S') log.add(e.dir, e.line); } } : {}),
  };
}

function nmLogger(log: LineLog): NmLogger {
  const fn = (meta: { tnx?: string } | undefined, ...rest: unknown[]): void => {
    if (meta?.tnx !== 'client' && meta?.tnx !== 'server') return;
    const text = rest.length > 1 ? String(rest[1]) : String(rest[0]);
    for (const line of text.split(/\r?\n/)) if (line) log.add(meta.tnx === 'client' ? 'C' : 'S', line);
  };
  const noop = (): void => undefined;
  return { level: noop, trace: noop, debug: fn, info: fn, warn: noop, error: noop, fatal: noop } as unknown as NmLogger;
}

function nm(t: Target, pool: boolean, log?: LineLog): Transporter {
  return nodemailer.createTransport({
    host: t.proxy.host, port: t.proxy.port, secure: t.security === 'tls', requireTLS: t.security === 'starttls',
    auth: { user: t.creds.username, pass: t.creds.password },
    tls: { ca: t.ca, servername: t.servername }, name: 'bench.client', pool, maxConnections: 1, maxMessages: Infinity,
    ...(log ? { logger: nmLogger(log), debug: true } : {}),
  });
}

interface Fresh { label: string; run: (log?: LineLog) => Promise<unknown>; proxy?: LatencyProxy }

async function scenarios(t: Target, rows: Row[], traces: Record<string, string[]>, extraFresh: Fresh[] = []): Promise<Record<string, number>> {
  const message: SendOptions = { envelope: { from: t.from, to: t.to }, body: rawMessage(t) };
  const raw = rawMessage(t);
  const log = new LineLog();
  const push = (scenario: string, client: string, m: { ms: number; roundTrips: number }, extra: Record<string, number> = {}): void => {
    rows.push({ target: t.name, scenario, client, ...m, ...extra });
  };

  // 1. A fresh connection per message.
  const fresh: Fresh[] = [
    { label: 'postbote', run: (l) => sendMail({ ...ours(t, l), credentials: t.creds }, message) },
    ...extraFresh,
    { label: 'nodemailer', run: async (l) => { const c = nm(t, false, l); await c.sendMail({ envelope: { from: t.from, to: t.to }, raw }); c.close(); } },
  ];
  const freshResults: Record<string, { ms: number; roundTrips: number }> = {};
  for (const f of fresh) {
    const proxy = f.proxy ?? t.proxy;
    freshResults[f.label] = await measure(proxy, () => f.run());
    push('fresh, 1 msg → 5 rcpts', f.label, freshResults[f.label] as { ms: number; roundTrips: number });
    traces[`${t.name} · fresh · ${f.label}`] = await trace(proxy, log, () => f.run(log));
  }

  // 2. A warm (opened ahead, kept alive) session: only the send is timed.
  const warm = new WarmSession({ ...ours(t, log), credentials: t.creds });
  await warm.open();
  const wOurs = await measure(t.proxy, () => warm.send(message));
  traces[`${t.name} · warm · postbote`] = await trace(t.proxy, log, () => warm.send(message));
  await warm.close();
  push('warm session, 1 msg', 'postbote', wOurs);
  const pool = nm(t, true, log);
  await pool.sendMail({ envelope: { from: t.from, to: t.to }, raw }); // opens the pooled connection
  const wNm = await measure(t.proxy, () => pool.sendMail({ envelope: { from: t.from, to: t.to }, raw }));
  traces[`${t.name} · warm · nodemailer (pooled, next msg)`] = await trace(t.proxy, log, () => pool.sendMail({ envelope: { from: t.from, to: t.to }, raw }));
  pool.close();
  push('warm session, 1 msg', 'nodemailer (pooled, next msg)', wNm);

  // 3. N messages over one session, connection set-up included.
  const nOurs = await measure(t.proxy, async () => {
    const s = await SmtpSession.open(ours(t));
    await s.authenticate(t.creds);
    await Promise.all(Array.from({ length: batch }, () => s.send(message)));
    void s.quit();
  });
  push(`${batch} msgs, one session`, 'postbote', nOurs, { msgsPerSec: batch / (nOurs.ms / 1000) });
  const nNm = await measure(t.proxy, async () => {
    const c = nm(t, true);
    await Promise.all(Array.from({ length: batch }, () => c.sendMail({ envelope: { from: t.from, to: t.to }, raw })));
    c.close();
  });
  push(`${batch} msgs, one session`, 'nodemailer (pooled, 1 conn)', nNm, { msgsPerSec: batch / (nNm.ms / 1000) });

  const f = freshResults.postbote as { ms: number; roundTrips: number };
  const n = freshResults.nodemailer as { ms: number; roundTrips: number };
  const ratios: Record<string, number> = {
    freshRoundTrips: f.roundTrips,
    nodemailerFreshRoundTrips: n.roundTrips,
    freshSpeedup: n.ms / f.ms,
    roundTripBound: n.roundTrips / f.roundTrips,
  };
  for (const x of extraFresh) {
    const r = freshResults[x.label] as { ms: number; roundTrips: number };
    ratios[`freshRoundTrips · ${x.label}`] = r.roundTrips;
    ratios[`freshSpeedup · ${x.label}`] = n.ms / r.ms;
  }
  Object.assign(ratios, {
    warmRoundTrips: wOurs.roundTrips,
    warmSpeedupVsNodemailerFresh: n.ms / wOurs.ms,
    warmSpeedupVsNodemailerPooled: wNm.ms / wOurs.ms,
    batchRoundTrips: nOurs.roundTrips,
    nodemailerBatchRoundTrips: nNm.roundTrips,
    batchThroughputRatio: nNm.ms / nOurs.ms,
  });
  return ratios;
}

async function postfixTargets(info: PostfixInfo, proxies: LatencyProxy[]): Promise<Target[]> {
  const [u1, u2] = info.users;
  const a = u1?.address ?? info.address;
  const b = u2?.address ?? info.address;
  const base = { servername: info.tlsServername, ca: readCaCert(info), creds: { username: info.user, password: info.password }, from: info.address, to: [a, b, a, b, a] };
  const tls = await startLatencyProxy({ host: info.host, port: info.ports.submissions }, oneWay);
  const starttls = await startLatencyProxy({ host: info.host, port: info.ports.submission }, oneWay);
  proxies.push(tls, starttls);
  return [
    { name: `postfix implicit TLS :${info.ports.submissions}`, proxy: tls, security: 'tls', ...base },
    { name: `postfix STARTTLS :${info.ports.submission}`, proxy: starttls, security: 'starttls', ...base },
  ];
}

async function main(): Promise<void> {
  const info = await loadPostfixInfo();
  const mode = optionString('server', info ? 'postfix' : 'sink');
  if ((mode === 'postfix' || mode === 'both') && !info) throw new Error('--server postfix: the loopback test Postfix is not running (see main/testing/postfix.ts)');
  const sinks: Sink[] = [];
  const proxies: LatencyProxy[] = [];
  const rows: Row[] = [];
  const ratios: Record<string, Record<string, number>> = {};
  const traces: Record<string, string[]> = {};
  const started = Date.now();
  try {
    if ((mode === 'postfix' || mode === 'both') && info) {
      for (const t of await postfixTargets(info, proxies)) {
        // Postfix offers CRAM-MD5, which our preference list puts before PLAIN (two round
        // trips instead of one); nodemailer uses PLAIN. Shown both ways.
        const plain: AuthMechanism = 'PLAIN';
        const message: SendOptions = { envelope: { from: t.from, to: t.to }, body: rawMessage(t) };
        ratios[t.name] = await scenarios(t, rows, traces, [
          { label: 'postbote (AUTH PLAIN pinned)', run: (l) => sendMail({ ...ours(t, l), credentials: t.creds, mechanism: plain }, message) },
        ]);
      }
    }
    if (mode === 'sink' || mode === 'both') {
      const ca = createTestCa('Postbote Bench CA');
      const cert = ca.issue();
      const chunkSink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: true });
      const dataSink = await startSink({ tls: { key: cert.keyPem, cert: cert.certPem }, chunking: false });
      sinks.push(chunkSink, dataSink);
      const pChunk = await startLatencyProxy(chunkSink, oneWay);
      const pData = await startLatencyProxy(dataSink, oneWay);
      proxies.push(pChunk, pData);
      const base = { security: 'tls' as const, servername: 'localhost', ca: ca.caCertPem, creds: { username: 'bench', password: 'bench-password' }, from: 'sender@example.test', to: ['r1@example.test', 'r2@example.test', 'r3@example.test', 'r4@example.test', 'r5@example.test'] };
      const tData: Target = { name: 'sink DATA-only, implicit TLS', proxy: pData, ...base };
      const tChunk: Target = { name: 'sink CHUNKING, implicit TLS', proxy: pChunk, ...base };
      const message: SendOptions = { envelope: { from: base.from, to: base.to }, body: rawMessage(tChunk) };
      ratios[tChunk.name] = await scenarios(tChunk, rows, traces, [
        { label: 'postbote → DATA-only sink', proxy: pData, run: (l) => sendMail({ ...ours(tData, l), credentials: base.creds }, message) },
      ]);
    }
  } finally {
    for (const p of proxies) await p.close();
    for (const s of sinks) await s.close();
    if (info && mode !== 'sink') {
      // Postfix delivers asynchronously: give the queue a moment, then remove our copies.
      await new Promise((r) => setTimeout(r, 3000));
      removeDelivered(readDeliveredMessages(info, started - 1000).filter((m) => m.original.includes(marker)));
    }
  }
  console.log(`\nSMTP latency benchmark — AUTH, 5 recipients, RTT ${2 * oneWay} ms, median of ${runs} runs\n`);
  console.log(table(rows));
  console.log('\nRound trips include the TCP handshake. Each traced run below: client write bursts (C) and the server burst (S) that answered them.');
  console.log('An implicit-TLS server speaks only after the TLS handshake completes, i.e. after it has the client\'s Finished: that costs its own round trip.');
  for (const [name, lines] of Object.entries(traces)) console.log(`\n${name}\n  ${lines.join('\n  ')}`);
  for (const [name, r] of Object.entries(ratios)) {
    console.log(`\n${name}`);
    console.log(table(Object.entries(r).map(([k, v]) => ({ measure: k, value: v }))));
  }
  console.log(`\nresults: ${writeResults('smtp-latency', { server: mode, oneWayMs: oneWay, runs, batch, rows, ratios, traces })}`);
}

await main();
