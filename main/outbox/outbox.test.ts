import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { OutboxNoticeSchema, type OutboxNotice } from '../../shared/outbox.js';
import { startTestSmtpServer } from '../testing/smtp-test-server.js';
import { ManualClock } from './clock.js';
import { entryDirOf } from './files.js';
import { createHarness, draft, until, runningOutbox } from './testing/harness.js';

describe('outbox: sending', () => {
  test('enqueue → sent: row before the wire, one log entry with transcript, address history, snapshot removed, events', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
    const summary = await ob.enqueue({ ...draft('one'), to: [{ name: 'Bob B', address: 'bob@example.test' }] }, { accountId: h.accountId });
    assert.equal(summary.state, 'queued');
    await until(() => h.repos.outbox.get(summary.id)?.state === 'sent', 10_000, 'sent');
    await ob.idle();
    assert.equal(srv.messages.length, 1);
    assert.match(srv.messages[0]?.raw.toString() ?? '', /Hello one/);
    assert.match(srv.messages[0]?.raw.toString() ?? '', new RegExp(`Message-ID: ${summary.messageId?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') ?? 'x'}`, 'i'));
    const logs = h.repos.sendLog.list();
    assert.equal(logs.entries.length, 1);
    const entry = h.repos.sendLog.get(logs.entries[0]?.id ?? 0);
    assert.equal(entry?.status, 'sent');
    assert.ok((entry?.transcript.length ?? 0) > 5, 'transcript stored');
    assert.ok(entry?.transcript.some((l) => l.line.startsWith('MAIL FROM')));
    assert.deepEqual(entry?.results.map((r) => r.accepted), [true]);
    assert.equal(h.repos.addressHistory.suggest('bob')[0]?.name, 'Bob B');
    assert.equal(existsSync(entryDirOf(h.dataDir, summary.id)), false);
    const names = h.events.map((e) => e.name);
    assert.ok(names.includes('outbox.changed') && names.includes('outbox.progress') && names.includes('outbox.outcome'));
    const outcome = h.events.find((e) => e.name === 'outbox.outcome')?.payload as { state: string };
    assert.equal(outcome.state, 'sent');
    // The progress bar ends full: the last data event reports every byte of the message.
    const data = h.events.filter((e) => e.name === 'outbox.progress').map((e) => e.payload as { phase: string; bytesSent: number; totalBytes: number | null })
      .filter((p) => p.phase === 'data');
    const last = data.at(-1);
    assert.ok(last && last.bytesSent > 0 && last.bytesSent === last.totalBytes, `last data progress ${JSON.stringify(last)}`);
  });

  test('consecutive messages of one account share one SMTP session, in order', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const h = createHarness({ host: srv.host, port: srv.port });
    t.after(() => h.close());
    const ob = h.make();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await ob.enqueue(draft(`n${i}`), { accountId: h.accountId })).id);
    await ob.start();
    t.after(() => ob.stop());
    await until(() => ids.every((id) => h.repos.outbox.get(id)?.state === 'sent'), 15_000, 'all sent');
    assert.equal(srv.connections, 1);
    assert.deepEqual(srv.messages.map((m) => /Hello (n\d)/.exec(m.raw.toString())?.[1]), ['n0', 'n1', 'n2', 'n3']);
  });

  test('with AUTH: the password comes from the keychain and never into the log', async (t) => {
    const srv = await startTestSmtpServer({ users: { alice: 's3cret-pw' }, allowInsecureAuth: true, noStartTls: true });
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, username: 'alice', password: 's3cret-pw' });
    const s = await ob.enqueue(draft('auth'), { accountId: h.accountId });
    await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 10_000, 'sent');
    assert.equal(srv.messages[0]?.user, 'alice');
    const log = h.repos.sendLog.get(h.repos.sendLog.list().entries[0]?.id ?? 0);
    assert.doesNotMatch(JSON.stringify(log), /s3cret-pw/);
  });

  test('partial recipient failure → sent with warnings, explained per recipient', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true, rejectRecipients: ['nobody@example.test'] });
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
    const s = await ob.enqueue(draft('partial', ['bob@example.test', 'nobody@example.test']), { accountId: h.accountId });
    await until(() => h.repos.outbox.get(s.id)?.state === 'sentWithWarnings', 10_000, 'sentWithWarnings');
    const got = ob.get(s.id);
    assert.equal(got.explanation?.kind, 'recipient.partialSuccess');
    assert.deepEqual(got.explanation?.recipients, ['nobody@example.test']);
    assert.deepEqual(got.results.map((r) => [r.address, r.accepted]), [['bob@example.test', true], ['nobody@example.test', false]]);
    assert.deepEqual(srv.messages[0]?.to, ['bob@example.test']);
    assert.equal(h.repos.sendLog.list().entries[0]?.status, 'sentWithWarnings');
  });

  test('5xx is never retried: every recipient refused → failed, and stays failed', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true, rejectRecipients: ['nobody@example.test'] });
    t.after(() => srv.close());
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, clock });
    const s = await ob.enqueue(draft('fail', ['nobody@example.test']), { accountId: h.accountId });
    await until(() => h.repos.outbox.get(s.id)?.state === 'failed', 10_000, 'failed');
    await ob.idle();
    const got = ob.get(s.id);
    assert.equal(got.explanation?.permanent, true);
    assert.equal(got.lastError?.detail?.code, 550);
    clock.advance(48 * 3600_000);
    await new Promise((r) => setTimeout(r, 50));
    await ob.idle();
    assert.equal(h.repos.outbox.get(s.id)?.state, 'failed');
    assert.equal(h.repos.outbox.get(s.id)?.attemptCount, 1);
    assert.equal(srv.messages.length, 0);
  });

  test('an attachment deleted or changed after Send: the snapshot is sent', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, clock }, { trustAttachmentPaths: false }, { undoSendSeconds: 5 });
    const staged = await ob.stage({ name: 'report.txt', dataBase64: Buffer.from('original attachment bytes\n').toString('base64') });
    const s = await ob.enqueue({ ...draft('att'), attachments: [{ path: staged.path }] }, { accountId: h.accountId });
    assert.equal(s.state, 'waiting');
    rmSync(staged.path);
    clock.advance(5000);
    await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 10_000, 'sent');
    const raw = srv.messages[0]?.raw.toString() ?? '';
    assert.match(raw, /filename="?report\.txt/);
    assert.match(raw, new RegExp(Buffer.from('original attachment bytes\n').toString('base64').slice(0, 20)));
  });

  test('a path outside the staging folder is refused from the renderer, and a refused enqueue leaves no trace', async (t) => {
    const h = createHarness({ host: '127.0.0.1', port: 9 });
    t.after(() => h.close());
    const ob = h.make({ trustAttachmentPaths: false });
    const outside = mkdtempSync(join(tmpdir(), 'postbote-outside-'));
    t.after(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.txt'), 'x');
    await assert.rejects(ob.enqueue({ ...draft('x'), attachments: [{ path: join(outside, 'secret.txt') }] }, { accountId: h.accountId }),
      (e: unknown) => (e as { appError?: { kind: string } }).appError?.kind === 'outbox.attachmentNotAllowed');
    const trusted = h.make();
    await assert.rejects(trusted.enqueue({ ...draft('x'), attachments: [{ path: join(outside, 'missing.txt') }] }, { accountId: h.accountId }),
      (e: unknown) => (e as { appError?: { kind: string } }).appError?.kind === 'outbox.attachmentMissing');
    await assert.rejects(trusted.enqueue({ ...draft('x'), to: ['not an address'] }, { accountId: h.accountId }),
      (e: unknown) => typeof (e as { appError?: { kind: string } }).appError?.kind === 'string');
    assert.equal(h.repos.outbox.list().length, 0);
    assert.deepEqual(existsSync(join(h.dataDir, 'outbox')) ? readdirSync(join(h.dataDir, 'outbox')) : [], []);
  });
});

