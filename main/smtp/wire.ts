/**
 * One socket (plain or TLS) plus the reply parser: ordered reply reads with a named
 * timeout each, writes with back-pressure, and a sticky failure. Every failure destroys
 * the socket, so nothing can hang on a half-dead connection.
 */
import type { Socket } from 'node:net';
import type { DeliveryPhase } from '../../shared/errors.js';
import { ReplyParser, ReplyProtocolError, type SmtpReply } from './reply-parser.js';
import { SmtpError, systemCodeOf } from './errors.js';
import type { Transcript } from './transcript.js';
import type { SmtpTimeouts } from './types.js';

interface Waiter {
  resolve: (r: SmtpReply) => void;
  reject: (e: SmtpError) => void;
  timer: NodeJS.Timeout;
}

export class Wire {
  socket: Socket;
  parser = new ReplyParser();
  phase: DeliveryPhase = 'connect';
  private readonly queue: SmtpReply[] = [];
  private waiter: Waiter | null = null;
  private failure: SmtpError | null = null;
  /** When set, the socket stops being read right after the next reply (STARTTLS). */
  private holdAfterReply = false;
  /** Bytes that followed the held reply: the STARTTLS injection signal. */
  injectedBytes = 0;
  /**
   * Phases of replies owed to pipelined commands, in order: their transcript lines carry
   * the phase of the command they answer (RCPT, DATA …), not the phase the reader is in
   * when a whole group of replies arrives at once.
   */
  private readonly expected: DeliveryPhase[] = [];
  private readonly onData = (chunk: Buffer): void => this.data(chunk);
  private readonly onError = (err: Error): void => this.fail(this.networkError(err));
  private readonly onClose = (): void => this.fail(SmtpError.of(this.phase, 'network', 'the server closed the connection', this.ctx()));
  private readonly transcript: Transcript;
  private readonly context: Record<string, string | number | boolean>;

  constructor(socket: Socket, transcript: Transcript, context: Record<string, string | number | boolean>) {
    this.socket = socket;
    this.transcript = transcript;
    this.context = context;
    this.attach(socket);
  }

  get failed(): SmtpError | null {
    return this.failure;
  }

  ctx(extra: Record<string, string | number | boolean> = {}): { context: Record<string, string | number | boolean> } {
    return { context: { ...this.context, ...extra } };
  }

  attach(socket: Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** Stop listening (before handing the socket to TLS). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  /** Forget everything read so far (RFC 3207 §4.2: pre-TLS knowledge is discarded). */
  resetParser(enhanced = false): void {
    this.parser = new ReplyParser({ enhancedStatusCodes: enhanced });
    this.queue.length = 0;
    this.expected.length = 0;
  }

  /** Call right before writing a pipelined group: one phase per reply it will bring. */
  expectReplies(phases: readonly DeliveryPhase[]): void {
    this.expected.push(...phases);
  }

  holdAfterNextReply(): void {
    this.holdAfterReply = true;
    this.injectedBytes = 0;
  }

  private data(chunk: Buffer): void {
    if (this.failure) return;
    let replies: SmtpReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (e) {
      const msg = e instanceof ReplyProtocolError ? e.message : String(e);
      this.transcript.add('S', this.phase, chunk.toString('latin1', 0, Math.min(chunk.length, 200)));
      this.fail(SmtpError.of(this.phase, 'protocol', `unintelligible server reply: ${msg}`, this.ctx()));
      return;
    }
    for (const [i, r] of replies.entries()) {
      const phase = this.expected.shift() ?? this.phase;
      for (const line of r.raw) this.transcript.add('S', phase, line);
      this.queue.push(r);
      if (this.holdAfterReply) {
        this.holdAfterReply = false;
        this.socket.pause();
        this.detach();
        this.socket.on('error', () => { /* handled by whoever takes the socket over */ });
        // Anything after this reply in the same read came before the TLS handshake.
        this.injectedBytes = this.parser.bufferedBytes + replies.slice(i + 1).reduce((n, x) => n + x.raw.join('\r\n').length + 2, 0);
        break;
      }
    }
    this.deliver();
  }

  private deliver(): void {
    const w = this.waiter;
    if (!w) return;
    const r = this.queue.shift();
    if (r) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(r);
    }
  }

  /** A reply that has already arrived, without waiting (null if none). */
  takeQueued(): SmtpReply | null {
    return this.queue.shift() ?? null;
  }

  /** The next reply, or a timeout named after the phase. */
  read(timeoutName: keyof SmtpTimeouts, ms: number): Promise<SmtpReply> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(SmtpError.of('internal', 'protocol', 'two concurrent reply reads'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(SmtpError.of(this.phase, 'timeout', `no reply from the server within ${ms} ms (${timeoutName} timeout)`, this.ctx({ timeout: timeoutName, timeoutMs: ms })));
      }, ms);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Write (already redacted) transcript lines are the caller's business. */
  write(data: string | Uint8Array): boolean {
    if (this.failure) throw this.failure;
    return this.socket.write(data);
  }

  /** Resolves when the socket wants more data; bounded by the dataBlock timeout. */
  drain(ms: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.socket.off('drain', onDrain);
        this.socket.off('close', onGone);
      };
      const onDrain = (): void => { done(); resolve(); };
      const onGone = (): void => { done(); reject(this.failure ?? SmtpError.of(this.phase, 'network', 'connection closed while sending', this.ctx())); };
      const timer = setTimeout(() => {
        done();
        const err = SmtpError.of(this.phase, 'timeout', `the server stopped accepting data for ${ms} ms (dataBlock timeout)`, this.ctx({ timeout: 'dataBlock', timeoutMs: ms }));
        this.fail(err);
        reject(err);
      }, ms);
      this.socket.on('drain', onDrain);
      this.socket.on('close', onGone);
    });
  }

  fail(err: SmtpError): void {
    if (!this.failure) {
      this.failure = err;
      this.transcript.add('I', this.phase, `connection ended: ${err.message}`);
    }
    this.socket.destroy();
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
  }

  /** Close quietly (after QUIT or on the caller's request). */
  close(reason: string): void {
    this.fail(SmtpError.of(this.phase, 'network', reason, this.ctx()));
  }

  networkError(err: Error): SmtpError {
    const code = systemCodeOf(err);
    const phase: DeliveryPhase = code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' ? 'dns' : this.phase;
    const tlsLike = /CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|ERR_TLS/i.test(code ?? '') || /SSL|TLS|certificate/i.test(err.message);
    const extra: Partial<{ systemCode: string }> = code ? { systemCode: code } : {};
    return SmtpError.of(tlsLike && phase !== 'dns' ? 'tls' : phase, tlsLike ? 'tls' : 'network', err.message, { ...extra, ...this.ctx() }, err);
  }
}
