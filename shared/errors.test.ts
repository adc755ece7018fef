import { test, assert } from '../main/testing/node-test.js';
import { AppErrorSchema } from './errors.js';

test('AppError schema accepts a structured error and rejects a bare string', () => {
  assert.equal(AppErrorSchema.safeParse({ kind: 'auth.failed', messageKey: 'err.auth.failed', detail: { phase: 'auth', cause: 'reply', code: 535, message: 'x' } }).success, true);
  assert.equal(AppErrorSchema.safeParse('failed').success, false);
});
