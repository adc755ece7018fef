import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { CrlfNormalizer, readRawMessage } from './raw-message.js';
import { ComposeError } from './errors.js';

const collect = async (s: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const MESSAGE = [
  'From: Jörg <joerg@bücher.example>',
  'To: Anna <anna@example.com>, "Last, First"',
  ' <lf@example.org>',
  'Cc: =?UTF-8?Q?M=C3=BCller=2C_Hans?= <hans@example.de>',
  'Bcc: secret@example.net,',
  '\tother@example.net',
  'Subject: test',
  'Message-ID: <id.1@bücher.example>',
  '',
  'Body line 1',
  '.leading dot',
  'From the start',
  '',
].join('\n');

describe('readRawMessage (sendmail -t)', () => {
  it('takes recipients from To, Cc and Bcc, drops Bcc, makes every line end CRLF', async () => {
    const { info, stream } = await readRawMessage(Buffer.from(MESSAGE));
    assert.deepEqual(info.recipients, ['anna@example.com', 'lf@example.org', 'hans@example.de', 'secret@example.net', 'other@example.net']);
    assert.equal(info.from[0]?.ascii, 'joerg@xn--bcher-kva.example');
    assert.equal(info.bcc.length, 2);
    assert.equal(info.messageId, '<id.1@bücher.example>');
    assert.equal(info.needsSmtpUtf8, false);
    const out = await collect(stream);
    assert.ok(!/^bcc:/im.test(out));
    assert.ok(!/other@example\.net/.test(out), 'the folded continuation of Bcc is dropped too');
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(out), 'CRLF only');
    assert.equal(out, MESSAGE.replace(/Bcc: secret@example.net,\n\tother@example.net\n/, '').replace(/\n/g, '\r\n'));
  });

  it('streams: works chunk by chunk, with CRLF split across chunks, and adds a final CRLF', async () => {
    const text = 'To: a@example.com\r\nBcc: b@example.com\r\n\r\nline1\r\nline2\rline3\nend';
    const chunks = Array.from(text, (ch) => Buffer.from(ch));
    const { info, stream } = await readRawMessage(Readable.from(chunks));
    assert.deepEqual(info.recipients, ['a@example.com', 'b@example.com']);
    assert.equal(await collect(stream), 'To: a@example.com\r\n\r\nline1\r\nline2\r\nline3\r\nend\r\n');
  });

  it('a message without a body, and one with an mbox "From " line', async () => {
    const { info, stream } = await readRawMessage('From sender Mon Jan 1 00:00:00 2026\nTo: a@example.com\nSubject: x');
    assert.deepEqual(info.recipients, ['a@example.com']);
    assert.equal(await collect(stream), 'To: a@example.com\r\nSubject: x\r\n\r\n');
  });

  it('invalid addresses and broken headers are typed errors', async () => {
    await assert.rejects(readRawMessage('To: anna.example.com\n\nx'), (e: unknown) => e instanceof ComposeError && e.error.kind === 'compose.invalidAddress' && e.error.params?.address === 'anna.example.com');
    await assert.rejects(readRawMessage('To: a@example.com\nthis is not a header\n\nx'), (e: unknown) => e instanceof ComposeError && e.error.kind === 'compose.invalidMessage');
    await assert.rejects(readRawMessage(Buffer.alloc(2 * 1024 * 1024, 'a')), (e: unknown) => e instanceof ComposeError && e.error.params?.reason === 'headerTooLarge');
  });

  it('the body is not read before the stream is', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('To: a@example.com\n\n');
      for (let k = 0; k < 100; k++) {
        pulled++;
        yield Buffer.alloc(1024, 'x');
      }
    }
    const { stream } = await readRawMessage(source());
    assert.equal(pulled, 0);
    const out = await collect(stream);
    assert.equal(pulled, 100);
    assert.equal(out.length, 'To: a@example.com\r\n\r\n'.length + 100 * 1024 + 2);
  });

  it('CrlfNormalizer leaves CRLF alone and fixes bare CR and LF', async () => {
    const n = new CrlfNormalizer();
    const out = collect(n);
    n.write('a\r');
    n.write('\nb\n\rc\r');
    n.end('\r\n');
    assert.equal(await out, 'a\r\nb\r\n\r\nc\r\n\r\n');
  });
});
