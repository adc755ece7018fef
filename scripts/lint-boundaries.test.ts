/**
 * The house's import boundaries are enforced by lint, so CI fails when they are crossed:
 * main/ importing electron, renderer/ importing Node, shared/ importing either (or React).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint();
async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('main/ may not import electron', async () => {
  const errors = await restrictedImportErrors('main/smtp/deliberate.ts', "import { app } from 'electron';\nexport const x = app;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /only app\/ may import electron/);
  assert.deepEqual(await restrictedImportErrors('main/smtp/fine.ts', "import { connect } from 'node:net';\nexport const x = connect;\n"), []);
});

test('renderer/ may not import Node or Electron', async () => {
  for (const mod of ['node:fs', 'fs', 'child_process', 'electron', 'net']) {
    const errors = await restrictedImportErrors('renderer/src/deliberate.tsx', `import * as m from '${mod}';\nexport const x = m;\n`);
    assert.equal(errors.length, 1, mod);
  }
});

test('shared/ may import neither Node, Electron nor React', async () => {
  for (const mod of ['node:crypto', 'electron', 'react']) {
    const errors = await restrictedImportErrors('shared/deliberate.ts', `import * as m from '${mod}';\nexport const x = m;\n`);
    assert.equal(errors.length, 1, mod);
  }
  assert.deepEqual(await restrictedImportErrors('shared/fine.ts', "import { z } from 'zod';\nexport const x = z;\n"), []);
});

test('app/ is the one place that may import electron', async () => {
  assert.deepEqual(await restrictedImportErrors('app/deliberate.ts', "import { app } from 'electron';\nexport const x = app;\n"), []);
});
