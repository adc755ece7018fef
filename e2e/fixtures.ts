/**
 * Helpers for the UI journeys on top of the harness: accessibility checks with axe-core,
 * seeded accounts, drafts and send-log entries, and small waiting utilities.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AppPage } from './harness.js';
import type { NewSendLogEntry, SendLogStatus } from '../shared/sendlog.js';
import type { Services } from '../main/services/index.js';
import { createSendLogRepository } from '../main/store/sendlog.js';
import { explainDeliveryError, explainPartialSuccess } from '../main/errors/explain.js';
import { explainContextOf, providerHintOf } from '../main/delivery/pipeline.js';
import { explanationToAppError, type Explanation } from '../shared/explanation.js';

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the page's CSP does
 * not block it) and returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`if (!window.axe) { ${axeSource}\n }`);
  const result = await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  })()`) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const describeViolations = (list: AxeViolation[]): string =>
  list.map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.join(' | ')}`).join('\n');

/** An account saved straight through the service (the wizard has its own journey). */
export async function seedAccount(services: Services, overrides: Partial<{ address: string; displayName: string; host: string; port: number; signature: string; extraCaPem: string; username: string; password: string; providerId: string }> = {}) {
  return services.service['accounts.create']({
    displayName: overrides.displayName ?? 'Erika Mustermann',
    address: overrides.address ?? 'erika@example.org',
    host: overrides.host ?? 'smtp.example.org',
    port: overrides.port ?? 587,
    security: overrides.port === 465 ? 'tls' : 'starttls',
    username: overrides.username ?? overrides.address ?? 'erika@example.org',
    ...(overrides.providerId ? { providerId: overrides.providerId } : {}),
    ...(overrides.signature ? { signature: overrides.signature } : {}),
    ...(overrides.extraCaPem ? { extraCaPem: overrides.extraCaPem } : {}),
  }, overrides.password ?? 'not-a-real-password');
}

const subjects = ['Quarterly report', 'Übergabe Projekt Nordlicht', 'Lunch on Friday?', 'Rechnung 2026-0412', 'Re: Meeting notes', 'Photos from the trip', 'Vertragsentwurf', 'Invitation: kick-off'];
const people = ['anna@example.org', 'ben@example.net', 'chris@firma.example', 'dora@example.com', 'emil@verein.example'];

type RecipientResult = NonNullable<NewSendLogEntry['results']>[number];
type TranscriptLine = NonNullable<NewSendLogEntry['transcript']>[number];

const sampleServer = { host: 'smtp.example.org', port: 587, security: 'starttls' as const };
const sampleTls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true, certificate: { subject: 'CN=smtp.example.org', issuer: 'CN=Example CA', validTo: 'Jan 1 2027' } };
const greylisted = (address: string) => `<${address}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html`;

/** What each recipient's RCPT got, per status: the server's real words for the failing cases. */
function resultsFor(status: SendLogStatus, to: string[]): RecipientResult[] {
  return to.map((address, n): RecipientResult => {
    if (status === 'deferred') return { address, accepted: false, code: 451, enhancedCode: '4.7.1', message: greylisted(address) };
    if (status === 'failed' || (status === 'sentWithWarnings' && n === 1)) {
      return { address, accepted: false, code: 550, enhancedCode: '5.1.1', message: `<${address}>: Recipient address rejected: User unknown in virtual mailbox table` };
    }
    return { address, accepted: true, code: 250, enhancedCode: '2.1.5', message: 'Ok' };
  });
}

/**
 * The explanation the outbox would store for this outcome, made by the real explainer from the
 * error the engine raises in that case (every recipient refused, a lost connection after the
 * final dot), so the detail pane shows what people really get. Cached: the send-log tests
 * seed tens of thousands of entries with a handful of distinct outcomes.
 */
const explanations = new Map<string, Explanation | null>();
function explanationFor(status: SendLogStatus, results: RecipientResult[]): Explanation | null {
  const key = `${status}|${results.map((r) => r.address).join(',')}`;
  if (explanations.has(key)) return explanations.get(key) ?? null;
  const context = explainContextOf(sampleServer);
  const first = results[0];
  const everyRecipientRefused = (): Explanation => explainDeliveryError({
    detail: {
      phase: 'rcpt', cause: 'reply', recipients: results.map((r) => r.address),
      message: `every recipient was refused; no message was sent (${results.map((r) => `${r.address}: ${r.code}`).join(', ')})`,
      serverText: results.map((r) => `${r.address}: ${r.message}`).join('\n'),
      ...(first ? { code: first.code } : {}), ...(first?.enhancedCode ? { enhancedCode: first.enhancedCode } : {}),
    },
  }, context);
  const explanation = status === 'sentWithWarnings' ? explainPartialSuccess(results, context)
    : status === 'deferred' || status === 'failed' ? everyRecipientRefused()
    : status === 'unconfirmed' ? explainDeliveryError({
      detail: { phase: 'data', cause: 'network', systemCode: 'ECONNRESET', message: 'the connection closed after the whole message was sent and before the server confirmed it (after the whole message was sent: it may have been delivered)' },
      mayHaveBeenDelivered: true,
    }, context)
    : null;
  explanations.set(key, explanation);
  return explanation;
}

