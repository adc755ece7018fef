/**
 * The message body on its way to the wire: every line ending becomes CRLF (a bare CR or
 * bare LF never passes — that is how SMTP smuggling works), lines starting with "." are
 * dot-stuffed for DATA (RFC 5321 §4.5.2), and the state carries across chunk boundaries.
 */
import type { Readable } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

export class BodyEncoder {
  private atLineStart = true;
  private pendingCr = false;
  private readonly dotStuff: boolean;
  /** Bytes emitted so far. */
  bytes = 0;

  constructor(opts: { dotStuff: boolean }) {
    this.dotStuff = opts.dotStuff;
  }

  push(chunk: Uint8Array): Buffer {
    // Most bodies (base64 attachments above all) are already clean: pass them on uncopied.
    if (!this.pendingCr && chunk.length > 0) {
      let start = this.atLineStart;
      let clean = true;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i] as number;
        if (b === CR) {
          if (chunk[i + 1] !== LF) { clean = false; break; }
          i++;
          start = true;
          continue;
        }
        if (b === LF || (start && b === DOT && this.dotStuff)) { clean = false; break; }
        start = false;
      }
      if (clean) {
        this.atLineStart = start;
        this.bytes += chunk.length;
        return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    }
    const out = Buffer.allocUnsafe(chunk.length * 2 + 2);
    let o = 0;
    let i = 0;
    if (this.pendingCr && chunk.length > 0) {
      this.pendingCr = false;
      out[o++] = CR;
      out[o++] = LF;
      this.atLineStart = true;
      if (chunk[0] === LF) i = 1;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === CR) {
        if (i + 1 === chunk.length) {
          this.pendingCr = true;
          break;
        }
        out[o++] = CR;
        out[o++] = LF;
        this.atLineStart = true;
        if (chunk[i + 1] === LF) i++;
        continue;
      }
      if (b === LF) {
        out[o++] = CR;
        out[o++] = LF;
        this.atLineStart = true;
        continue;
      }
      if (this.atLineStart) {
        if (b === DOT && this.dotStuff) out[o++] = DOT;
        this.atLineStart = false;
      }
      out[o++] = b;
    }
    this.bytes += o;
    return out.subarray(0, o);
  }

  /** Closes the body: always ends in CRLF; adds the ".\r\n" terminator for DATA. */
  end(): Buffer {
    const tail: number[] = [];
    if (this.pendingCr || !this.atLineStart) tail.push(CR, LF);
    this.pendingCr = false;
    this.atLineStart = true;
    this.bytes += tail.length;
    if (this.dotStuff) tail.push(DOT, CR, LF);
    return Buffer.from(tail);
  }
}

export type BodySource = Readable | AsyncIterable<Uint8Array> | Uint8Array | string;

export function isBuffered(body: BodySource): body is Uint8Array | string {
  return typeof body === 'string' || body instanceof Uint8Array;
}

/** Chunks of a body source (strings are UTF-8). */
export async function* chunksOf(body: BodySource): AsyncGenerator<Uint8Array> {
  if (typeof body === 'string') {
    yield Buffer.from(body, 'utf8');
    return;
  }
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}

/** Whole-body encoding for small buffered messages (CHUNKING path, exact SIZE=). */
export function encodeWhole(body: Uint8Array | string, dotStuff: boolean): Buffer {
  const enc = new BodyEncoder({ dotStuff });
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([enc.push(bytes), enc.end()]);
}

/**
 * Reads up to `limit` bytes of a streamed body. If the stream ends within the limit the
 * whole body is returned as one buffer (so small messages can take the one-round-trip
 * path); otherwise the chunks read so far plus the rest of the iterator are returned.
 */
export async function prefetch(body: BodySource, limit: number): Promise<{ whole: Buffer } | { head: Uint8Array[]; rest: AsyncIterator<Uint8Array> }> {
  if (typeof body === 'string') return { whole: Buffer.from(body, 'utf8') };
  if (body instanceof Uint8Array) return { whole: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  const it = chunksOf(body);
  const head: Uint8Array[] = [];
  let n = 0;
  while (n <= limit) {
    const r = await it.next();
    if (r.done) return { whole: Buffer.concat(head) };
    head.push(r.value);
    n += r.value.length;
  }
  return { head, rest: it };
}
