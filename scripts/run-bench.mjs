#!/usr/bin/env node
// Runs the benchmarks in bench/ one after another (never in parallel: they measure time
// and memory). `npm run bench` runs all; `npm run bench -- smtp` those whose name matches.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const filter = process.argv[2];
const files = globSync('bench/*.ts').filter((f) => !f.endsWith('.test.ts') && (!filter || f.includes(filter))).sort();
if (files.length === 0) {
  console.error(`no benchmarks match ${filter ?? '(all)'}`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings=ExperimentalWarning', '--expose-gc', file, ...process.argv.slice(3)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
