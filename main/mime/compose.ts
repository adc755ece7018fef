/**
 * composeMessage: what a person composed → the bytes that go over SMTP.
 *
 * All checking and all header work happens up front, so a bad draft fails before any
 * connection with a structured error. The message is laid out as a list of segments
 * (ready bytes, or "this file, base64-encoded"), which gives the exact size from file
 * stats alone; stream() then walks the segments, reading each attachment once, with
 * back-pressure, in chunks.
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { parseAddressList, validateAddress, type ValidAddress } from '../../shared/address.js';
import {
  MAX_ATTACHMENTS,
  MAX_RECIPIENTS,
  MessageDraftSchema,
  type GroupInput,
  type MailboxInput,
  type MessageDraft,
  type MessageDraftInput,
  type RecipientsInput,
} from '../../shared/message.js';
import { Base64LineEncoder, CrlfNormaliser, base64Size, encodeText, type TransferEncoding } from './body.js';
import { DEFAULT_CONTENT_TYPE, contentTypeForName } from './content-types.js';
import { ComposeError, assertHeaderSafe, visible } from './errors.js';
import {
  HARD_LINE_LIMIT,
  firstLineRoom,
  foldHeader,
  formatDate,
  legacyNameAtoms,
  phraseAtoms,
  rfc2231Atoms,
  unstructuredAtoms,
  wellFormed,
  withSemicolons,
} from './header.js';
import { htmlToText } from './html-to-text.js';

export interface ComposeOptions {
  /** The server offers 8BITMIME: text may go as 8bit. */
  eightBitMime: boolean;
  /** The server offers SMTPUTF8: non-ASCII local parts may be used. */
  smtpUtf8: boolean;
  /** Date header; default now. */
  now?: Date;
  /** Right-hand side of the generated Message-ID; default the sender's domain. */
  messageIdDomain?: string;
  /** Reuse a Message-ID (a retry of the same message must keep it). With or without <>. */
  messageId?: string;
  /** Makes boundaries reproducible (tests); default random. */
  boundarySeed?: string;
  /** The account's own address when it differs from From: written as Sender. */
  sender?: MailboxInput;
  /** Reverse path for MAIL FROM; default Sender, else From. */
  envelopeFrom?: string;
}

export interface ComposedHeaders {
  from: string;
  sender?: string;
  to: string[];
  cc: string[];
  replyTo: string[];
  subject: string;
  date: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

export interface ComposedMessage {
  /** Bcc recipients are here only. Domains in punycode. */
  envelope: { from: string; to: string[] };
  messageId: string;
  headers: ComposedHeaders;
  /** Exact byte count of what stream() produces. */
  size: number;
  requires: { eightBit: boolean; smtpUtf8: boolean };
  /** A fresh stream of the message bytes on every call (attachments are re-read). */
  stream(): Readable;
}

interface FileSegment {
  path: string;
  /** The file's size on disk. */
  size: number;
  /** Bytes it becomes in the message. */
  wireSize: number;
  /** base64, or as it is with line endings made CRLF (message/rfc822, checked up front). */
  encoding: 'base64' | 'crlf';
  /** For 'crlf': 8-bit bytes may go (8BITMIME), and the boundary prefix that must not start a line. */
  allowEightBit?: boolean;
  boundaryLine?: Buffer;
  label: string;
  name: string;
}
type Segment = Buffer | FileSegment;

interface ResolvedMailbox {
  name?: string;
  valid: ValidAddress;
}
interface ResolvedGroup {
  group: string;
  members: ResolvedMailbox[];
}
type Resolved = ResolvedMailbox | ResolvedGroup;

const RESERVED_HEADERS = new Set([
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version', 'in-reply-to',
  'references', 'disposition-notification-to', 'importance', 'priority', 'x-priority', 'return-path', 'received',
  'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'content-length',
]);

/** Validates the draft's shape (zod) and composes it. */
export async function composeMessage(draftInput: MessageDraftInput, options: ComposeOptions): Promise<ComposedMessage> {
  const parsed = MessageDraftSchema.safeParse(draftInput);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first ? first.path.join('.') : '';
    const { messageKey, params } = draftProblem(first);
    // field and reason (zod's English) stay in the params and the technical message for logs;
    // the words people read come from messageKey, in their language.
    throw new ComposeError('compose.invalidDraft', { field, reason: first?.message ?? 'invalid', ...params }, `invalid draft at ${field}: ${first?.message ?? ''}`, messageKey);
  }
  return composeValidated(parsed.data, options);
}

