/**
 * How tests treat a missing server or browser: under CI (CI=true) it is a failure, on a
 * developer's laptop the test is skipped with the reason. Use at the top of a test:
 *
 *   if (skipUnless(t, await postfixAvailable(), 'Postfix is not running on loopback')) return;
 */
import type { TestContext } from 'node:test';

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Returns true when the caller should return early (skipped); throws under CI. */
export function skipUnless(t: TestContext, available: boolean, reason: string): boolean {
  if (available) return false;
  if (isCI()) throw new Error(`Required test dependency missing under CI: ${reason}`);
  t.skip(reason);
  return true;
}
