import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Base64LineEncoder, base64Size, encodeText, quotedPrintable } from './body.js';

/** An independent quoted-printable decoder for checking (RFC 2045 6.7). */
function qpDecode(s: string): Buffer {
  const soft = s.replace(/=\r\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=') {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(soft.charCodeAt(i));
  }
  return Buffer.from(out);
}

describe('text bodies', () => {
  it('7bit for short ASCII lines, 8bit only with 8BITMIME, quoted-printable otherwise', () => {
    assert.equal(encodeText('hello\nworld', true).encoding, '7bit');
    assert.equal(encodeText('grüße', true).encoding, '8bit');
    assert.equal(encodeText('grüße', false).encoding, 'quoted-printable');
    assert.equal(encodeText('x'.repeat(999), true).encoding, 'quoted-printable');
    assert.equal(encodeText('x'.repeat(998), true).encoding, '7bit');
    assert.equal(encodeText('nul\u0000', true).encoding, 'quoted-printable');
    assert.equal(encodeText('a\rb\nc\r\nd', true).body.toString(), 'a\r\nb\r\nc\r\nd');
  });

  it('quoted-printable: lines ≤ 76, trailing white space and "."/"From " at line starts encoded, round-trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '.', 'F', 'r', 'o', 'm', '=', 'ä', '😀', '\r\n', 'x', '你'), maxLength: 600 }), (text) => {
        const crlf = text.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n');
        const qp = quotedPrintable(Buffer.from(crlf, 'utf8')).toString('latin1');
        for (const line of qp.split('\r\n')) {
          assert.ok(line.length <= 76, `line ${line.length}`);
          assert.ok(!/[ \t]$/.test(line), 'no trailing white space');
          assert.ok(!line.startsWith('.') && !line.startsWith('From '), line);
          assert.ok(/^[\x20-\x7e\t]*$/.test(line));
        }
        assert.equal(qpDecode(qp).toString('utf8'), crlf);
      }),
      { numRuns: 400 },
    );
  });
});

describe('base64 bodies', () => {
  it('the size formula matches the encoder for every length around line and group edges', () => {
    for (let n = 0; n < 400; n++) {
      const enc = new Base64LineEncoder();
      const data = randomBytes(n);
      const out = Buffer.concat([enc.push(data), enc.end()]);
      assert.equal(out.length, base64Size(n), `n=${n}`);
      assert.deepEqual(Buffer.from(out.toString('latin1').replace(/\r\n/g, ''), 'base64'), data);
    }
  });

  it('any chunking gives the same lines of 76 characters joined by CRLF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 30 }), (bytes, cuts) => {
        const data = Buffer.from(bytes);
        const enc = new Base64LineEncoder();
        const parts: Buffer[] = [];
        let pos = 0;
        for (let k = 0; pos < data.length; k++) {
          const len = cuts[k % cuts.length] ?? 1;
          parts.push(enc.push(data.subarray(pos, pos + len)));
          pos += len;
        }
        parts.push(enc.end());
        const out = Buffer.concat(parts).toString('latin1');
        const expected = (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
        assert.equal(out, expected);
      }),
      { numRuns: 200 },
    );
  });
});
