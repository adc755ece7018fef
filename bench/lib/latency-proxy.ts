/**
 * A loopback TCP proxy that adds latency in each direction and counts round trips.
 *
 * Timeline per connection (one-way delay d, RTT = 2d), modelled on a real network:
 * the TCP handshake costs one RTT before the client's first byte can arrive; every chunk
 * then reaches the other side d later, in order.
 *
 * A round trip is counted for the TCP handshake, and then each time the server sends
 * data after the client has sent data since the server last spoke: i.e. each client
 * write burst that waits for (and gets) an answer. Server data that nobody asked for
 * (a greeting) does not count on its own.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface ProxyStats {
  connections: number;
  roundTrips: number;
}

/**
 * One write burst as the proxy saw it: consecutive chunks in one direction on one
 * connection, timed when the first chunk reached the proxy (performance.now()). A server
 * burst with `roundTrip` set is one the client waited for (it answers client data).
 */
export interface Burst {
  conn: number;
  dir: 'C' | 'S' | 'TCP';
  t: number;
  bytes: number;
  roundTrip: boolean;
}

export interface LatencyProxy {
  host: string;
  port: number;
  stats: ProxyStats;
  /** Write bursts since the last reset (recorded only while `tracing` is true). */
  bursts: Burst[];
  tracing: boolean;
  /** Round trips counted since the last reset. */
  reset(): void;
  close(): Promise<void>;
}

class DelayedPipe {
  private queue: Array<{ at: number; data: Buffer }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly dest: Socket;
  constructor(dest: Socket) { this.dest = dest; }
  push(data: Buffer, at: number): void {
    this.queue.push({ at, data });
    this.pump();
  }
  private pump(): void {
    if (this.timer) return;
    const head = this.queue[0];
    if (!head) return;
    const wait = head.at - performance.now();
    if (wait > 0.5) {
      this.timer = setTimeout(() => { this.timer = null; this.pump(); }, wait);
      return;
    }
    while (this.queue[0] && this.queue[0].at - performance.now() <= 0.5) {
      const item = this.queue.shift();
      if (item && !this.dest.destroyed) this.dest.write(item.data);
    }
    this.pump();
  }
  endWhenDrained(fn: () => void): void {
    const check = (): void => { if (this.queue.length === 0) fn(); else setTimeout(check, 2); };
    check();
  }
}

export async function startLatencyProxy(target: { host: string; port: number }, oneWayMs: number): Promise<LatencyProxy> {
  const stats: ProxyStats = { connections: 0, roundTrips: 0 };
  const state = { bursts: [] as Burst[], tracing: false };
  const open = new Set<Socket>();
  let connSeq = 0;
  const server = createServer((client) => {
    stats.connections++;
    stats.roundTrips++; // the TCP handshake
    const accepted = performance.now();
    const conn = ++connSeq;
    let last: Burst | null = null;
    const note = (dir: 'C' | 'S' | 'TCP', bytes: number, roundTrip: boolean): void => {
      if (!state.tracing) return;
      if (last && last.dir === dir && dir !== 'TCP') {
        last.bytes += bytes;
        return;
      }
      last = { conn, dir, t: performance.now(), bytes, roundTrip };
      state.bursts.push(last);
    };
    note('TCP', 0, true);
    client.setNoDelay(true);
    open.add(client);
    client.pause();
    let clientSpoke = false;
    const upstreamReady = new Promise<Socket>((resolve) => {
      // The SYN reaches the server one way after the client sent it.
      setTimeout(() => {
        const up = connect(target.port, target.host, () => resolve(up));
        up.setNoDelay(true);
        open.add(up);
        up.on('error', () => client.destroy());
        up.on('close', () => { open.delete(up); });
      }, oneWayMs);
    });
    void upstreamReady.then((up) => {
      const toServer = new DelayedPipe(up);
      const toClient = new DelayedPipe(client);
      client.on('data', (d: Buffer) => {
        clientSpoke = true;
        note('C', d.length, false);
        // The client can only send once the SYN-ACK has come back (one RTT after it started).
        toServer.push(d, Math.max(performance.now(), accepted + 2 * oneWayMs) + oneWayMs);
      });
      up.on('data', (d: Buffer) => {
        note('S', d.length, clientSpoke);
        if (clientSpoke) {
          stats.roundTrips++;
          clientSpoke = false;
        }
        toClient.push(d, performance.now() + oneWayMs);
      });
      client.on('end', () => toServer.endWhenDrained(() => up.end()));
      up.on('end', () => toClient.endWhenDrained(() => client.end()));
      client.on('close', () => { open.delete(client); up.destroy(); });
      client.resume();
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    stats,
    get bursts() { return state.bursts; },
    get tracing() { return state.tracing; },
    set tracing(on: boolean) { state.tracing = on; },
    reset: () => { stats.connections = 0; stats.roundTrips = 0; state.bursts = []; },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
