/**
 * One kept-alive SMTP session per account (the engine's WarmSession), shared by the
 * warm-up at compose time and the worker, so consecutive messages of an account reuse one
 * connection. The pool also collects each session's transcript, so every attempt's
 * send-log entry gets the lines that belong to it (including the connect and AUTH it
 * caused), and lets the worker watch the lines as they happen (its progress phases).
 */
import { createHash } from 'node:crypto';
import type { SmtpSettings } from '../../shared/domain.js';
import { connectOptionsOf } from '../delivery/pipeline.js';
import { WarmSession, type SessionInfo, type SmtpConnectOptions, type SmtpCredentials, type TranscriptEntry } from '../smtp/index.js';

const MAX_BUFFER = 2000;

export class AccountConnection {
  readonly key: string;
  warm: WarmSession;
  private buffer: TranscriptEntry[] = [];
  private opening: Promise<SessionInfo> | null = null;
  /** Watches transcript lines while an attempt runs. */
  watcher: ((e: TranscriptEntry) => void) | null = null;
  private readonly make: () => WarmSession;

  constructor(key: string, make: (onTranscript: (e: TranscriptEntry) => void) => WarmSession) {
    this.key = key;
    const onTranscript = (e: TranscriptEntry): void => {
      if (this.buffer.length >= MAX_BUFFER) this.buffer.splice(0, MAX_BUFFER / 2);
      this.buffer.push(e);
      this.watcher?.(e);
    };
    this.make = () => make(onTranscript);
    this.warm = this.make();
  }

  /** Opens (or reuses) the session; a session closed for idleness is replaced. */
  open(): Promise<SessionInfo> {
    if (this.opening) return this.opening;
    if (!this.warm.isOpen) {
      void this.warm.close().catch(() => undefined);
      this.warm = this.make();
    }
    this.opening = this.warm.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Transcript lines since the previous call. */
  takeTranscript(): TranscriptEntry[] {
    return this.buffer.splice(0);
  }

  close(): Promise<void> {
    return this.warm.close().catch(() => undefined);
  }
}

export interface SessionPoolOptions {
  idleCloseMs: number;
  /** Extra connect options (timeouts in tests, a client name). */
  connect?: Partial<SmtpConnectOptions>;
}

export class SessionPool {
  private readonly conns = new Map<string, AccountConnection>();
  constructor(private readonly opts: SessionPoolOptions) {}

  /** The account's connection; replaced when its settings or credentials changed. */
  get(accountId: string, settings: SmtpSettings, creds: SmtpCredentials | undefined): AccountConnection {
    const key = createHash('sha256')
      .update(JSON.stringify([settings, creds?.username ?? null, creds?.password ?? null, creds?.accessToken ?? null]))
      .digest('hex');
    const existing = this.conns.get(accountId);
    if (existing && existing.key === key) return existing;
    if (existing) void existing.close();
    const conn = new AccountConnection(key, (onTranscript) => new WarmSession({
      ...connectOptionsOf(settings),
      ...this.opts.connect,
      ...(creds ? { credentials: creds } : {}),
      ...(settings.authMechanism ? { mechanism: settings.authMechanism } : {}),
      idleCloseMs: this.opts.idleCloseMs,
      onTranscript,
    }));
    this.conns.set(accountId, conn);
    return conn;
  }

  peek(accountId: string): AccountConnection | undefined {
    return this.conns.get(accountId);
  }

  /** Drops a connection after a failure that may have left it unusable (auth changed…). */
  async discard(accountId: string): Promise<void> {
    const c = this.conns.get(accountId);
    this.conns.delete(accountId);
    if (c) await c.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
