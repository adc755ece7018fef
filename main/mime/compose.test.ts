import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import fc from 'fast-check';
import { composeMessage, type ComposeOptions, type ComposedMessage } from './compose.js';
import { ComposeError } from './errors.js';
import type { MessageDraftInput } from '../../shared/message.js';
import { translate } from '../../shared/i18n/index.js';
import { toAsciiDomain } from '../../shared/address.js';
import { checkBytes, normText, parseWithMailparser, parseWithPython, sha256, writeMessage, type PyMessage } from './test-support/roundtrip.js';

let dir = '';
const files: Record<string, { path: string; sha: string; size: number }> = {};

async function makeFile(name: string, content: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  files[name] = { path, sha: sha256(content), size: content.length };
  return path;
}

/** A large file written in chunks, hashed on the way, never held whole. */
async function makeBigFile(name: string, bytes: number): Promise<string> {
  const path = join(dir, name);
  const ws = createWriteStream(path);
  const hash = (await import('node:crypto')).createHash('sha256');
  let left = bytes;
  while (left > 0) {
    const chunk = randomBytes(Math.min(left, 1 << 20));
    hash.update(chunk);
    left -= chunk.length;
    if (!ws.write(chunk)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  files[name] = { path, sha: hash.digest('hex'), size: bytes };
  return path;
}

interface Case {
  name: string;
  draft: () => MessageDraftInput;
  options?: Partial<ComposeOptions>;
  /** Attachments expected, in order, by the file key used in makeFile and the name shown. */
  attachments?: Array<{
    key: string; name: string; contentType: string; cid?: string;
    /** The charset parameter the part must carry (text/*); null: none. */
    charset?: string | null;
    /** A forwarded message: what Python must read inside it (it parses message/rfc822 into a message). */
    embedded?: { subject: string; text: string };
  }>;
  expectText?: string;
  expectHtml?: string;
  expectEncoding?: string;
}

const FROM = { name: 'Jörg Müller 😀', address: 'joerg@bücher.example' };
const TO = 'Élodie Çava <elodie@example.com>, "Last, First" <last.first@example.org>';
const pngBytes = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b5e5f30000000049454e44ae426082', 'hex');

const cases: Case[] = [
  {
    name: 'umlauts and emoji in subject, names and file names',
    draft: () => ({
      from: FROM,
      to: TO,
      cc: [{ name: 'Zoë „Anführung“ Größe', address: 'zoe@example.net' }],
      subject: 'Grüße aus Köln 😀 — Änderungen für Übermorgen 🎉🇩🇪',
      text: 'Hallo Élodie,\n\nschöne Grüße 😀\nJörg',
      attachments: [{ path: files['umlaut']?.path ?? '', name: 'Präsentation – Übersicht 😀 2026.pdf' }],
    }),
    attachments: [{ key: 'umlaut', name: 'Präsentation – Übersicht 😀 2026.pdf', contentType: 'application/pdf' }],
    expectText: 'Hallo Élodie,\n\nschöne Grüße 😀\nJörg',
    expectEncoding: '8bit',
  },
  {
    name: 'a 300-character subject',
    draft: () => ({
      from: FROM,
      to: 'a@example.com',
      subject: ('Ein sehr langer Betreff mit Wörtern wie Straßenbahnhaltestelle und ' + 'x'.repeat(120) + ' ').repeat(2).slice(0, 300),
      text: 'short',
    }),
    expectText: 'short',
  },
  {
    name: 'a line of 2,000 characters (quoted-printable even with 8BITMIME)',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: 'long line', text: 'ä' + 'abc def '.repeat(250) + '\nnext line' }),
    expectText: 'ä' + 'abc def '.repeat(250) + '\nnext line',
    expectEncoding: 'quoted-printable',
  },
  {
    name: 'lines starting with "." and "From " (7bit)',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: 'dots', text: '.\n..\n.hidden\nFrom here on\nFrom: not a header\n \n.' }),
    expectText: '.\n..\n.hidden\nFrom here on\nFrom: not a header\n \n.',
    expectEncoding: '7bit',
  },
  {
    name: 'lines starting with "." and "From " (quoted-printable, no 8BITMIME)',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: 'dots', text: '.ä\nFrom ü\n.\nFrom ' }),
    options: { eightBitMime: false },
    expectText: '.ä\nFrom ü\n.\nFrom ',
    expectEncoding: 'quoted-printable',
  },
  {
    name: 'an empty body',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: '' }),
    expectText: '',
  },
  {
    name: 'a zero-byte attachment',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: 'empty file', text: 'see attached', attachments: [{ path: files['empty']?.path ?? '' }] }),
    attachments: [{ key: 'empty', name: 'empty.txt', contentType: 'text/plain', charset: 'utf-8' }],
    expectText: 'see attached',
  },
  {
    name: 'twenty attachments',
    draft: () => ({
      from: FROM,
      to: 'a@example.com',
      subject: 'many',
      text: 'twenty files',
      attachments: Array.from({ length: 20 }, (_, k) => ({ path: files[`many${k}`]?.path ?? '' })),
    }),
    attachments: Array.from({ length: 20 }, (_, k) => ({ key: `many${k}`, name: `file-${k}.${['bin', 'csv', 'png', 'zip', 'docx'][k % 5]}`, contentType: ['application/octet-stream', 'text/csv', 'image/png', 'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'][k % 5] ?? '' })),
    expectText: 'twenty files',
  },
  {
    name: 'a 25 MB attachment',
    draft: () => ({ from: FROM, to: 'a@example.com', subject: 'big', text: 'big file', attachments: [{ path: files['big']?.path ?? '', name: 'video.mp4' }] }),
    attachments: [{ key: 'big', name: 'video.mp4', contentType: 'video/mp4' }],
    expectText: 'big file',
  },
  {
    name: 'HTML with inline images and an attachment',
    draft: () => ({
      from: FROM,
      to: TO,
      subject: 'Newsletter',
      html: '<html><head><style>p{color:red}</style></head><body><h1>Hallo &amp; willkommen</h1><p>Erster Absatz<br>zweite Zeile</p><ul><li>eins</li><li>zwei</li></ul><p><a href="https://example.com/x?a=1&amp;b=2">unsere Seite</a></p><img src="cid:logo@postbote" alt="Logo"><img src="cid:pic2"></body></html>',
      inlineImages: [
        { path: files['logo']?.path ?? '', contentId: 'logo@postbote', name: 'logo.png' },
        { path: files['pic2']?.path ?? '', contentId: '<pic2>', name: 'bild ä.png' },
      ],
      attachments: [{ path: files['umlaut']?.path ?? '', name: 'a.pdf' }],
    }),
    attachments: [
      { key: 'logo', name: 'logo.png', contentType: 'image/png', cid: 'logo@postbote' },
      { key: 'pic2', name: 'bild ä.png', contentType: 'image/png', cid: 'pic2' },
      { key: 'umlaut', name: 'a.pdf', contentType: 'application/pdf' },
    ],
    expectText: 'Hallo & willkommen\n\nErster Absatz\nzweite Zeile\n\n- eins\n- zwei\n\nunsere Seite <https://example.com/x?a=1&b=2>\n\n[Logo]',
  },
  {
    name: 'right-to-left text and CJK without 8BITMIME',
    draft: () => ({
      from: { name: '山田 太郎', address: 'taro@example.jp' },
      to: [{ name: 'שלום כהן', address: 'shalom@example.co.il' }, { name: 'محمد العربي', address: 'm@example.eg' }],
      subject: 'שלום עולם مرحبا بالعالم 你好，世界 こんにちは世界 안녕하세요',
      text: 'שלום עולם\nمرحبا بالعالم\n你好，世界。这是一个测试。\nこんにちは世界\n',
      attachments: [{ path: files['cjk']?.path ?? '', name: '報告書 2026年.txt' }],
    }),
    options: { eightBitMime: false },
    attachments: [{ key: 'cjk', name: '報告書 2026年.txt', contentType: 'text/plain', charset: 'utf-8' }],
    expectText: 'שלום עולם\nمرحبا بالعالم\n你好，世界。这是一个测试。\nこんにちは世界',
    expectEncoding: 'quoted-printable',
  },
  {
    name: 'reply with Sender, Reply-To, group, receipt, importance and custom headers',
    draft: () => ({
      from: { name: 'Team Lead', address: 'lead@example.com' },
      to: 'Projekt Ä: x@example.com, y@example.com;, z@example.com',
      replyTo: 'Antworten <replies@example.com>',
      bcc: 'secret@example.com',
      subject: 'Re: Plan',
      text: 'ok',
      inReplyTo: 'orig.123@example.com',
      references: ['<root@example.com>', 'orig.123@example.com'],
      readReceipt: true,
      importance: 'high',
      customHeaders: [{ name: 'X-Test-Tag', value: 'Größe ✓ tag' }],
    }),
    options: { sender: { name: 'Assistent', address: 'assistant@example.com' } },
    expectText: 'ok',
  },
  {
    name: 'a forwarded message (message/rfc822: as it is, never base64) and a text file that is not UTF-8',
    draft: () => ({
      from: FROM,
      to: 'a@example.com',
      subject: 'Fwd: Grüße',
      text: 'see the forwarded message',
      attachments: [{ path: files['fwd']?.path ?? '', name: 'Weitergeleitet – Grüße.eml' }, { path: files['latin1']?.path ?? '', name: 'alt.txt' }],
    }),
    attachments: [
      { key: 'fwd', name: 'Weitergeleitet – Grüße.eml', contentType: 'message/rfc822', embedded: { subject: 'Grüße aus Köln', text: 'Hallo Bob,\nschöne Grüße.\n.\nFrom here on\nEnde' } },
      { key: 'latin1', name: 'alt.txt', contentType: 'text/plain', charset: null },
    ],
    expectText: 'see the forwarded message',
  },
  {
    name: 'a non-ASCII local part with SMTPUTF8',
    draft: () => ({ from: { name: 'Jörg', address: 'jörg@bücher.example' }, to: 'δοκιμή@παράδειγμα.δοκιμή', subject: 'utf8', text: 'x' }),
    options: { smtpUtf8: true },
    expectText: 'x',
  },
];

