/**
 * Helpers for the UI journeys on top of the harness: accessibility checks with axe-core,
 * seeded accounts, drafts and send-log entries, and small waiting utilities.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { NewSendLogEntry, SendLogStatus } from '../shared/sendlog.js';
import type { Services } from '../main/services/index.js';
import { createSendLogRepository } from '../main/store/sendlog.js';
import { explainPartialSuccess } from '../main/errors/explain.js';

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

/** A realistic entry: transcript with C/S/I lines, timings, TLS and per-recipient results. */
export function sampleLogEntry(i: number, accountId: string | null, time: number): NewSendLogEntry {
  const statuses: SendLogStatus[] = ['sent', 'sent', 'sent', 'sentWithWarnings', 'deferred', 'failed', 'sent', 'unconfirmed'];
  const status = statuses[i % statuses.length] ?? 'sent';
  const to = [people[i % people.length] ?? 'a@example.org', people[(i + 2) % people.length] ?? 'b@example.org'];
  const refused = status === 'sentWithWarnings' ? [to[1] ?? ''] : status === 'failed' ? to : [];
  return {
    time, accountId, outboxId: null, envelopeFrom: 'erika@example.org', recipients: to,
    subject: `${subjects[i % subjects.length]} #${i}`, size: 2048 + (i % 50) * 1024, status,
    errorText: refused.length ? `550 5.1.1 <${refused[0]}>: Recipient address rejected` : null, durationMs: 180 + (i % 40),
    results: to.map((address) => refused.includes(address)
      ? { address, accepted: false, code: 550, enhancedCode: '5.1.1', message: 'Recipient address rejected: User unknown' }
      : { address, accepted: true, code: 250, enhancedCode: '2.1.5', message: 'OK' }),
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true, certificate: { subject: 'CN=smtp.example.org', issuer: 'CN=Example CA', validTo: 'Jan 1 2027' } },
    timings: { connect: 12, tls: 38, ehlo: 6, auth: 41, mail: 4, rcpt: 9, data: 60 },
    transcript: [
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
      ...to.map((address, n) => ({ t: 102 + n, dir: 'C' as const, phase: 'rcpt', line: `RCPT TO:<${address}>` })),
      { t: 110, dir: 'S', phase: 'mail', line: '250 2.1.0 Ok' },
      ...to.map((address, n) => ({ t: 111 + n, dir: 'S' as const, phase: 'rcpt', line: refused.includes(address) ? `550 5.1.1 <${address}>: Recipient address rejected` : '250 2.1.5 Ok' })),
      { t: 120, dir: 'C', phase: 'data', line: 'DATA' },
      { t: 180, dir: 'S', phase: 'data', line: '250 2.0.0 Ok: queued as 4Xk2' },
    ],
    explanation: refused.length > 0 ? explainPartialSuccess(to.map((address) => refused.includes(address)
      ? { address, accepted: false, code: 550, enhancedCode: '5.1.1', message: 'Recipient address rejected: User unknown' }
      : { address, accepted: true, code: 250, enhancedCode: '2.1.5', message: 'OK' }), { account: { host: 'smtp.example.org', port: 587, security: 'starttls' } }) : null,
    error: null,
  };
}

/** Appends n entries (newest = now) straight into the store, in one transaction. */
export function seedLog(services: Services, n: number, accountId: string | null, now = Date.now()): void {
  const repo = createSendLogRepository(services.db);
  services.db.transaction(() => {
    for (let i = 0; i < n; i++) repo.append(sampleLogEntry(i, accountId, now - (n - i) * 60_000));
  });
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