interface DraftIssue {
  code: string;
  path: PropertyKey[];
  maximum?: unknown;
}

/** The part of the draft a schema failure concerns, as a catalogue key people can read. */
function draftProblem(issue: DraftIssue | undefined): { messageKey: string; params: Record<string, string | number> } {
  const [top, index, leaf] = issue?.path ?? [];
  const tooBig = issue?.code === 'too_big';
  const position = typeof index === 'number' ? index + 1 : undefined;
  switch (top) {
    case 'subject':
      if (tooBig && typeof issue?.maximum === 'number') return { messageKey: 'err.compose.invalidDraft.subject', params: { limit: issue.maximum } };
      break;
    case 'text': case 'html':
      if (tooBig) return { messageKey: 'err.compose.invalidDraft.text', params: {} };
      break;
    case 'from':
      return { messageKey: 'err.compose.invalidDraft.sender', params: {} };
    case 'to': case 'cc': case 'bcc': case 'replyTo':
      return { messageKey: 'err.compose.invalidDraft.recipients', params: { limit: MAX_RECIPIENTS } };
    case 'attachments':
      if (position === undefined) return { messageKey: 'err.compose.invalidDraft.attachments', params: { limit: MAX_ATTACHMENTS } };
      return { messageKey: leaf === 'contentType' ? 'err.compose.invalidDraft.attachmentType' : 'err.compose.invalidDraft.attachment', params: { position } };
    case 'inlineImages':
      if (position === undefined) return { messageKey: 'err.compose.invalidDraft.attachments', params: { limit: MAX_ATTACHMENTS } };
      return { messageKey: 'err.compose.invalidDraft.inlineImage', params: { position } };
    case 'customHeaders':
      return { messageKey: 'err.compose.invalidDraft.customHeaders', params: {} };
    case 'inReplyTo': case 'references':
      return { messageKey: 'err.compose.invalidDraft.references', params: {} };
    default:
      break;
  }
  return { messageKey: 'err.compose.invalidDraft', params: {} };
}

