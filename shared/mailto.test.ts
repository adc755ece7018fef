import { test, assert } from '../main/testing/node-test.js';
import { parseMailto } from './mailto.js';

test('mailto links fill the visible fields only', () => {
  assert.deepEqual(parseMailto('mailto:anna@example.org,ben@example.net?cc=c@example.com&subject=Gr%C3%BC%C3%9Fe&body=Hallo%0D%0Awelt&X-Evil=1'), {
    to: ['anna@example.org', 'ben@example.net'], cc: ['c@example.com'], bcc: [], subject: 'Grüße', body: 'Hallo\nwelt',
  });
  assert.equal(parseMailto('mailto:?subject=a%0D%0ABcc:%20x@evil.example')?.subject, 'a Bcc: x@evil.example');
  assert.equal(parseMailto('mailto:a+tag@example.org')?.to[0], 'a+tag@example.org');
  assert.equal(parseMailto('https://example.org'), undefined);
  assert.deepEqual(parseMailto('mailto:%E0%A4%A')?.to, ['%E0%A4%A']);
});
