/**
 * One memory measurement in a process of its own: send a message with an attachment of
 * N MiB over implicit TLS with one client, sampling RSS, and print a JSON line.
 * `compose-only` just reads the message stream (the cost of the input itself).
 * `postbote-file` / `nodemailer-file`: end to end from a file on disk, each client composing
 * the message itself (Postbote: composeMessage from main/mime + the engine; nodemailer: its
 * own sendMail with the file as attachment).
 *   node --import tsx bench/lib/memory-child.ts postbote|nodemailer|nodemailer-compose|compose-only|postbote-file|nodemailer-file <MiB> <port> <caPath> [file]
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { composeMessage } from '../../main/mime/index.js';
import { sendMail } from '../../main/smtp/index.js';

const [client = 'postbote', mibArg = '5', portArg = '0', caPath = '', filePath = ''] = process.argv.slice(2);
const bytes = Number(mibArg) * 1024 * 1024;
const port = Number(portArg);
const ca = readFileSync(caPath, 'utf8');
const block = Buffer.alloc(57 * 1024);
for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;

/**
 * The message, streamed: headers, a text part and a base64 attachment of N MiB. The
 * attachment repeats one 57 KiB block (a multiple of 57 bytes = whole 76-character base64
 * lines), so its encoded form is computed once and the stream allocates nothing per
 * chunk: both clients get the very same byte stream (nodemailer as `raw`), and what is
 * measured is the transport, not a MIME composer.
 */
function encodeLines(data: Buffer): Buffer {
  const b64 = Buffer.from(data.toString('base64'), 'latin1');
  const out = Buffer.allocUnsafe(b64.length + Math.ceil(b64.length / 76) * 2);
  let o = 0;
  for (let i = 0; i < b64.length; i += 76) {
    o += b64.copy(out, o, i, Math.min(b64.length, i + 76));
    out[o++] = 13;
    out[o++] = 10;
  }
  return out.subarray(0, o);
}
const encodedBlock = encodeLines(block);

/** Raw attachment bytes, for nodemailer composing the message itself (reference row). */
function attachment(): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) { this.push(null); return; }
      const n = Math.min(left, block.length);
      left -= n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

async function* mimeMessage(): AsyncGenerator<Buffer> {
  const b = 'b1_postbote_bench';
  yield Buffer.from(`From: a@example.test\r\nTo: b@example.test\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${b}"\r\n\r\n--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attachment.\r\n--${b}\r\nContent-Type: application/octet-stream; name="big.bin"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="big.bin"\r\n\r\n`);
  let left = bytes;
  while (left > 0) {
    const n = Math.min(left, block.length);
    left -= n;
    yield n === block.length ? encodedBlock : encodeLines(block.subarray(0, n));
  }
  yield Buffer.from(`--${b}--\r\n`);
}

let peak = 0;
let peakHeap = 0;
let peakBuffers = 0;
const sample = (): void => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
};
global.gc?.();
await new Promise((r) => setTimeout(r, 50));
const baseline = process.memoryUsage.rss();
const timer = setInterval(sample, 5);
const t0 = performance.now();
const draft = { from: { address: 'a@example.test' }, to: 'b@example.test', subject: 'big', text: 'See attachment.', attachments: [{ path: filePath, name: 'big.bin' }] };
if (client === 'postbote-file') {
  const m = await composeMessage(draft, { eightBitMime: true, smtpUtf8: false });
  await sendMail({ host: '127.0.0.1', port, security: 'tls', servername: 'localhost', extraCaPem: ca, credentials: { username: 'u', password: 'p' } },
    { envelope: m.envelope, body: m.stream(), size: m.size, messageId: m.messageId });
} else if (client === 'nodemailer-file') {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, auth: { user: 'u', pass: 'p' }, tls: { ca, servername: 'localhost' } });
  await t.sendMail({ from: draft.from.address, to: draft.to, subject: draft.subject, text: draft.text, attachments: [{ filename: 'big.bin', path: filePath }] });
  t.close();
} else if (client === 'compose-only') {
  for await (const c of Readable.from(mimeMessage())) void c;
} else if (client === 'postbote') {
  await sendMail({ host: '127.0.0.1', port, security: 'tls', servername: 'localhost', extraCaPem: ca, credentials: { username: 'u', password: 'p' } },
    { envelope: { from: 'a@example.test', to: ['b@example.test'] }, body: Readable.from(mimeMessage()) });
} else if (client === 'nodemailer-compose') {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, auth: { user: 'u', pass: 'p' }, tls: { ca, servername: 'localhost' } });
  await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'big', text: 'See attachment.', attachments: [{ filename: 'big.bin', content: attachment() }] });
  t.close();
} else {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, auth: { user: 'u', pass: 'p' }, tls: { ca, servername: 'localhost' } });
  await t.sendMail({ envelope: { from: 'a@example.test', to: ['b@example.test'] }, raw: Readable.from(mimeMessage()) });
  t.close();
}
const ms = performance.now() - t0;
clearInterval(timer);
sample();
console.log(JSON.stringify({ client, mib: Number(mibArg), ms, baselineRss: baseline, peakRss: peak, peakHeapUsed: peakHeap, peakArrayBuffers: peakBuffers, mibPerSec: Number(mibArg) / (ms / 1000) }));
process.exit(0);
