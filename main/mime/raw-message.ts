/**
 * A complete RFC 5322 message from outside (the CLI's sendmail mode, `-t`): read only the
 * header section, take the recipients from To/Cc/Bcc, drop the Bcc header, and pass the
 * rest through with every line ending made CRLF — without holding the body in memory.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parseAddressList, type ValidAddress } from '../../shared/address.js';
import { ComposeError, visible } from './errors.js';

/** Header sections larger than this are refused (no real message comes close). */
export const MAX_RAW_HEADER_BYTES = 1024 * 1024;

export interface RawHeaderField {
  name: string;
  /** Unfolded value (continuation lines joined, line breaks removed). */
  value: string;
}

export interface RawMessageInfo {
  /** The From addresses (usually one). */
  from: ValidAddress[];
  sender?: ValidAddress;
  to: ValidAddress[];
  cc: ValidAddress[];
  bcc: ValidAddress[];
  /** To + Cc + Bcc in ASCII form, without duplicates: what `-t` sends to. */
  recipients: string[];
  messageId?: string;
  /** Every header field as read (Bcc included), in order. */
  fields: RawHeaderField[];
  /** A non-ASCII local part appears in a recipient or sender address. */
  needsSmtpUtf8: boolean;
}

export interface RawMessage {
  info: RawMessageInfo;
  /** The message with Bcc removed and CRLF line endings; read it once. */
  stream: Readable;
}

type Source = Readable | AsyncIterable<Uint8Array> | Uint8Array | string;

/**
 * Reads the header section of a message and returns what `-t` needs, plus a stream of the
 * cleaned message. The body is not read until the returned stream is.
 */
export async function readRawMessage(source: Source): Promise<RawMessage> {
  const iterator = toIterator(source);
  let head = Buffer.alloc(0);
  let headerEnd = -1;
  let bodyStart = -1;
  let done = false;
  while (headerEnd < 0) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head = Buffer.concat([head, Buffer.from(next.value)]);
    const found = findHeaderEnd(head);
    if (found) [headerEnd, bodyStart] = found;
    else if (head.length > MAX_RAW_HEADER_BYTES) {
      throw new ComposeError('compose.invalidMessage', { reason: 'headerTooLarge', max: MAX_RAW_HEADER_BYTES }, 'the message header section is larger than 1 MiB');
    }
  }
  if (headerEnd < 0) {
    // No blank line: the whole input is the header section, the body is empty.
    headerEnd = head.length;
    bodyStart = head.length;
  }
  const headerText = head.subarray(0, headerEnd).toString('utf8');
  const fields = parseHeaderFields(headerText);
  const info = recipientsFromFields(fields);

  const cleanedHeader = fields
    .filter((f) => !/^(bcc|resent-bcc)$/i.test(f.name))
    .map((f) => f.raw.replace(/\r\n|\r|\n/g, '\r\n'))
    .join('');
  const rest = head.subarray(bodyStart);
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(cleanedHeader + '\r\n', 'utf8');
    if (rest.length > 0) yield rest;
    if (!done) {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        yield Buffer.from(next.value);
      }
    }
  }
  const stream = Readable.from(body(), { objectMode: false }).pipe(new CrlfNormalizer());
  return { info: { ...info, fields: fields.map(({ name, value }) => ({ name, value })) }, stream };
}

/** Where the header section ends: [end of last header line incl. its break, start of body]. */
function findHeaderEnd(buf: Buffer): [number, number] | null {
  // A message that starts with an empty line has no header fields.
  if (buf[0] === 0x0a) return [0, 1];
  if (buf[0] === 0x0d && buf[1] === 0x0a) return [0, 2];
  for (let i = buf.indexOf(0x0a); i >= 0 && i < buf.length; i = buf.indexOf(0x0a, i + 1)) {
    if (buf[i + 1] === 0x0a) return [i + 1, i + 2];
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return [i + 1, i + 3];
    if (buf[i + 1] === undefined || (buf[i + 1] === 0x0d && buf[i + 2] === undefined)) return null; // need more input
  }
  return null;
}

interface RawField extends RawHeaderField {
  raw: string;
}

