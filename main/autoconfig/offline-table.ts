/**
 * The offline table: SMTP facts per domain, derived from Thunderbird's ISP database
 * (MPL-2.0, see resources/ispdb/LICENSE) by scripts/build-ispdb-table.ts. Looked up
 * instantly, before anything goes on the network; our own presets win over it.
 */
import { z } from 'zod';
import { AuthMechanismSchema, SecuritySchema } from '../../shared/domain.js';
import { mechanismsFor, parseAutoconfigXml, securityOf } from './config-xml.js';
import tableJson from '../../resources/ispdb/smtp-table.json' with { type: 'json' };

export const OfflineServerSchema = z.object({
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
  username: z.string(),
  authMechanisms: z.array(AuthMechanismSchema),
  /** The file asks for no authentication. */
  noAuth: z.boolean().optional(),
});
export type OfflineServer = z.infer<typeof OfflineServerSchema>;

export const OfflineEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  smtp: z.array(OfflineServerSchema).min(1),
});
export type OfflineEntry = z.infer<typeof OfflineEntrySchema>;

export const OfflineTableSchema = z.object({
  notice: z.string(),
  source: z.string(),
  fileCount: z.number().int(),
  domainCount: z.number().int(),
  providers: z.array(OfflineEntrySchema),
});
export type OfflineTable = z.infer<typeof OfflineTableSchema>;

export const offlineTableNotice =
  'Derived from the Thunderbird ISP database (https://github.com/thunderbird/autoconfig, folder ispdb/). ' +
  'This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. ' +
  'If a copy of the MPL was not distributed with this file, You can obtain one at https://mozilla.org/MPL/2.0/.';

export interface CorpusFile {
  name: string;
  text: string;
}
export interface BuildReport {
  table: OfflineTable;
  /** Files that could not be read, with the reason (should be none). */
  problems: Array<{ name: string; message: string }>;
}

/** Derives the table from config-v1.1.xml files, keeping every outgoing server in file order. */
export function buildOfflineTable(files: readonly CorpusFile[], source: string): BuildReport {
  const providers: OfflineEntry[] = [];
  const problems: BuildReport['problems'] = [];
  const seen = new Set<string>();
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const r = parseAutoconfigXml(f.text);
    if (!r.ok) {
      problems.push({ name: f.name, message: r.message });
      continue;
    }
    // A domain listed by two files keeps the first (alphabetical file order, stable builds).
    const domains = r.doc.domains.filter((d) => !seen.has(d));
    domains.forEach((d) => seen.add(d));
    providers.push({
      id: r.doc.providerId,
      name: r.doc.displayName,
      domains,
      smtp: r.doc.outgoing.map((o) => ({
        host: o.hostname,
        port: o.port,
        security: securityOf(o.socketType),
        username: o.username,
        authMechanisms: mechanismsFor(o.authentication),
        ...(o.authentication.length > 0 && o.authentication.every((a) => a === 'none') ? { noAuth: true } : {}),
      })),
    });
  }
  return {
    table: { notice: offlineTableNotice, source, fileCount: files.length, domainCount: seen.size, providers },
    problems,
  };
}

export interface OfflineIndex {
  table: OfflineTable;
  byDomain: ReadonlyMap<string, OfflineEntry>;
}

export function indexOfflineTable(table: OfflineTable): OfflineIndex {
  const byDomain = new Map<string, OfflineEntry>();
  for (const p of table.providers) for (const d of p.domains) if (!byDomain.has(d)) byDomain.set(d, p);
  return { table, byDomain };
}

let shipped: OfflineIndex | undefined;
/** The table shipped in resources/ispdb, validated once on first use. */
export function shippedOfflineTable(): OfflineIndex {
  shipped ??= indexOfflineTable(OfflineTableSchema.parse(tableJson));
  return shipped;
}