describe('outbox: undo and send later', () => {
  test('undo within the window returns the draft untouched, and nothing is sent (after the window: faults.test.ts)', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, clock }, {}, { undoSendSeconds: 10 });
    const original = { ...draft('undo'), cc: 'Carol <carol@example.test>', html: '<p>Hi</p>' };
    const a = await ob.enqueue(original, { accountId: h.accountId });
    assert.equal(a.state, 'waiting');
    assert.equal(a.nextAttemptAt, clock.now() + 10_000);
    clock.advance(9_000);
    const back = await ob.undo(a.id);
    assert.deepEqual(back.draft, original);
    assert.equal(h.repos.outbox.get(a.id), undefined);
    assert.equal(existsSync(entryDirOf(h.dataDir, a.id)), false);
    clock.advance(60_000);
    await ob.idle();
    assert.equal(srv.messages.length, 0);
  });

  test('send later survives a restart; overdue messages go at start-up and the person is told', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const clock = new ManualClock();
    const h = createHarness({ host: srv.host, port: srv.port, clock });
    t.after(() => h.close());
    const first = h.make();
    await first.start();
    const sendAt = clock.now() + 3600_000;
    const later = await first.enqueue(draft('later'), { accountId: h.accountId, sendAt });
    const muchLater = await first.enqueue(draft('much later'), { accountId: h.accountId, sendAt: sendAt + 24 * 3600_000 });
    assert.equal(later.state, 'scheduled');
    await first.stop();
    // "The app was closed" for two hours.
    clock.set(sendAt + 3600_000);
    const second = h.make();
    const report = await second.start();
    t.after(() => second.stop());
    assert.deepEqual(report.overdue, [later.id]);
    const notice = h.events.find((e) => e.name === 'outbox.notice')?.payload as OutboxNotice;
    assert.deepEqual({ kind: notice.kind, ids: notice.ids, at: notice.at }, { kind: 'overdueScheduled', ids: [later.id], at: sendAt + 3600_000 });
    await until(() => h.repos.outbox.get(later.id)?.state === 'sent', 10_000, 'sent');
    assert.equal(second.get(later.id).overdue, true);
    assert.equal(second.get(later.id).scheduledFor, sendAt);
    assert.equal(second.get(muchLater.id).overdue, false);
    assert.equal(second.get(muchLater.id).scheduledFor, undefined);
    assert.equal(h.repos.outbox.get(muchLater.id)?.state, 'scheduled');
    clock.set(sendAt + 24 * 3600_000);
    await until(() => h.repos.outbox.get(muchLater.id)?.state === 'sent', 10_000, 'second sent');
    assert.equal(srv.messages.length, 2);
    // The Date header is the chosen time, not the time of pressing Send.
    assert.match(srv.messages[0]?.raw.toString() ?? '', /Date: Mon, 06 Jan 2025 10:00:00/);
  });
});