/** The conversation up to the outcome: greeting, STARTTLS, AUTH, then MAIL/RCPT and, where the message went, DATA. */
function transcriptFor(status: SendLogStatus, results: RecipientResult[]): TranscriptLine[] {
  const lines: TranscriptLine[] = [
    { t: 0, dir: 'I', phase: 'connect', line: 'Connected to smtp.example.org:587 (203.0.113.7)' },
    { t: 10, dir: 'S', phase: 'greeting', line: '220 smtp.example.org ESMTP ready' },
    { t: 11, dir: 'C', phase: 'ehlo', line: 'EHLO postbote.local' },
    { t: 16, dir: 'S', phase: 'ehlo', line: '250-smtp.example.org\n250-SIZE 10485760\n250-STARTTLS\n250 PIPELINING' },
    { t: 17, dir: 'C', phase: 'starttls', line: 'STARTTLS' },
    { t: 20, dir: 'S', phase: 'starttls', line: '220 2.0.0 Ready to start TLS' },
    { t: 58, dir: 'I', phase: 'tls', line: 'TLS established: TLSv1.3 TLS_AES_256_GCM_SHA384, certificate verified' },
    { t: 60, dir: 'C', phase: 'auth', line: 'AUTH PLAIN ********' },
    { t: 100, dir: 'S', phase: 'auth', line: '235 2.7.0 Authentication successful' },
    { t: 101, dir: 'C', phase: 'mail', line: 'MAIL FROM:<erika@example.org> SIZE=4096' },
    ...results.map((r, n): TranscriptLine => ({ t: 102 + n, dir: 'C', phase: 'rcpt', line: `RCPT TO:<${r.address}>` })),
    { t: 110, dir: 'S', phase: 'mail', line: '250 2.1.0 Ok' },
    ...results.map((r, n): TranscriptLine => ({ t: 111 + n, dir: 'S', phase: 'rcpt', line: `${r.code} ${r.enhancedCode ?? ''} ${r.message}`.replace(/ {2}/, ' ') })),
  ];
  if (!results.some((r) => r.accepted)) {
    lines.push({ t: 115, dir: 'C', phase: 'rset', line: 'RSET' }, { t: 118, dir: 'S', phase: 'rset', line: '250 2.0.0 Ok' });
  } else if (status === 'unconfirmed') {
    lines.push(
      { t: 120, dir: 'C', phase: 'data', line: 'DATA' },
      { t: 124, dir: 'S', phase: 'data', line: '354 End data with <CR><LF>.<CR><LF>' },
      { t: 176, dir: 'I', phase: 'data', line: 'Message sent (4096 bytes); waiting for the server to confirm it' },
      { t: 30176, dir: 'I', phase: 'data', line: 'The connection was closed (ECONNRESET) before the server confirmed the message' },
    );
  } else {
    lines.push(
      { t: 120, dir: 'C', phase: 'data', line: 'DATA' },
      { t: 124, dir: 'S', phase: 'data', line: '354 End data with <CR><LF>.<CR><LF>' },
      { t: 180, dir: 'S', phase: 'data', line: '250 2.0.0 Ok: queued as 4Xk2' },
    );
  }
  return lines;
}

/**
 * A realistic entry: transcript with C/S/I lines, timings, TLS and per-recipient results; the
 * failing ones (partly sent, delayed, not sent, may have been sent) with the server's replies
 * and the explanation the real explainer gives for them, stored as the outbox stores it.
 */
