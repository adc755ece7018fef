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
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
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

test('the boundaries also hold for every Node built-in, for code climbing into another folder, and for dynamic imports', async () => {
  for (const mod of ['vm', 'readline', 'node:sqlite', 'fs/promises', 'dgram']) {
    assert.equal((await restrictedImportErrors('renderer/src/deliberate.tsx', `import * as m from '${mod}';\nexport const x = m;\n`)).length, 1, `renderer: ${mod}`);
    assert.equal((await restrictedImportErrors('shared/deliberate.ts', `import * as m from '${mod}';\nexport const x = m;\n`)).length, 1, `shared: ${mod}`);
  }
  for (const [file, spec] of [
    ['renderer/src/deliberate.tsx', '../../main/store/index.js'],
    ['renderer/src/components/deliberate.tsx', '../../../app/main.js'],
    ['shared/deliberate.ts', '../main/services/index.js'],
    ['shared/contract/deliberate.ts', '../../renderer/src/api.js'],
    ['main/smtp/deliberate.ts', '../../app/ipc.js'],
  ] as const) {
    assert.equal((await restrictedImportErrors(file, `import * as m from '${spec}';\nexport const x = m;\n`)).length, 1, `${file} → ${spec}`);
  }
  assert.equal((await restrictedImportErrors('main/smtp/deliberate.ts', "export const load = () => import('electron');\n")).length, 1, 'import(electron)');
  assert.equal((await restrictedImportErrors('main/smtp/deliberate.ts', "export const e = require('electron');\n")).length, 1, 'require(electron)');
  // Imports inside one's own folder stay allowed.
  assert.deepEqual(await restrictedImportErrors('renderer/src/sections/fine.tsx', "import { call } from '../api.js';\nexport const x = call;\n"), []);
  assert.deepEqual(await restrictedImportErrors('main/cli/fine.ts', "import { x as y } from '../smtp/index.js';\nexport const x = y;\n"), []);
});
