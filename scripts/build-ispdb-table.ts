/**
 * Derives resources/ispdb/smtp-table.json (domain → SMTP servers) from the
 * config-v1.1.xml files of Thunderbird's ISP database, and copies its MPL-2.0 licence.
 *
 *   npx tsx scripts/build-ispdb-table.ts [corpus-dir]     (default: ../shared/ispdb)
 *   npx tsx scripts/build-ispdb-table.ts --check          (fails when the shipped table is stale)
 */
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOfflineTable, type CorpusFile } from '../main/autoconfig/offline-table.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultCorpusDir = resolve(repoRoot, '..', 'shared', 'ispdb');
export const tablePath = join(repoRoot, 'resources', 'ispdb', 'smtp-table.json');

export function readCorpus(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export const serialiseTable = (table: unknown): string => `${JSON.stringify(table, null, 1)}\n`;

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const dir = resolve(argv.find((a) => !a.startsWith('--')) ?? defaultCorpusDir);
  if (!existsSync(dir)) {
    console.error(`corpus folder not found: ${dir}`);
    return 2;
  }
  const files = readCorpus(dir);
  const { table, problems } = buildOfflineTable(files, 'thunderbird/autoconfig ispdb/ (commit c6ad796)');
  for (const p of problems) console.error(`${p.name}: ${p.message}`);
  if (problems.length > 0) return 1;
  const text = serialiseTable(table);
  if (check) {
    const current = existsSync(tablePath) ? readFileSync(tablePath, 'utf8') : '';
    if (current !== text) {
      console.error('resources/ispdb/smtp-table.json is stale: run npx tsx scripts/build-ispdb-table.ts');
      return 1;
    }
    console.log('offline table is up to date');
    return 0;
  }
  writeFileSync(tablePath, text);
  const licence = join(dir, 'LICENSE');
  if (existsSync(licence)) copyFileSync(licence, join(repoRoot, 'resources', 'ispdb', 'LICENSE'));
  console.log(`${files.length} files, ${table.providers.length} providers, ${table.domainCount} domains → ${tablePath}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
