/**
 * A scripted, misbehaving SMTP server for fault tests. Each connection runs a script that
 * decides byte for byte what the server says; everything the client sent is recorded so
 * tests can assert what was (and was not) sent — credentials in particular.
 *
 *   const srv = await startFaultServer(async (c) => {
 *     c.send('220 hello\r\n');
 *     await c.expect(/^EHLO /);
 *     c.send('250-x\r\n250 STARTTLS\r\n');
 *     …
 *   });
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';

export interface FaultConnection {
  socket: Socket;
  /** Raw bytes to the client (include CRLF yourself: faults are about exact bytes). */
  send(data: string | Buffer): void;
  /** Next CRLF/LF-terminated line from the client, without the line end; null when closed or timed out. */
  nextLine(timeoutMs?: number): Promise<string | null>;
  /** nextLine, asserting it matches; throws (ending the script) when it does not. */
  expect(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Reads a DATA body up to and including the CRLF.CRLF terminator; null when closed. */
  readData(timeoutMs?: number): Promise<Buffer | null>;
  /** Reads exactly n bytes (BDAT). */
  readBytes(n: number, timeoutMs?: number): Promise<Buffer | null>;
  /** Upgrade to TLS (after sending 220 to STARTTLS). */
  startTls(opts: { key: string; cert: string }): Promise<void>;
  /** Everything received on this connection, as latin1 text. */
  received(): string;
  end(): void;
  destroy(): void;
  readonly closed: boolean;
}

export interface FaultServer {
  host: string;
  port: number;
  connections: FaultConnection[];
  /** Everything every connection received. */
  allReceived(): string;
  /** Resolves when every connection script has finished (or failed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export type FaultScript = (c: FaultConnection) => Promise<void>;

class Conn implements FaultConnection {
  socket: Socket;
  private buf = Buffer.alloc(0);
  private log: Buffer[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    this.listen(socket);
  }

  private listen(s: Socket): void {
    s.on('data', (d: Buffer) => {
      this.log.push(d);
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    s.on('close', () => {
      this.closed = true;
      this.wake();
    });
    s.on('error', () => { /* the client hanging up is normal here */ });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until<T>(take: () => T | null, timeoutMs: number): Promise<T | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = take();
      if (v !== null) return v;
      if (this.closed || Date.now() >= deadline) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  send(data: string | Buffer): void {
    if (!this.closed) this.socket.write(data);
  }

  nextLine(timeoutMs = 5000): Promise<string | null> {
    return this.until(() => {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return null;
      const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      return line;
    }, timeoutMs);
  }

  async expect(re: RegExp, timeoutMs = 5000): Promise<string> {
    const line = await this.nextLine(timeoutMs);
    if (line === null || !re.test(line)) throw new Error(`fault server expected ${re} but got ${JSON.stringify(line)}`);
    return line;
  }

  readData(timeoutMs = 5000): Promise<Buffer | null> {
    return this.until(() => {
      const end = this.buf.indexOf('\r\n.\r\n');
      const start = this.buf.subarray(0, 3).toString('latin1') === '.\r\n' ? 0 : -1;
      if (start === 0) {
        this.buf = this.buf.subarray(3);
        return Buffer.alloc(0);
      }
      if (end < 0) return null;
      const body = this.buf.subarray(0, end + 2);
      this.buf = this.buf.subarray(end + 5);
      return body;
    }, timeoutMs);
  }

  readBytes(n: number, timeoutMs = 5000): Promise<Buffer | null> {
    return this.until(() => {
      if (this.buf.length < n) return null;
      const b = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      return b;
    }, timeoutMs);
  }

  async startTls(opts: { key: string; cert: string }): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const tls = new TLSSocket(this.socket, { isServer: true, key: opts.key, cert: opts.cert });
    this.socket = tls;
    this.buf = Buffer.alloc(0);
    this.listen(tls);
    await new Promise<void>((resolve, reject) => {
      tls.once('secure', resolve);
      tls.once('error', reject);
      tls.once('close', () => reject(new Error('closed during TLS handshake')));
    });
  }

  received(): string {
    return Buffer.concat(this.log).toString('latin1');
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * `tls` makes it an implicit-TLS server (plain Node TLS: smtp-server itself crashes Node 22
 * when a client aborts the handshake, which is exactly what certificate tests do).
 */
export async function startFaultServer(script: FaultScript, opts: { host?: string; tls?: { key: string; cert: string } } = {}): Promise<FaultServer> {
  const connections: Conn[] = [];
  const running: Array<Promise<void>> = [];
  const onSocket = (socket: Socket): void => {
    const c = new Conn(socket);
    connections.push(c);
    // Scripts that return leave the socket open for the test unless they closed it.
    running.push(script(c).catch(() => undefined));
  };
  const server = opts.tls ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, onSocket) : createServer(onSocket);
  server.on('tlsClientError', () => { /* clients refusing our certificate is the point of such tests */ });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    connections,
    allReceived: () => connections.map((c) => c.received()).join(''),
    settled: async () => { await Promise.all(running); },
    close: () => new Promise<void>((resolve) => {
      for (const c of connections) c.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The usual opening: a 220 greeting, EHLO answered with the given extensions. */
export async function greetAndEhlo(c: FaultConnection, extensions: string[] = ['PIPELINING', 'ENHANCEDSTATUSCODES']): Promise<void> {
  c.send('220 fault.test ESMTP\r\n');
  await c.expect(/^EHLO /);
  const lines = ['fault.test', ...extensions];
  c.send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
}
