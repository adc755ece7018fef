#!/usr/bin/env node
// One build for every host: the renderer with Vite, the Electron main bundle, the preload
// and the CLI with esbuild. Output goes to out/ (see the README for why two tools).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const started = Date.now();
const node = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
// keytar is a native N-API module: loaded from node_modules at run time, never bundled.
const external = ['electron', 'keytar'];

await Promise.all([
  viteBuild({ configFile: 'vite.config.mjs', logLevel: 'warn' }),
  esbuild({ ...node, entryPoints: ['app/main.ts'], outfile: 'out/app/main.cjs', format: 'cjs', external }),
  // The preload runs sandboxed: it may only require('electron'); everything else is bundled.
  esbuild({ ...node, entryPoints: ['app/preload.ts'], outfile: 'out/app/preload.cjs', format: 'cjs', external: ['electron'], minify: true }),
  existsSync('main/cli/index.ts')
    ? esbuild({ ...node, entryPoints: ['main/cli/index.ts'], outfile: 'out/cli/postbote.mjs', format: 'esm', external,
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } })
    : Promise.resolve(),
]);
mkdirSync('out', { recursive: true });
writeFileSync('out/build-info.json', JSON.stringify({ builtAt: new Date().toISOString() }, null, 2));
console.log(`build: renderer, main, preload${existsSync('main/cli/index.ts') ? ', cli' : ''} in ${Date.now() - started} ms`);
