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

export interface LatencyProxy {
  host: string;
  port: number;
  stats: ProxyStats;
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
  const open = new Set<Socket>();
  const server = createServer((client) => {
    stats.connections++;
    stats.roundTrips++; // the TCP handshake
    const accepted = performance.now();
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
        // The client can only send once the SYN-ACK has come back (one RTT after it started).
        toServer.push(d, Math.max(performance.now(), accepted + 2 * oneWayMs) + oneWayMs);
      });
      up.on('data', (d: Buffer) => {
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
    reset: () => { stats.connections = 0; stats.roundTrips = 0; },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
