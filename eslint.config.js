// Lint rules, including the house's import boundaries (see ../shared/DESIGN.md):
// only app/ may import electron; renderer/ runs in a sandboxed page and may not import
// Node; shared/ is imported by both sides and so may import neither.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Every Node built-in, with and without the node: prefix, and their sub-paths (fs/promises …).
const nodeBuiltins = ['node:*', ...builtinModules.flatMap((m) => [m, `${m}/*`])];
/** A relative import that climbs into one of these top-level folders (../../main/store …). */
const intoFolders = (folders) => `^(\\./)?(\\.\\./)+(${folders.join('|')})(/|$)`;
const restrict = (groups, message, folders = []) => ({
  'no-restricted-imports': ['error', { patterns: [
    { group: groups, message },
    ...(folders.length > 0 ? [{ regex: intoFolders(folders), message }] : []),
  ] }],
  // import('electron') and require('electron') are imports too.
  'no-restricted-syntax': ['error',
    ...groups.filter((g) => !g.includes('*')).flatMap((name) => [
      { selector: `ImportExpression[source.value='${name}']`, message },
      { selector: `CallExpression[callee.name='require'][arguments.0.value='${name}']`, message },
    ]),
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: restrict(['electron', 'electron/*'], 'main/ is plain Node: only app/ may import electron (and main/ does not reach into app/ or renderer/).', ['app', 'renderer']),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(['electron', 'electron/*', ...nodeBuiltins], 'renderer/ is browser code: no Node or Electron imports, and no main/ or app/ code; use window.postbote.', ['main', 'app']),
  },
  {
    files: ['shared/**/*.ts'],
    // Tests run in Node and may use node:test; the code under test may not.
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', 'electron/*', 'react', 'react-dom', 'react/*', ...nodeBuiltins], 'shared/ is imported by both sides: no Node, Electron or React, and nothing from main/, app/ or renderer/.', ['main', 'app', 'renderer']),
  },
);
