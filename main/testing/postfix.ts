/**
 * Access to the loopback Postfix + Dovecot test server that
 * `scripts/test-servers/postfix-dovecot.sh` sets up (run it as root first). Tests use:
 *
 *   const info = await loadPostfixInfo();
 *   if (skipUnless(t, info !== null, postfixUnavailableReason())) return;
 *   … send …
 *   const [msg] = await waitForDelivery(info, (m) => m.original.includes(marker), 10_000);
 *
 * Postfix delivers into Maildirs (one per user) and prepends its trace headers
 * (Return-Path, X-Original-To, Delivered-To, Received); `original` is the message with
 * exactly those removed and LF line ends turned back into CRLF, so it can be compared
 * byte for byte with what the client put on the wire (after dot-unstuffing).
 */
import { existsSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface PostfixUser {
  username: string;
  password: string;
  address: string;
  maildir: string;
}

export interface PostfixInfo {
  version: number;
  host: string;
  /** The name the server certificate is issued for (SNI and host name check). */
  tlsServername: string;
  ports: { smtp: number; submission: number; submissions: number };
  domain: string;
  /** Postfix's myhostname: what it says in the greeting and the EHLO reply. */
  serverName: string;
  /** The first test user (also in `users`). */
  user: string;
  password: string;
  address: string;
  maildir: string;
  users: PostfixUser[];
  /** An address in the test domain that does not exist (refused at RCPT). */
  unknownRecipient: string;
  /** An address in another domain (relaying is refused to everyone). */
  relayRecipient: string;
  authMechanisms: string[];
  /** message_size_limit in bytes (also announced as SIZE). */
  sizeLimit: number;
  caCertPath: string;
  logFiles: { postfix: string; dovecot: string };
  postfixVersion: string;
  dovecotVersion: string;
}

export interface DeliveredMessage {
  /** Full path of the Maildir file. */
  path: string;
  /** Maildir file name (unique per delivery). */
  id: string;
  /** Which mailbox it was found in. */
  maildir: string;
  /** File modification time, ms since the epoch. */
  mtimeMs: number;
  /** The file as Postfix stored it (LF line ends, trace headers on top). */
  raw: Buffer;
  /** The header fields Postfix prepended, as stored (LF line ends). */
  trace: string;
  /** The message as the client sent it: trace headers removed, CRLF line ends. */
  original: Buffer;
  /** Envelope recipient according to Delivered-To. */
  deliveredTo?: string;
  /** Envelope sender according to Return-Path (without angle brackets). */
  returnPath?: string;
}

export const defaultPostfixInfoPath = '/var/lib/postbote-test/postfix.json';

export function postfixInfoPath(): string {
  return process.env.POSTBOTE_POSTFIX_INFO ?? defaultPostfixInfoPath;
}

/** The reason to give skipUnless when loadPostfixInfo returned null. */
export function postfixUnavailableReason(): string {
  return `Postfix test server not running (no answer or no ${postfixInfoPath()}); start it with: sudo bash scripts/test-servers/postfix-dovecot.sh`;
}

function isPostfixInfo(value: unknown): value is PostfixInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const ports = v.ports as Record<string, unknown> | undefined;
  return typeof v.host === 'string' && typeof v.user === 'string' && typeof v.password === 'string'
    && typeof v.maildir === 'string' && typeof v.caCertPath === 'string' && typeof v.sizeLimit === 'number'
    && Array.isArray(v.users) && typeof ports === 'object' && ports !== null
    && typeof ports.smtp === 'number' && typeof ports.submission === 'number' && typeof ports.submissions === 'number';
}

/** Reads the description, or null when it is missing or malformed. Does not touch the network. */
export function readPostfixInfo(path = postfixInfoPath()): PostfixInfo | null {
  if (!existsSync(path)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isPostfixInfo(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Resolves true when the server answers with a 220 greeting within the timeout. */
export function smtpGreets(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buffered = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      // Say goodbye politely so the server does not log a lost connection.
      if (ok) socket.end('QUIT\r\n');
      else socket.destroy();
      socket.on('error', () => undefined);
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (/^220 .*\r?\n/m.test(buffered)) done(true);
      else if (/^\d{3} .*\r?\n/m.test(buffered) || buffered.length > 4096) done(false);
    });
  });
}

/**
 * The test server's description, or null when the file is missing or malformed or the
 * plain SMTP port does not greet (the server is not running).
 */
export async function loadPostfixInfo(path = postfixInfoPath()): Promise<PostfixInfo | null> {
  const info = readPostfixInfo(path);
  if (!info) return null;
  return (await smtpGreets(info.host, info.ports.smtp)) ? info : null;
}

export function readCaCert(info: PostfixInfo): string {
  return readFileSync(info.caCertPath, 'utf8');
}

/** Header fields Postfix's virtual(8) agent and smtpd put on top of every delivered message. */
const traceFields = ['return-path', 'x-original-to', 'delivered-to'];

