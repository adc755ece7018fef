import test from 'node:test';
import assert from 'node:assert/strict';
import { successOf } from './pipeline.js';
import type { SendResult } from '../smtp/types.js';

const base: SendResult = {
  accepted: ['a@example.org'], rejected: [], recipients: [{ address: 'a@example.org', accepted: true, code: 250, message: 'ok' }],
  response: { code: 250, message: 'queued' }, bytesSent: 100, timings: {},
};

test('successOf: sent; refused recipients or a refused sign-in make it a success with a warning that explains why', () => {
  assert.deepEqual(successOf(base, {}), { status: 'sent', explanation: null });

  const withoutSignIn = successOf({ ...base, authRefused: { code: 535, enhancedCode: '5.7.8', message: 'bad credentials' } }, {});
  assert.equal(withoutSignIn.status, 'sentWithWarnings');
  assert.equal(withoutSignIn.explanation?.kind, 'auth.refusedButDelivered');

  const refused = { address: 'b@example.org', accepted: false, code: 550, enhancedCode: '5.1.1', message: 'User unknown' };
  const partial = successOf({ ...base, rejected: [refused], recipients: [...base.recipients, refused], authRefused: { code: 535, message: 'no' } }, {});
  assert.equal(partial.status, 'sentWithWarnings');
  assert.equal(partial.explanation?.kind, 'recipient.partialSuccess', 'who did not get the message matters most');
});
