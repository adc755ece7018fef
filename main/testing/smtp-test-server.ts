/**
 * A real SMTP server for tests: the npm `smtp-server` package (written by people who are
 * not us) on loopback, with a certificate from a test CA, STARTTLS or implicit TLS,
 * configurable users, AUTH mechanisms, size limit and refused recipients. It records
 * every message it receives (envelope, parameters, raw bytes) and every AUTH attempt.
 *
 *   const srv = await startTestSmtpServer({ users: { alice: 'secret' } });
 *   … sendMail({ host: srv.host, port: srv.port, security: 'starttls', extraCaPem: srv.caPem, … })
 *   await srv.close();
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions } from './smtp-server.js';
import { createTestCa, type TestCa } from './test-ca.js';

export interface TestSmtpServerOptions {
  /** Implicit TLS (port-465 style). Default false: plaintext with STARTTLS offered. */
  secure?: boolean;
  /** Hide STARTTLS on a plaintext server. */
  noStartTls?: boolean;
  /** Reuse a CA (saves the openssl work); one is created when absent. */
  ca?: TestCa;
  /** username → password. */
  users?: Record<string, string>;
  /** username → OAuth access token (XOAUTH2). */
  tokens?: Record<string, string>;
  /** Offered mechanisms; default PLAIN LOGIN CRAM-MD5 XOAUTH2. */
  authMethods?: string[];
  /** Allow MAIL without AUTH (default: true when no users are given). */
  authOptional?: boolean;
  /** Allow AUTH without TLS (smtp-server refuses it by default). */
  allowInsecureAuth?: boolean;
  /** SIZE limit in bytes (advertised, enforced at MAIL and at the end of DATA). */
  size?: number;
  /** Recipients refused at RCPT with 550 5.1.1 (case-insensitive). */
  rejectRecipients?: string[];
  /** Hide extensions, e.g. ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'DSN']. */
  hide?: string[];
  /** 127.0.0.1 (default) or ::1. */
  host?: string;
  /** DNS names the server certificate is issued for (default: localhost). */
  certNames?: string[];
  /** Reply to the final dot (default "250 OK: queued as <id>"). */
  queueIdPrefix?: string;
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  mailParams: Record<string, string | boolean>;
  rcptParams: Array<Record<string, string | boolean>>;
  /** The message exactly as received after dot-unstuffing (CRLF line ends). */
  raw: Buffer;
  user: string | undefined;
  secure: boolean;
  queueId: string;
}

export interface AuthAttempt {
  method: string;
  username: string;
  /** Present for PLAIN/LOGIN; CRAM-MD5 is checked by challenge, XOAUTH2 gives a token. */
  password?: string;
  accessToken?: string;
  ok: boolean;
  secure: boolean;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  ca: TestCa;
  caPem: string;
  messages: ReceivedMessage[];
  authAttempts: AuthAttempt[];
  /** Number of connections accepted so far. */
  connections: number;
  /** Drop every open client connection (simulates an idle timeout on the server side). */
  dropConnections(): void;
  close(): Promise<void>;
}

let sharedCa: TestCa | null = null;
/** One CA per test process is plenty, and openssl is slow on a busy machine. */
export function sharedTestCa(): TestCa {
  sharedCa ??= createTestCa();
  return sharedCa;
}

const certCache = new WeakMap<TestCa, Map<string, { key: string; cert: string }>>();

function params(a: SMTPServerAddress): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const args = a.args as unknown;
  if (args && typeof args === 'object') {
    for (const [k, v] of Object.entries(args as Record<string, unknown>)) out[k.toUpperCase()] = typeof v === 'string' || typeof v === 'boolean' ? v : String(v);
  }
  return out;
}