describe('outbox: start-up notices', () => {
  test('notices emitted before anyone listens are still returned, until dismissed', async (t) => {
    const srv = await startTestSmtpServer({ authOptional: true });
    t.after(() => srv.close());
    const clock = new ManualClock();
    const h = createHarness({ host: srv.host, port: srv.port, clock });
    t.after(() => h.close());
    const first = h.make();
    const later = await first.enqueue(draft('overdue'), { accountId: h.accountId, sendAt: clock.now() + 60_000 });
    // A crash mid-send before the final dot: the next start queues it again and says so.
    const crashed = await first.enqueue(draft('crashed'), { accountId: h.accountId });
    h.repos.outbox.transition(crashed.id, ['queued'], 'sending', { countAttempt: true });
    clock.advance(3600_000);
    // The app's start: nothing listens yet (the window is still loading).
    const second = h.make({ emit: () => { throw new Error('no window yet'); } });
    await second.start();
    t.after(() => second.stop());
    const pending = second.notices();
    assert.deepEqual(pending.map((n) => [n.kind, n.ids]), [['reconciledRequeued', [crashed.id]], ['overdueScheduled', [later.id]]]);
    assert.ok(pending.every((n) => n.at === clock.now() && n.noticeId.length > 0));
    assert.notEqual(pending[0]?.noticeId, pending[1]?.noticeId);
    // Handing out a copy: changing it changes nothing inside.
    pending[0]?.ids.push('x');
    assert.deepEqual(second.notices()[0]?.ids, [crashed.id]);
    // The contract's schema accepts what the outbox returns.
    assert.equal(z.array(OutboxNoticeSchema).safeParse(second.notices()).success, true);

    // Still there after the messages went out: only the person dismisses a notice.
    await until(() => [later.id, crashed.id].every((id) => h.repos.outbox.get(id)?.state === 'sent'), 10_000, 'both sent');
    assert.equal(second.notices().length, 2);
    const overdueNotice = second.notices().find((n) => n.kind === 'overdueScheduled');
    assert.equal(second.dismissNotice(overdueNotice?.noticeId ?? ''), null);
    assert.deepEqual(second.notices().map((n) => n.kind), ['reconciledRequeued']);
    // A second dismissal (another window) and an unknown id change nothing.
    second.dismissNotice(overdueNotice?.noticeId ?? '');
    second.dismissNotice('no-such-notice');
    assert.deepEqual(second.notices().map((n) => n.kind), ['reconciledRequeued']);
  });

  test('a dismissal is announced once, so every window can drop the notice', async (t) => {
    const clock = new ManualClock();
    const h = createHarness({ host: '127.0.0.1', port: 9, clock });
    t.after(() => h.close());
    const first = h.make();
    await first.enqueue(draft('overdue'), { accountId: h.accountId, sendAt: clock.now() + 1000 });
    clock.advance(5000);
    const second = h.make();
    await second.start();
    await second.stop();
    const [notice] = second.notices();
    assert.ok(notice);
    second.dismissNotice(notice.noticeId);
    second.dismissNotice(notice.noticeId);
    const dismissed = h.events.filter((e) => e.name === 'outbox.noticeDismissed').map((e) => e.payload);
    assert.deepEqual(dismissed, [{ noticeId: notice.noticeId }]);
  });
});

