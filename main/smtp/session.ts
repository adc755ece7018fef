/**
 * SmtpSession: the client state machine. open() = connect → (implicit TLS) → greeting →
 * EHLO → (STARTTLS → EHLO); then authenticate(), send() as often as needed, quit().
 * Every method rejects only with SmtpError.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, createSecureContext, connect as tlsConnect, rootCertificates, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { DeliveryPhase } from '../../shared/errors.js';
import { BodyEncoder, encodeWhole, prefetch } from './body.js';
import { emptyCapabilities, parseEhlo } from './capabilities.js';
import { SmtpError, isSmtpError } from './errors.js';
import type { SmtpReply } from './reply-parser.js';
import { SaslError, chooseMechanism, createSaslClient, type SaslClient } from './sasl.js';
import { Transcript } from './transcript.js';
import type {
  AuthMechanism, RecipientResult, SendOptions, SendResult, SessionInfo, SmtpCapabilities, SmtpConnectOptions,
  SmtpCredentials, SmtpTimeouts, TlsInfo,
} from './types.js';
import { Wire } from './wire.js';

export const defaultTimeouts: Readonly<SmtpTimeouts> = Object.freeze({
  connect: 15_000,
  tlsHandshake: 15_000,
  greeting: 30_000,
  command: 30_000,
  dataBlock: 60_000,
  endOfData: 120_000,
  keepAlive: 60_000,
});

/**
 * Bodies up to this many bytes are read whole before the envelope goes out, so they can
 * go in the same write as the envelope (BDAT LAST) or right after 354; larger ones are
 * streamed. Callers that must know when the end of a message is written use
 * `SendOptions.onEndOfData` rather than this number.
 */
export const pipelinedBodyLimit = 256 * 1024;
const bdatChunk = 256 * 1024;

const contexts = new Map<string, SecureContext>();
/** The native half of a SecureContext: present in every Node release, though not documented. */
interface NativeContext { addCACert?: (pem: string) => void }

/**
 * A context that trusts Node's default roots plus one extra CA. The default context shares
 * the roots Node has already parsed; adding the extra CA to it gives the context a store of
 * its own built from those same parsed roots (Node copies the shared store before changing
 * it). Passing `ca: [...rootCertificates, extra]` instead parses all ~150 PEM roots again:
 * ~0.75 MB more RSS and ~5 ms more CPU per context. Where the native method is missing,
 * that is what we fall back to.
 */
function contextWithExtraCa(extraCaPem: string): SecureContext {
  const ctx = createSecureContext({ minVersion: 'TLSv1.2' });
  const native = (ctx as unknown as { context?: NativeContext }).context;
  if (typeof native?.addCACert !== 'function') return createSecureContext({ minVersion: 'TLSv1.2', ca: [...rootCertificates, extraCaPem] });
  native.addCACert(extraCaPem);
  return ctx;
}

/**
 * TLS contexts are cached (per extra CA): building one costs CPU and memory, and every
 * connection to the same account reuses it. Without an extra CA, Node's default store is used.
 */
function secureContextFor(extraCaPem: string | undefined): SecureContext {
  const key = extraCaPem ?? '';
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = extraCaPem ? contextWithExtraCa(extraCaPem) : createSecureContext({ minVersion: 'TLSv1.2' });
    if (contexts.size >= 16) contexts.delete(contexts.keys().next().value ?? '');
    contexts.set(key, ctx);
  }
  return ctx;
}

function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '') : ip;
}

/**
 * Node's own check mishandles IPv6 literals (it runs them through domainToASCII, which
 * empties them); IP hosts are matched against the certificate's IP SANs here instead.
 */
export function verifyServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
  if (isIP(host) === 0) return checkServerIdentity(host, cert);
  const ips = (cert.subjectaltname ?? '').split(', ').filter((n) => n.startsWith('IP Address:')).map((n) => canonicalIp(n.slice(11)));
  if (ips.includes(canonicalIp(host))) return undefined;
  return Object.assign(new Error(`IP: ${host} is not in the certificate's list: ${ips.join(', ')}`), { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'IP not in certificate', host, cert });
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

