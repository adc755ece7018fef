import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { skipUnless } from '../testing/environment.js';
import { parseXml, textOf, childElements } from './xml.js';
import { fillTemplate, mechanismsFor, parseAutoconfigXml } from './config-xml.js';
import { buildOfflineTable, shippedOfflineTable } from './offline-table.js';
import { readCorpus, serialiseTable, tablePath } from '../../scripts/build-ispdb-table.js';
import { configXml } from './test-servers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = resolve(repoRoot, '..', 'shared', 'ispdb');

test('xml: entities, character references, CDATA, comments, attributes', () => {
  const r = parseXml(`<?xml version="1.0"?>\n<!-- lead -->\n<!DOCTYPE a>\n<a x='1' y="&lt;&amp;&quot;">T&#x41;&#66;<![CDATA[<raw&>]]><!-- c --><b/></a>\n<!-- tail -->`);
  assert.ok(r.ok);
  assert.equal(r.root.attrs['y'], '<&"');
  assert.equal(textOf(r.root), 'TAB<raw&>');
  assert.equal(childElements(r.root, 'b').length, 1);
});

test('xml: malformed input is refused with a position', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /empty/], ['<a>', /not closed/], ['<a></b>', /does not match/], ['<a/><b/>', /more than one root/],
    ['<a>&foo;</a>', /undefined entity/], ['<a>& b</a>', /entity reference/], ['<a x=1/>', /quoted/],
    ['<a x="1" x="2"/>', /twice/], ['<!DOCTYPE a [<!ENTITY e "x">]><a/>', /internal subset/], ['text<a/>', /before the root/],
    ['<a>&#0;</a>', /character reference/], ['<a><!-- x -- y --></a>', /comment/], ['<a><![CDATA[x</a>', /CDATA/],
  ];
  for (const [input, why] of bad) {
    const r = parseXml(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) {
      assert.match(r.error.message, why, input);
      assert.ok(r.error.line >= 1 && r.error.column >= 1);
    }
  }
  const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
  assert.equal(parseXml(deep).ok, false);
  assert.equal(parseXml('<a/>', { maxLength: 2 }).ok, false);
});

test('xml: never throws on arbitrary input', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { parseXml(s); parseAutoconfigXml(s); }), { numRuns: 2000 });
  const alphabet = fc.constantFrom('<', '>', '/', 'a', '"', '=', '&', ';', '!', '-', '[', ']', '?', ' ', 'amp', 'CDATA');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => { parseXml(parts.join('')); }), { numRuns: 2000 });
});

test('config-v1.1: outgoing servers in order, placeholders, authentication values', () => {
  const r = parseAutoconfigXml(configXml([
    { host: 'smtp.%EMAILDOMAIN%', port: 465, socketType: 'SSL', username: '%EMAILLOCALPART%' },
    { host: 'smtp.example.test', port: 587, socketType: 'STARTTLS', auth: 'OAuth2' },
  ]));
  assert.ok(r.ok);
  assert.deepEqual(r.doc.outgoing.map((o) => [o.hostname, o.port, o.socketType, o.username]), [
    ['smtp.%EMAILDOMAIN%', 465, 'SSL', '%EMAILLOCALPART%'], ['smtp.example.test', 587, 'STARTTLS', '%EMAILADDRESS%']]);
  const a = { address: 'max@example.test', localPart: 'max', domain: 'example.test' };
  assert.equal(fillTemplate(r.doc.outgoing[0]!.hostname, a), 'smtp.example.test');
  assert.equal(fillTemplate('%EMAILLOCALPART%.%EMAILDOMAIN%', a), 'max.example.test');
  assert.deepEqual(mechanismsFor(['OAuth2']), ['XOAUTH2', 'OAUTHBEARER']);
  assert.deepEqual(mechanismsFor(['none']), []);
});

test('config-v1.1: wrong root, no SMTP server, bad port are explained', () => {
  assert.match((parseAutoconfigXml('<foo/>') as { message: string }).message, /clientConfig/);
  assert.match((parseAutoconfigXml('<clientConfig><emailProvider id="x"/></clientConfig>') as { message: string }).message, /no outgoing/);
  assert.match((parseAutoconfigXml(configXml([{ host: 'a.test', port: 99999, socketType: 'SSL' }])) as { message: string }).message, /invalid port/);
  assert.match((parseAutoconfigXml(configXml([{ host: 'a.test', port: 25, socketType: 'weird' }])) as { message: string }).message, /socketType/);
  assert.match((parseAutoconfigXml('<clientConfig><emailProvider>') as { message: string }).message, /malformed XML at line 1/);
});

test('ISPDB corpus: every one of the 163 files parses, about 960 domains', (t) => {
  if (skipUnless(t, existsSync(corpusDir), `ISPDB corpus not found at ${corpusDir}`)) return;
  const files = readCorpus(corpusDir);
  assert.equal(files.length, 163);
  let domains = 0;
  let servers = 0;
  for (const f of files) {
    const r = parseAutoconfigXml(f.text);
    assert.ok(r.ok, `${f.name}: ${r.ok ? '' : r.message}`);
    domains += r.doc.domains.length;
    servers += r.doc.outgoing.length;
    for (const o of r.doc.outgoing) assert.match(o.username, /^(%EMAIL(ADDRESS|LOCALPART|DOMAIN)%|\.)+$|^$/, f.name);
  }
  assert.equal(domains, 962); // 963 <domain> elements, one listed twice in its own file
  assert.equal(servers, 202);
  const { table, problems } = buildOfflineTable(files, 'thunderbird/autoconfig ispdb/ (commit c6ad796)');
  assert.deepEqual(problems, []);
  assert.equal(table.domainCount, 962);
  // The shipped table is exactly what the script derives now.
  assert.equal(readFileSync(tablePath, 'utf8'), serialiseTable(table));
});

test('offline table: shipped, with the MPL-2.0 notice, looked up by domain', () => {
  const t = shippedOfflineTable();
  assert.match(t.table.notice, /Mozilla Public License, v\. 2\.0/);
  assert.ok(existsSync(resolve(repoRoot, 'resources', 'ispdb', 'LICENSE')));
  assert.ok(t.byDomain.size >= 950);
  const web = t.byDomain.get('web.de');
  assert.equal(web?.smtp[0]?.username, '%EMAILLOCALPART%');
  assert.equal(t.byDomain.get('mail.protection.outlook.com')?.smtp[0]?.host, 'smtp.office365.com');
});
