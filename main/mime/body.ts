/**
 * Body encodings: text as 7bit/8bit/quoted-printable, files as base64 at 76-character lines.
 * Every encoder emits CRLF only. Encoded bodies never end with a line break: the CRLF
 * before a boundary (or the final CRLF of the message) belongs to what follows (RFC 2046).
 */

export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable' | 'base64';

export const BASE64_LINE = 76;
const BASE64_LINE_BYTES = 57;
const MAX_8BIT_LINE = 998;
const QP_LINE = 76;

/** Any line break (CRLF, CR, LF, Unicode separators kept as text) becomes CRLF. */
export const normaliseNewlines = (text: string): string => text.replace(/\r\n|\r|\n/g, '\r\n');

export interface EncodedText {
  encoding: Exclude<TransferEncoding, 'base64'>;
  body: Buffer;
  eightBit: boolean;
}

/**
 * Encodes text (already UTF-8 safe) for a text/* part: 7bit when plain ASCII with short
 * lines, 8bit when the server offers 8BITMIME and every line fits in 998 octets, else
 * quoted-printable.
 */
export function encodeText(text: string, eightBitMime: boolean): EncodedText {
  const crlf = normaliseNewlines(text);
  const bytes = Buffer.from(crlf, 'utf8');
  let ascii = true;
  let longLine = false;
  let nul = false;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b >= 0x80) ascii = false;
    else if (b === 0) nul = true;
    else if (b === 0x0a) {
      if (i - 1 - lineStart > MAX_8BIT_LINE) longLine = true;
      lineStart = i + 1;
    }
  }
  if (bytes.length - lineStart > MAX_8BIT_LINE) longLine = true;
  if (!longLine && !nul) {
    if (ascii) return { encoding: '7bit', body: bytes, eightBit: false };
    if (eightBitMime) return { encoding: '8bit', body: bytes, eightBit: true };
  }
  return { encoding: 'quoted-printable', body: quotedPrintable(bytes), eightBit: false };
}

const HEX = '0123456789ABCDEF';

/**
 * Quoted-printable (RFC 2045 6.7) of CRLF text: lines of at most 76 characters with soft
 * breaks, trailing white space encoded, and "." or "From " at a line start encoded so
 * that neither dot-stuffing slips nor mbox munging can change the text. A UTF-8 sequence
 * is never split across a soft line break.
 */
export function quotedPrintable(bytes: Uint8Array): Buffer {
  const out: string[] = [];
  let line = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b === 0x0d && bytes[i + 1] === 0x0a) {
      out.push(line, '\r\n');
      line = '';
      i += 2;
      continue;
    }
    // One character's worth of bytes (a whole UTF-8 sequence stays together).
    let len = 1;
    if (b >= 0xf0) len = 4;
    else if (b >= 0xe0) len = 3;
    else if (b >= 0xc0) len = 2;
    let piece = '';
    const atLineEnd = (k: number): boolean => k >= n || (bytes[k] === 0x0d && bytes[k + 1] === 0x0a);
    for (let k = i; k < i + len && k < n; k++) {
      const c = bytes[k] ?? 0;
      const literal =
        (c >= 33 && c <= 126 && c !== 61) || ((c === 32 || c === 9) && !atLineEnd(k + 1));
      const atStart = line.length === 0 && piece.length === 0;
      if (literal && !(atStart && (c === 0x2e || (c === 0x46 && startsWithFrom(bytes, k))))) piece += String.fromCharCode(c);
      else piece += '=' + HEX[c >> 4] + HEX[c & 15];
    }
    // Keep room for the soft-break "=" unless this piece ends the line.
    const endsLine = atLineEnd(i + len);
    const limit = endsLine ? QP_LINE : QP_LINE - 1;
    if (line.length + piece.length > limit) {
      out.push(line, '=\r\n');
      line = '';
      // Re-encode the piece for the new line start ("." / "From " rules).
      piece = '';
      for (let k = i; k < i + len && k < n; k++) {
        const c = bytes[k] ?? 0;
        const literal = (c >= 33 && c <= 126 && c !== 61) || ((c === 32 || c === 9) && !atLineEnd(k + 1));
        const atStart = piece.length === 0;
        if (literal && !(atStart && (c === 0x2e || (c === 0x46 && startsWithFrom(bytes, k))))) piece += String.fromCharCode(c);
        else piece += '=' + HEX[c >> 4] + HEX[c & 15];
      }
    }
    line += piece;
    i += len;
  }
  out.push(line);
  return Buffer.from(out.join(''), 'latin1');
}

const startsWithFrom = (b: Uint8Array, k: number): boolean =>
  b[k] === 0x46 && b[k + 1] === 0x72 && b[k + 2] === 0x6f && b[k + 3] === 0x6d && b[k + 4] === 0x20;

/** Exact size of a base64 body for a file of `bytes` bytes: 76-character lines joined by CRLF. */
export function base64Size(bytes: number): number {
  if (bytes === 0) return 0;
  const chars = Math.ceil(bytes / 3) * 4;
  const lines = Math.ceil(chars / BASE64_LINE);
  return chars + 2 * (lines - 1);
}