async function composeValidated(draft: MessageDraft, options: ComposeOptions): Promise<ComposedMessage> {
  let needsSmtpUtf8 = false;
  const useUtf8Local = (v: ValidAddress, field: string): void => {
    if (!v.needsSmtpUtf8) return;
    needsSmtpUtf8 = true;
    if (!options.smtpUtf8) {
      throw new ComposeError(
        'compose.smtpUtf8Required',
        { field, address: v.address },
        `${v.address} has a non-ASCII local part; the server does not offer SMTPUTF8`,
      );
    }
  };

  // --- addresses ---------------------------------------------------------------------
  const from = resolveMailbox(draft.from, 'from');
  useUtf8Local(from.valid, 'from');
  const sender = options.sender ? resolveMailbox(options.sender, 'sender') : undefined;
  if (sender) useUtf8Local(sender.valid, 'sender');
  const to = resolveRecipients(draft.to, 'to');
  const cc = resolveRecipients(draft.cc, 'cc');
  const bcc = resolveRecipients(draft.bcc, 'bcc');
  const replyTo = draft.replyTo === undefined ? [] : resolveRecipients(draft.replyTo, 'replyTo');
  for (const [field, list] of [['to', to], ['cc', cc], ['bcc', bcc], ['replyTo', replyTo]] as const) {
    for (const m of flatten(list)) useUtf8Local(m.valid, field);
  }

  const envelopeTo: string[] = [];
  const seen = new Set<string>();
  for (const m of [...flatten(to), ...flatten(cc), ...flatten(bcc)]) {
    const key = m.valid.ascii.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    envelopeTo.push(m.valid.ascii);
  }
  if (envelopeTo.length === 0) throw new ComposeError('compose.noRecipients', {}, 'the message has no recipients');

  let envelopeFrom = (sender ?? from).valid.ascii;
  if (options.envelopeFrom !== undefined) {
    assertHeaderSafe('envelopeFrom', options.envelopeFrom);
    if (options.envelopeFrom === '') envelopeFrom = '';
    else {
      const v = validateAddress(options.envelopeFrom);
      if (!v.ok) throw invalidAddress('envelopeFrom', v.issue.params.address, v.issue.key, v.issue.params.reason);
      useUtf8Local(v.value, 'envelopeFrom');
      envelopeFrom = v.value.ascii;
    }
  }

  // --- other header values -----------------------------------------------------------
  assertHeaderSafe('subject', draft.subject);
  const subject = wellFormed(draft.subject);
  const now = options.now ?? new Date();
  // The Message-ID's right side is a domain the sending account speaks for: Sender if set, else From.
  const idDomain = options.messageIdDomain ?? (sender ?? from).valid.asciiDomain;
  assertHeaderSafe('messageIdDomain', idDomain);
  const messageId = options.messageId !== undefined ? normaliseMessageId(options.messageId, 'messageId') : `<${now.getTime().toString(36)}.${randomBytes(12).toString('hex')}@${idDomain}>`;
  if (!/^<[^<>@\s]+@[^<>@\s]+>$/.test(messageId)) throw new ComposeError('compose.invalidMessageId', { field: 'messageIdDomain', value: visible(idDomain) }, 'invalid Message-ID domain', 'err.compose.invalidMessageId.own');
  const inReplyTo = draft.inReplyTo !== undefined ? normaliseMessageId(draft.inReplyTo, 'inReplyTo') : undefined;
  const references = draft.references?.map((r) => normaliseMessageId(r, 'references'));
  if (inReplyTo && references && !references.includes(inReplyTo)) references.push(inReplyTo);
  const custom = (draft.customHeaders ?? []).map((h) => {
    assertHeaderSafe(`header ${h.name}`, h.name);
    assertHeaderSafe(h.name, h.value);
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(h.name)) throw new ComposeError('compose.invalidHeaderName', { name: visible(h.name) }, `"${visible(h.name)}" is not a valid header name`);
    if (RESERVED_HEADERS.has(h.name.toLowerCase())) throw new ComposeError('compose.reservedHeader', { name: h.name }, `${h.name} is set by the composer`);
    return h;
  });

  // Boundaries start with this; a message/rfc822 attachment sent as it is must not contain it.
  const seed = options.boundarySeed ?? randomBytes(12).toString('hex');
  const boundaryPrefix = `----=_Postbote_${seed}_`;

  // --- files (stat once; the size is exact and the bytes are read only when streaming,
  // except a forwarded message or a small text file, which are checked up front) ---
  const plan = (f: StatFile): Promise<PlannedFile> => planFile(f, options.eightBitMime, Buffer.from(`--${boundaryPrefix}`, 'latin1'));
  const attachments = await Promise.all(draft.attachments.map(async (a, k) => plan(await statFile(a.path, a.name, a.contentType, `attachments.${k}`))));
  const inline = await Promise.all(
    draft.inlineImages.map(async (img, k) => {
      assertHeaderSafe('contentId', img.contentId);
      const cid = img.contentId.replace(/^<|>$/g, '');
      if (!/^[\x21-\x7e]+$/.test(cid) || /[<>\s]/.test(cid)) throw new ComposeError('compose.invalidContentId', { field: `inlineImages.${k}.contentId`, value: visible(cid) }, 'invalid Content-ID');
      return { ...(await plan(await statFile(img.path, img.name, img.contentType, `inlineImages.${k}`))), cid };
    }),
  );

  // --- header block ------------------------------------------------------------------
  const utf8Headers = options.smtpUtf8;
  let headerBlock = '';
  headerBlock += foldHeader('From', mailboxAtoms([from], firstLineRoom('From')));
  if (sender && sender.valid.ascii.toLowerCase() !== from.valid.ascii.toLowerCase()) headerBlock += foldHeader('Sender', mailboxAtoms([sender], firstLineRoom('Sender')));
  if (to.length > 0) headerBlock += foldHeader('To', mailboxAtoms(to, firstLineRoom('To')));
  if (cc.length > 0) headerBlock += foldHeader('Cc', mailboxAtoms(cc, firstLineRoom('Cc')));
  if (replyTo.length > 0) headerBlock += foldHeader('Reply-To', mailboxAtoms(replyTo, firstLineRoom('Reply-To')));
  headerBlock += foldHeader('Subject', unstructuredAtoms(subject, firstLineRoom('Subject')));
  headerBlock += foldHeader('Date', [formatDate(now)]);
  headerBlock += foldHeader('Message-ID', [messageId]);
  if (inReplyTo) headerBlock += foldHeader('In-Reply-To', [inReplyTo]);
  if (references && references.length > 0) headerBlock += foldHeader('References', references);
  if (draft.readReceipt) headerBlock += foldHeader('Disposition-Notification-To', mailboxAtoms([from], firstLineRoom('Disposition-Notification-To')));
  if (draft.importance) {
    const imp = { high: ['High', 'urgent', '1 (Highest)'], normal: ['Normal', 'normal', '3 (Normal)'], low: ['Low', 'non-urgent', '5 (Lowest)'] }[draft.importance];
    headerBlock += `Importance: ${imp[0]}\r\nPriority: ${imp[1]}\r\nX-Priority: ${imp[2]}\r\n`;
  }
  for (const h of custom) headerBlock += foldHeader(h.name, unstructuredAtoms(wellFormed(h.value), firstLineRoom(h.name)));
  headerBlock += 'MIME-Version: 1.0\r\n';

  // --- body tree -----------------------------------------------------------------------
  let boundaryCount = 0;
  const nextBoundary = (): string => `${boundaryPrefix}${(boundaryCount++).toString(36)}`;
  let eightBit = [...attachments, ...inline].some((f) => f.encoding === '8bit');
  const textLeaf = (subtype: 'plain' | 'html', text: string): Leaf => {
    const enc = encodeText(wellFormed(text), options.eightBitMime);
    if (enc.eightBit) eightBit = true;
    return {
      kind: 'leaf',
      headers: `Content-Type: text/${subtype}; charset=utf-8\r\nContent-Transfer-Encoding: ${enc.encoding}\r\n`,
      body: [enc.body],
      literal: enc.encoding !== 'quoted-printable',
    };
  };
  const fileLeaf = (f: PlannedFile, disposition: 'attachment' | 'inline', cid?: string): Leaf => {
    const charset = f.charset ? [[`charset=${f.charset}`]] : [];
    let headers = foldHeader('Content-Type', withSemicolons([[f.contentType], ...charset, legacyNameAtoms('name', f.name)]));
    headers += `Content-Transfer-Encoding: ${f.encoding}\r\n`;
    headers += foldHeader('Content-Disposition', withSemicolons([[disposition], rfc2231Atoms('filename', f.name)]));
    if (cid !== undefined) headers += `Content-ID: <${cid}>\r\n`;
    const segment: FileSegment = f.encoding === 'base64'
      ? { path: f.path, size: f.size, wireSize: base64Size(f.size), encoding: 'base64', label: f.field, name: f.name }
      : { path: f.path, size: f.size, wireSize: f.wireSize, encoding: 'crlf', allowEightBit: f.encoding === '8bit', boundaryLine: f.boundaryLine, label: f.field, name: f.name };
    return { kind: 'leaf', headers, body: f.size === 0 ? [] : [segment], literal: false };
  };

  let body: Node;
  const hasHtml = draft.html !== undefined && draft.html.length > 0;
  if (hasHtml) {
    const html = draft.html ?? '';
    const plain = draft.text !== undefined && draft.text.length > 0 ? draft.text : htmlToText(html);
    let htmlNode: Node = textLeaf('html', html);
    if (inline.length > 0) {
      htmlNode = { kind: 'multipart', subtype: 'related; type="text/html"', boundary: nextBoundary(), children: [htmlNode, ...inline.map((img) => fileLeaf(img, 'inline', img.cid))] };
    }
    body = { kind: 'multipart', subtype: 'alternative', boundary: nextBoundary(), children: [textLeaf('plain', plain), htmlNode] };
  } else {
    body = textLeaf('plain', draft.text ?? '');
  }
  // Inline images without HTML to place them in travel as ordinary (inline) attachments.
  const files = [...(hasHtml ? [] : inline.map((img) => fileLeaf(img, 'inline', img.cid))), ...attachments.map((a) => fileLeaf(a, 'attachment'))];
  if (files.length > 0) body = { kind: 'multipart', subtype: 'mixed', boundary: nextBoundary(), children: [body, ...files] };

  // A literal (7bit/8bit) text must never contain a boundary line; re-seed if it does.
  ensureBoundariesAbsent(body);

  const segments: Segment[] = [];
  const push = (s: Segment): void => {
    const last = segments[segments.length - 1];
    if (Buffer.isBuffer(s) && Buffer.isBuffer(last)) segments[segments.length - 1] = Buffer.concat([last, s]);
    else if (!Buffer.isBuffer(s) || s.length > 0) segments.push(s);
  };
  push(Buffer.from(headerBlock, 'utf8'));
  layout(body, push);
  push(Buffer.from('\r\n', 'latin1'));

  for (const line of headerBlock.split('\r\n')) {
    if (Buffer.byteLength(line) > HARD_LINE_LIMIT) {
      const name = line.slice(0, line.indexOf(':'));
      throw new ComposeError('compose.invalidHeader', { name }, 'header line longer than 998 octets');
    }
  }

  const size = segments.reduce((n, s) => n + (Buffer.isBuffer(s) ? s.length : s.wireSize), 0);
  const display = (m: Resolved): string => ('group' in m ? `${m.group}: ${m.members.map((x) => x.valid.address).join(', ')};` : m.name ? `${m.name} <${m.valid.address}>` : m.valid.address);
  const headers: ComposedHeaders = {
    from: display(from),
    to: to.map(display),
    cc: cc.map(display),
    replyTo: replyTo.map(display),
    subject,
    date: formatDate(now),
    messageId,
  };
  if (sender) headers.sender = display(sender);
  if (inReplyTo) headers.inReplyTo = inReplyTo;
  if (references) headers.references = references;

  return {
    envelope: { from: envelopeFrom, to: envelopeTo },
    messageId,
    headers,
    size,
    requires: { eightBit: eightBit || (needsSmtpUtf8 && utf8Headers), smtpUtf8: needsSmtpUtf8 },
    stream: () => Readable.from(generate(segments), { objectMode: false, highWaterMark: 64 * 1024 }),
  };
}