const ADDRESS_FORBIDDEN = /[\s<>\x00-\x1f\x7f]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** RFC 3461 xtext: "+" and "=" and anything outside 33..126 become +HH. */
export function xtext(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (b < 33 || b > 126 || b === 0x2b || b === 0x3d ? `+${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b))).join('');
}

/** The phase a pipelined command's reply belongs to (for the transcript). */
function commandPhase(line: string): DeliveryPhase {
  return line.startsWith('RCPT') ? 'rcpt' : line.startsWith('BDAT') || line === 'DATA' ? 'data' : 'mail';
}

function queueIdOf(text: string): string | undefined {
  const m = /queued as\s+([A-Za-z0-9._-]+)/i.exec(text) ?? /\bid=([A-Za-z0-9._-]+)/i.exec(text) ?? /\b(?:ok|accepted|queued)\b[:\s]+([A-Z0-9]{6,})\b/i.exec(text);
  return m?.[1];
}

interface AuthOptions { mechanism?: AuthMechanism }
interface PreparedAuth { mech: AuthMechanism; client: SaslClient; initial: string | null }

export class SmtpSession {
  private wire!: Wire;
  private readonly opts: SmtpConnectOptions;
  private readonly timeouts: SmtpTimeouts;
  private readonly transcript: Transcript;
  private caps: SmtpCapabilities = emptyCapabilities();
  private tlsInfo: TlsInfo | null = null;
  private authUsed: string | null = null;
  private readonly timingsMap: Record<string, number> = {};
  private closed = false;
  private needsReset = false;
  private busy: Promise<unknown> = Promise.resolve();
  /** Set while the last queued operation is a one-flight send: resolves once its bytes are written. */
  private flightTail: Promise<void> | null = null;
  private readonly onAbort = (): void => this.abort();
  /** Set during send(): whether the server accepted MAIL FROM (for transparent retry). */
  lastTransactionStarted = false;

  private constructor(opts: SmtpConnectOptions) {
    this.opts = opts;
    this.timeouts = { ...defaultTimeouts, ...opts.timeouts };
    this.transcript = new Transcript(opts.onTranscript);
  }

  get info(): SessionInfo {
    return { capabilities: this.caps, tls: this.tlsInfo, authMechanism: this.authUsed, timings: { ...this.timingsMap }, transcript: [...this.transcript.entries] };
  }

  get capabilities(): SmtpCapabilities {
    return this.caps;
  }

  get isOpen(): boolean {
    return !this.closed && this.wire.failed === null && !this.wire.socket.destroyed;
  }

  get isEncrypted(): boolean {
    return this.tlsInfo !== null;
  }

  static async open(opts: SmtpConnectOptions): Promise<SmtpSession> {
    const s = new SmtpSession(opts);
    await s.connect();
    return s;
  }

  private ctx(): Record<string, string | number | boolean> {
    return { host: this.opts.host, port: this.opts.port, security: this.opts.security };
  }

  private time<T>(name: string, p: Promise<T>): Promise<T> {
    const t0 = performance.now();
    return p.finally(() => {
      this.timingsMap[name] = Math.round((this.timingsMap[name] ?? 0) + performance.now() - t0);
    });
  }

  private setPhase(phase: DeliveryPhase): void {
    this.wire.phase = phase;
  }

  private abort(): void {
    if (this.closed) return;
    this.wire?.fail(SmtpError.of(this.wire.phase, 'cancelled', 'cancelled', { context: this.ctx() }));
    this.closed = true;
  }

  private tlsOptions(): { servername?: string; secureContext: SecureContext; rejectUnauthorized: true; host: string; checkServerIdentity: typeof verifyServerIdentity } {
    const name = this.opts.servername ?? this.opts.host;
    // SNI carries host names only (RFC 6066); the certificate is still checked against an IP host.
    return {
      ...(isIP(name) ? {} : { servername: name }), secureContext: secureContextFor(this.opts.extraCaPem), rejectUnauthorized: true, host: name,
      checkServerIdentity: (_h, cert) => verifyServerIdentity(name, cert),
    };
  }

  private async connect(): Promise<void> {
    const { host, port, security, signal } = this.opts;
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw SmtpError.of('config', 'input', `invalid server address ${host}:${port}`);
    }
    if (signal?.aborted) throw SmtpError.of('connect', 'cancelled', 'cancelled before connecting');
    const t0 = performance.now();
    this.transcript.add('I', 'connect', `connecting to ${host}:${port} (${security})`);
    let socket: Socket;
    if (security === 'tls') {
      const tlsOpts = this.tlsOptions();
      socket = tlsConnect({ ...tlsOpts, host, port });
    } else {
      socket = netConnect({ host, port });
    }
    this.wire = new Wire(socket, this.transcript, this.ctx());
    signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      await this.time('connect', this.waitEvent(socket, 'connect', 'connect', this.timeouts.connect));
      if (security === 'tls') {
        this.setPhase('tls');
        await this.time('tls', this.waitEvent(socket, 'secureConnect', 'tlsHandshake', this.timeouts.tlsHandshake));
        this.recordTls(socket as TLSSocket);
      }
      this.setPhase('greeting');
      const greeting = await this.time('greeting', this.wire.read('greeting', this.timeouts.greeting));
      if (greeting.code !== 220) {
        // RFC 5321 §3.1: 554 means "no service"; either way we send nothing.
        const err = SmtpError.fromReply('greeting', greeting, 'the server refused the connection', { context: this.ctx() });
        this.wire.close('bad greeting');
        throw err;
      }
      await this.ehlo();
      if (security === 'starttls') await this.startTls();
      this.timingsMap.open = Math.round(performance.now() - t0);
    } catch (e) {
      this.closed = true;
      this.wire.close('open failed');
      signal?.removeEventListener('abort', this.onAbort);
      throw this.asSmtpError(e);
    }
  }

  private asSmtpError(e: unknown): SmtpError {
    if (isSmtpError(e)) return e;
    return SmtpError.of(this.wire?.phase ?? 'internal', 'protocol', e instanceof Error ? e.message : String(e), { context: this.ctx() }, e);
  }

  /** Resolves on `event`, rejects with the wire's failure or a named timeout. */
  private waitEvent(socket: Socket, event: string, timeoutName: keyof SmtpTimeouts, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off(event, onEvent);
        socket.off('close', onClose);
        socket.off('error', onError);
      };
      const onEvent = (): void => { cleanup(); resolve(); };
      const onClose = (): void => { cleanup(); reject(this.wire.failed ?? SmtpError.of(this.wire.phase, 'network', 'connection closed', { context: this.ctx() })); };
      const onError = (err: Error): void => { cleanup(); reject(this.wire.failed ?? this.wire.networkError(err)); };
      const timer = setTimeout(() => {
        cleanup();
        const err = SmtpError.of(this.wire.phase, 'timeout', `${timeoutName} took longer than ${ms} ms`, { context: { ...this.ctx(), timeout: timeoutName, timeoutMs: ms } });
        this.wire.fail(err);
        reject(err);
      }, ms);
      socket.once(event, onEvent);
      socket.once('close', onClose);
      socket.once('error', onError);
    });
  }

  private recordTls(s: TLSSocket): void {
    // Asking a destroyed TLS socket for its protocol crashes Node 22 (SSL_get_version on freed SSL).
    if (s.destroyed) throw this.wire.failed ?? SmtpError.of('tls', 'network', 'connection closed during the TLS handshake', { context: this.ctx() });
    const c = s.getPeerCertificate();
    const cipher = s.getCipher();
    const info: TlsInfo = { protocol: s.getProtocol() ?? 'unknown', cipher: cipher.standardName ?? cipher.name, authorized: s.authorized };
    if (c && Object.keys(c).length > 0) {
      const dn = (o: Record<string, unknown> | undefined): string => Object.entries(o ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      info.certificate = {
        subject: dn(c.subject as unknown as Record<string, unknown>), issuer: dn(c.issuer as unknown as Record<string, unknown>),
        validFrom: c.valid_from, validTo: c.valid_to, fingerprint256: c.fingerprint256,
        ...(c.subjectaltname ? { subjectAltNames: c.subjectaltname } : {}),
      };
    }
    this.tlsInfo = info;
    this.transcript.add('I', 'tls', `TLS ${info.protocol} ${info.cipher}${info.certificate ? `, certificate ${info.certificate.subject} issued by ${info.certificate.issuer}` : ''}`);
  }

  private clientName(): string {
    if (this.opts.clientName) return this.opts.clientName;
    // An address literal of our own end (RFC 5321 §4.1.3): honest and leaks no host name.
    const addr = this.wire.socket.localAddress ?? '127.0.0.1';
    return isIP(addr) === 6 ? (addr.startsWith('::ffff:') ? `[${addr.slice(7)}]` : `[IPv6:${addr}]`) : `[${addr}]`;
  }

  /** Write one command line; `shown` is what the transcript gets (redacted by the caller). */
  private send1(line: string, shown: string = line): void {
    if (/[\r\n]/.test(line)) throw SmtpError.of(this.wire.phase, 'input', 'a command contained a line break', { context: this.ctx() });
    this.transcript.add('C', this.wire.phase, shown);
    this.wire.write(`${line}\r\n`);
  }

  private async command(phase: DeliveryPhase, line: string, shown?: string): Promise<SmtpReply> {
    this.setPhase(phase);
    this.send1(line, shown);
    return this.wire.read('command', this.timeouts.command);
  }

  private async ehlo(): Promise<void> {
    await this.time('ehlo', (async () => {
      const name = this.clientName();
      const r = await this.command('ehlo', `EHLO ${name}`);
      if (r.code === 250) {
        this.caps = parseEhlo(r.lines);
        this.wire.parser.enhanced = this.caps.enhancedStatusCodes;
        return;
      }
      if (r.code === 421) throw this.closing(r, 'ehlo');
      // HELO only where nothing is lost by it: no STARTTLS to negotiate.
      if (this.opts.security === 'starttls' && !this.tlsInfo) {
        throw SmtpError.fromReply('ehlo', r, 'the server rejected EHLO, so STARTTLS cannot be negotiated', { context: { ...this.ctx(), tlsRequired: true } });
      }
      const h = await this.command('ehlo', `HELO ${name}`);
      if (h.code !== 250) throw SmtpError.fromReply('ehlo', h, 'the server rejected both EHLO and HELO', { context: this.ctx() });
      this.caps = { ...emptyCapabilities(h.lines[0]?.split(/\s+/)[0] ?? ''), heloOnly: true };
    })());
  }

  private async startTls(): Promise<void> {
    await this.time('starttls', (async () => {
      this.setPhase('starttls');
      if (!this.caps.startTls) {
        throw SmtpError.of('starttls', 'security', 'the server does not offer STARTTLS, but this account requires TLS; nothing was sent', { context: { ...this.ctx(), tlsRequired: true } });
      }
      this.wire.holdAfterNextReply();
      const r = await this.command('starttls', 'STARTTLS');
      if (r.code !== 220) {
        throw SmtpError.fromReply('starttls', r, 'the server refused STARTTLS; the account requires TLS, so nothing else was sent', { context: { ...this.ctx(), tlsRequired: true } });
      }
      const plain = this.wire.socket;
      if (this.wire.injectedBytes > 0 || plain.readableLength > 0) {
        throw SmtpError.of('starttls', 'security', `the server sent ${this.wire.injectedBytes + plain.readableLength} bytes after "220" and before the TLS handshake (STARTTLS response injection); connection closed`, { context: this.ctx() });
      }
      this.wire.resetParser();
      this.caps = emptyCapabilities();
      this.setPhase('tls');
      this.transcript.add('I', 'tls', 'starting TLS handshake');
      const tlsSocket = tlsConnect({ ...this.tlsOptions(), socket: plain });
      this.wire.attach(tlsSocket);
      await this.time('tls', this.waitEvent(tlsSocket, 'secureConnect', 'tlsHandshake', this.timeouts.tlsHandshake));
      this.recordTls(tlsSocket);
    })());
    await this.ehlo();
  }

  private closing(r: SmtpReply, phase: DeliveryPhase): SmtpError {
    const err = SmtpError.fromReply(phase, r, 'the server is closing the connection', { context: this.ctx() });
    this.wire.close('server sent 421');
    this.closed = true;
    return err;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.flightTail = null; // anything else breaks a pipeline of one-flight sends
    const run = this.busy.then(() => {
      if (!this.isOpen) throw this.wire.failed ?? SmtpError.of(this.wire.phase, 'network', 'the session is closed', { context: this.ctx() });
      return fn();
    });
    this.busy = run.catch(() => undefined);
    return run.catch((e: unknown) => { throw this.asSmtpError(e); });
  }

  authenticate(creds: SmtpCredentials, opts: AuthOptions = {}): Promise<void> {
    return this.exclusive(() => this.time('auth', this.doAuth(creds, opts)));
  }

  private async doAuth(creds: SmtpCredentials, opts: AuthOptions): Promise<void> {
    await this.authExchange(this.prepareAuth(creds, opts));
  }

  /** Every check that comes before a credential byte is written; picks the mechanism. */
  private prepareAuth(creds: SmtpCredentials, opts: AuthOptions): PreparedAuth {
    this.setPhase('auth');
    const ctx = this.ctx();
    if (this.authUsed) throw SmtpError.of('auth', 'protocol', 'already authenticated', { context: ctx });
    if (!this.tlsInfo && !(this.opts.allowInsecureAuthOnLoopback === true && isLoopbackHost(this.opts.host))) {
      throw SmtpError.of('auth', 'security', 'refusing to authenticate over an unencrypted connection', { context: { ...ctx, tlsRequired: true } });
    }
    const offered = this.caps.authMechanisms;
    let mech: AuthMechanism | null;
    if (opts.mechanism) {
      if (!offered.includes(opts.mechanism)) {
        throw SmtpError.of('auth', 'auth-unsupported', `the server does not offer the chosen mechanism ${opts.mechanism} (offers: ${offered.join(' ') || 'none'})`, { context: { ...ctx, mechanism: opts.mechanism, offered: offered.join(' ') } });
      }
      mech = opts.mechanism;
    } else {
      mech = chooseMechanism(offered, creds, { encrypted: this.tlsInfo !== null });
      if (!mech) {
        throw SmtpError.of('auth', 'auth-unsupported', `no usable authentication mechanism (server offers: ${offered.join(' ') || 'none'})`, { context: { ...ctx, offered: offered.join(' ') } });
      }
    }
    let client;
    try {
      client = createSaslClient(mech, creds, { host: this.opts.servername ?? this.opts.host, port: this.opts.port });
    } catch (e) {
      throw SmtpError.of('auth', 'input', e instanceof Error ? e.message : String(e), { context: { ...ctx, mechanism: mech } });
    }
    return { mech, client, initial: client.initial() };
  }

  private async authExchange({ mech, client, initial }: PreparedAuth): Promise<void> {
    this.setPhase('auth');
    const ctx = this.ctx();
    let r = await this.command('auth', initial === null ? `AUTH ${mech}` : `AUTH ${mech} ${initial}`, initial === null ? `AUTH ${mech}` : `AUTH ${mech} <redacted>`);
    for (let steps = 0; r.code === 334; steps++) {
      if (steps > 10) throw SmtpError.of('auth', 'protocol', 'too many authentication challenges', { context: ctx });
      const text = r.lines[0] ?? '';
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.trim())) {
        this.send1('*', '*');
        await this.wire.read('command', this.timeouts.command).catch(() => undefined);
        throw SmtpError.of('auth', 'protocol', 'the server sent a challenge that is not base64', { context: { ...ctx, mechanism: mech } });
      }
      let answer: string;
      try {
        answer = client.step(Buffer.from(text.trim(), 'base64'));
      } catch (e) {
        this.send1('*', '*');
        await this.wire.read('command', this.timeouts.command).catch(() => undefined);
        throw SmtpError.of('auth', e instanceof SaslError ? 'security' : 'protocol', e instanceof Error ? e.message : String(e), { context: { ...ctx, mechanism: mech } });
      }
      this.send1(answer, '<redacted>');
      r = await this.wire.read('command', this.timeouts.command);
    }
    if (r.code === 421) throw this.closing(r, 'auth');
    if (r.code !== 235) {
      throw SmtpError.fromReply('auth', r, `authentication with ${mech} failed`, { context: { ...ctx, mechanism: mech } });
    }
    if (client.finish) {
      const extra = (r.lines[0] ?? '').trim();
      const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(extra) ? Buffer.from(extra, 'base64') : null;
      try {
        client.finish(decoded && decoded.toString('latin1').startsWith('v=') ? decoded : null);
      } catch (e) {
        this.wire.close('server failed mutual authentication');
        this.closed = true;
        throw SmtpError.of('auth', 'security', e instanceof Error ? e.message : String(e), { context: { ...ctx, mechanism: mech } });
      }
    }
    this.authUsed = mech;
  }

  /**
   * The reply to an AUTH PLAIN that went out at the head of a pipelined transaction. Anything
   * but 235 ends the session at once: the commands behind it must not be acted on (a 354 to
   * DATA gets no body — closing before the final dot makes the server drop the transaction),
   * and a 334 would mean the server took our MAIL line for a SASL response.
   */
  private pipelinedAuthResult({ mech }: PreparedAuth, r: SmtpReply): void {
    if (r.code === 235) {
      this.authUsed = mech;
      return;
    }
    const ctx = this.ctx();
    const err = r.code === 334
      ? SmtpError.of('auth', 'protocol', `the server asked for more after ${mech} with an initial response`, { context: { ...ctx, mechanism: mech } })
      : SmtpError.fromReply('auth', r, r.code === 421 ? 'the server is closing the connection' : `authentication with ${mech} failed`, { context: { ...ctx, mechanism: mech } });
    this.wire.close('authentication failed; the commands pipelined behind AUTH are abandoned');
    this.closed = true;
    throw err;
  }

  /**
   * authenticate() and send() for a fresh session, one round trip shorter. RFC 4954 §4 lets
   * AUTH be followed by more commands in a pipelined group when it carries an initial response,
   * completes in one round trip and sets up no security layer (PLAIN). So AUTH PLAIN goes out at
   * the head of MAIL, RCPT… and then:
   * - DATA, or the first BDAT blocks of a streamed body, only after the 235: a refused AUTH sends
   *   no body byte;
   * - for a small message to a CHUNKING server, the whole BDAT LAST in the same write (RFC 3030
   *   lets BDAT be pipelined). If AUTH is refused, a submission server refuses the MAIL behind it
   *   (RFC 6409 §4.3) and must read and drop the chunk (RFC 3030 §2): nothing is delivered and
   *   the AUTH error is reported. A server that also takes mail from this client without sign-in
   *   delivers it; its replies say so, and the send counts as done (`authRefused` set), so the
   *   message is never sent twice. See afterRefusedAuth.
   */
  sendAuthenticated(creds: SmtpCredentials, message: SendOptions, opts: AuthOptions = {}): Promise<SendResult> {
    return this.exclusive(async () => {
      const prepared = this.prepareAuth(creds, opts);
      const pipelinable = this.caps.pipelining && prepared.mech === 'PLAIN' && prepared.initial !== null && !prepared.client.finish;
      if (!pipelinable) await this.time('auth', this.authExchange(prepared));
      return this.doSend(message, pipelinable ? prepared : null);
    });
  }

  /** NOOP, returning the reply; rejects if the server does not answer 250. */
  noop(): Promise<SmtpReply> {
    return this.exclusive(async () => {
      const r = await this.command('mail', 'NOOP');
      if (r.code === 421) throw this.closing(r, 'mail');
      if (r.code !== 250) throw SmtpError.fromReply('mail', r, 'NOOP failed', { context: this.ctx() });
      return r;
    });
  }

  rset(): Promise<SmtpReply> {
    return this.exclusive(async () => {
      const r = await this.command('mail', 'RSET');
      if (r.code === 421) throw this.closing(r, 'mail');
      this.needsReset = r.code !== 250;
      return r;
    });
  }

  /** VRFY: 250/251/252/550/… are all answers, returned as they are. */
  vrfy(address: string): Promise<SmtpReply> {
    return this.exclusive(async () => {
      this.checkArg(address);
      const r = await this.command('rcpt', `VRFY ${address}`);
      if (r.code === 421) throw this.closing(r, 'rcpt');
      return r;
    });
  }

  expn(list: string): Promise<SmtpReply> {
    return this.exclusive(async () => {
      this.checkArg(list);
      const r = await this.command('rcpt', `EXPN ${list}`);
      if (r.code === 421) throw this.closing(r, 'rcpt');
      return r;
    });
  }

  private checkArg(s: string): void {
    if (!s || /[\r\n\x00]/.test(s)) throw SmtpError.of('input', 'input', 'argument is empty or contains a line break');
  }

  async quit(): Promise<void> {
    if (this.closed) return;
    await this.busy;
    if (!this.isOpen) {
      this.close();
      return;
    }
    try {
      this.setPhase('quit');
      this.send1('QUIT');
      await this.wire.read('command', Math.min(this.timeouts.command, 5000));
    } catch {
      // The server may simply close: QUIT has done its job either way.
    } finally {
      this.close();
    }
  }

  close(): void {
    if (!this.closed) this.transcript.add('I', this.wire.phase, 'closing connection');
    this.closed = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    if (this.wire.failed === null) this.wire.close('closed by client');
  }

  /**
   * Sends one message. With PIPELINING + CHUNKING and a small buffered body the whole
   * transaction is one write ([RSET] MAIL, RCPT…, BDAT LAST + body), and concurrent sends
   * are pipelined back to back (RFC 2920 §3.1 lets a new MAIL follow the previous body in
   * one group): their writes go out without waiting, their replies are matched in order.
   */
  send(opts: SendOptions): Promise<SendResult> {
    if (this.caps.pipelining && this.caps.chunking && (typeof opts.body === 'string' || opts.body instanceof Uint8Array)) {
      const encoded = encodeWhole(opts.body, false);
      if (encoded.length <= pipelinedBodyLimit) return this.fly(opts, encoded);
    }
    return this.exclusive(() => this.doSend(opts));
  }

  private fly(opts: SendOptions, body: Buffer): Promise<SendResult> {
    const prevBusy = this.busy;
    const prevTail = this.flightTail;
    let written!: () => void;
    this.flightTail = new Promise<void>((r) => { written = r; });
    const run = (async (): Promise<SendResult> => {
      const t0 = performance.now();
      let wroteRset: boolean;
      const sig = opts.signal;
      const onAbort = (): void => this.abort();
      try {
        await (prevTail ?? prevBusy);
        if (!this.isOpen) throw this.wire.failed ?? SmtpError.of(this.wire.phase, 'network', 'the session is closed', { context: this.ctx() });
        this.validateEnvelope(opts);
        if (sig?.aborted) throw SmtpError.of('mail', 'cancelled', 'cancelled before sending');
        this.checkSize(body.length);
        // Behind another flight, RSET costs no round trip and guarantees a clean transaction.
        wroteRset = prevTail !== null || this.needsReset;
        const lines = [...(wroteRset ? ['RSET'] : []), this.mailCommand(opts, body.length), ...opts.envelope.to.map((a) => this.rcptCommand(opts, a)), `BDAT ${body.length} LAST`];
        this.setPhase('mail');
        for (const l of lines) this.transcript.add('C', commandPhase(l), l);
        this.transcript.add('I', 'data', `<message body, ${body.length} bytes>`);
        this.endOfData(opts);
        this.wire.expectReplies(lines.map(commandPhase));
        this.wire.write(Buffer.concat([Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8'), body]));
        this.needsReset = false;
        sig?.addEventListener('abort', onAbort, { once: true });
      } finally {
        written();
      }
      try {
        await prevBusy;
        const read = (): Promise<SmtpReply> => this.wire.read('command', this.timeouts.command);
        if (wroteRset) {
          const r = await read();
          if (r.code === 421) throw this.closing(r, 'mail');
        }
        const mr = await read();
        if (mr.code === 421) throw this.closing(mr, 'mail');
        this.lastTransactionStarted = mr.code === 250;
        this.setPhase('rcpt');
        const results: RecipientResult[] = [];
        for (const addr of opts.envelope.to) results.push(this.recipientResult(addr, await read()));
        this.setPhase('data');
        const final = await this.wire.read('endOfData', this.timeouts.endOfData)
          .catch((e: unknown) => { throw this.possiblyDelivered(e, mr.code === 250 && results.some((x) => x.accepted)); });
        const tEnv = t0;
        const result = this.finish(opts, mr, results, final, body.length, {}, t0, tEnv, this.ctx());
        // After BDAT LAST the server has ended the transaction whatever it answered.
        this.needsReset = false;
        return result;
      } finally {
        sig?.removeEventListener('abort', onAbort);
      }
    })();
    this.busy = run.catch(() => undefined);
    return run.catch((e: unknown) => { throw this.asSmtpError(e); });
  }

  private checkSize(size: number | undefined): void {
    if (this.caps.size !== undefined && this.caps.size > 0 && size !== undefined && size > this.caps.size) {
      throw SmtpError.of('mail', 'size-limit', `the message (${size} bytes) is larger than the server's limit of ${this.caps.size} bytes; nothing was sent`, { context: { ...this.ctx(), size, limit: this.caps.size } });
    }
  }

  private validateEnvelope(opts: SendOptions): void {
    const { from, to } = opts.envelope;
    if (to.length === 0) throw SmtpError.of('input', 'input', 'no recipients');
    for (const a of [from, ...to]) {
      if (ADDRESS_FORBIDDEN.test(a)) throw SmtpError.of('input', 'input', `invalid address in envelope: "${a.slice(0, 80)}"`, { recipients: [a] });
    }
    for (const a of to) if (!a) throw SmtpError.of('input', 'input', 'empty recipient address');
    const utf8 = opts.smtpUtf8 === true || [from, ...to].some((a) => NON_ASCII.test(a));
    if (utf8 && !this.caps.smtpUtf8) {
      throw SmtpError.of('mail', 'unsupported', 'the message needs SMTPUTF8 (international addresses) but the server does not offer it', { context: this.ctx() });
    }
    if (opts.eightBit && !this.caps.eightBitMime) {
      throw SmtpError.of('mail', 'unsupported', 'the message has 8-bit content but the server does not offer 8BITMIME', { context: this.ctx() });
    }
  }

  private mailCommand(opts: SendOptions, size: number | undefined): string {
    const { from, to } = opts.envelope;
    const params: string[] = [];
    if (this.caps.size !== undefined && size !== undefined) params.push(`SIZE=${size}`);
    if (opts.eightBit && this.caps.eightBitMime) params.push('BODY=8BITMIME');
    if ((opts.smtpUtf8 === true || [from, ...to].some((a) => NON_ASCII.test(a))) && this.caps.smtpUtf8) params.push('SMTPUTF8');
    if (opts.dsn && this.caps.dsn) {
      if (opts.dsn.ret) params.push(`RET=${opts.dsn.ret}`);
      if (opts.dsn.envid) params.push(`ENVID=${xtext(opts.dsn.envid)}`);
    }
    return `MAIL FROM:<${from}>${params.length ? ` ${params.join(' ')}` : ''}`;
  }

  private rcptCommand(opts: SendOptions, addr: string): string {
    const params: string[] = [];
    if (opts.dsn && this.caps.dsn) {
      const n = opts.dsn.notify;
      if (n) params.push(`NOTIFY=${n === 'NEVER' ? 'NEVER' : n.join(',')}`);
      if (n && !NON_ASCII.test(addr)) params.push(`ORCPT=rfc822;${xtext(addr)}`);
    }
    return `RCPT TO:<${addr}>${params.length ? ` ${params.join(' ')}` : ''}`;
  }

  private async doSend(opts: SendOptions, auth: PreparedAuth | null = null): Promise<SendResult> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    this.lastTransactionStarted = false;
    this.validateEnvelope(opts);
    const sig = opts.signal;
    if (sig?.aborted) throw SmtpError.of('mail', 'cancelled', 'cancelled before sending');
    const onAbort = (): void => this.abort();
    sig?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.transaction(opts, timings, t0, auth);
    } catch (e) {
      const err = this.asSmtpError(e);
      if (this.isOpen) this.needsReset = true;
      throw err;
    } finally {
      sig?.removeEventListener('abort', onAbort);
    }
  }

  private async transaction(opts: SendOptions, timings: Record<string, number>, t0: number, pendingAuth: PreparedAuth | null = null): Promise<SendResult> {
    const ctx = this.ctx();
    const pipelining = this.caps.pipelining;
    const useBdat = pipelining && this.caps.chunking;
    // Small bodies are read ahead: they can go in the same write as the envelope. Nothing is on
    // the wire yet, so a body that cannot be read is an input error of the data step.
    const pre = await prefetch(opts.body, pipelinedBodyLimit).catch((e: unknown) => { throw this.bodyReadError(e); });
    let wholeEncoded: Buffer | null = null;
    let size = opts.size;
    if ('whole' in pre) {
      wholeEncoded = encodeWhole(pre.whole, !useBdat);
      size = useBdat ? wholeEncoded.length : wholeEncoded.length - 3;
    }
    this.checkSize(size);
    const mail = this.mailCommand(opts, size);
    const rcpts = opts.envelope.to.map((a) => this.rcptCommand(opts, a));
    const bdatNow = useBdat && wholeEncoded !== null;
    let auth = pendingAuth;
    if (auth && !pipelining) {
      // No pipelining: nothing may go behind AUTH.
      await this.time('auth', this.authExchange(auth));
      auth = null;
    }
    this.setPhase('mail');
    const tEnv = performance.now();
    const results: RecipientResult[] = [];
    let dataReply: SmtpReply | null = null;
    const resetFirst = this.needsReset;
    const readCmd = (): Promise<SmtpReply> => this.wire.read('command', this.timeouts.command);

    if (pipelining) {
      // RFC 2920: [RSET] MAIL, RCPT… and then DATA or the whole BDAT LAST in one write.
      const lines: string[] = [];
      if (resetFirst) lines.push('RSET');
      lines.push(mail, ...rcpts);
      let payload = '';
      if (auth) {
        this.transcript.add('C', 'auth', `AUTH ${auth.mech} <redacted>`);
        this.wire.expectReplies(['auth']);
        payload = `AUTH ${auth.mech} ${auth.initial ?? ''}\r\n`;
      }
      for (const l of lines) this.transcript.add('C', commandPhase(l), l);
      payload += lines.map((l) => `${l}\r\n`).join('');
      if (bdatNow && wholeEncoded) {
        this.transcript.add('C', 'data', `BDAT ${wholeEncoded.length} LAST`);
        this.transcript.add('I', 'data', `<message body, ${wholeEncoded.length} bytes>`);
        payload += `BDAT ${wholeEncoded.length} LAST\r\n`;
        this.endOfData(opts);
        this.wire.expectReplies([...lines.map(commandPhase), 'data']);
        this.wire.write(Buffer.concat([Buffer.from(payload, 'utf8'), wholeEncoded]));
        this.setPhase('mail');
      } else if (!useBdat) {
        this.transcript.add('C', 'data', 'DATA');
        this.wire.expectReplies([...lines.map(commandPhase), 'data']);
        this.wire.write(`${payload}DATA\r\n`);
      } else {
        this.wire.expectReplies(lines.map(commandPhase));
        this.wire.write(payload);
      }
      if (auth) {
        const tAuth = performance.now();
        this.setPhase('auth');
        const authReply = await readCmd();
        this.timingsMap.auth = Math.round((this.timingsMap.auth ?? 0) + performance.now() - tAuth);
        // The whole message is already on the wire: only the replies behind a refused AUTH can
        // say whether the server took it. (A 334 or 421 ends the session: nothing was accepted.)
        if (bdatNow && authReply.code !== 235 && authReply.code !== 334 && authReply.code !== 421) {
          return this.afterRefusedAuth(auth, authReply, { opts, resetFirst, bytes: wholeEncoded?.length ?? 0, timings, t0, tEnv, ctx });
        }
        this.pipelinedAuthResult(auth, authReply);
        this.setPhase('mail');
      }
      if (resetFirst) {
        await readCmd();
        this.needsReset = false;
      }
      const mr = await readCmd();
      if (mr.code === 421) throw this.closing(mr, 'mail');
      this.lastTransactionStarted = mr.code === 250;
      this.setPhase('rcpt');
      for (const addr of opts.envelope.to) {
        const r = await readCmd();
        results.push(this.recipientResult(addr, r));
      }
      if (!bdatNow && !useBdat) {
        this.setPhase('data');
        dataReply = await readCmd();
      }
      if (bdatNow) {
        this.setPhase('data');
        const final = await this.wire.read('endOfData', this.timeouts.endOfData).catch((e: unknown) => { throw this.possiblyDelivered(e, mr.code === 250 && results.some((x) => x.accepted)); });
        return this.finish(opts, mr, results, final, wholeEncoded?.length ?? 0, timings, t0, tEnv, ctx);
      }
      if (mr.code !== 250) throw this.mailFailed(mr, ctx, results);
    } else {
      if (resetFirst) {
        const r = await this.command('mail', 'RSET');
        if (r.code === 421) throw this.closing(r, 'mail');
        this.needsReset = false;
      }
      const mr = await this.command('mail', mail);
      if (mr.code === 421) throw this.closing(mr, 'mail');
      if (mr.code !== 250) throw this.mailFailed(mr, ctx, []);
      this.lastTransactionStarted = true;
      for (const [i, addr] of opts.envelope.to.entries()) {
        const r = await this.command('rcpt', rcpts[i] ?? '');
        if (r.code === 421) throw this.closing(r, 'rcpt');
        results.push(this.recipientResult(addr, r));
      }
    }
    timings.envelope = Math.round(performance.now() - tEnv);
    const closingRcpt = results.find((r) => r.code === 421);
    if (closingRcpt) {
      this.wire.close('server sent 421');
      this.closed = true;
      throw SmtpError.of('rcpt', 'reply', `the server is closing the connection: ${closingRcpt.message}`, { code: 421, serverText: closingRcpt.message, context: ctx, ...(closingRcpt.enhancedCode ? { enhancedCode: closingRcpt.enhancedCode } : {}) });
    }
    const accepted = results.filter((r) => r.accepted);
    if (accepted.length === 0) {
      // No body for nobody. A pipelined DATA that was (wrongly) accepted gets an empty message end.
      if (dataReply?.code === 354) {
        this.setPhase('data');
        this.send1('.');
        await readCmd().catch(() => undefined);
      }
      this.needsReset = true;
      throw this.allRefused(results, ctx);
    }
    if (!pipelining) {
      this.setPhase('data');
      if (!useBdat) dataReply = await this.command('data', 'DATA');
    }
    if (dataReply && dataReply.code !== 354) {
      if (dataReply.code === 421) throw this.closing(dataReply, 'data');
      this.needsReset = true;
      throw SmtpError.fromReply('data', dataReply, 'the server refused DATA', { context: ctx, recipients: accepted.map((r) => r.address) });
    }
    this.setPhase('data');
    const tData = performance.now();
    const bytes = useBdat ? await this.streamBdat(pre, wholeEncoded, opts, size) : await this.streamData(pre, wholeEncoded, opts, size);
    const final = await this.wire.read('endOfData', this.timeouts.endOfData).catch((e: unknown) => { throw this.possiblyDelivered(e, true); });
    timings.data = Math.round(performance.now() - tData);
    const mrOk: SmtpReply = { code: 250, lines: [], message: '', raw: [] };
    return this.finish(opts, mrOk, results, final, bytes, timings, t0, tEnv, ctx);
  }

  /**
   * AUTH PLAIN was refused with MAIL, RCPT… and the whole BDAT LAST already behind it. Every
   * reply is read: only a 250 to MAIL, an accepted recipient and a 250 to the BDAT mean the
   * server delivered the message without the sign-in; then the send is a success that carries
   * the refused AUTH (`authRefused`) for the person to fix the password, and is never repeated.
   * Anything else is the AUTH error, and the session, not signed in, is closed.
   */
  private async afterRefusedAuth(
    { mech }: PreparedAuth, refused: SmtpReply,
    t: { opts: SendOptions; resetFirst: boolean; bytes: number; timings: Record<string, number>; t0: number; tEnv: number; ctx: Record<string, string | number | boolean> },
  ): Promise<SendResult> {
    const authError = SmtpError.fromReply('auth', refused, `authentication with ${mech} failed`, { context: { ...t.ctx, mechanism: mech } });
    const readCmd = (): Promise<SmtpReply> => this.wire.read('command', this.timeouts.command);
    const results: RecipientResult[] = [];
    let mr: SmtpReply | null = null;
    try {
      this.setPhase('mail');
      if (t.resetFirst) await readCmd();
      mr = await readCmd();
      this.setPhase('rcpt');
      for (const addr of t.opts.envelope.to) results.push(this.recipientResult(addr, await readCmd()));
      this.setPhase('data');
      const final = await this.wire.read('endOfData', this.timeouts.endOfData);
      if (mr.code === 250 && final.code === 250 && results.some((r) => r.accepted)) {
        const result = this.finish(t.opts, mr, results, final, t.bytes, t.timings, t.t0, t.tEnv, t.ctx);
        result.authRefused = { code: refused.code, message: refused.message, ...(refused.enhancedCode ? { enhancedCode: refused.enhancedCode } : {}) };
        this.transcript.add('I', 'auth', 'the server refused the sign-in but accepted the message');
        this.needsReset = false;
        return result;
      }
    } catch (e) {
      // The final reply is missing after the server took sender and recipients: it may have arrived.
      const took = mr?.code === 250 && results.length === t.opts.envelope.to.length && results.some((r) => r.accepted);
      if (took) throw this.possiblyDelivered(e, true);
    }
    this.wire.close('authentication failed');
    this.closed = true;
    throw authError;
  }

  private possiblyDelivered(e: unknown, bodyComplete: boolean): SmtpError {
    const err = this.asSmtpError(e);
    const c = err.detail.cause;
    return bodyComplete && (c === 'network' || c === 'timeout' || c === 'cancelled') ? err.withMayHaveBeenDelivered() : err;
  }

  private finish(opts: SendOptions, mr: SmtpReply, results: RecipientResult[], final: SmtpReply, bytes: number, timings: Record<string, number>, t0: number, tEnv: number, ctx: Record<string, string | number | boolean>): SendResult {
    timings.envelope ??= Math.round(performance.now() - tEnv);
    if (mr.code !== 250) throw this.mailFailed(mr, ctx, results);
    const accepted = results.filter((r) => r.accepted);
    if (accepted.length === 0) {
      this.needsReset = true;
      throw this.allRefused(results, ctx);
    }
    if (final.code === 421) throw this.closing(final, 'data');
    if (final.code !== 250) {
      this.needsReset = true;
      throw SmtpError.fromReply('data', final, 'the server did not accept the message', { context: ctx, recipients: accepted.map((r) => r.address) });
    }
    timings.total = Math.round(performance.now() - t0);
    const response: SendResult['response'] = { code: final.code, message: final.message };
    if (final.enhancedCode) response.enhancedCode = final.enhancedCode;
    const result: SendResult = {
      accepted: accepted.map((r) => r.address),
      rejected: results.filter((r) => !r.accepted),
      recipients: results,
      response,
      bytesSent: bytes,
      timings,
    };
    if (opts.messageId) result.messageId = opts.messageId;
    const q = queueIdOf(final.message);
    if (q) result.queueId = q;
    opts.onProgress?.({ phase: 'data', bytesSent: bytes, totalBytes: bytes });
    return result;
  }

  private recipientResult(address: string, r: SmtpReply): RecipientResult {
    const res: RecipientResult = { address, accepted: r.code === 250 || r.code === 251, code: r.code, message: r.message };
    if (r.enhancedCode) res.enhancedCode = r.enhancedCode;
    return res;
  }

  private mailFailed(mr: SmtpReply, ctx: Record<string, string | number | boolean>, _results: RecipientResult[]): SmtpError {
    this.needsReset = true;
    return SmtpError.fromReply('mail', mr, 'the server refused the sender', { context: ctx });
  }

  private allRefused(results: RecipientResult[], ctx: Record<string, string | number | boolean>): SmtpError {
    const first = results[0];
    const detail = {
      phase: 'rcpt' as const, cause: 'reply', message: `every recipient was refused; no message was sent (${results.map((r) => `${r.address}: ${r.code}`).join(', ')})`,
      recipients: results.map((r) => r.address), context: ctx, serverText: results.map((r) => `${r.address}: ${r.message}`).join('\n'),
      ...(first ? { code: first.code } : {}), ...(first?.enhancedCode ? { enhancedCode: first.enhancedCode } : {}),
    };
    return new SmtpError(detail, { recipientResults: results });
  }

  /** The encoded body in chunks; `last` marks the chunk that ends the message (with the final dot for DATA). */
  private async *encodedBody(pre: Awaited<ReturnType<typeof prefetch>>, whole: Buffer | null, dotStuff: boolean): AsyncGenerator<{ bytes: Buffer; last: boolean }> {
    if (whole) {
      yield { bytes: whole, last: true };
      return;
    }
    if ('whole' in pre) return;
    const enc = new BodyEncoder({ dotStuff });
    for (const c of pre.head) yield { bytes: enc.push(c), last: false };
    for (;;) {
      const r = await pre.rest.next();
      if (r.done) break;
      yield { bytes: enc.push(r.value), last: false };
    }
    yield { bytes: enc.end(), last: true };
  }

  /**
   * The caller's last word before the end of the message goes out (SendOptions.onEndOfData).
   * A hook that throws or cancels keeps the end of the message back.
   */
  private endOfData(opts: SendOptions): void {
    try {
      opts.onEndOfData?.();
    } catch (e) {
      throw SmtpError.of('data', 'cancelled', `the end of the message was held back: ${e instanceof Error ? e.message : String(e)}`, { context: this.ctx() }, e);
    }
    if (opts.signal?.aborted) throw this.wire.failed ?? SmtpError.of('data', 'cancelled', 'cancelled before the end of the message', { context: this.ctx() });
  }

  private async streamData(pre: Awaited<ReturnType<typeof prefetch>>, whole: Buffer | null, opts: SendOptions, size: number | undefined): Promise<number> {
    this.transcript.add('I', 'data', '<message body>');
    let sent = 0;
    try {
      for await (const { bytes: chunk, last } of this.encodedBody(pre, whole, true)) {
        sent += chunk.length;
        this.enforceSize(sent, size);
        if (last) this.endOfData(opts);
        if (!this.wire.write(chunk)) await this.wire.drain(this.timeouts.dataBlock);
        opts.onProgress?.({ phase: 'data', bytesSent: sent, ...(size !== undefined ? { totalBytes: size } : {}) });
      }
    } catch (e) {
      throw this.abandonBody(e);
    }
    this.transcript.add('I', 'data', `<message body, ${sent} bytes incl. terminator>`);
    this.transcript.add('C', 'data', '.');
    return sent;
  }

  /** CHUNKING for streamed bodies: BDAT blocks pipelined, one reply each, checked at the end. */
  private async streamBdat(pre: Awaited<ReturnType<typeof prefetch>>, whole: Buffer | null, opts: SendOptions, size: number | undefined): Promise<number> {
    let sent = 0;
    let blocks = 0;
    let pendingBuf: Buffer[] = [];
    let pendingLen = 0;
    const flush = async (last: boolean): Promise<void> => {
      const parts = pendingBuf;
      const len = pendingLen;
      pendingBuf = [];
      pendingLen = 0;
      const head = `BDAT ${len}${last ? ' LAST' : ''}`;
      if (blocks < 3 || last) this.transcript.add('C', 'data', head);
      if (last) this.endOfData(opts);
      blocks++;
      if (!last) unanswered++;
      // Header and chunks go out as they are (no copy into one block).
      let ok = this.wire.write(`${head}\r\n`);
      for (const p of parts) ok = this.wire.write(p);
      if (!ok) await this.wire.drain(this.timeouts.dataBlock);
      // Replies to earlier blocks are checked as they arrive: nothing piles up, a refusal stops us early.
      // (Only replies owed to earlier blocks: the final reply is read by the caller.)
      while (unanswered > 0) {
        const r = this.wire.takeQueued();
        if (!r) break;
        checkBlock(r);
      }
    };
    let unanswered = 0;
    const checkBlock = (r: SmtpReply): void => {
      unanswered--;
      if (r.code !== 250) {
        this.needsReset = true;
        throw SmtpError.fromReply('data', r, 'the server refused a BDAT block', { context: this.ctx() });
      }
    };
    try {
      for await (const { bytes: chunk } of this.encodedBody(pre, whole, false)) {
        sent += chunk.length;
        this.enforceSize(sent, size);
        pendingBuf.push(chunk);
        pendingLen += chunk.length;
        if (pendingLen >= bdatChunk) await flush(false);
        opts.onProgress?.({ phase: 'data', bytesSent: sent, ...(size !== undefined ? { totalBytes: size } : {}) });
      }
      await flush(true);
    } catch (e) {
      throw this.abandonBody(e);
    }
    this.transcript.add('I', 'data', `<message body, ${sent} bytes in ${blocks} BDAT blocks>`);
    // The remaining replies to all but the last block: each must be 250.
    while (unanswered > 0) checkBlock(await this.wire.read('dataBlock', this.timeouts.dataBlock));
    return sent;
  }

  /** A body that cannot be finished leaves the server mid-message: only closing is safe. */
  /** The body stream failed (a file vanished, a composer error): an input error of the data step. */
  private bodyReadError(e: unknown): SmtpError {
    return isSmtpError(e) ? e : SmtpError.of('data', 'input', `reading the message body failed: ${e instanceof Error ? e.message : String(e)}`, { context: this.ctx() }, e);
  }

  private abandonBody(e: unknown): SmtpError {
    const err = this.bodyReadError(e);
    this.wire.fail(err);
    this.closed = true;
    return err;
  }

  private enforceSize(sent: number, size: number | undefined): void {
    // Never send more than we announced in SIZE= (the server would count on it).
    if (this.caps.size !== undefined && this.caps.size > 0 && sent > this.caps.size + 3) {
      throw SmtpError.of('data', 'size-limit', `the message grew beyond the server's limit of ${this.caps.size} bytes while sending`, { context: { ...this.ctx(), limit: this.caps.size, announced: size ?? -1 } });
    }
  }
}
