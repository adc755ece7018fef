/**
 * A kept-alive session for the outbox: opened ahead of time, kept warm with NOOP inside
 * the server's idle limit, closed after a longer idle period, and reopened transparently
 * when the server dropped it — but only when the failed attempt provably did not start a
 * transaction, so a message is never sent twice.
 */
import { SmtpError } from './errors.js';
import { SmtpSession } from './session.js';
import type { AuthMechanism, SendOptions, SendResult, SessionInfo, SmtpConnectOptions, SmtpCredentials } from './types.js';

export interface WarmSessionOptions extends SmtpConnectOptions {
  credentials?: SmtpCredentials;
  mechanism?: AuthMechanism;
  /** Close after this long without a send (default 5 minutes). */
  idleCloseMs?: number;
}

export class WarmSession {
  private session: SmtpSession | null = null;
  private opening: Promise<SmtpSession> | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly opts: WarmSessionOptions;
  private closed = false;
  /** How many times a dead session was replaced (for tests and diagnostics). */
  reconnects = 0;

  constructor(opts: WarmSessionOptions) {
    this.opts = opts;
  }

  get info(): SessionInfo | null {
    return this.session?.info ?? null;
  }

  get isOpen(): boolean {
    return this.session?.isOpen ?? false;
  }

  /**
   * Connect and authenticate now, so the next send costs one round trip. Works again after
   * close() (by idleness or by the caller): the session is simply opened anew.
   */
  async open(): Promise<SessionInfo> {
    this.closed = false;
    const s = await this.ensure();
    return s.info;
  }

  private ensure(): Promise<SmtpSession> {
    if (this.closed) return Promise.reject(SmtpError.of('connect', 'cancelled', 'the warm session was closed'));
    if (this.session?.isOpen) return Promise.resolve(this.session);
    this.opening ??= (async () => {
      try {
        const s = await SmtpSession.open(this.opts);
        try {
          if (this.opts.credentials) await s.authenticate(this.opts.credentials, this.opts.mechanism ? { mechanism: this.opts.mechanism } : {});
        } catch (e) {
          s.close();
          throw e;
        }
        this.session = s;
        this.schedule();
        return s;
      } finally {
        this.opening = null;
      }
    })();
    return this.opening;
  }

  private schedule(): void {
    this.clearTimers();
    if (this.closed) return;
    const keepAlive = this.opts.timeouts?.keepAlive ?? 60_000;
    this.keepAliveTimer = setInterval(() => {
      const s = this.session;
      if (!s?.isOpen) return;
      s.noop().catch(() => s.close());
    }, keepAlive);
    this.keepAliveTimer.unref();
    this.idleTimer = setTimeout(() => { void this.close(); }, this.opts.idleCloseMs ?? 300_000);
    this.idleTimer.unref();
  }

  private clearTimers(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.keepAliveTimer = null;
    this.idleTimer = null;
  }

  async send(message: SendOptions): Promise<SendResult & { session: SessionInfo }> {
    this.closed = false;
    let s = await this.ensure();
    try {
      const r = await s.send(message);
      this.schedule();
      return { ...r, session: s.info };
    } catch (e) {
      if (!(e instanceof SmtpError) || !this.retryable(s, e)) throw e;
      // The server dropped the idle connection before our transaction began: reconnect once.
      s.close();
      this.session = null;
      this.reconnects++;
      s = await this.ensure();
      const r = await s.send(message);
      this.schedule();
      return { ...r, session: s.info };
    }
  }

  private retryable(s: SmtpSession, e: SmtpError): boolean {
    if (s.lastTransactionStarted || e.mayHaveBeenDelivered) return false;
    const c = e.detail.cause;
    const dead = c === 'network' || (c === 'reply' && e.detail.code === 421);
    return dead && (e.detail.phase === 'mail' || e.detail.phase === 'rcpt');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    const s = this.session;
    this.session = null;
    if (s) await s.quit();
  }
}