// ---------------------------------------------------------------------------------------
// Tree and layout

interface Leaf {
  kind: 'leaf';
  headers: string;
  body: Segment[];
  /** Body bytes are written as they are (7bit/8bit): boundaries must be checked against them. */
  literal: boolean;
}
interface Multipart {
  kind: 'multipart';
  subtype: string;
  boundary: string;
  children: Node[];
}
type Node = Leaf | Multipart;

function layout(node: Node, push: (s: Segment) => void): void {
  if (node.kind === 'leaf') {
    push(Buffer.from(node.headers + '\r\n', 'utf8'));
    for (const s of node.body) push(s);
    return;
  }
  push(Buffer.from(foldHeader('Content-Type', [`multipart/${node.subtype};`, `boundary="${node.boundary}"`]) + '\r\n', 'latin1'));
  for (const child of node.children) {
    push(Buffer.from(`--${node.boundary}\r\n`, 'latin1'));
    layout(child, push);
    push(Buffer.from('\r\n', 'latin1'));
  }
  push(Buffer.from(`--${node.boundary}--`, 'latin1'));
}

function ensureBoundariesAbsent(root: Node): void {
  const literals: Buffer[] = [];
  const multiparts: Multipart[] = [];
  const walk = (n: Node): void => {
    if (n.kind === 'leaf') {
      if (n.literal) for (const s of n.body) if (Buffer.isBuffer(s)) literals.push(s);
    } else {
      multiparts.push(n);
      n.children.forEach(walk);
    }
  };
  walk(root);
  for (const mp of multiparts) {
    while (literals.some((b) => b.includes(`--${mp.boundary}`))) mp.boundary = `${mp.boundary}_${randomBytes(6).toString('hex')}`;
  }
}

