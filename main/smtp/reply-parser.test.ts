import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { ReplyParser, ReplyProtocolError, parseReply, splitEnhancedCode } from './reply-parser.js';
import { parseEhlo } from './capabilities.js';

test('single and multi-line replies', () => {
  const r = parseReply('250-mx.example.test greets you\r\n250-SIZE 10240000\r\n250 PIPELINING\r\n');
  assert.equal(r.code, 250);
  assert.deepEqual(r.lines, ['mx.example.test greets you', 'SIZE 10240000', 'PIPELINING']);
  assert.equal(r.message, 'mx.example.test greets you\nSIZE 10240000\nPIPELINING');
  assert.equal(parseReply('220').message, '');
});

test('enhanced status codes only when advertised, class must match', () => {
  assert.equal(parseReply('550 5.1.1 unknown user').enhancedCode, undefined);
  const r = parseReply('550-5.1.1 unknown\r\n550 5.1.1 user', { enhancedStatusCodes: true });
  assert.equal(r.enhancedCode, '5.1.1');
  assert.deepEqual(r.lines, ['unknown', 'user']);
  assert.deepEqual(splitEnhancedCode(550, '2.0.0 odd'), { text: '2.0.0 odd' });
  assert.deepEqual(splitEnhancedCode(452, '4.5.3 Too many'), { enhancedCode: '4.5.3', text: 'Too many' });
});

test('several replies in one read, one reply over many reads', () => {
  const p = new ReplyParser();
  const out = p.push(Buffer.from('250 a\r\n251 b\r\n354 c\r\n2'));
  assert.deepEqual(out.map((r) => r.code), [250, 251, 354]);
  assert.equal(p.bufferedBytes, 1);
  assert.deepEqual(p.push(Buffer.from('21 bye\r\n')).map((r) => r.code), [221]);
});

test('property: any split of a reply stream yields the same replies', () => {
  const line = fc.stringMatching(/^[ -~]{0,60}$/);
  const reply = fc.tuple(fc.integer({ min: 200, max: 599 }), fc.array(line, { minLength: 1, maxLength: 5 }));
  fc.assert(fc.property(fc.array(reply, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 30 }), (replies, cuts) => {
    const text = replies.map(([code, lines]) => lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('')).join('');
    const bytes = Buffer.from(text);
    const p = new ReplyParser();
    const got = [];
    let pos = 0;
    for (const c of cuts) {
      got.push(...p.push(bytes.subarray(pos, Math.min(bytes.length, pos + c))));
      pos = Math.min(bytes.length, pos + c);
    }
    got.push(...p.push(bytes.subarray(pos)));
    assert.deepEqual(got.map((r) => [r.code, r.lines]), replies.map(([c, l]) => [c, l]));
    assert.equal(p.bufferedBytes, 0);
  }), { numRuns: 300 });
});

test('garbage, code changes and unbounded input are protocol errors', () => {
  assert.throws(() => parseReply('hello'), (e: unknown) => e instanceof ReplyProtocolError && e.kind === 'garbage');
  assert.throws(() => parseReply('250x ok'), ReplyProtocolError);
  assert.throws(() => parseReply('250-a\r\n251 b'), (e: unknown) => e instanceof ReplyProtocolError && e.kind === 'code-mismatch');
  const p = new ReplyParser({ limits: { maxLineBytes: 100 } });
  assert.throws(() => { for (let i = 0; i < 20; i++) p.push(Buffer.from('2222222222')); }, (e: unknown) => e instanceof ReplyProtocolError && e.kind === 'overlong');
  const q = new ReplyParser({ limits: { maxLines: 10 } });
  assert.throws(() => q.push(Buffer.from('250-x\r\n'.repeat(11))), (e: unknown) => e instanceof ReplyProtocolError && e.kind === 'too-many-lines');
});

test('EHLO capabilities incl. the old AUTH= form', () => {
  const caps = parseEhlo(['mx.test hi', 'SIZE 52428800', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'STARTTLS', 'CHUNKING', 'DSN', 'ENHANCEDSTATUSCODES', 'AUTH LOGIN PLAIN', 'AUTH=LOGIN CRAM-MD5', 'X-EXOTIC a b']);
  assert.equal(caps.serverName, 'mx.test');
  assert.equal(caps.size, 52428800);
  for (const k of ['pipelining', 'eightBitMime', 'smtpUtf8', 'startTls', 'chunking', 'dsn', 'enhancedStatusCodes'] as const) assert.equal(caps[k], true, k);
  assert.deepEqual(caps.authMechanisms, ['LOGIN', 'PLAIN', 'CRAM-MD5']);
  assert.deepEqual(caps.extensions['X-EXOTIC'], ['a', 'b']);
  assert.equal(parseEhlo(['x', 'SIZE']).size, 0);
});
