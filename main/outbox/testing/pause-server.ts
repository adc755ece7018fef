/**
 * An SMTP server for the durability tests: it speaks just enough ESMTP (PIPELINING,
 * 8BITMIME), counts every message it receives by Message-ID at the moment the final dot
 * arrives (the pessimistic view: a real server may deliver from then on), and can hold a
 * connection at a chosen phase — before the greeting, before "354", in the middle of the
 * body, after the final dot — telling the test when it does, so the test can kill the
 * client right there.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type PausePhase = 'greeting' | 'data354' | 'dataBody' | 'afterDot';
export type ConnPhase = 'greeting' | 'envelope' | 'data354' | 'dataBody' | 'afterDot' | 'idle';

export interface PauseServer {
  host: string;
  port: number;
  /** Message-ID → number of times the final dot arrived. */
  deliveries: Map<string, number>;
  /** Hold the first connection/message that reaches this phase for holdMs (then go on). */
  target: PausePhase | null;
  holdMs: number;
  /** Called when a hold starts. */
  onHold: ((phase: PausePhase) => void) | null;
  /** The most advanced phase of any open connection right now. */
  currentPhase(): ConnPhase | 'none';
  close(): Promise<void>;
}

const order: ConnPhase[] = ['idle', 'greeting', 'envelope', 'data354', 'dataBody', 'afterDot'];

export async function startPauseServer(): Promise<PauseServer> {
  const deliveries = new Map<string, number>();
  const conns = new Set<{ phase: ConnPhase; socket: Socket }>();
  const timers = new Set<NodeJS.Timeout>();
  const state: PauseServer = {
    host: '127.0.0.1', port: 0, deliveries, target: null, holdMs: 400, onHold: null,
    currentPhase: () => {
      let best: ConnPhase | 'none' = 'none';
      for (const c of conns) if (best === 'none' || order.indexOf(c.phase) > order.indexOf(best)) best = c.phase;
      return best;
    },
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const c of conns) c.socket.destroy();
      server.close(() => resolve());
    }),
  };
  /** Waits holdMs when phase is the target (once per target setting). */
  const hold = (phase: PausePhase, socket: Socket): Promise<void> => {
    if (state.target !== phase) return Promise.resolve();
    state.target = null;
    state.onHold?.(phase);
    return new Promise((resolve) => {
      const t = setTimeout(() => { timers.delete(t); resolve(); }, state.holdMs);
      timers.add(t);
      socket.once('close', () => { clearTimeout(t); timers.delete(t); });
    });
  };

  const server: Server = createServer((socket) => {
    const conn = { phase: 'greeting' as ConnPhase, socket };
    conns.add(conn);
    socket.on('close', () => conns.delete(conn));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let mode: 'lines' | 'body' = 'lines';
    let busy: Promise<void> = Promise.resolve();
    let bodyHeld = false;
    const send = (s: string): void => { if (!socket.destroyed) socket.write(s); };

    const onBody = async (body: Buffer): Promise<void> => {
      const id = /^Message-ID:\s*(\S+)/im.exec(body.toString('latin1'))?.[1] ?? '(none)';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      conn.phase = 'afterDot';
      await hold('afterDot', socket);
      conn.phase = 'idle';
      send('250 2.0.0 Ok: queued\r\n');
    };
    const onLine = async (line: string): Promise<void> => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') send('250-pause.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n');
      else if (verb === 'HELO') send('250 pause.test\r\n');
      else if (verb === 'MAIL') { conn.phase = 'envelope'; send('250 2.1.0 Ok\r\n'); }
      else if (verb === 'RCPT') send('250 2.1.5 Ok\r\n');
      else if (verb === 'DATA') {
        conn.phase = 'data354';
        await hold('data354', socket);
        conn.phase = 'dataBody';
        mode = 'body';
        bodyHeld = false;
        send('354 End data with <CR><LF>.<CR><LF>\r\n');
        if (state.target === 'dataBody') {
          // Stop reading as the body starts: a large body backs up in the client mid-stream; a small
          // one may sit unread in our socket buffer, final dot included.
          bodyHeld = true;
          socket.pause();
          await hold('dataBody', socket);
          socket.resume();
        }
      } else if (verb === 'RSET' || verb === 'NOOP') send('250 2.0.0 Ok\r\n');
      else if (verb === 'QUIT') { send('221 2.0.0 Bye\r\n'); socket.end(); }
      else send('502 5.5.2 Error: command not recognized\r\n');
    };
    const pump = async (): Promise<void> => {
      for (;;) {
        if (mode === 'lines') {
          const nl = buf.indexOf(0x0a);
          if (nl < 0) return;
          const line = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
          buf = buf.subarray(nl + 1);
          await onLine(line);
        } else {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) {
            if (!bodyHeld && buf.length > 0 && state.target === 'dataBody') {
              // Stop reading mid-body: the client's writes back up and it waits, before its final dot arrives.
              bodyHeld = true;
              socket.pause();
              await hold('dataBody', socket);
              socket.resume();
            }
            return;
          }
          const body = buf.subarray(0, end + 2);
          buf = buf.subarray(end + 5);
          mode = 'lines';
          await onBody(body);
        }
      }
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      busy = busy.then(pump).catch(() => { socket.destroy(); });
    });
    busy = (async () => {
      await hold('greeting', socket);
      conn.phase = 'idle';
      send('220 pause.test ESMTP\r\n');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  return state;
}
