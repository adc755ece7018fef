/**
 * Every text the command line can print fills all of its placeholders, in German and English:
 * the literal calls found in main/cli's source are rendered with exactly the parameters they
 * pass, and the composer's refusals (whose parameters the composer chooses) are produced for
 * real and rendered the way the CLI renders them. A "{file}" the code never supplies would
 * otherwise reach a person as "{file}".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { Lang } from '../../shared/domain.js';
import type { AppError } from '../../shared/errors.js';
import { cliEn } from '../../shared/i18n/cli.en.js';
import type { MessageDraftInput } from '../../shared/message.js';
import { composeMessage, isComposeError, readRawMessage, type ComposeOptions } from '../mime/index.js';
import { appErrorText, createCtx, type Ctx } from './common.js';

const leftover = /\{[A-Za-z0-9_]+\}/;
const cliDir = new URL('.', import.meta.url);

function ctxOf(lang: Lang): Ctx {
  const sink = { write: () => true };
  return createCtx({ stdin: (async function* () { /* nothing */ })(), stdout: sink, stderr: sink, env: {} }, lang, false);
}

interface TextCall { key: string; params: string[]; where: string }

/** String literals an expression can evaluate to (a literal, or either side of a ?: of literals). */
function literalKeys(e: ts.Expression): string[] | null {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isParenthesizedExpression(e)) return literalKeys(e.expression);
  if (ts.isConditionalExpression(e)) {
    const a = literalKeys(e.whenTrue);
    const b = literalKeys(e.whenFalse);
    return a && b ? [...a, ...b] : null;
  }
  return null;
}

/** The parameter names an object literal passes; null when they cannot be known (a spread, a variable). */
function paramNames(e: ts.Expression | undefined): string[] | null {
  if (e === undefined) return [];
  if (!ts.isObjectLiteralExpression(e)) return null;
  const names: string[] = [];
  for (const p of e.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) names.push(p.name.text);
    else return null;
  }
  return names;
}