describe('outbox: words', () => {
  test('German and English catalogues have the same keys, and every refusal kind has a text', async () => {
    const { outboxDe } = await import('../../shared/i18n/outbox.de.js');
    const { outboxEn } = await import('../../shared/i18n/outbox.en.js');
    assert.deepEqual(Object.keys(outboxDe).sort(), Object.keys(outboxEn).sort());
    const source = (await import('node:fs')).readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
    for (const m of source.matchAll(/'outbox\.([A-Za-z]+)'/g)) assert.ok(outboxEn[`outbox.err.${m[1] ?? ''}`], `text for ${m[1] ?? ''}`);
  });

  test('counted texts have a form for every plural category German and English use, and no "(s)" stand-in', async () => {
    const { catalogues } = await import('../../shared/i18n/index.js');
    const own = { de: (await import('../../shared/i18n/outbox.de.js')).outboxDe, en: (await import('../../shared/i18n/outbox.en.js')).outboxEn };
    const bases = ['outbox.attempts', 'outbox.notice.overdueScheduled', 'outbox.notice.reconciledUnconfirmed', 'outbox.notice.reconciledRequeued'];
    for (const lang of ['de', 'en'] as const) {
      const rules = new Intl.PluralRules(lang);
      // The screens pick `.one` or `.other`; any other category for a count would fall back to `.other`, so require only these two exist.
      const categories = new Set([0, 1, 2, 3, 11, 21, 100, 101].map((n) => rules.select(n)));
      assert.deepEqual([...categories].sort(), ['one', 'other'], `${lang} plural categories`);
      for (const base of bases) {
        for (const form of ['one', 'other']) assert.ok(catalogues[lang][`${base}.${form}`], `${lang}: ${base}.${form}`);
        assert.notEqual(catalogues[lang][`${base}.one`], catalogues[lang][`${base}.other`], `${lang}: ${base} one and other differ`);
      }
      for (const [key, text] of Object.entries(own[lang])) assert.doesNotMatch(text, /\((s|en|e)\)/, `${lang}: ${key} uses a plural stand-in`);
    }
  });
});

test('an address that needs SMTPUTF8 is refused before connecting when the last connection test found the server without it', async (t) => {
  const srv = await startTestSmtpServer({ authOptional: true });
  t.after(() => srv.close());
  const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
  h.repos.accounts.recordCapabilities(h.accountId, { eightBitMime: true, smtpUtf8: false, testedAt: Date.now() });
  await assert.rejects(ob.enqueue(draft('utf8-local', ['jörg@example.test']), { accountId: h.accountId }), (e: unknown) => {
    const err = e as { appError?: { kind: string; params?: Record<string, unknown> } };
    assert.equal(err.appError?.kind, 'compose.smtpUtf8Required');
    assert.equal(err.appError?.params?.address, 'jörg@example.test');
    return true;
  });
  assert.equal(h.repos.outbox.list().length, 0, 'nothing entered the queue');
  assert.equal(srv.connections, 0, 'refused before connecting');

  // Where the server is known to offer it, or nothing is known yet, the message is queued.
  h.repos.accounts.recordCapabilities(h.accountId, { eightBitMime: true, smtpUtf8: true, testedAt: Date.now() });
  const queued = await ob.enqueue(draft('utf8-ok', ['jörg@example.test']), { accountId: h.accountId });
  assert.notEqual(queued.state, 'failed');
});

test('the outbox sends only as the account or one of its identities, whatever From the page names', async (t) => {
  const srv = await startTestSmtpServer({ authOptional: true });
  t.after(() => srv.close());
  const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
  const forged = { ...draft('forged'), from: { name: 'The Boss', address: 'boss@elsewhere.example' } };
  await assert.rejects(ob.enqueue(forged, { accountId: h.accountId }), (e: unknown) => {
    assert.equal((e as { appError?: { kind: string } }).appError?.kind, 'outbox.senderNotAllowed');
    return true;
  });
  assert.equal(h.repos.outbox.list().length, 0);
  // The account's own address in another case, and an identity of it, are fine.
  await ob.enqueue({ ...draft('own'), from: { address: 'ALICE@example.test' } }, { accountId: h.accountId });
  h.repos.accounts.addIdentity(h.accountId, { name: 'Alice (Team)', address: 'team@example.test' });
  await ob.enqueue({ ...draft('identity'), from: { address: 'team@example.test' } }, { accountId: h.accountId });
  assert.equal(h.repos.outbox.list().length, 2);
});
