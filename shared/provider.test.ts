import { test, assert, readFileSync } from '../main/testing/node-test.js';
import { ProviderPresetFileSchema, toProviderHint, toProviderSummary } from './provider.js';
import { ProviderHintSchema } from './domain.js';

const file = ProviderPresetFileSchema.parse(JSON.parse(readFileSync(new URL('../resources/providers/presets.json', import.meta.url), 'utf8')));
const byId = new Map(file.providers.map((p) => [p.id, p]));
const byDomain = new Map(file.providers.flatMap((p) => p.domains.map((d) => [d, p] as const)));

test('presets: at least 40 providers, valid, unique ids and domains', () => {
  assert.ok(file.providers.length >= 40, `${file.providers.length} presets`);
});

test('presets: the providers the issue names, with their aliases', () => {
  for (const d of ['yahoo.com', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'web.de', 'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com',
    'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 't-online.de', '1und1.de', 'strato.de', 'posteo.de', 'mailbox.org',
    'freenet.de', 'arcor.de', 'vodafonemail.de', 'fastmail.com', 'zoho.com', 'zoho.eu', 'aol.com', 'mail.com', 'gmx.com', 'yandex.ru',
    'proton.me', 'tutanota.com', 'bluewin.ch', 'a1.net', 'orange.fr', 'free.fr', 'libero.it', 'btinternet.com', 'sky.com', 'comcast.net',
    'verizon.net', 'mail.ru', 'disroot.org', 'riseup.net', 'runbox.com']) {
    assert.ok(byDomain.has(d), d);
  }
  for (const id of ['microsoft-365', 'google-workspace', 'telekom-business', 'hetzner', 'all-inkl', 'infomaniak', 'hostinger', 'ovh', 'gandi', 'migadu']) {
    assert.ok(byId.has(id), id);
  }
});

test('presets: implicit TLS on 465 comes before STARTTLS where both are offered (RFC 8314)', () => {
  for (const p of file.providers) {
    const tls = p.smtp.findIndex((s) => s.security === 'tls');
    const starttls = p.smtp.findIndex((s) => s.security === 'starttls');
    if (tls >= 0 && starttls >= 0) assert.ok(tls < starttls, p.id);
    assert.ok(p.smtp.every((s) => s.security !== 'none'), `${p.id} offers plaintext`);
  }
});

test('presets: provider facts we rely on', () => {
  assert.equal(byDomain.get('web.de')?.usernameForm, 'localPart');
  assert.deepEqual(byDomain.get('web.de')?.requirements, ['enableSmtp']);
  assert.deepEqual(byDomain.get('gmx.de')?.requirements, ['enableSmtp']);
  assert.deepEqual(byDomain.get('gmail.com')?.requirements, ['appPassword']);
  assert.deepEqual(byDomain.get('yahoo.de')?.requirements, ['appPassword']);
  assert.deepEqual(byDomain.get('icloud.com')?.requirements, ['appPassword']);
  assert.deepEqual(byDomain.get('hotmail.de')?.requirements, ['oauth']);
  assert.deepEqual(byDomain.get('t-online.de')?.requirements, ['separatePassword']);
  assert.deepEqual(byDomain.get('proton.me')?.smtp, [{ host: '127.0.0.1', port: 1025, security: 'starttls' }]);
  assert.equal(byDomain.get('tutanota.de')?.noSmtp, true);
  // The source article's table: host names agree, and where its port 587 is not the first choice we say so.
  for (const [d, host] of [['yahoo.com', 'smtp.mail.yahoo.com'], ['gmx.net', 'mail.gmx.net'], ['web.de', 'smtp.web.de'], ['gmail.com', 'smtp.gmail.com']] as const) {
    const p = byDomain.get(d);
    assert.equal(p?.smtp[0]?.host, host);
    assert.ok(p?.smtp.some((s) => s.port === 587), d);
    if (p?.smtp[0]?.port !== 587) assert.match(p?.note?.en ?? '', /587/, d);
  }
});

test('presets agree with Thunderbird\'s ISP database wherever both know a domain', () => {
  // Our own presets were written here; the ISP database (resources/ispdb, MPL-2.0) is an
  // independent record. Where both know a domain, our first choice must be a server it lists
  // and the user-name form must match. Known, deliberate differences are named with the reason.
  const table = JSON.parse(readFileSync(new URL('../resources/ispdb/smtp-table.json', import.meta.url), 'utf8')) as
    { providers: { domains: string[]; smtp: { host: string; port: number; security: string; username: string }[] }[] };
  const ispdb = new Map(table.providers.flatMap((e) => e.domains.map((d) => [d, e] as const)));
  const renamed: Record<string, string> = { 'smtp.ionos.de': 'smtp.1und1.de' }; // 1&1 became IONOS; both names serve
  let compared = 0;
  for (const p of file.providers) {
    for (const domain of p.domains) {
      const entry = ispdb.get(domain);
      const first = p.smtp[0];
      if (!entry || !first) continue;
      compared += 1;
      const host = renamed[first.host] ?? first.host;
      assert.ok(entry.smtp.some((s) => s.host === host && s.port === first.port && s.security === first.security),
        `${p.id} (${domain}): ${first.host}:${first.port} ${first.security} is not among ${entry.smtp.map((s) => `${s.host}:${s.port} ${s.security}`).join(', ')}`);
      const form = entry.smtp[0]?.username === '%EMAILLOCALPART%' ? 'localPart' : 'address';
      assert.equal(p.usernameForm, form, `${p.id} (${domain}): user name form`);
    }
  }
  assert.ok(compared >= 100, `${compared} domains compared`);
});

test('presets: Microsoft 365 is recognised by both of its MX forms', () => {
  // Classic tenants: <domain>.mail.protection.outlook.com; tenants with DNSSEC/DANE: <domain>.<id>.mx.microsoft.
  const m365 = byId.get('microsoft-365');
  for (const mx of ['contoso-com.mail.protection.outlook.com', 'contoso-com.o-v1.mx.microsoft']) {
    assert.ok(m365?.mxPatterns.some((p) => mx === p || mx.endsWith(`.${p}`)), mx);
  }
});

test('presets: every requirement has words in German and English and a help link', () => {
  for (const p of file.providers) {
    assert.match(p.helpUrl, /^https:\/\//);
    if (p.requirements.length > 0) {
      assert.ok((p.requirementText?.de.length ?? 0) > 20 && (p.requirementText?.en.length ?? 0) > 20, p.id);
      assert.notEqual(p.requirementText?.de, p.requirementText?.en);
    }
  }
});

test('toProviderHint / toProviderSummary', () => {
  const gmx = byId.get('gmx');
  assert.ok(gmx);
  const hint = toProviderHint(gmx);
  assert.deepEqual(hint, { id: 'gmx', name: 'GMX', requirements: ['enableSmtp'], helpUrl: 'https://hilfe.gmx.net/pop-imap/einschalten.html' });
  assert.ok(ProviderHintSchema.safeParse(hint).success);
  assert.equal(toProviderSummary(byId.get('tuta')!).noSmtp, true);
});

test('schema refuses bad presets', () => {
  const base = file.providers[0]!;
  const bad = [
    { ...base, smtp: [] },
    { ...base, requirements: ['appPassword'], requirementText: undefined },
    { ...base, helpUrl: 'http://example.com' },
    { ...base, domains: ['Not A Domain'] },
  ];
  for (const p of bad) assert.equal(ProviderPresetFileSchema.safeParse({ version: 1, providers: [p] }).success, false);
  assert.equal(ProviderPresetFileSchema.safeParse({ version: 1, providers: [base, { ...base }] }).success, false);
});