const EMPTY = Buffer.alloc(0);
/** 57 × 512 bytes in, 38,912 characters out. */
const BASE64_SLICE = BASE64_LINE_BYTES * 512;
const CRLF = 0x0a0d;

/**
 * Streaming base64 with 76-character lines. Input arrives in chunks of any size; whole
 * 57-byte groups are encoded at once with the native encoder and laid out in lines.
 * Memory stays at one chunk.
 */
export class Base64LineEncoder {
  private carry: Buffer = EMPTY;
  private started = false;
  /** Reused for the base64 text of each chunk: one allocation per message, not per chunk. */
  private scratch: Buffer = EMPTY;

  push(chunk: Buffer): Buffer {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const usable = data.length - (data.length % BASE64_LINE_BYTES);
    this.carry = usable < data.length ? Buffer.from(data.subarray(usable)) : EMPTY;
    return usable === 0 ? EMPTY : this.lines(data.subarray(0, usable));
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = EMPTY;
    return rest.length === 0 ? EMPTY : this.lines(rest);
  }

  private lines(bytes: Buffer): Buffer {
    const need = Math.ceil(bytes.length / 3) * 4;
    if (this.scratch.length < need) this.scratch = Buffer.allocUnsafeSlow(need);
    const b64 = this.scratch;
    // Encode in slices whose text stays well below V8's large-object size, so the strings
    // die young (scavenged at once) instead of piling up until a full collection.
    let length = 0;
    for (let s = 0; s < bytes.length; s += BASE64_SLICE) length += b64.write(bytes.subarray(s, Math.min(s + BASE64_SLICE, bytes.length)).toString('base64'), length, 'latin1');
    const count = Math.ceil(length / BASE64_LINE);
    const out = Buffer.allocUnsafe(length + 2 * count - (this.started ? 0 : 2));
    let pos = 0;
    for (let s = 0; s < length; s += BASE64_LINE) {
      if (this.started) {
        out.writeUInt16LE(CRLF, pos);
        pos += 2;
      }
      this.started = true;
      pos += b64.copy(out, pos, s, Math.min(s + BASE64_LINE, length));
    }
    return out;
  }
}

/**
 * Streaming line-ending normaliser for parts sent as they are (7bit/8bit): CRLF, bare CR and
 * bare LF all become CRLF, so the size after normalising is known from one pass, and it notes
 * what decides whether the bytes may travel unencoded at all: 8-bit bytes, NUL, the longest
 * line (RFC 5322: at most 998 octets), and any line that starts with `watch` (a boundary).
 */
export class CrlfNormaliser {
  /** Bytes taken in and given out so far. */
  bytesIn = 0;
  bytesOut = 0;
  eightBit = false;
  nul = false;
  longestLine = 0;
  /** A line began with `watch`. */
  watchSeen = false;
  private lineLength = 0;
  private watchMatching = true;
  private pendingCr = false;

  constructor(private readonly watch: Uint8Array = EMPTY) {}

  push(chunk: Uint8Array): Buffer {
    this.bytesIn += chunk.length;
    // At worst every byte is a bare CR or LF that doubles, plus a CR held back from the last chunk.
    const out = Buffer.allocUnsafe(chunk.length * 2 + 2);
    let pos = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (this.pendingCr) {
        this.pendingCr = false;
        out[pos++] = 0x0d;
        out[pos++] = 0x0a;
        this.endLine();
        if (b === 0x0a) continue;
      }
      if (b === 0x0d) {
        this.pendingCr = true;
        continue;
      }
      if (b === 0x0a) {
        out[pos++] = 0x0d;
        out[pos++] = 0x0a;
        this.endLine();
        continue;
      }
      out[pos++] = b;
      if (b >= 0x80) this.eightBit = true;
      else if (b === 0) this.nul = true;
      if (this.watchMatching && this.watch.length > 0 && this.lineLength < this.watch.length) {
        if (this.watch[this.lineLength] !== b) this.watchMatching = false;
        else if (this.lineLength === this.watch.length - 1) this.watchSeen = true;
      }
      this.lineLength++;
    }
    this.bytesOut += pos;
    return out.subarray(0, pos);
  }

  /** The longest line so far, counting the line still open. */
  get longestSoFar(): number {
    return Math.max(this.longestLine, this.lineLength);
  }

  /** The rest: a CR held back at the very end becomes a line break of its own. */
  end(): Buffer {
    let out = EMPTY;
    if (this.pendingCr) {
      this.pendingCr = false;
      out = Buffer.from('\r\n', 'latin1');
      this.bytesOut += 2;
      this.endLine();
    }
    this.longestLine = Math.max(this.longestLine, this.lineLength);
    return out;
  }

  private endLine(): void {
    this.longestLine = Math.max(this.longestLine, this.lineLength);
    this.lineLength = 0;
    this.watchMatching = true;
  }
}