async function* generate(segments: Segment[]): AsyncGenerator<Buffer> {
  for (const s of segments) {
    if (Buffer.isBuffer(s)) yield s;
    else if (s.encoding === 'base64') yield* base64File(s);
    else yield* crlfFile(s);
  }
}

/** Bytes read per step: a multiple of 57, so every chunk is whole base64 lines. */
const READ_CHUNK = 57 * 4096;

/**
 * Reads a file once, into one reused buffer (so memory does not depend on the file size
 * and little garbage is made), and yields base64 lines. A file whose size differs from
 * the size the message was laid out with fails the stream rather than send a wrong message.
 */
async function* base64File(f: FileSegment): AsyncGenerator<Buffer> {
  const encoder = new Base64LineEncoder();
  let read = 0;
  const changed = (): ComposeError => changedWhileSending(f, read);
  const handle = await openAttachment(f.path, f.label, f.name);
  try {
    const buf = Buffer.allocUnsafeSlow(READ_CHUNK);
    for (;;) {
      // Fill the buffer completely (short reads would misalign lines and cost a copy).
      let filled = 0;
      while (filled < READ_CHUNK) {
        const { bytesRead } = await handle.read(buf, filled, READ_CHUNK - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) break;
      read += filled;
      if (read > f.size) throw changed();
      const out = encoder.push(buf.subarray(0, filled));
      if (out.length > 0) yield out;
      if (filled < READ_CHUNK) break;
    }
  } finally {
    await handle.close();
  }
  if (read !== f.size) throw changed();
  const tail = encoder.end();
  if (tail.length > 0) yield tail;
}

function changedWhileSending(f: FileSegment, read: number): ComposeError {
  return new ComposeError('compose.attachmentChanged', { field: f.label, path: f.path, name: f.name, expected: f.size, actual: read }, `${f.path} changed while the message was being sent`);
}

async function openAttachment(path: string, field: string, name: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
    throw new ComposeError('compose.attachmentNotFound', { field, path, name, systemCode: code }, `cannot read attachment ${path} (${code})`);
  }
}