export async function startTestSmtpServer(opts: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const ca = opts.ca ?? sharedTestCa();
  const names = opts.certNames ?? ['localhost'];
  const cacheKey = names.join(',');
  let byNames = certCache.get(ca);
  if (!byNames) certCache.set(ca, (byNames = new Map()));
  let pair = byNames.get(cacheKey);
  if (!pair) {
    const issued = ca.issue({ names });
    pair = { key: issued.keyPem, cert: issued.certPem };
    byNames.set(cacheKey, pair);
  }
  const users = opts.users ?? {};
  const tokens = opts.tokens ?? {};
  const messages: ReceivedMessage[] = [];
  const authAttempts: AuthAttempt[] = [];
  const rejected = new Set((opts.rejectRecipients ?? []).map((r) => r.toLowerCase()));
  let counter = 0;
  let connections = 0;
  const sockets = new Set<import('node:net').Socket>();
  // smtp-server hides ENHANCEDSTATUSCODES and DSN by default; we offer them unless asked not to.
  const hidden = new Set((opts.hide ?? []).map((h) => h.toUpperCase()));
  const hide: Record<string, boolean> = { hideENHANCEDSTATUSCODES: hidden.has('ENHANCEDSTATUSCODES'), hideDSN: hidden.has('DSN') };
  for (const h of hidden) hide[`hide${h}`] = true;
  const authRequired = opts.authOptional === undefined ? Object.keys(users).length + Object.keys(tokens).length > 0 : !opts.authOptional;

  const options: SMTPServerOptions = {
    ...hide,
    secure: opts.secure ?? false,
    key: pair.key,
    cert: pair.cert,
    minVersion: 'TLSv1.2',
    hideSTARTTLS: opts.noStartTls ?? false,
    authMethods: opts.authMethods ?? ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
    authOptional: !authRequired,
    allowInsecureAuth: opts.allowInsecureAuth ?? false,
    ...(opts.size ? { size: opts.size } : {}),
    logger: false,
    banner: 'Postbote test server',
    socketTimeout: 20_000,
    closeTimeout: 1000,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onAuth(auth, session, cb) {
      const attempt: AuthAttempt = { method: auth.method, username: auth.username ?? '', ok: false, secure: session.secure };
      if (typeof auth.password === 'string') attempt.password = auth.password;
      if (typeof auth.accessToken === 'string') attempt.accessToken = auth.accessToken;
      let ok: boolean;
      if (auth.method === 'XOAUTH2') ok = auth.username !== undefined && tokens[auth.username] === auth.accessToken;
      else if (auth.method === 'CRAM-MD5') {
        const pw = auth.username !== undefined ? users[auth.username] : undefined;
        ok = pw !== undefined && auth.validatePassword(pw);
      } else ok = auth.username !== undefined && users[auth.username] !== undefined && users[auth.username] === auth.password;
      attempt.ok = ok;
      authAttempts.push(attempt);
      if (ok) cb(null, { user: auth.username });
      else if (auth.method === 'XOAUTH2') cb(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (rejected.has(address.address.toLowerCase())) {
        cb(Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          cb(Object.assign(new Error('Error: message exceeds fixed maximum message size'), { responseCode: 552 }));
          return;
        }
        const env = session.envelope;
        const queueId = `${opts.queueIdPrefix ?? 'Q'}${(++counter).toString().padStart(6, '0')}`;
        messages.push({
          from: env.mailFrom ? env.mailFrom.address : '',
          to: env.rcptTo.map((r) => r.address),
          mailParams: env.mailFrom ? params(env.mailFrom) : {},
          rcptParams: env.rcptTo.map(params),
          raw: Buffer.concat(chunks),
          user: session.user ?? undefined,
          secure: session.secure,
          queueId,
        });
        cb(null, `OK: queued as ${queueId}`);
      });
    },
  };
  const server = new SMTPServer(options);
  server.server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('error', () => { /* client misbehaviour is what tests provoke */ });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host,
    port,
    ca,
    caPem: ca.caCertPem,
    messages,
    authAttempts,
    get connections() { return connections; },
    dropConnections() { for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