export function sampleLogEntry(i: number, accountId: string | null, time: number): NewSendLogEntry {
  const statuses: SendLogStatus[] = ['sent', 'sent', 'sent', 'sentWithWarnings', 'deferred', 'failed', 'sent', 'unconfirmed'];
  const status = statuses[i % statuses.length] ?? 'sent';
  const to = [people[i % people.length] ?? 'a@example.org', people[(i + 2) % people.length] ?? 'b@example.org'];
  const results = resultsFor(status, to);
  const explanation = explanationFor(status, results);
  const delivered = results.some((r) => r.accepted);
  return {
    time, accountId, outboxId: null, envelopeFrom: 'erika@example.org', recipients: to,
    subject: `${subjects[i % subjects.length]} #${i}`, size: 2048 + (i % 50) * 1024, status,
    // As appendSendLog writes them: the kind and the engine's words; the AppError except for a partial success.
    errorText: explanation ? `${explanation.kind}: ${explanation.technical.message}` : null,
    durationMs: status === 'unconfirmed' ? 30_176 + (i % 40) : 180 + (i % 40),
    results,
    tls: sampleTls,
    timings: delivered ? { connect: 12, tls: 38, ehlo: 6, auth: 41, mail: 4, rcpt: 9, data: status === 'unconfirmed' ? 30_052 : 60 } : { connect: 12, tls: 38, ehlo: 6, auth: 41, mail: 4, rcpt: 9 },
    transcript: transcriptFor(status, results),
    explanation: explanation as unknown as Record<string, unknown> | null,
    error: explanation && status !== 'sentWithWarnings' ? explanationToAppError(explanation) : null,
  };
}

/**
 * A sign-in Gmail refused (the stored password is the normal one, not an app password): the
 * explanation carries Gmail's help page as an action, as the real explainer words it.
 */
export function gmailSignInRefusedEntry(accountId: string | null, time: number, subject: string): NewSendLogEntry {
  const server = { host: 'smtp.gmail.com', port: 465, security: 'tls' as const };
  const serverText = '5.7.8 Username and Password not accepted. For more information, go to\n5.7.8  https://support.google.com/mail/?p=BadCredentials a640c23a62f3a-ab7 - gsmtp';
  const explanation = explainDeliveryError({
    detail: { phase: 'auth', cause: 'reply', code: 535, enhancedCode: '5.7.8', serverText, message: 'the server refused the sign-in: server replied 535 5.7.8 Username and Password not accepted.' },
  }, explainContextOf(server, providerHintOf('gmail')));
  return {
    time, accountId, outboxId: null, envelopeFrom: 'erika.mustermann@gmail.com', recipients: ['anna@example.org'], subject, size: 3_100,
    status: 'failed', errorText: `${explanation.kind}: ${explanation.technical.message}`, durationMs: 412, results: [],
    tls: { ...sampleTls, certificate: { subject: 'CN=smtp.gmail.com', issuer: 'CN=WR2, O=Google Trust Services', validTo: 'Jan 1 2027' } },
    timings: { connect: 18, tls: 44, ehlo: 20, auth: 310 },
    transcript: [
      { t: 0, dir: 'I', phase: 'connect', line: 'Connected to smtp.gmail.com:465 (142.250.27.108)' },
      { t: 62, dir: 'I', phase: 'tls', line: 'TLS established: TLSv1.3 TLS_AES_256_GCM_SHA384, certificate verified' },
      { t: 80, dir: 'S', phase: 'greeting', line: '220 smtp.gmail.com ESMTP a640c23a62f3a-ab7 - gsmtp' },
      { t: 81, dir: 'C', phase: 'ehlo', line: 'EHLO postbote.local' },
      { t: 100, dir: 'S', phase: 'ehlo', line: '250-smtp.gmail.com at your service\n250-SIZE 35882577\n250-8BITMIME\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\n250-ENHANCEDSTATUSCODES\n250-PIPELINING\n250-CHUNKING\n250 SMTPUTF8' },
      { t: 101, dir: 'C', phase: 'auth', line: 'AUTH PLAIN ********' },
      { t: 411, dir: 'S', phase: 'auth', line: `535-${serverText.replace('\n', '\n535 ')}` },
    ],
    explanation: explanation as unknown as Record<string, unknown>,
    error: explanationToAppError(explanation),
  };
}

/** Appends n entries (newest = now) straight into the store, in one transaction. */
export function seedLog(services: Services, n: number, accountId: string | null, now = Date.now()): void {
  const repo = createSendLogRepository(services.db);
  services.db.transaction(() => {
    for (let i = 0; i < n; i++) repo.append(sampleLogEntry(i, accountId, now - (n - i) * 60_000));
  });
}

/**
 * Fails with the errors the page reported (uncaught exceptions, console errors, CSP violations),
 * as the harness collected them for this app from before its first load.
 */
export function assertNoPageErrors(app: Pick<AppPage, 'pageErrors'>, what: string): void {
  if (app.pageErrors.length > 0) throw new Error(`${what}: the page reported errors:\n${app.pageErrors.join('\n')}`);
}

export async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
