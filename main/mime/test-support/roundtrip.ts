/**
 * Test support: write composed messages to disk, check their bytes (CRLF only, line limits),
 * and parse them back with two parsers nobody here wrote: npm mailparser and Python's email.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { ComposedMessage } from '../compose.js';

export const PY_SCRIPT = fileURLToPath(new URL('./py_parse.py', import.meta.url));

export interface PyAddress {
  name: string;
  address: string;
}
export interface PyPart {
  multipart?: string;
  contentType?: string;
  charset?: string | null;
  cte?: string | null;
  filename?: string | null;
  disposition?: string | null;
  contentId?: string | null;
  size?: number;
  sha256?: string;
  text?: string;
  defects: string[];
  /** A forwarded message (message/rfc822): what Python read inside it. */
  embedded?: { subject: string; from: PyAddress[] | null; text: string | null; defects: string[] } | null;
}
export interface PyMessage {
  defects: string[];
  subject: string;
  from: PyAddress[] | null;
  sender: PyAddress[] | null;
  to: PyAddress[] | null;
  cc: PyAddress[] | null;
  replyTo: PyAddress[] | null;
  bcc: string | null;
  messageId: string;
  inReplyTo: string;
  references: string;
  date: string;
  dnt: PyAddress[] | null;
  importance: string | null;
  xPriority: string | null;
  custom: Record<string, string>;
  contentType: string;
  parts: PyPart[];
}

export async function writeMessage(m: ComposedMessage, path: string): Promise<void> {
  await pipeline(m.stream(), createWriteStream(path));
}

export interface ByteCheck {
  bareCr: number;
  bareLf: number;
  longestLine: number;
  longestHeaderLine: number;
  headerBlock: string;
}

/** Counts bare CR / bare LF, the longest line, and the longest line of the top header block. */
export function checkBytes(buf: Buffer): ByteCheck {
  let bareCr = 0;
  let bareLf = 0;
  let longest = 0;
  let lineStart = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0d) {
      if (buf[i + 1] !== 0x0a) bareCr++;
    } else if (b === 0x0a) {
      if (buf[i - 1] !== 0x0d) bareLf++;
      longest = Math.max(longest, i - 1 - lineStart);
      lineStart = i + 1;
    }
  }
  longest = Math.max(longest, buf.length - lineStart);
  const end = buf.indexOf('\r\n\r\n');
  const headerBlock = buf.subarray(0, end < 0 ? buf.length : end).toString('utf8');
  const longestHeaderLine = Math.max(...headerBlock.split('\r\n').map((l) => Buffer.byteLength(l)));
  return { bareCr, bareLf, longestLine: longest, longestHeaderLine, headerBlock };
}

export async function parseWithMailparser(path: string): Promise<{ parsed: ParsedMail; raw: Buffer }> {
  const raw = await readFile(path);
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  return { parsed, raw };
}

export function runPython(args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PY_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`python3 exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    child.stdin.end(stdin ?? '');
  });
}

export async function parseWithPython(paths: string[]): Promise<PyMessage[]> {
  return JSON.parse(await runPython(paths)) as PyMessage[];
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Text as compared across parsers: LF line ends, no trailing line breaks. */
export const normText = (s: string | undefined | null): string => (s ?? '').replace(/\r\n/g, '\n').replace(/\n+$/, '');