/** Bytes read per step for the files sent as they are. */
const LITERAL_CHUNK = 64 * 1024;

/** Reads a file in chunks into a CrlfNormaliser, handing each normalised chunk to `each`. */
async function normaliseFile(path: string, field: string, name: string, normaliser: CrlfNormaliser, each: (out: Buffer) => void | Promise<void>): Promise<void> {
  const handle = await openAttachment(path, field, name);
  try {
    const buf = Buffer.allocUnsafe(LITERAL_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, LITERAL_CHUNK, null);
      if (bytesRead === 0) break;
      await each(normaliser.push(buf.subarray(0, bytesRead)));
    }
  } finally {
    await handle.close();
  }
}

/**
 * A message/rfc822 attachment as it is (RFC 2046 §5.2.1 allows only 7bit, 8bit or binary),
 * line endings made CRLF. It was checked up front; a file that no longer passes those checks
 * (other size, 8-bit bytes, a long line, NUL, a boundary line) fails the stream instead.
 */
async function* crlfFile(f: FileSegment): AsyncGenerator<Buffer> {
  const normaliser = new CrlfNormaliser(f.boundaryLine);
  const stillFits = (): boolean =>
    normaliser.bytesIn <= f.size && normaliser.bytesOut <= f.wireSize && !normaliser.nul && !normaliser.watchSeen
    && normaliser.longestSoFar <= HARD_LINE_LIMIT && (f.allowEightBit === true || !normaliser.eightBit);
  const handle = await openAttachment(f.path, f.label, f.name);
  try {
    const buf = Buffer.allocUnsafeSlow(LITERAL_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, LITERAL_CHUNK, null);
      if (bytesRead === 0) break;
      const out = normaliser.push(buf.subarray(0, bytesRead));
      if (!stillFits()) throw changedWhileSending(f, normaliser.bytesIn);
      if (out.length > 0) yield out;
    }
  } finally {
    await handle.close();
  }
  const tail = normaliser.end();
  if (!stillFits() || normaliser.bytesIn !== f.size || normaliser.bytesOut !== f.wireSize) throw changedWhileSending(f, normaliser.bytesIn);
  if (tail.length > 0) yield tail;
}