const composed = new Map<string, { message: ComposedMessage; path: string; raw: Buffer; parsed: ParsedMail; draft: MessageDraftInput }>();
let py: PyMessage[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postbote-mime-'));
  await makeFile('umlaut', randomBytes(5000));
  await makeFile('empty', Buffer.alloc(0));
  await makeFile('logo', pngBytes);
  await makeFile('pic2', randomBytes(777));
  await makeFile('cjk', Buffer.from('報告書\n内容です。\n', 'utf8'));
  await makeFile('latin1', Buffer.from('Gr\xfc\xdfe aus K\xf6ln\n', 'latin1'));
  // A saved message with LF line ends, a bare CR, 8-bit UTF-8 in header and body, and a line
  // that is only a dot. It travels with its line ends made CRLF: that is what both parsers see.
  const forwarded = Buffer.from('From: Anna <anna@example.org>\nTo: bob@example.com\nSubject: Grüße aus Köln\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nHallo Bob,\r\nschöne Grüße.\r.\nFrom here on\nEnde\n', 'utf8');
  await makeFile('fwd', forwarded);
  const onTheWire = Buffer.from(forwarded.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
  files['fwd'] = { path: files['fwd']?.path ?? '', sha: sha256(onTheWire), size: onTheWire.length };
  for (let k = 0; k < 20; k++) await makeFile(`many${k}`, randomBytes(k * 97));
  // File names for "many" come from the path: rename by writing with the expected names.
  for (let k = 0; k < 20; k++) {
    const name = `file-${k}.${['bin', 'csv', 'png', 'zip', 'docx'][k % 5]}`;
    const content = await readFile(files[`many${k}`]?.path ?? '');
    const path = join(dir, name);
    await writeFile(path, content);
    files[`many${k}`] = { path, sha: sha256(content), size: content.length };
  }
  await writeFile(join(dir, 'empty.txt'), '');
  files['empty'] = { path: join(dir, 'empty.txt'), sha: sha256(Buffer.alloc(0)), size: 0 };
  await makeBigFile('big', 25 * 1000 * 1000);

  for (const [k, c] of cases.entries()) {
    const draft = c.draft();
    const message = await composeMessage(draft, { eightBitMime: true, smtpUtf8: false, now: new Date('2026-03-01T12:34:56Z'), ...c.options });
    const path = join(dir, `case-${k}.eml`);
    await writeMessage(message, path);
    const { parsed, raw } = await parseWithMailparser(path);
    composed.set(c.name, { message, path, raw, parsed, draft });
  }
  py = await parseWithPython(cases.map((c) => composed.get(c.name)?.path ?? ''));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const addrList = (a: AddressObject | AddressObject[] | undefined): Array<{ name: string; address: string }> =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value).flatMap((v) => (v.group ? v.group : [v])).map((v) => ({ name: v.name, address: asciiAddress(v.address ?? '') }));

/** Parsers may show IDN domains in Unicode; compare addresses in their ASCII form. */
const asciiAddress = (a: string): string => {
  const at = a.lastIndexOf('@');
  return at < 0 ? a : `${a.slice(0, at)}@${toAsciiDomain(a.slice(at + 1))}`;
};

describe('composeMessage: every corpus message parses back identically with mailparser and Python email', () => {
  for (const [index, c] of cases.entries()) {
    it(c.name, async () => {
      const got = composed.get(c.name);
      assert.ok(got);
      const { message, raw, parsed, draft } = got;
      const pm = py[index];
      assert.ok(pm);

      // Bytes: exact size, CRLF only, line limits.
      assert.equal(message.size, raw.length, 'size computed up front equals bytes produced');
      assert.equal((await stat(got.path)).size, message.size);
      const bytes = checkBytes(raw);
      assert.equal(bytes.bareCr, 0, 'no bare CR');
      assert.equal(bytes.bareLf, 0, 'no bare LF');
      assert.ok(bytes.longestLine <= 998, `longest line ${bytes.longestLine}`);
      assert.ok(bytes.longestHeaderLine <= 78, `longest header line ${bytes.longestHeaderLine}`);
      assert.ok(!/^bcc:/im.test(bytes.headerBlock), 'no Bcc header');
      assert.deepEqual(pm.defects, [], 'python sees no defects');
      for (const p of pm.parts) assert.deepEqual(p.defects, [], `python part defects ${p.contentType ?? p.multipart}`);

      // Headers.
      const subject = draft.subject ?? '';
      assert.equal(parsed.subject ?? '', subject);
      assert.equal(pm.subject, subject);
      assert.equal(parsed.messageId, message.messageId);
      assert.equal(pm.messageId, message.messageId);
      assert.equal(parsed.date?.toISOString(), '2026-03-01T12:34:56.000Z');
      const fromName = draft.from.name ?? '';
      assert.equal(addrList(parsed.from)[0]?.name, fromName);
      assert.equal(pm.from?.[0]?.name, fromName);
      assert.equal(addrList(parsed.from)[0]?.address, asciiAddress(pm.from?.[0]?.address ?? ''));

      // Envelope: To + Cc + Bcc, punycode domains; headers carry To and Cc (never Bcc).
      const headerRcpts = [...addrList(parsed.to), ...addrList(parsed.cc)].map((a) => a.address.toLowerCase());
      const pyRcpts = [...(pm.to ?? []), ...(pm.cc ?? [])].map((a) => asciiAddress(a.address).toLowerCase());
      assert.deepEqual(pyRcpts, headerRcpts);
      for (const r of headerRcpts) assert.ok(message.envelope.to.map((x) => x.toLowerCase()).includes(r), `${r} in envelope`);
      assert.equal(pm.bcc, null);
      for (const r of message.envelope.to) assert.ok(/^[\x00-\x7f]*@[a-z0-9.-]+$/.test(r) || message.requires.smtpUtf8, `${r} ascii domain`);

      // Bodies.
      if (c.expectText !== undefined) {
        assert.equal(normText(parsed.text), normText(c.expectText), 'mailparser text');
        const pyText = pm.parts.find((p) => p.contentType === 'text/plain' && !p.filename);
        assert.equal(normText(pyText?.text), normText(c.expectText), 'python text');
        if (c.expectEncoding) assert.equal(pyText?.cte, c.expectEncoding);
      }
      if (draft.html !== undefined) {
        assert.equal(parsed.html, draft.html);
        assert.equal(normText(pm.parts.find((p) => p.contentType === 'text/html')?.text), normText(draft.html));
        assert.ok(pm.parts.some((p) => p.multipart === 'multipart/alternative'));
        if ((draft.inlineImages ?? []).length > 0) assert.ok(pm.parts.some((p) => p.multipart === 'multipart/related'));
      }

      // Attachments: names, types, content ids and SHA-256 of the decoded bytes.
      const expected = c.attachments ?? [];
      assert.equal(parsed.attachments.length, expected.length, 'mailparser attachment count');
      const pyFiles = pm.parts.filter((p) => p.filename);
      assert.equal(pyFiles.length, expected.length, 'python attachment count');
      expected.forEach((e, k) => {
        const f = files[e.key];
        assert.ok(f);
        const mp = parsed.attachments[k];
        assert.ok(mp);
        assert.equal(mp.filename, e.name);
        assert.equal(mp.contentType, e.contentType);
        assert.equal(sha256(mp.content), f.sha, `mailparser sha256 of ${e.name}`);
        assert.equal(mp.size, f.size);
        const p = pyFiles[k];
        assert.ok(p);
        assert.equal(p.filename, e.name);
        assert.equal(p.contentType, e.contentType);
        if (e.embedded) {
          // Python parses a forwarded message into a message: compare what it read inside.
          assert.ok(p.cte === '7bit' || p.cte === '8bit', `message/rfc822 travels as it is, not ${p.cte}`);
          assert.equal(p.embedded?.subject, e.embedded.subject);
          assert.equal(normText(p.embedded?.text), normText(e.embedded.text));
          assert.deepEqual(p.embedded?.defects, []);
        } else assert.equal(p.sha256, f.sha, `python sha256 of ${e.name}`);
        if (e.charset !== undefined) assert.equal(p.charset, e.charset, `charset of ${e.name}`);
        if (e.cid) {
          assert.equal(mp.contentId, `<${e.cid}>`);
          assert.equal(p.contentId, `<${e.cid}>`);
          assert.equal(p.disposition, 'inline');
        } else assert.equal(p.disposition, 'attachment');
      });
    });
  }

  it('reply headers, Sender, Reply-To, group, receipt and importance are as asked', () => {
    const name = 'reply with Sender, Reply-To, group, receipt, importance and custom headers';
    const got = composed.get(name);
    const pm = py[cases.findIndex((c) => c.name === name)];
    assert.ok(got && pm);
    const { parsed, message } = got;
    assert.equal(message.envelope.from, 'assistant@example.com');
    assert.deepEqual(message.envelope.to, ['x@example.com', 'y@example.com', 'z@example.com', 'secret@example.com']);
    assert.deepEqual(pm.sender, [{ name: 'Assistent', address: 'assistant@example.com' }]);
    assert.deepEqual(pm.replyTo, [{ name: 'Antworten', address: 'replies@example.com' }]);
    assert.equal(parsed.inReplyTo, '<orig.123@example.com>');
    assert.deepEqual(parsed.references, ['<root@example.com>', '<orig.123@example.com>']);
    assert.equal(pm.inReplyTo, '<orig.123@example.com>');
    assert.deepEqual(pm.dnt, [{ name: 'Team Lead', address: 'lead@example.com' }]);
    assert.equal(pm.importance, 'High');
    assert.equal(pm.xPriority, '1 (Highest)');
    assert.equal(parsed.headers.get('priority'), 'high');
    assert.equal(pm.custom['X-Test-Tag'], 'Größe ✓ tag');
    assert.match(got.raw.toString('latin1'), /^To: =\?UTF-8\?[QB]\?[^?]+\?= : <x@example\.com>, <y@example\.com>;,\r\n <z@example\.com>\r$/m);
  });

  it('a non-ASCII local part is written as UTF-8 with SMTPUTF8, with punycode domains', () => {
    const got = composed.get('a non-ASCII local part with SMTPUTF8');
    assert.ok(got);
    assert.deepEqual(got.message.requires, { eightBit: true, smtpUtf8: true });
    assert.equal(got.message.envelope.from, 'jörg@xn--bcher-kva.example');
    assert.deepEqual(got.message.envelope.to, ['δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp']);
    assert.match(got.raw.toString('utf8'), /^To: <δοκιμή@xn--hxajbheg2az3al\.xn--jxalpdlp>\r$/m);
  });
});

describe('composeMessage: refusals before any byte', () => {
  const base: MessageDraftInput = { from: { address: 'me@example.com' }, to: 'you@example.com', subject: 's', text: 't' };
  const opts: ComposeOptions = { eightBitMime: true, smtpUtf8: false };
  const rejects = async (draft: MessageDraftInput, kind: string, params?: Record<string, string | number>, o: ComposeOptions = opts, messageKey = `err.${kind}`): Promise<ComposeError> => {
    let caught: ComposeError | undefined;
    await assert.rejects(composeMessage(draft, o), (e: unknown) => {
      assert.ok(e instanceof ComposeError, String(e));
      caught = e;
      assert.equal(e.error.kind, kind);
      assert.equal(e.error.messageKey, messageKey);
      assert.equal(e.error.detail?.phase, 'compose');
      if (params) for (const [k, v] of Object.entries(params)) assert.equal(e.error.params?.[k], v, `param ${k}`);
      return true;
    });
    assert.ok(caught);
    return caught;
  };
  /** The error in words, as the compose window and the CLI show it. */
  const words = (e: ComposeError, lang: 'de' | 'en'): string => translate(lang, e.error.messageKey, e.error.params);

  it('CR or LF in any header value is rejected, never passed through', async () => {
    await rejects({ ...base, subject: 'Hi\r\nBcc: victim@example.com' }, 'compose.headerInjection', { field: 'subject' });
    await rejects({ ...base, subject: 'Hi\nX: y' }, 'compose.headerInjection', { field: 'subject' });
    await rejects({ ...base, subject: 'Hi\rX: y' }, 'compose.headerInjection');
    await rejects({ ...base, from: { name: 'Eve\r\nBcc: x@y.z', address: 'me@example.com' } }, 'compose.headerInjection', { field: 'from name' });
    await rejects({ ...base, to: [{ name: 'A\nB', address: 'a@example.com' }] }, 'compose.headerInjection');
    await rejects({ ...base, to: 'a@example.com\r\nBcc: b@example.com' }, 'compose.headerInjection', { field: 'to' });
    await rejects({ ...base, customHeaders: [{ name: 'X-A', value: 'v\r\nBcc: x@y.z' }] }, 'compose.headerInjection');
    await rejects({ ...base, inReplyTo: '<a@b>\r\nBcc: x@y.z' }, 'compose.headerInjection', { field: 'inReplyTo' });
    await rejects({ ...base, references: ['<a@b>', 'c@d\nX: y'] }, 'compose.headerInjection', { field: 'references' });
    await rejects({ ...base, attachments: [{ path: '/etc/hostname', name: 'a\r\nContent-Type: text/html' }] }, 'compose.headerInjection');
    await rejects({ ...base, inlineImages: [{ path: '/etc/hostname', contentId: 'a\nb' }] }, 'compose.headerInjection');
    await rejects(base, 'compose.headerInjection', { field: 'messageId' }, { ...opts, messageId: '<a@b>\r\nX: y' });
  });

  it('an invalid address names the address and the reason', async () => {
    await rejects({ ...base, to: 'Anna <anna.example.com>' }, 'compose.invalidAddress', { field: 'to', address: 'anna.example.com', reason: 'address.missingAt' });
    await rejects({ ...base, cc: 'ok@example.com, bad@exa_mple.com' }, 'compose.invalidAddress', { field: 'cc', reason: 'address.badDomain' });
    await rejects({ ...base, from: { address: 'me@' } }, 'compose.invalidAddress', { field: 'from', reason: 'address.missingDomain' });
  });

  it('a non-ASCII local part without SMTPUTF8 fails before connecting', async () => {
    await rejects({ ...base, to: 'jörg@example.com' }, 'compose.smtpUtf8Required', { address: 'jörg@example.com', field: 'to' });
  });

  it('no recipients, reserved or malformed custom headers, bad message ids, missing files', async () => {
    await rejects({ ...base, to: [] }, 'compose.noRecipients');
    await rejects({ ...base, customHeaders: [{ name: 'Bcc', value: 'x@y.z' }] }, 'compose.reservedHeader', { name: 'Bcc' });
    const badName = await rejects({ ...base, customHeaders: [{ name: 'X Bad', value: 'v' }] }, 'compose.invalidHeaderName', { name: 'X Bad' });
    assert.doesNotMatch(words(badName, 'en'), /too long/);
    assert.doesNotMatch(words(badName, 'de'), /zu lang/);
    await rejects({ ...base, inReplyTo: 'not an id' }, 'compose.invalidMessageId', { field: 'inReplyTo' });
    await rejects({ ...base, attachments: [{ path: '/nonexistent/file.pdf' }] }, 'compose.attachmentNotFound', { path: '/nonexistent/file.pdf', systemCode: 'ENOENT' });
    await rejects({ ...base, attachments: [{ path: tmpdir() }] }, 'compose.attachmentNotAFile');
  });

  it('an unusable draft is explained in the person\'s language, without field paths or the schema library\'s English', async () => {
    const check = (e: ComposeError, de: RegExp, en: RegExp): void => {
      assert.match(words(e, 'de'), de);
      assert.match(words(e, 'en'), en);
      for (const lang of ['de', 'en'] as const) {
        const text = words(e, lang);
        assert.doesNotMatch(text, /\{|attachments\.\d|inlineImages\.\d|Too big|Invalid input|expected|type\/subtype\)/, `${lang}: ${text}`);
      }
    };
    check(await rejects({ ...base, subject: 'x'.repeat(5000) }, 'compose.invalidDraft', { field: 'subject', limit: 2000 }, opts, 'err.compose.invalidDraft.subject'),
      /^Der Betreff ist zu lang: Er darf höchstens 2000 Zeichen haben\.$/, /^The subject is too long: it may have at most 2000 characters\.$/);
    check(await rejects({ ...base, attachments: [{ path: '/etc/hostname' }, { path: '/etc/hostname', name: 'n'.repeat(300) }] }, 'compose.invalidDraft', { field: 'attachments.1.name', position: 2 }, opts, 'err.compose.invalidDraft.attachment'),
      /^Anhang 2 kann nicht verwendet werden/, /^Attachment 2 cannot be used/);
    check(await rejects({ ...base, attachments: [{ path: '/etc/hostname', contentType: 'pdf' }] }, 'compose.invalidDraft', { position: 1 }, opts, 'err.compose.invalidDraft.attachmentType'),
      /Anhang 1 .*application\/pdf/, /attachment 1 .*application\/pdf/);
    check(await rejects({ ...base, attachments: Array.from({ length: 101 }, () => ({ path: '/etc/hostname' })) }, 'compose.invalidDraft', { limit: 100 }, opts, 'err.compose.invalidDraft.attachments'),
      /höchstens 100 Anhänge/, /at most 100 attachments/);
    check(await rejects({ ...base, to: Array.from({ length: 1001 }, (_, k) => `r${k}@example.com`) }, 'compose.invalidDraft', { limit: 1000 }, opts, 'err.compose.invalidDraft.recipients'),
      /höchstens 1000 Empfänger/, /at most 1000 recipients/);
  });

  it('a bad inline-image reference is called that, not a reply that cannot be linked', async () => {
    const e = await rejects({ ...base, html: '<img src="cid:a b">', inlineImages: [{ path: '/etc/hostname', contentId: 'a b' }] }, 'compose.invalidContentId', { value: 'a b' });
    assert.match(words(e, 'en'), /image in the text/);
    assert.match(words(e, 'de'), /Bildes im Text/);
    for (const lang of ['de', 'en'] as const) assert.doesNotMatch(words(e, lang), /reply|Antwort/);
  });

  it('the SMTPUTF8 refusal says "outside ASCII", not "non-Latin": ö is a Latin letter', async () => {
    const e = await rejects({ ...base, to: 'jörg@example.com' }, 'compose.smtpUtf8Required', { address: 'jörg@example.com' });
    assert.match(words(e, 'en'), /characters outside ASCII \(such as umlauts\)/);
    assert.match(words(e, 'de'), /Zeichen außerhalb von ASCII \(etwa Umlaute\)/);
    for (const lang of ['de', 'en'] as const) assert.doesNotMatch(words(e, lang), /Latin|lateinisch/);
  });

  it('Bcc-only messages have no To header and Bcc stays in the envelope', async () => {
    const m = await composeMessage({ from: { address: 'me@example.com' }, bcc: 'a@example.com, b@example.com', subject: 's', text: 't' }, opts);
    const raw = await collect(m);
    assert.deepEqual(m.envelope.to, ['a@example.com', 'b@example.com']);
    assert.ok(!/^(to|bcc|cc):/im.test(raw.toString()));
  });

  it('other message/* and multipart/* types, and a forwarded message that cannot travel as it is, go as application/octet-stream in base64', async () => {
    const eml = join(dir, 'umlaut.eml');
    await writeFile(eml, 'Subject: Grüße\n\nschön\n');
    const longLine = join(dir, 'long.eml');
    await writeFile(longLine, `Subject: x\n\n${'y'.repeat(1200)}\n`);
    /** Each attachment's Content-Type and transfer encoding as written, and its bytes as mailparser decodes them. */
    const sent = async (attachments: NonNullable<MessageDraftInput['attachments']>, eightBitMime: boolean): Promise<Array<{ type: string; cte: string; name: string; sha: string }>> => {
      const raw = await collect(await composeMessage({ ...base, attachments }, { ...opts, eightBitMime }));
      // (mailparser itself reports application/octet-stream by the file name's type, so read the headers.)
      const written = [...raw.toString('latin1').matchAll(/Content-Type: ([^;\r]+);(?:\r\n)? name=[^\r]*\r\nContent-Transfer-Encoding: (\S+)/g)];
      const parsed = await simpleParser(raw);
      return parsed.attachments.map((a, k) => ({ type: written[k]?.[1] ?? '', cte: written[k]?.[2] ?? '', name: a.filename ?? '', sha: sha256(a.content) }));
    };
    // 8-bit bytes without 8BITMIME, and a line over 998 octets, cannot go as message/rfc822.
    for (const [attachments, eightBitMime] of [[[{ path: eml }], false], [[{ path: longLine }], true]] as const) {
      const [a] = await sent([...attachments], eightBitMime);
      assert.deepEqual(a, { type: 'application/octet-stream', cte: 'base64', name: basename(attachments[0].path), sha: sha256(await readFile(attachments[0].path)) });
    }
    const given = await sent([{ path: eml, name: 'a.bin', contentType: 'multipart/mixed' }, { path: eml, name: 'b.bin', contentType: 'message/partial' }], true);
    assert.deepEqual(given.map((a) => [a.type, a.cte]), [['application/octet-stream', 'base64'], ['application/octet-stream', 'base64']]);
    // With 8BITMIME the same file goes as message/rfc822, 8bit, and the message says it needs 8BITMIME.
    const m = await composeMessage({ ...base, attachments: [{ path: eml }] }, opts);
    assert.equal(m.requires.eightBit, true);
    assert.match((await collect(m)).toString('latin1'), /Content-Type: message\/rfc822;[^]*?Content-Transfer-Encoding: 8bit/);
  });

  it('a forwarded message that changes after composing fails the stream with a typed error, before anything wrong goes out', async () => {
    const eml = join(dir, 'changing.eml');
    await writeFile(eml, 'Subject: a\n\nplain\n');
    const m = await composeMessage({ ...base, attachments: [{ path: eml, name: 'Nachricht.eml' }] }, opts);
    await writeFile(eml, 'Subject: a\n\npl\xe4n\n', 'latin1');
    await assert.rejects(collect(m), (e: unknown) => e instanceof ComposeError && e.error.kind === 'compose.attachmentChanged' && e.error.params?.name === 'Nachricht.eml');
  });

  it('a file that changes size after composing fails the stream with a typed error', async () => {
    const path = join(dir, 'changing.bin');
    await writeFile(path, randomBytes(1000));
    const m = await composeMessage({ ...base, attachments: [{ path }] }, opts);
    await writeFile(path, randomBytes(2000));
    await assert.rejects(collect(m), (e: unknown) => e instanceof ComposeError && e.error.kind === 'compose.attachmentChanged' && e.error.params?.name === 'changing.bin');
  });

  it('no Sender header when the account is the From address', async () => {
    const raw = await collect(await composeMessage(base, { ...opts, sender: { address: 'ME@example.com' } }));
    assert.ok(!/^sender:/im.test(raw.toString()));
  });

  it('Message-IDs are unique and take the sender domain; a given one is kept', async () => {
    const ids = new Set<string>();
    for (let k = 0; k < 50; k++) ids.add((await composeMessage(base, opts)).messageId);
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^<[a-z0-9.]+@example\.com>$/);
    assert.equal((await composeMessage(base, { ...opts, messageId: 'keep.1@example.com' })).messageId, '<keep.1@example.com>');
  });

  it('the stream has back-pressure: an unread stream stops producing', async () => {
    const path = await makeBigFile('bp.bin', 8 * 1024 * 1024);
    const m = await composeMessage({ ...base, attachments: [{ path }] }, opts);
    const s = m.stream();
    s.pause();
    s.once('readable', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(s.readableLength < 1024 * 1024, `buffered ${s.readableLength}`);
    s.destroy();
  });
});

describe('composeMessage: header safety (property-based)', () => {
  const text = fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: 'binary-ascii', maxLength: 10 }), fc.constantFrom(' ', '\r', '\n', '\r\n', '=?', 'ä', '😀', '"', ',')), { maxLength: 12 })
    .map((p) => p.join('').replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
  it('CR/LF anywhere in subject, name or file name is refused; everything else round-trips within line limits', async () => {
    const path = join(dir, 'prop.bin');
    await writeFile(path, 'abc');
    await fc.assert(
      fc.asyncProperty(text, text, text.filter((s) => s.trim().length > 0 && s.length <= 255), async (subject, name, fileName) => {
        const draft: MessageDraftInput = { from: { name, address: 'me@example.com' }, to: 'you@example.com', subject, text: 'x', attachments: [{ path, name: fileName }] };
        const injected = /[\r\n]/.test(subject + name + fileName);
        if (injected) {
          await assert.rejects(composeMessage(draft, { eightBitMime: true, smtpUtf8: false }), (e: unknown) => e instanceof ComposeError && e.error.kind === 'compose.headerInjection');
          return;
        }
        const raw = await collect(await composeMessage(draft, { eightBitMime: true, smtpUtf8: false }));
        const bytes = checkBytes(raw);
        assert.equal(bytes.bareCr + bytes.bareLf, 0);
        assert.ok(bytes.longestHeaderLine <= 78, `header line ${bytes.longestHeaderLine}`);
        assert.ok(bytes.longestLine <= 998);
        const parsed = await simpleParser(raw);
        assert.equal(parsed.subject ?? '', subject);
        if (name.trim() === name && !/\s{2}|[\x00-\x1f\x7f]/.test(name)) assert.equal(parsed.from?.value[0]?.name ?? '', name);
        assert.equal(parsed.attachments[0]?.filename, fileName);
      }),
      { numRuns: 150 },
    );
  });
});

async function collect(m: ComposedMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of m.stream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
