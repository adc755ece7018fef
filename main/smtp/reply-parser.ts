/**
 * The one SMTP reply parser: a pure, incremental state machine. Bytes go in as they
 * arrive from the socket (split anywhere, several replies per read); complete replies
 * come out. Memory is bounded: a line or reply longer than the limits is a protocol
 * error, never unbounded buffering.
 */

export interface SmtpReply {
  code: number;
  /** RFC 3463 code ("5.7.8"), only when the caller says the server advertised ENHANCEDSTATUSCODES. */
  enhancedCode?: string;
  /** Text of every line without the code and separator, enhanced code removed when extracted. */
  lines: string[];
  /** All lines joined by "\n" (what error details carry). */
  message: string;
  /** The raw lines as received (without CRLF), for the transcript. */
  raw: string[];
}

export interface ReplyParserLimits {
  /** Longest line in bytes (RFC 5321 says 512; real servers exceed it a little). */
  maxLineBytes: number;
  /** Most lines in one multi-line reply. */
  maxLines: number;
}

export const defaultReplyLimits: ReplyParserLimits = { maxLineBytes: 4096, maxLines: 256 };

export class ReplyProtocolError extends Error {
  readonly kind: 'garbage' | 'overlong' | 'too-many-lines' | 'code-mismatch';
  constructor(kind: ReplyProtocolError['kind'], message: string) {
    super(message);
    this.name = 'ReplyProtocolError';
    this.kind = kind;
  }
}

const LINE = /^([2-5][0-9][0-9])(?:([ -])(.*))?$/s;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?:\s+|$)/;

/** Split a reply text into the enhanced code and the rest (RFC 3463 / 2034). */
export function splitEnhancedCode(code: number, text: string): { enhancedCode?: string; text: string } {
  const m = ENHANCED.exec(text);
  // The class digit must agree with the reply code's first digit (2034 §4).
  if (!m || m[1] !== String(code)[0]) return { text };
  return { enhancedCode: `${m[1]}.${m[2]}.${m[3]}`, text: text.slice(m[0].length) };
}

/** Renders a control-character-laden line safely for messages and transcripts. */
export function printable(s: string, max = 200): string {
  const clean = s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export class ReplyParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lines: string[] = [];
  private code = 0;
  enhanced: boolean;
  private readonly limits: ReplyParserLimits;

  constructor(opts: { enhancedStatusCodes?: boolean; limits?: Partial<ReplyParserLimits> } = {}) {
    this.enhanced = opts.enhancedStatusCodes ?? false;
    this.limits = { ...defaultReplyLimits, ...opts.limits };
  }

  /** Bytes received but not yet part of a complete reply (0 means "between replies"). */
  get bufferedBytes(): number {
    return this.pendingBytes + this.lines.reduce((n, l) => n + l.length, 0);
  }

  /** Feed bytes; returns the replies completed by them. Throws ReplyProtocolError. */
  push(chunk: Uint8Array): SmtpReply[] {
    const out: SmtpReply[] = [];
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        this.pending.push(buf);
        this.pendingBytes += buf.length;
        if (this.pendingBytes > this.limits.maxLineBytes) {
          throw new ReplyProtocolError('overlong', `server reply line longer than ${this.limits.maxLineBytes} bytes without a line end`);
        }
        return out;
      }
      if (this.pendingBytes + nl > this.limits.maxLineBytes) {
        throw new ReplyProtocolError('overlong', `server reply line longer than ${this.limits.maxLineBytes} bytes`);
      }
      const lineBuf = this.pending.length > 0 ? Buffer.concat([...this.pending, buf.subarray(0, nl)]) : buf.subarray(0, nl);
      this.pending = [];
      this.pendingBytes = 0;
      buf = buf.subarray(nl + 1);
      // Accept CRLF and (leniently) bare LF from servers; we never send bare LF ourselves.
      const end = lineBuf.length > 0 && lineBuf[lineBuf.length - 1] === 0x0d ? lineBuf.length - 1 : lineBuf.length;
      const reply = this.line(lineBuf.toString('utf8', 0, end));
      if (reply) out.push(reply);
      if (buf.length === 0) return out;
    }
  }

  private line(text: string): SmtpReply | null {
    const m = LINE.exec(text);
    if (!m) {
      throw new ReplyProtocolError('garbage', `not an SMTP reply: "${printable(text, 80)}"`);
    }
    const code = Number(m[1]);
    if (this.lines.length > 0 && code !== this.code) {
      throw new ReplyProtocolError('code-mismatch', `multi-line reply changed its code from ${this.code} to ${code}`);
    }
    this.code = code;
    this.lines.push(text);
    if (this.lines.length > this.limits.maxLines) {
      throw new ReplyProtocolError('too-many-lines', `server reply longer than ${this.limits.maxLines} lines`);
    }
    if (m[2] === '-') return null;
    const raw = this.lines;
    this.lines = [];
    return buildReply(code, raw, this.enhanced);
  }
}

function buildReply(code: number, raw: string[], enhanced: boolean): SmtpReply {
  let enhancedCode: string | undefined;
  const lines = raw.map((l) => {
    const text = l.slice(4);
    if (!enhanced) return text;
    const s = splitEnhancedCode(code, text);
    enhancedCode ??= s.enhancedCode;
    return s.text;
  });
  const reply: SmtpReply = { code, lines, message: lines.join('\n'), raw };
  if (enhancedCode) reply.enhancedCode = enhancedCode;
  return reply;
}

/** Parse a complete reply held in one string (tests, tools). */
export function parseReply(text: string, opts: { enhancedStatusCodes?: boolean } = {}): SmtpReply {
  const parser = new ReplyParser(opts);
  const replies = parser.push(Buffer.from(text.endsWith('\n') ? text : `${text}\r\n`, 'utf8'));
  const first = replies[0];
  if (replies.length !== 1 || !first || parser.bufferedBytes !== 0) {
    throw new ReplyProtocolError('garbage', `expected exactly one reply, got ${replies.length}`);
  }
  return first;
}
