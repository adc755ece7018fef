#!/usr/bin/env node
// The package's `postbote` command: runs the bundled CLI (out/cli/postbote.mjs, made by
// `npm run build`). Exit code 78 (configuration error) when it has not been built yet.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/postbote.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('postbote: the command line has not been built yet. Run "npm run build" in the Postbote folder first.\n'
    + 'postbote: die Kommandozeile ist noch nicht gebaut. Führen Sie zuerst "npm run build" im Postbote-Ordner aus.\n');
  process.exit(78);
}
// node:sqlite still announces itself as experimental on Node 22; that line is noise for a
// command-line user, every other warning still shows.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message ?? '';
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type ?? (typeof warning === 'object' ? warning?.name : '');
  if (type === 'ExperimentalWarning' && /SQLite/i.test(text)) return;
  emitWarning(warning, ...rest);
};
const { run } = await import('../out/cli/postbote.mjs');
await run();