// ---------------------------------------------------------------------------------------
// Addresses

function invalidAddress(field: string, address: string, reason: string, detail?: string): ComposeError {
  const params: Record<string, string> = { field, address: visible(address), reason };
  if (detail !== undefined) params.detail = detail;
  return new ComposeError('compose.invalidAddress', params, `invalid address in ${field}: ${visible(address)} (${reason}${detail ? `: ${detail}` : ''})`);
}

function resolveMailbox(m: MailboxInput, field: string): ResolvedMailbox {
  if (m.name !== undefined) assertHeaderSafe(`${field} name`, m.name);
  assertHeaderSafe(field, m.address);
  const v = validateAddress(m.address.replace(/^\s*<|>\s*$/g, ''));
  if (!v.ok) throw invalidAddress(field, m.address, v.issue.key, v.issue.params.reason);
  const name = m.name === undefined ? undefined : wellFormed(m.name.trim());
  return name ? { name, valid: v.value } : { valid: v.value };
}

function resolveRecipients(input: RecipientsInput, field: string): Resolved[] {
  const items = typeof input === 'string' ? [input] : input;
  const out: Resolved[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      assertHeaderSafe(field, item);
      if (item.trim().length === 0) continue;
      const list = parseAddressList(item);
      const bad = list.issues[0];
      if (bad) throw invalidAddress(field, bad.params.address, bad.key, bad.params.reason);
      for (const e of list.entries) {
        if (e.kind === 'mailbox') out.push(toResolved(e.name, e.valid));
        else out.push({ group: e.name, members: e.members.map((m) => toResolved(m.name, m.valid)) });
      }
    } else if ('group' in item) {
      const g = item as GroupInput;
      assertHeaderSafe(`${field} group`, g.group);
      out.push({ group: wellFormed(g.group), members: g.members.map((m) => resolveMailbox(m, field)) });
    } else out.push(resolveMailbox(item, field));
  }
  return out;
}

function toResolved(name: string | undefined, valid: ValidAddress | undefined): ResolvedMailbox {
  if (!valid) throw new ComposeError('compose.invalidAddress', { reason: 'address.empty' }, 'invalid address');
  return name ? { name: wellFormed(name), valid } : { valid };
}

function flatten(list: Resolved[]): ResolvedMailbox[] {
  return list.flatMap((r) => ('group' in r ? r.members : [r]));
}

/** "Name <addr>, Group: a, b;" as foldable atoms. Domains always in punycode. */
function mailboxAtoms(list: Resolved[], firstMax: number): string[] {
  const atoms: string[] = [];
  const room = (): number | undefined => (atoms.length === 0 ? firstMax : undefined);
  const one = (m: ResolvedMailbox, max: number | undefined): string[] => {
    const addr = `<${m.valid.ascii}>`;
    return m.name ? [...phraseAtoms(m.name, max), addr] : [addr];
  };
  list.forEach((r, k) => {
    let piece: string[];
    if ('group' in r) {
      const name = phraseAtoms(r.group, room());
      const head = name.length === 0 ? ['""'] : name;
      const encoded = head.some((a) => a.startsWith('=?'));
      piece = encoded ? [...head, ':'] : [...head.slice(0, -1), `${head[head.length - 1] ?? ''}:`];
      r.members.forEach((m, i) => {
        const p = one(m, undefined);
        if (i < r.members.length - 1) p[p.length - 1] += ',';
        piece.push(...p);
      });
      piece[piece.length - 1] += ';';
    } else piece = one(r, room());
    if (k < list.length - 1) piece[piece.length - 1] += ',';
    atoms.push(...piece);
  });
  return atoms;
}

