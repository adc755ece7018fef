/**
 * A tiny, fast SMTP sink for benchmarks: implicit TLS or plaintext, PIPELINING, optional
 * CHUNKING, AUTH PLAIN/LOGIN, any recipient accepted, bodies counted and discarded.
 * smtp-server does not offer CHUNKING, and a sink that does no work of its own keeps the
 * measurement on the clients.
 */
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface SinkOptions {
  tls?: { key: string; cert: string };
  chunking?: boolean;
  /** Advertised SIZE (0 = none). */
  size?: number;
}

export interface Sink {
  host: string;
  port: number;
  messages: number;
  bytes: number;
  close(): Promise<void>;
}

export async function startSink(opts: SinkOptions = {}): Promise<Sink> {
  const stats = { messages: 0, bytes: 0 };
  const sockets = new Set<Socket>();
  const handle = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    let mode: 'cmd' | 'data' | 'bdat' | 'auth-login-user' | 'auth-login-pass' = 'cmd';
    let bdatLeft = 0;
    let bdatLast = false;
    let out: string[] = [];
    const reply = (s: string): void => { out.push(`${s}\r\n`); };
    const flush = (): void => {
      if (out.length) socket.write(out.join(''));
      out = [];
    };
    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (mode === 'bdat') {
          const take = Math.min(bdatLeft, buf.length);
          bdatLeft -= take;
          stats.bytes += take;
          buf = buf.subarray(take);
          if (bdatLeft > 0) break;
          mode = 'cmd';
          if (bdatLast) stats.messages++;
          reply(bdatLast ? '250 2.0.0 Ok: queued as SINK1' : '250 2.0.0 Ok');
          continue;
        }
        if (mode === 'data') {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) {
            // keep the last 4 bytes: the terminator may straddle reads
            const keep = Math.max(0, buf.length - 4);
            stats.bytes += keep;
            buf = buf.subarray(keep);
            break;
          }
          stats.bytes += end + 2;
          buf = buf.subarray(end + 5);
          mode = 'cmd';
          stats.messages++;
          reply('250 2.0.0 Ok: queued as SINK1');
          continue;
        }
        const nl = buf.indexOf('\n');
        if (nl < 0) break;
        const line = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        buf = buf.subarray(nl + 1);
        if (mode === 'auth-login-user') { mode = 'auth-login-pass'; reply('334 UGFzc3dvcmQ6'); continue; }
        if (mode === 'auth-login-pass') { mode = 'cmd'; reply('235 2.7.0 Authentication successful'); continue; }
        const verb = line.slice(0, 4).toUpperCase();
        switch (verb) {
          case 'EHLO': {
            const ext = ['sink.test', 'PIPELINING', '8BITMIME', 'ENHANCEDSTATUSCODES', 'AUTH PLAIN LOGIN', ...(opts.chunking ? ['CHUNKING'] : []), ...(opts.size ? [`SIZE ${opts.size}`] : [])];
            reply(ext.map((e, i) => `250${i === ext.length - 1 ? ' ' : '-'}${e}`).join('\r\n'));
            break;
          }
          case 'HELO': reply('250 sink.test'); break;
          case 'AUTH':
            if (/^AUTH LOGIN$/i.test(line)) { mode = 'auth-login-user'; reply('334 VXNlcm5hbWU6'); } else reply('235 2.7.0 Authentication successful');
            break;
          case 'MAIL': reply('250 2.1.0 Ok'); break;
          case 'RCPT': reply('250 2.1.5 Ok'); break;
          case 'DATA': mode = 'data'; reply('354 End data with <CR><LF>.<CR><LF>'); break;
          case 'BDAT': {
            const m = /^BDAT (\d+)( LAST)?/i.exec(line);
            bdatLeft = Number(m?.[1] ?? 0);
            bdatLast = Boolean(m?.[2]);
            mode = 'bdat';
            break;
          }
          case 'RSET': case 'NOOP': reply('250 2.0.0 Ok'); break;
          case 'QUIT': reply('221 2.0.0 Bye'); flush(); socket.end(); return;
          default: reply('502 5.5.2 Error: command not recognized');
        }
      }
      flush();
    });
    reply('220 sink.test ESMTP');
    flush();
  };
  const server: Server = opts.tls ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, handle) : createNetServer(handle);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    get messages() { return stats.messages; },
    get bytes() { return stats.bytes; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