/** ctx.t / t (key, params), usage(key, params), new CliError(code, key, params, kind) in main/cli. */
function literalTextCalls(): { calls: TextCall[]; dynamic: number } {
  const calls: TextCall[] = [];
  let dynamic = 0;
  const files = readdirSync(cliDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(new URL(file, cliDir), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let keyArg: ts.Expression | undefined;
      let paramsArg: ts.Expression | undefined;
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (name === 't' || name === 'usage') [keyArg, paramsArg] = node.arguments;
      } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'CliError') {
        [, keyArg, paramsArg] = node.arguments ?? [];
      }
      if (keyArg) {
        const keys = literalKeys(keyArg);
        const params = paramNames(paramsArg);
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (keys && params) for (const key of keys) calls.push({ key, params, where });
        else dynamic++;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { calls, dynamic };
}

test('every literal CLI text call names an existing text and fills all its placeholders (de, en)', () => {
  const { calls } = literalTextCalls();
  assert.ok(calls.length > 150, `the scan found only ${calls.length} calls`);
  for (const lang of ['de', 'en'] as const) {
    const ctx = ctxOf(lang);
    for (const c of calls) {
      if (!c.key.startsWith('cli.')) continue;
      const text = ctx.t(c.key, Object.fromEntries(c.params.map((p) => [p, 'X'])));
      assert.notEqual(text, c.key, `${c.where}: ${c.key} has no ${lang} text`);
      assert.doesNotMatch(text, leftover, `${c.where}: ${c.key} (${lang}) with {${c.params.join(', ')}} leaves a placeholder: ${text}`);
    }
  }
});

test('every CLI text with a placeholder is used by a call that fills it, or is a composer refusal', () => {
  const used = new Set(literalTextCalls().calls.map((c) => c.key));
  for (const [key, text] of Object.entries(cliEn)) {
    if (!leftover.test(text) || key.startsWith('cli.err.compose.')) continue;
    assert.ok(used.has(key), `${key} has placeholders but no call in main/cli passes its parameters`);
  }
});

/** One real refusal of every kind the composer and the raw-message reader produce. */
async function realComposeErrors(dir: string): Promise<AppError[]> {
  const base: MessageDraftInput = { from: { address: 'alice@example.test' }, to: 'bob@example.test', subject: 'Hi', text: 'x' };
  const compose = (draft: Partial<MessageDraftInput>, smtpUtf8 = true, options: Partial<ComposeOptions> = {}) =>
    composeMessage({ ...base, ...draft } as MessageDraftInput, { eightBitMime: false, smtpUtf8, ...options });
  const changing = join(dir, 'growing.txt');
  writeFileSync(changing, 'abc');
  const attempts: Array<() => Promise<unknown>> = [
    () => compose({ subject: 'a\r\nBcc: x@example.test' }),
    () => compose({ to: 'bob@' }),
    () => compose({ from: { address: 'jörg@example.test' } }, false),
    () => compose({ to: [] }),
    () => compose({ customHeaders: [{ name: 'Bad Name', value: 'x' }] }),
    () => compose({}, true, { messageIdDomain: `${'a'.repeat(1000)}.test` }),
    () => compose({ inlineImages: [{ path: changing, contentId: 'a b' }] }),
    () => compose({ customHeaders: [{ name: 'Message-ID', value: '<x@y>' }] }),
    () => compose({ inReplyTo: 'no id' }),
    () => compose({ attachments: [{ path: join(dir, 'missing.pdf') }] }),
    () => compose({ attachments: [{ path: dir }] }),
    async () => {
      const m = await compose({ attachments: [{ path: changing }] });
      writeFileSync(changing, 'abcdef');
      for await (const chunk of m.stream()) void chunk;
    },
    () => composeMessage({} as MessageDraftInput, { eightBitMime: false, smtpUtf8: true }),
    () => readRawMessage('Subject: x\nnot a header\n\nbody\n'),
    () => readRawMessage(`X-Long: ${'a'.repeat(1024 * 1024 + 10)}`),
    () => readRawMessage('To: bob@\n\nbody\n'),
  ];
  const errors: AppError[] = [];
  for (const attempt of attempts) {
    try {
      await attempt();
      assert.fail('expected a refusal');
    } catch (e) {
      assert.ok(isComposeError(e), String(e));
      errors.push(e.error);
    }
  }
  return errors;
}

test('every composer refusal reads as a sentence in both languages, its parameters filled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'postbote-cli-texts-'));
  try {
    const errors = await realComposeErrors(dir);
    const kinds = [...readFileSync(new URL('../mime/errors.ts', import.meta.url), 'utf8').matchAll(/\| '(compose\.\w+)'/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(errors.map((e) => e.kind))].sort(), [...new Set(kinds)].sort(), 'every kind is produced once for real');
    for (const lang of ['de', 'en'] as const) {
      const ctx = ctxOf(lang);
      for (const e of errors) {
        const text = appErrorText(ctx, e);
        assert.doesNotMatch(text, leftover, `${e.kind} (${lang}): ${text}`);
        // The reason is words, never the parser's key or a raw system code.
        assert.doesNotMatch(text, /address\.\w+|badHeaderLine|headerTooLarge|\bENOENT\b|\bEISDIR\b/, `${e.kind} (${lang}): ${text}`);
      }
    }
    const en = ctxOf('en');
    const byKind = (kind: string, reason?: string) => errors.find((e) => e.kind === kind && (reason === undefined || e.params?.reason === reason));
    assert.equal(appErrorText(en, byKind('compose.invalidMessage', 'badHeaderLine') as AppError),
      'The message on standard input cannot be read: the line "not a header" stands among the header fields but is not one ("Name: value"). An empty line must separate the header fields from the text.');
    assert.match(appErrorText(en, byKind('compose.invalidMessage', 'headerTooLarge') as AppError), /larger than 1 MB\.$/);
    assert.equal(appErrorText(en, byKind('compose.attachmentNotFound') as AppError), `The attachment "${join(dir, 'missing.pdf')}" cannot be read (no such file or folder).`);
    assert.match(appErrorText(ctxOf('de'), byKind('compose.invalidAddress') as AppError), /^Ungültige Adresse in to: „bob@“ – der Teil nach dem @ fehlt\.$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
