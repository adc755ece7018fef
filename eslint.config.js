// Lint rules, including the house's import boundaries (see ../shared/DESIGN.md):
// only app/ may import electron; renderer/ runs in a sandboxed page and may not import
// Node; shared/ is imported by both sides and so may import neither.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*', 'fs', 'fs/*', 'path', 'net', 'tls', 'os', 'crypto', 'child_process', 'http', 'https',
  'dns', 'stream', 'stream/*', 'events', 'util', 'worker_threads', 'zlib', 'url', 'buffer', 'module',
];
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
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
    rules: restrict(['electron', 'electron/*'], 'main/ is plain Node: only app/ may import electron.'),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(['electron', 'electron/*', ...nodeBuiltins], 'renderer/ is browser code: no Node or Electron imports; use window.postbote.'),
  },
  {
    files: ['shared/**/*.ts'],
    // Tests run in Node and may use node:test; the code under test may not.
    ignores: ['**/*.test.ts'],
    rules: restrict(['electron', 'electron/*', 'react', 'react-dom', 'react/*', ...nodeBuiltins], 'shared/ is imported by both sides: no Node, Electron or React.'),
  },
);
