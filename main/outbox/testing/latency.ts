/**
 * Send-to-sent latency, with and without the warm session: a real SMTP server (STARTTLS +
 * AUTH PLAIN) behind a proxy that delays every packet by half the round-trip time, so the
 * figures show what the round trips cost. Used by latency.test.ts and bench/outbox-latency.ts.
 */
import { createServer, connect, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startTestSmtpServer } from '../../testing/smtp-test-server.js';
import { createHarness, draft, until } from './harness.js';

/** A TCP proxy adding `oneWayMs` in each direction. */
async function delayProxy(target: { host: string; port: number }, oneWayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const pipe = (from: import('node:net').Socket, to: import('node:net').Socket): void => {
      from.on('data', (d: Buffer) => { setTimeout(() => { if (!to.destroyed) to.write(d); }, oneWayMs); });
      from.on('end', () => setTimeout(() => to.end(), oneWayMs));
      from.on('error', () => to.destroy());
      from.on('close', () => { sockets.delete(from); setTimeout(() => to.destroy(), oneWayMs + 5); });
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

export interface LatencyFigures {
  rttMs: number;
  runs: number;
  coldMs: number[];
  warmMs: number[];
  coldMedianMs: number;
  warmMedianMs: number;
  /** Client commands in the transcript of one warm send (what is left after Send). */
  warmRoundTrips: number;
  coldRoundTrips: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Server replies the client waited for: one per batch of pipelined commands. */
function roundTrips(lines: Array<{ dir: string; line: string }>): number {
  let n = 0;
  let waiting = false;
  for (const l of lines) {
    if (l.dir === 'C') waiting = true;
    if (l.dir === 'S' && waiting) { n++; waiting = false; }
  }
  return n;
}

export async function measureSendLatency(opts: { runs?: number; rttMs?: number } = {}): Promise<LatencyFigures> {
  const runs = opts.runs ?? 5;
  const rttMs = opts.rttMs ?? 40;
  const srv = await startTestSmtpServer({ users: { alice: 'pw-latency' } });
  const proxy = await delayProxy(srv, rttMs / 2);
  const h = createHarness({ host: '127.0.0.1', port: proxy.port, security: 'starttls', username: 'alice', password: 'pw-latency', extraCaPem: srv.caPem });
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  let coldRoundTrips = 0;
  let warmRoundTrips = 0;
  try {
    for (let i = 0; i < runs * 2; i++) {
      const warm = i % 2 === 1;
      // A fresh outbox has no session: the cold case pays connect, STARTTLS, EHLO and AUTH after Send.
      const ob = h.make({ connect: { servername: 'localhost', timeouts: { connect: 5000, greeting: 5000, command: 5000, endOfData: 5000 } } });
      await ob.start();
      if (warm) {
        const w = await ob.warmUp(h.accountId);
        if (!w.warmed) throw new Error(`warm-up failed: ${JSON.stringify(w.error)}`);
      }
      const t0 = performance.now();
      const s = await ob.enqueue(draft(`lat${i}`), { accountId: h.accountId });
      await until(() => {
        const st = h.repos.outbox.get(s.id)?.state;
        if (st === 'failed') throw new Error(JSON.stringify(h.repos.outbox.get(s.id)?.lastError));
        return st === 'sent';
      }, 20_000, 'sent');
      const ms = performance.now() - t0;
      (warm ? warmMs : coldMs).push(Math.round(ms * 10) / 10);
      const logId = h.repos.sendLog.list({ limit: 1 }).entries[0]?.id ?? 0;
      const lines = h.repos.sendLog.get(logId)?.transcript ?? [];
      // The attempt's log also holds the warm-up's connect and AUTH: after Send, only MAIL onwards happened.
      const mailAt = lines.findIndex((l) => l.dir === 'C' && l.line.startsWith('MAIL FROM'));
      const rt = roundTrips(warm ? lines.slice(Math.max(0, mailAt)) : lines);
      if (warm) warmRoundTrips = rt; else coldRoundTrips = rt;
      await ob.stop();
    }
  } finally {
    h.close();
    await proxy.close();
    await srv.close();
  }
  return { rttMs, runs, coldMs, warmMs, coldMedianMs: median(coldMs), warmMedianMs: median(warmMs), warmRoundTrips, coldRoundTrips };
}