function normaliseMessageId(raw: string, field: string): string {
  assertHeaderSafe(field, raw);
  const id = raw.trim().replace(/^<|>$/g, '');
  if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(id) || /[<>\s]/.test(id) || id.split('@').length !== 2)
    throw new ComposeError('compose.invalidMessageId', { field, value: visible(raw) }, `"${visible(raw)}" is not a Message-ID`);
  return `<${id}>`;
}

interface StatFile {
  path: string;
  name: string;
  contentType: string;
  size: number;
  field: string;
}

/** How a file travels: its final content type and transfer encoding, and its size on the wire. */
interface PlannedFile extends StatFile {
  encoding: 'base64' | '7bit' | '8bit';
  charset?: 'utf-8';
  /** For 7bit/8bit: the bytes after CRLF normalisation. */
  wireSize: number;
  boundaryLine?: Buffer;
}

/**
 * Text files up to this size are read once up front to learn whether they are UTF-8 (then they
 * are labelled charset=utf-8); larger ones go without a charset rather than be read twice.
 */
const TEXT_CHARSET_CHECK_LIMIT = 4 * 1024 * 1024;

/**
 * Decides how a file travels. message/rfc822 must not be base64-encoded (RFC 2046 §5.2.1;
 * Python's email then loses the file name), so it goes as 7bit or 8bit, line endings made
 * CRLF, when its bytes allow that; otherwise, and for any other message/* or multipart/*
 * type a caller names (their encoding rules and inner structure are not ours to vouch for),
 * it goes as application/octet-stream in base64: the file name still tells the recipient's
 * program what it is.
 */
async function planFile(f: StatFile, eightBitMime: boolean, boundaryLine: Buffer): Promise<PlannedFile> {
  const type = f.contentType.toLowerCase();
  const opaque: PlannedFile = { ...f, contentType: DEFAULT_CONTENT_TYPE, encoding: 'base64', wireSize: base64Size(f.size) };
  if (type === 'message/rfc822') {
    const scan = new CrlfNormaliser(boundaryLine);
    await normaliseFile(f.path, f.field, f.name, scan, () => undefined);
    scan.end();
    if (scan.bytesIn !== f.size) throw new ComposeError('compose.attachmentChanged', { field: f.field, path: f.path, name: f.name, expected: f.size, actual: scan.bytesIn }, `${f.path} changed while it was being read`);
    const literal = !scan.nul && !scan.watchSeen && scan.longestLine <= HARD_LINE_LIMIT && (!scan.eightBit || eightBitMime);
    if (!literal) return opaque;
    return { ...f, contentType: 'message/rfc822', encoding: scan.eightBit ? '8bit' : '7bit', wireSize: scan.bytesOut, boundaryLine };
  }
  if (type.startsWith('message/') || type.startsWith('multipart/')) return opaque;
  const planned: PlannedFile = { ...f, encoding: 'base64', wireSize: base64Size(f.size) };
  if (type.startsWith('text/') && f.size <= TEXT_CHARSET_CHECK_LIMIT) {
    let bytes: Buffer;
    try {
      bytes = await readFile(f.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
      throw new ComposeError('compose.attachmentNotFound', { field: f.field, path: f.path, name: f.name, systemCode: code }, `cannot read attachment ${f.path} (${code})`);
    }
    if (isUtf8(bytes)) planned.charset = 'utf-8';
  }
  return planned;
}

async function statFile(path: string, name: string | undefined, contentType: string | undefined, field: string): Promise<StatFile> {
  const fileName = name ?? basename(path);
  assertHeaderSafe(`${field}.name`, fileName);
  if (contentType !== undefined) assertHeaderSafe(`${field}.contentType`, contentType);
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
    throw new ComposeError('compose.attachmentNotFound', { field, path, name: fileName, systemCode: code }, `cannot read attachment ${path} (${code})`);
  }
  if (!st.isFile()) throw new ComposeError('compose.attachmentNotAFile', { field, path, name: fileName }, `${path} is not a regular file`);
  return { path, name: fileName, contentType: contentType ?? contentTypeForName(fileName), size: st.size, field };
}

export type { TransferEncoding };
