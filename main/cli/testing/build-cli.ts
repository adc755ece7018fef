/**
 * Test support: bundles the CLI exactly as scripts/build.mjs does (esbuild, ESM, keytar
 * external) into out/cli/postbote.mjs when that file is missing or older than any source
 * under main/ or shared/, so the tests always run the built command through bin/postbote.mjs.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const bundlePath = join(repoRoot, 'out/cli/postbote.mjs');
export const binPath = join(repoRoot, 'bin/postbote.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureCliBuilt(): Promise<string> {
  const sources = Math.max(newestSource(join(repoRoot, 'main')), newestSource(join(repoRoot, 'shared')));
  if (existsSync(bundlePath) && statSync(bundlePath).mtimeMs >= sources) return bundlePath;
  const { build } = await import('esbuild');
  mkdirSync(dirname(bundlePath), { recursive: true });
  // Built beside the target and renamed into place: a parallel test file never runs half a bundle.
  const tmp = join(dirname(bundlePath), `.postbote-${process.pid}-${Date.now()}.mjs`);
  await build({
    absWorkingDir: repoRoot, entryPoints: ['main/cli/index.ts'], outfile: tmp, bundle: true, platform: 'node', target: 'node22',
    format: 'esm', external: ['electron', 'keytar'], logLevel: 'warning', legalComments: 'none',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  renameSync(tmp, bundlePath);
  return bundlePath;
}