/** Splits a header section into fields; continuation lines belong to the field before. */
export function parseHeaderFields(headerText: string): RawField[] {
  const lines = headerText.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  const fields: RawField[] = [];
  for (const line of lines) {
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last.raw += line + '\r\n';
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon).trimEnd())) {
      if (/^From /.test(line) && fields.length === 0) continue; // mbox "From " line: not a header
      throw new ComposeError('compose.invalidMessage', { reason: 'badHeaderLine', line: visible(line) }, `not a header line: ${visible(line)}`);
    }
    fields.push({ name: line.slice(0, colon).trimEnd(), value: line.slice(colon + 1).trim(), raw: line + '\r\n' });
  }
  for (const f of fields) f.value = f.value.trim();
  return fields;
}

function recipientsFromFields(fields: RawField[]): Omit<RawMessageInfo, 'fields'> {
  const pick = (name: string): ValidAddress[] => {
    const out: ValidAddress[] = [];
    for (const f of fields) {
      if (f.name.toLowerCase() !== name) continue;
      const list = parseAddressList(decodeEncodedWordsLoosely(f.value));
      const bad = list.issues[0];
      if (bad) {
        throw new ComposeError('compose.invalidAddress', { field: f.name, address: bad.params.address, reason: bad.key }, `invalid address in ${f.name}: ${bad.params.address} (${bad.key})`);
      }
      for (const m of list.mailboxes) if (m.valid) out.push(m.valid);
    }
    return out;
  };
  const from = pick('from');
  const senderList = pick('sender');
  const to = pick('to');
  const cc = pick('cc');
  const bcc = pick('bcc');
  const recipients: string[] = [];
  const seen = new Set<string>();
  for (const a of [...to, ...cc, ...bcc]) {
    const key = a.ascii.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      recipients.push(a.ascii);
    }
  }
  const messageId = fields.find((f) => f.name.toLowerCase() === 'message-id')?.value;
  const info: Omit<RawMessageInfo, 'fields'> = {
    from,
    to,
    cc,
    bcc,
    recipients,
    needsSmtpUtf8: [...from, ...senderList, ...to, ...cc, ...bcc].some((a) => a.needsSmtpUtf8),
  };
  if (senderList[0]) info.sender = senderList[0];
  if (messageId) info.messageId = messageId;
  return info;
}

/**
 * Display names may be encoded words containing "," or "<" once decoded; for finding the
 * addresses it is enough to turn each encoded word into a harmless quoted placeholder.
 */
function decodeEncodedWordsLoosely(value: string): string {
  return value.replace(/=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/g, '"x"').replace(/"x"(\s+"x")+/g, '"x"');
}

/**
 * Turns CRLF, bare LF and bare CR into CRLF, across chunk boundaries, and makes sure the
 * message ends with CRLF.
 */
export class CrlfNormalizer extends Transform {
  private lastWasCr = false;
  private lastByte = -1;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length * 2 + 1);
    let o = 0;
    let i = 0;
    if (this.lastWasCr && chunk[0] === 0x0a) i = 1; // the LF of a CRLF split across chunks
    this.lastWasCr = false;
    for (; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (b === 0x0d) {
        out[o++] = 0x0d;
        out[o++] = 0x0a;
        if (chunk[i + 1] === 0x0a) i++;
        else if (i === chunk.length - 1) this.lastWasCr = true;
      } else if (b === 0x0a) {
        out[o++] = 0x0d;
        out[o++] = 0x0a;
      } else out[o++] = b;
    }
    if (o > 0) this.lastByte = out[o - 1] ?? -1;
    cb(null, out.subarray(0, o));
  }

  override _flush(cb: TransformCallback): void {
    cb(null, this.lastByte === 0x0a ? null : Buffer.from('\r\n'));
  }
}

function toIterator(source: Source): AsyncIterator<Uint8Array> {
  if (typeof source === 'string') return single(Buffer.from(source, 'utf8'));
  if (source instanceof Uint8Array) return single(source);
  return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

function single(b: Uint8Array): AsyncIterator<Uint8Array> {
  let sent = false;
  return {
    next: async () => {
      if (sent) return { done: true, value: undefined };
      sent = true;
      return { done: false, value: b };
    },
  };
}