/** Splits a delivered Maildir file into Postfix's trace headers and the original message. */
export function splitDelivered(raw: Buffer): { trace: string; original: Buffer; deliveredTo?: string; returnPath?: string } {
  let offset = 0;
  let receivedSeen = false;
  let deliveredTo: string | undefined;
  let returnPath: string | undefined;
  const lineAt = (start: number): { line: string; next: number } => {
    const end = raw.indexOf(0x0a, start);
    const stop = end === -1 ? raw.length : end;
    return { line: raw.subarray(start, stop).toString('latin1'), next: end === -1 ? raw.length : end + 1 };
  };
  while (offset < raw.length) {
    const { line, next } = lineAt(offset);
    const name = /^([!-9;-~]+):/.exec(line)?.[1]?.toLowerCase();
    if (name !== undefined && traceFields.includes(name) && !receivedSeen) {
      const value = line.slice(name.length + 1).trim();
      if (name === 'delivered-to') deliveredTo = value;
      if (name === 'return-path') returnPath = value.replace(/^<|>$/g, '');
      offset = next;
      continue;
    }
    if (name === 'received' && !receivedSeen) {
      // Exactly one Received field (with its folded continuation lines): the one our
      // smtpd added. Any Received field the client sent itself stays in the original.
      receivedSeen = true;
      offset = next;
      while (offset < raw.length && (raw[offset] === 0x20 || raw[offset] === 0x09)) offset = lineAt(offset).next;
      continue;
    }
    break;
  }
  const trace = raw.subarray(0, offset).toString('latin1');
  // Postfix stores lines with LF; on the wire every line ended in CRLF.
  const body = raw.subarray(offset);
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, start)) {
    parts.push(body.subarray(start, i), Buffer.from('\r\n'));
    start = i + 1;
  }
  parts.push(body.subarray(start));
  return { trace, original: Buffer.concat(parts), deliveredTo, returnPath };
}

function mailboxesOf(info: PostfixInfo, maildirs?: string[]): string[] {
  if (maildirs) return maildirs;
  const all = info.users.map((u) => u.maildir);
  return all.length > 0 ? all : [info.maildir];
}

/**
 * Every message delivered into the given Maildirs (default: all test users), oldest first,
 * optionally only those whose file changed at or after sinceMs.
 */
export function readDeliveredMessages(info: PostfixInfo, sinceMs = 0, maildirs?: string[]): DeliveredMessage[] {
  const found: DeliveredMessage[] = [];
  for (const { maildir, name: id, path } of maildirFiles(info, maildirs, ['new', 'cur'])) {
    if (id.startsWith('.')) continue;
    let raw: Buffer;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs < sinceMs) continue;
      raw = readFileSync(path);
    } catch {
      continue; // moved or removed meanwhile
    }
    found.push({ path, id, maildir, mtimeMs, raw, ...splitDelivered(raw) });
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.id.localeCompare(b.id));
}

/**
 * Polls the Maildirs until at least `count` messages match the predicate; rejects with a
 * useful message (including the end of Postfix's log) after timeoutMs.
 */
export async function waitForDelivery(
  info: PostfixInfo,
  predicate: (message: DeliveredMessage) => boolean,
  timeoutMs = 10_000,
  opts: { count?: number; sinceMs?: number; maildirs?: string[] } = {},
): Promise<DeliveredMessage[]> {
  const count = opts.count ?? 1;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matches = readDeliveredMessages(info, opts.sinceMs ?? 0, opts.maildirs).filter(predicate);
    if (matches.length >= count) return matches;
    if (Date.now() >= deadline) {
      throw new Error(`waitForDelivery: ${matches.length}/${count} matching message(s) after ${timeoutMs} ms.\n${postfixLogTail(info)}`);
    }
    await delay(50);
  }
}

/** Removes the given delivered messages (a test cleans up after itself; others may be running). */
export function removeDelivered(messages: DeliveredMessage[]): void {
  for (const m of messages) {
    try {
      unlinkSync(m.path);
    } catch {
      // already gone
    }
  }
}

/** Removes every delivered message from the given Maildirs (default: all test users). */
export function clearMailbox(info: PostfixInfo, maildirs?: string[]): void {
  for (const { path } of maildirFiles(info, maildirs, ['new', 'cur', 'tmp'])) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

/** The files in the given subfolders of the given Maildirs; a missing folder has none. */
function* maildirFiles(info: PostfixInfo, maildirs: string[] | undefined, subs: string[]): Generator<{ maildir: string; name: string; path: string }> {
  for (const maildir of mailboxesOf(info, maildirs)) {
    for (const sub of subs) {
      const dir = join(maildir, sub);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) yield { maildir, name, path: join(dir, name) };
    }
  }
}

/** The last lines of Postfix's log, for failure messages. */
export function postfixLogTail(info: PostfixInfo, lines = 15): string {
  try {
    const text = readFileSync(info.logFiles.postfix, 'utf8').trimEnd().split('\n');
    return `--- last lines of ${info.logFiles.postfix} ---\n${text.slice(-lines).join('\n')}`;
  } catch {
    return '(postfix log not readable)';
  }
}
