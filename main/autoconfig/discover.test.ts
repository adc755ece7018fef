import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from '../testing/smtp-server.js';
import { createTestCa, type TestCa } from '../testing/test-ca.js';
import { discoverSettings, type DiscoveryDeps, type Probe } from './discover.js';
import { createHttpsFetcher } from './fetch.js';
import { createEngineProber } from './engine-probe.js';
import { configXml, startDnsServer, startWebServers, xmlRoute, type TestDns, type TestWeb } from './test-servers.js';

let ca: TestCa;
let dns: TestDns;
let web: TestWeb;
const smtpServers: SMTPServer[] = [];
const smtpPorts: Record<number, number> = {};

const webNames = ['autoconfig.acme.test', 'acme.test', 'autoconfig.broken.test', 'autoconfig.redirect.test', 'config.elsewhere.test',
  'autoconfig.plain.test', 'autoconfig.slow.test', 'ispdb.test', 'autoconfig.httponly.test', 'autoconfig.srv.test', 'smtp.probe.test'];

before(async () => {
  ca = createTestCa();
  const cert = ca.issue({ names: webNames });
  dns = await startDnsServer({
    'acme.test': { mx: [{ exchange: 'mx.acme.test', priority: 10 }] },
    'workspace.test': { mx: [{ exchange: 'alt1.aspmx.l.google.com', priority: 5 }, { exchange: 'aspmx.l.google.com', priority: 1 }] },
    'rackspace.test': { mx: [{ exchange: 'mx1.emailsrvr.com', priority: 10 }] },
    'kas.test': { mx: [{ exchange: 'w0123456.kasserver.com', priority: 10 }] },
    'srv.test': { mx: [{ exchange: 'mx.srv.test', priority: 10 }] },
    '_submissions._tcp.srv.test': { srv: [{ target: 'mail.srv.test', port: 465, priority: 10 }, { target: 'backup.srv.test', port: 465, priority: 20 }] },
    '_submission._tcp.srv.test': { srv: [{ target: 'mail.srv.test', port: 587 }] },
    '_submission._tcp.declined.test': { srv: [{ target: '.', port: 0 }] },
    'declined.test': { mx: [] },
    'dnsfail.test': { rcode: 'SERVFAIL' },
    '_submissions._tcp.dnsfail.test': { rcode: 'SERVFAIL' },
    '_submission._tcp.dnsfail.test': { rcode: 'SERVFAIL' },
    'slow.test': { delayMs: 3000 },
    '_submissions._tcp.slow.test': { delayMs: 3000 },
    '_submission._tcp.slow.test': { delayMs: 3000 },
    'probe.test': { mx: [{ exchange: 'mx.probe.test', priority: 10 }] },
    'broken.test': { mx: [{ exchange: 'mx.broken.test', priority: 10 }] },
    '_submissions._tcp.broken.test': { srv: [{ target: 'smtp.broken.test', port: 465 }] },
  });
  const slow = (): ((req: unknown, res: { writeHead(s: number): { end(b: string): void } }) => void) => (_req, res) => {
    setTimeout(() => res.writeHead(200).end(configXml([{ host: 'smtp.slow.test', port: 465, socketType: 'SSL' }])), 4000).unref();
  };
  web = await startWebServers(cert, {
    'https://autoconfig.acme.test/mail/config-v1.1.xml': xmlRoute(configXml([
      { host: 'smtp.%EMAILDOMAIN%', port: 465, socketType: 'SSL', username: '%EMAILLOCALPART%' },
      { host: 'smtp.acme.test', port: 587, socketType: 'STARTTLS', username: '%EMAILLOCALPART%' },
      { host: 'smtp.acme.test', port: 25, socketType: 'plain' },
    ], 'ACME Mail')),
    'https://acme.test/.well-known/autoconfig/mail/config-v1.1.xml': xmlRoute(configXml([{ host: 'smtp.acme.test', port: 465, socketType: 'SSL' }], 'ACME Mail')),
    'https://autoconfig.broken.test/mail/config-v1.1.xml': xmlRoute('<clientConfig><emailProvider id="x"><outgoingServer></clientConfig>'),
    'https://autoconfig.redirect.test/mail/config-v1.1.xml': (_req, res) => { res.writeHead(302, { location: 'https://config.elsewhere.test/redirect.xml' }).end(); },
    'https://config.elsewhere.test/redirect.xml': xmlRoute(configXml([{ host: 'smtp.elsewhere.test', port: 465, socketType: 'SSL' }], 'Elsewhere')),
    'https://autoconfig.plain.test/mail/config-v1.1.xml': xmlRoute(configXml([{ host: 'mail.plain.test', port: 25, socketType: 'plain' }], 'Plain Old Mail')),
    'https://autoconfig.slow.test/mail/config-v1.1.xml': slow() as never,
    'https://ispdb.test/v1.1/isp.test': xmlRoute(configXml([{ host: 'smtp.isp.test', port: 465, socketType: 'SSL' }], 'ISP from the online database')),
    'http://autoconfig.httponly.test/mail/config-v1.1.xml': xmlRoute(configXml([{ host: 'smtp.httponly.test', port: 587, socketType: 'STARTTLS' }], 'HTTP only')),
  });
  // Real SMTP servers for probing smtp.probe.test: 465 implicit TLS with AUTH, 587 STARTTLS with AUTH, 25 without STARTTLS.
  const smtpCert = ca.issue({ names: ['smtp.probe.test'] });
  const mk = async (stdPort: number, opts: ConstructorParameters<typeof SMTPServer>[0]): Promise<void> => {
    const s = new SMTPServer({ key: smtpCert.keyPem, cert: smtpCert.certPem, logger: false, onAuth: (_a, _s, cb) => cb(null, { user: 'x' }), ...opts });
    s.on('error', () => undefined);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    smtpPorts[stdPort] = ((s as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    smtpServers.push(s);
  };
  await mk(465, { secure: true });
  await mk(587, { authMethods: ['PLAIN', 'LOGIN'] });
  await mk(25, { hideSTARTTLS: true, authOptional: true, allowInsecureAuth: true });
});

after(async () => {
  await web?.close();
  await dns?.close();
  await Promise.all(smtpServers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** Every host resolves to loopback for HTTP; only smtp.probe.test has SMTP servers. */
function deps(over: Partial<DiscoveryDeps> = {}): DiscoveryDeps {
  const refusingProbe: Probe = async () => ({ ok: false, reason: 'refused', message: 'connection refused' });
  return {
    resolver: dns.resolver({ timeoutMs: 800 }),
    fetchText: createHttpsFetcher({ extraCaPem: ca.caCertPem, portMap: { 443: web.httpsPort, 80: web.httpPort }, connectAddress: () => '127.0.0.1' }),
    probe: refusingProbe,
    ispDbBaseUrl: 'https://ispdb.test/v1.1/',
    ...over,
  };
}

test('a preset domain is answered instantly, without the network', async () => {
  let asked = 0;
  const r = await discoverSettings('Max.Muster@WEB.DE', deps({ fetchText: async () => { asked++; throw new Error('no'); } }));
  assert.equal(r.status, 'found');
  assert.equal(asked, 0);
  assert.equal(r.provider?.id, 'webde');
  assert.deepEqual(r.candidates.map((c) => [c.host, c.port, c.security, c.username, c.source, c.trust]), [
    ['smtp.web.de', 465, 'tls', 'Max.Muster', 'preset', 'high'], ['smtp.web.de', 587, 'starttls', 'Max.Muster', 'preset', 'high']]);
});

test('the offline table answers domains the presets do not know', async () => {
  const r = await discoverSettings('someone@wp.pl', deps());
  assert.equal(r.status, 'found');
  assert.equal(r.candidates[0]?.source, 'offlineTable');
  assert.equal(r.attempts[0]?.step, 'offlineTable');
});

test('Tuta: no SMTP access, said so', async () => {
  const r = await discoverSettings('x@tutanota.de', deps());
  assert.equal(r.status, 'noSmtp');
  assert.equal(r.messageKey, 'autoconfig.result.noSmtp');
  assert.equal(r.candidates.length, 0);
});

test('the provider autoconfig file wins, placeholders resolved, plaintext dropped when TLS is offered', async () => {
  const r = await discoverSettings('anna@acme.test', deps());
  assert.equal(r.status, 'found');
  const [first, second] = r.candidates;
  assert.deepEqual([first?.host, first?.port, first?.security, first?.username, first?.source, first?.trust], ['smtp.acme.test', 465, 'tls', 'anna', 'autoconfig', 'high']);
  assert.equal(second?.port, 587);
  assert.ok(!r.candidates.some((c) => c.security === 'none'));
  // The well-known file names the same server: it confirms rather than duplicates.
  assert.ok(first?.confirmedBy.includes('autoconfigWellKnown'));
  assert.equal(first?.sourceParams['provider'], 'ACME Mail');
});

test('broken XML is reported, and another source still answers', async () => {
  const r = await discoverSettings('bob@broken.test', deps());
  const bad = r.attempts.find((a) => a.step === 'autoconfig');
  assert.equal(bad?.outcome, 'failed');
  assert.equal(bad?.messageKey, 'autoconfig.attempt.badConfigFile');
  assert.match(String(bad?.params?.['message']), /malformed XML|no outgoing/);
  assert.equal(r.status, 'found');
  assert.equal(r.candidates[0]?.source, 'srv');
  assert.equal(r.candidates[0]?.host, 'smtp.broken.test');
});

test('a redirect to another domain is followed but marked', async () => {
  const r = await discoverSettings('c@redirect.test', deps());
  const c = r.candidates.find((x) => x.source === 'autoconfig');
  assert.equal(c?.host, 'smtp.elsewhere.test');
  assert.ok(c?.warnings.includes('redirectedToOtherDomain'));
  assert.equal(c?.trust, 'medium');
});

test('a file offering only plaintext gives a warned candidate', async () => {
  const r = await discoverSettings('d@plain.test', deps());
  const c = r.candidates[0];
  assert.equal(c?.security, 'none');
  assert.deepEqual(c?.warnings, ['plaintextOnly']);
});

test('plain-http autoconfig is used only as a marked, low-trust answer', async () => {
  const r = await discoverSettings('e@httponly.test', deps());
  const c = r.candidates.find((x) => x.source === 'autoconfigHttp');
  assert.equal(c?.host, 'smtp.httponly.test');
  assert.equal(c?.trust, 'low');
  assert.ok(c?.warnings.includes('unencryptedSource'));
});

test('online ISP database, and switched off', async () => {
  const on = await discoverSettings('f@isp.test', deps());
  assert.equal(on.candidates[0]?.source, 'ispdbOnline');
  const off = await discoverSettings('f@isp.test', deps({ onlineIspDb: false }));
  assert.ok(!off.attempts.some((a) => a.step === 'ispdbOnline'));
  assert.equal(off.status, 'notFound');
});

test('DNS SRV (RFC 6186/8314): _submissions first, ordered by priority', async () => {
  const r = await discoverSettings('g@srv.test', deps());
  assert.deepEqual(r.candidates.map((c) => `${c.host}:${c.port}:${c.security}:${c.source}`), [
    'mail.srv.test:465:tls:srv', 'backup.srv.test:465:tls:srv', 'mail.srv.test:587:starttls:srv']);
  assert.equal(r.candidates[0]?.trust, 'medium');
});

test('SRV "." means the service is declined', async () => {
  const r = await discoverSettings('h@declined.test', deps());
  assert.equal(r.attempts.find((a) => a.step === 'srvSubmission')?.messageKey, 'autoconfig.attempt.srvDeclined');
  assert.equal(r.status, 'notFound');
});

test('MX pointing to Google means Google Workspace', async () => {
  const r = await discoverSettings('i@workspace.test', deps());
  assert.equal(r.provider?.id, 'google-workspace');
  assert.equal(r.candidates[0]?.source, 'mxPreset');
  assert.equal(r.candidates[0]?.host, 'smtp.gmail.com');
  assert.equal(r.candidates[0]?.sourceParams['mx'], 'aspmx.l.google.com');
  assert.deepEqual(r.provider?.requirements, ['appPassword']);
});

test('MX base domain found in the offline table; hoster whose server is the MX host', async () => {
  const rs = await discoverSettings('j@rackspace.test', deps());
  assert.equal(rs.candidates[0]?.source, 'mxTable');
  assert.equal(rs.candidates[0]?.host, 'secure.emailsrvr.com');
  const kas = await discoverSettings('k@kas.test', deps());
  assert.equal(kas.provider?.id, 'all-inkl');
  assert.equal(kas.candidates[0]?.host, 'w0123456.kasserver.com');
});

test('probing with the real engine finds TLS+AUTH servers and drops the plaintext one', async () => {
  const probe = createEngineProber({
    extraCaPem: ca.caCertPem, portMap: smtpPorts,
    connectAddress: (h) => (h === 'smtp.probe.test' ? '127.0.0.1' : '127.0.0.2'),
    timeouts: { connect: 1500 },
  });
  const r = await discoverSettings('l@probe.test', deps({ probe }), { deadlineMs: 5000 });
  assert.equal(r.status, 'found');
  assert.deepEqual(r.candidates.map((c) => `${c.host}:${c.port}:${c.security}:${c.source}:${c.trust}`), [
    'smtp.probe.test:465:tls:probe:low', 'smtp.probe.test:587:starttls:probe:low']);
  assert.equal(r.attempts.find((a) => a.target === 'smtp.probe.test:25')?.messageKey, 'autoconfig.attempt.probe.noTls');
});

test('a domain with no records at all: not found, with everything that was tried', async () => {
  const r = await discoverSettings('m@nowhere.test', deps());
  assert.equal(r.status, 'notFound');
  assert.equal(r.messageKey, 'autoconfig.result.domainNotFound');
  const steps = new Set(r.attempts.map((a) => a.step));
  for (const s of ['autoconfig', 'autoconfigWellKnown', 'ispdbOnline', 'autoconfigHttp', 'srvSubmissions', 'srvSubmission', 'mx', 'probe'] as const) assert.ok(steps.has(s), s);
  assert.equal(r.attempts.filter((a) => a.step === 'probe').length, 9);
});

test('DNS failure is explained, not thrown', async () => {
  const r = await discoverSettings('n@dnsfail.test', deps());
  const mx = r.attempts.find((a) => a.step === 'mx');
  assert.equal(mx?.outcome, 'failed');
  assert.equal(mx?.messageKey, 'autoconfig.attempt.dnsFailed');
  assert.equal(r.status, 'notFound');
});

test('slow servers: the deadline holds', async () => {
  const t0 = performance.now();
  const r = await discoverSettings('o@slow.test', deps(), { deadlineMs: 700 });
  const took = performance.now() - t0;
  assert.ok(took < 1200, `took ${took} ms`);
  assert.equal(r.attempts.find((a) => a.step === 'autoconfig')?.outcome, 'timeout');
  assert.equal(r.attempts.find((a) => a.step === 'mx')?.outcome, 'timeout');
  assert.equal(r.status, 'notFound');
});

test('an unreachable DNS server and a caller abort also end promptly', async () => {
  const dead = { resolveMx: () => new Promise<never>(() => undefined), resolveSrv: () => new Promise<never>(() => undefined) };
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = performance.now();
  const r = await discoverSettings('p@slow.test', deps({ resolver: dead }), { deadlineMs: 5000, signal: ac.signal });
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(r.status, 'notFound');
});

test('invalid addresses get a reason, and nothing is looked up', async () => {
  for (const [input, reason] of [['', 'empty'], ['no-at-sign', 'noAt'], ['@x.de', 'localPart'], ['a b@x.de', 'localPart'], ['a@', 'domain'],
    ['a@localhost', 'domain'], ['a@-x.de', 'domain'], ['a@1.2.3.4', 'domain'], [`${'x'.repeat(400)}@x.de`, 'tooLong']] as const) {
    const r = await discoverSettings(input, deps({ fetchText: () => { throw new Error('must not fetch'); } }));
    assert.equal(r.status, 'invalidAddress', input);
    assert.equal(r.messageKey, `autoconfig.result.invalidAddress.${reason}`, input);
  }
  const idn = await discoverSettings('jörg@müller.test', deps(), { deadlineMs: 300, probing: false });
  assert.equal(idn.domain, 'xn--mller-kva.test');
});
