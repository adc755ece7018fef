import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { BodyEncoder, encodeWhole } from './body.js';

/** The obvious (slow) definition the streaming encoder must match. */
function reference(input: string, dotStuff: boolean): string {
  let s = input.replace(/\r\n|\r|\n/g, '\r\n');
  if (!s.endsWith('\r\n') && s.length > 0) s += '\r\n';
  if (dotStuff) s = s.split('\r\n').map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n') + '.\r\n';
  return s;
}

test('CRLF normalisation and dot-stuffing', () => {
  assert.equal(encodeWhole('a\nb\rc\r\n.d\n..e', true).toString(), 'a\r\nb\r\nc\r\n..d\r\n...e\r\n.\r\n');
  assert.equal(encodeWhole('.x\r\n', false).toString(), '.x\r\n');
  assert.equal(encodeWhole('', true).toString(), '.\r\n');
});

test('property: chunked encoding equals the reference, wherever the chunks split', () => {
  const alphabet = fc.constantFrom('a', '.', '\r', '\n', 'ü', ' ');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 10 }), fc.boolean(), (text, cuts, dot) => {
    const bytes = Buffer.from(text);
    const enc = new BodyEncoder({ dotStuff: dot });
    const out: Buffer[] = [];
    let pos = 0;
    for (const c of cuts) {
      out.push(enc.push(bytes.subarray(pos, Math.min(bytes.length, pos + c))));
      pos = Math.min(bytes.length, pos + c);
    }
    out.push(enc.push(bytes.subarray(pos)), enc.end());
    const got = Buffer.concat(out).toString();
    assert.equal(got, reference(text, dot));
    assert.doesNotMatch(got.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
  }), { numRuns: 500 });
});
