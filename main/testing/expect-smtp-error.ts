/** Awaits an engine operation that must fail and returns its SmtpError for assertions. */
import assert from 'node:assert/strict';
import { SmtpError } from '../smtp/index.js';

export async function rejection(p: Promise<unknown>): Promise<SmtpError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SmtpError, `expected SmtpError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the operation to fail');
}
