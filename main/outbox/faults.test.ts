import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { greetAndEhlo, startFaultServer, type FaultConnection } from '../testing/smtp-fault-server.js';
import { ManualClock } from './clock.js';
import { backoffDelay, classifyFailure, nextAttemptAt } from './retry.js';
import { createHarness, draft, until, type Harness, runningOutbox } from './testing/harness.js';
import type { Outbox } from './outbox.js';

/** Answers commands line by line; `onMail`/`onData` decide the interesting replies. */
async function converse(c: FaultConnection, o: {
  extensions?: string[];
  mail?: () => string | null;
  /** Awaited before MAIL is answered (hold the client there). */
  beforeMailReply?: () => Promise<void>;
  afterDot?: () => Promise<string | null> | string | null;
  beforeDataReply?: () => Promise<void>;
}): Promise<void> {
  await greetAndEhlo(c, o.extensions ?? ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME']);
  let mailOk = true;
  for (;;) {
    const line = await c.nextLine(20_000);
    if (line === null) return;
    const verb = line.split(' ')[0]?.toUpperCase();
    if (verb === 'MAIL') {
      await o.beforeMailReply?.();
      const r = o.mail ? o.mail() : '250 2.1.0 ok';
      if (r === null) return; // hold: never answer
      mailOk = r.startsWith('250');
      c.send(`${r}\r\n`);
    } else if (verb === 'RCPT') c.send(mailOk ? '250 2.1.5 ok\r\n' : '503 5.5.1 need MAIL\r\n');
    else if (verb === 'DATA') {
      if (!mailOk) { c.send('503 5.5.1 no valid recipients\r\n'); continue; }
      await o.beforeDataReply?.();
      c.send('354 go ahead\r\n');
      const body = await c.readData(20_000);
      if (body === null) return;
      const r = o.afterDot ? await o.afterDot() : '250 2.0.0 ok queued as F1';
      if (r === null) return;
      c.send(`${r}\r\n`);
    } else if (verb === 'BDAT') {
      const m = /^BDAT (\d+)( LAST)?/i.exec(line);
      await c.readBytes(Number(m?.[1] ?? 0), 20_000);
      if (m?.[2]) {
        const r = o.afterDot ? await o.afterDot() : '250 2.0.0 ok queued as F1';
        if (r === null) return;
        c.send(`${r}\r\n`);
      } else c.send('250 2.0.0 chunk ok\r\n');
    } else if (verb === 'RSET' || verb === 'NOOP') c.send('250 2.0.0 ok\r\n');
    else if (verb === 'QUIT') { c.send('221 2.0.0 bye\r\n'); c.end(); return; }
    else c.send('500 5.5.2 what?\r\n');
  }
}

const settle = async (ob: Outbox): Promise<void> => {
  await ob.idle();
  await new Promise((r) => setImmediate(r));
};

describe('retry schedule', () => {
  test('backoff: first retry within a minute, growing, capped, jittered', () => {
    assert.equal(backoffDelay(1, 0), 15_000);
    assert.equal(backoffDelay(1, 0.999999), 30_000);
    assert.ok(backoffDelay(2, 0.5) > backoffDelay(1, 0.5));
    assert.equal(backoffDelay(40, 1), 3600_000);
    for (let n = 1; n < 12; n++) assert.ok(backoffDelay(n + 1, 0) >= backoffDelay(n, 0));
    assert.equal(nextAttemptAt({ now: 100, firstAttemptAt: 0, failures: 30, giveUpAfterMs: 1000, kind: 'temporary', random: 0 }), 1000);
    assert.equal(nextAttemptAt({ now: 1000, firstAttemptAt: 0, failures: 3, giveUpAfterMs: 1000, kind: 'temporary', random: 0 }), null);
    assert.equal(classifyFailure({ phase: 'mail', cause: 'reply', code: 451, message: '' }), 'temporary');
    assert.equal(classifyFailure({ phase: 'rcpt', cause: 'reply', code: 550, message: '' }), 'permanent');
    assert.equal(classifyFailure({ phase: 'connect', cause: 'network', systemCode: 'ECONNREFUSED', message: '' }), 'temporary');
    assert.equal(classifyFailure({ phase: 'dns', cause: 'network', systemCode: 'ENOTFOUND', message: '' }), 'offline');
    assert.equal(classifyFailure({ phase: 'tls', cause: 'tls', systemCode: 'CERT_HAS_EXPIRED', message: '' }), 'permanent');
  });

  test('4xx is retried on schedule with a controllable clock, then given up after the configured time', async (t) => {
    let mails = 0;
    const srv = await startFaultServer((c) => converse(c, { mail: () => { mails++; return '451 4.3.0 Temporary local problem, try again later'; } }));
    t.after(() => srv.close());
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, clock }, { random: () => 0.5 }, { retryGiveUpHours: 1 });
    const s = await ob.enqueue(draft('4xx'), { accountId: h.accountId });
    const t0 = clock.now();
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      await until(() => ['deferred', 'failed'].includes(h.repos.outbox.get(s.id)?.state ?? ''), 10_000, 'attempt done');
      await settle(ob);
      const e = h.repos.outbox.get(s.id);
      if (e?.state === 'failed') break;
      const at = e?.nextAttemptAt ?? 0;
      delays.push(at - clock.now());
      clock.set(at);
    }
    const final = ob.get(s.id);
    assert.equal(final.state, 'failed');
    assert.equal(final.lastError?.params?.gaveUpAfterHours, 1);
    assert.equal(clock.now() - t0, 3600_000, 'the last attempt is at the deadline');
    assert.deepEqual(delays.slice(0, 6), [22_500, 45_000, 90_000, 180_000, 360_000, 720_000]);
    assert.ok(delays[0] !== undefined && delays[0] < 60_000, 'first retry within a minute');
    assert.equal(mails, delays.length + 1);
    assert.equal(final.attemptCount, delays.length + 1);
    const log = h.repos.sendLog.list({ limit: 100 }).entries;
    assert.equal(log.length, delays.length + 1, 'one send-log entry per attempt');
    assert.deepEqual([...new Set(log.map((l) => l.status))].sort(), ['deferred', 'failed']);
  });

  test('offline (host cannot be resolved): deferred with a short re-check, and tried at once on the online hint', async (t) => {
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: 'postbote-no-such-host.invalid', port: 587, clock });
    const s = await ob.enqueue(draft('offline'), { accountId: h.accountId });
    await until(() => h.repos.outbox.get(s.id)?.state === 'deferred', 15_000, 'deferred');
    await settle(ob);
    const e = ob.get(s.id);
    assert.equal(e.offline, true);
    assert.equal((e.nextAttemptAt ?? 0) - clock.now(), 30_000);
    ob.online();
    await until(() => (h.repos.outbox.get(s.id)?.attemptCount ?? 0) >= 2, 15_000, 'second attempt');
    await settle(ob);
    assert.equal(h.repos.outbox.get(s.id)?.state, 'deferred');
  });
});

describe('undo after the window', () => {
  const tooLate = (e: unknown): boolean => (e as { appError?: { kind: string } }).appError?.kind === 'outbox.undoTooLate';

  test('too late once the message is on the wire or sent; one that never reached a server can still be taken back (what Edit does)', async (t) => {
    let mode: 'hold' | 'ok' | '451' | '550' = 'hold';
    let mails = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let mailSeen!: () => void;
    const atMail = new Promise<void>((r) => { mailSeen = r; });
    const srv = await startFaultServer((c) => converse(c, {
      beforeMailReply: async () => {
        mails++;
        if (mode === 'hold') { mailSeen(); await gate; }
      },
      mail: () => (mode === '451' ? '451 4.3.0 try again later' : mode === '550' ? '550 5.7.1 sender not allowed' : '250 2.1.0 ok'),
    }));
    t.after(() => srv.close());
    const clock = new ManualClock();
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port, clock }, {}, { undoSendSeconds: 10 });
    const dots = (): number => srv.allReceived().split('\r\n.\r\n').length - 1;

    // On the wire (the server holds MAIL): too late, and the attempt goes on untouched.
    const onWire = await ob.enqueue(draft('on the wire'), { accountId: h.accountId });
    clock.advance(10_000);
    await atMail;
    assert.equal(h.repos.outbox.get(onWire.id)?.state, 'sending');
    await assert.rejects(ob.undo(onWire.id), tooLate);
    assert.equal(h.repos.outbox.get(onWire.id)?.state, 'sending');
    mode = 'ok';
    release();
    await until(() => h.repos.outbox.get(onWire.id)?.state === 'sent', 10_000, 'sent');
    // Sent: too late, and it stays sent.
    await assert.rejects(ob.undo(onWire.id), tooLate);
    assert.equal(h.repos.outbox.get(onWire.id)?.state, 'sent');
    assert.equal(dots(), 1);

    // Deferred after the window (451 at MAIL, nothing reached the server): the draft comes back, and no attempt follows.
    mode = '451';
    const original = { ...draft('deferred'), cc: 'Carol <carol@example.test>' };
    const deferred = await ob.enqueue(original, { accountId: h.accountId });
    clock.advance(10_000);
    await until(() => h.repos.outbox.get(deferred.id)?.state === 'deferred', 10_000, 'deferred');
    await settle(ob);
    const mailsBefore = mails;
    assert.deepEqual((await ob.undo(deferred.id)).draft, original);
    assert.equal(h.repos.outbox.get(deferred.id), undefined);
    clock.advance(24 * 3600_000);
    await settle(ob);
    assert.equal(mails, mailsBefore, 'an undone message is not tried again');

    // Failed for good (550 at MAIL): also still the person's draft.
    mode = '550';
    const failed = await ob.enqueue(draft('failed'), { accountId: h.accountId });
    clock.advance(10_000);
    await until(() => h.repos.outbox.get(failed.id)?.state === 'failed', 10_000, 'failed');
    await settle(ob);
    assert.equal((await ob.undo(failed.id)).draft.subject, 'Test failed');
    assert.equal(dots(), 1, 'only the first message ever reached the end of its data');
  });

  test('unconfirmed (the whole message went out, no reply): too late to undo', async (t) => {
    let dotSeen!: () => void;
    const dot = new Promise<void>((r) => { dotSeen = r; });
    const srv = await startFaultServer((c) => converse(c, { afterDot: () => { dotSeen(); return null; } }));
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
    const s = await ob.enqueue(draft('unconfirmed undo'), { accountId: h.accountId });
    await dot;
    assert.equal((await ob.cancel(s.id)).state, 'unconfirmed');
    await assert.rejects(ob.undo(s.id), tooLate);
    assert.equal(h.repos.outbox.get(s.id)?.state, 'unconfirmed');
  });
});

describe('cancel, unconfirmed, end of data', () => {
  test('cancel while sending (before the body): never sent, stays in the outbox as cancelled', async (t) => {
    let held!: () => void;
    const atMail = new Promise<void>((r) => { held = r; });
    const srv = await startFaultServer((c) => converse(c, { mail: () => { held(); return null; } }));
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
    const s = await ob.enqueue(draft('cancel'), { accountId: h.accountId });
    await atMail;
    const after = await ob.cancel(s.id);
    assert.equal(after.state, 'cancelled');
    assert.equal(h.repos.sendLog.list().entries[0]?.status, 'cancelled');
    assert.ok(!h.events.some((e) => e.name === 'outbox.outcome' && (e.payload as { state: string }).state.startsWith('sent')));
    assert.doesNotMatch(srv.allReceived(), /\r\n\.\r\n/);
    assert.equal(ob.list().length, 1);
  });

  test('cancel after the final dot → unconfirmed; resend keeps the Message-ID; markArrived resolves', async (t) => {
    let holdReply = true;
    let dotSeen!: () => void;
    const dot = new Promise<void>((r) => { dotSeen = r; });
    const srv = await startFaultServer((c) => converse(c, { afterDot: () => { dotSeen(); return holdReply ? null : '250 2.0.0 ok'; } }));
    t.after(() => srv.close());
    const { h, ob } = await runningOutbox(t, { host: srv.host, port: srv.port });
    const s = await ob.enqueue(draft('unconfirmed'), { accountId: h.accountId });
    await dot;
    const after = await ob.cancel(s.id);
    assert.equal(after.state, 'unconfirmed');
    assert.equal(after.explanation?.kind, 'uncertain.mayHaveBeenDelivered');
    holdReply = false;
    const again = await ob.resend(s.id);
    assert.equal(again.messageId, s.messageId);
    await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 10_000, 'sent');
    const ids = [...srv.allReceived().matchAll(/^Message-ID: (.*)$/gim)].map((m) => m[1]?.trim());
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[0], s.messageId);

    // markArrived on another unconfirmed entry
    holdReply = true;
    const dot2 = new Promise<void>((r) => { dotSeen = r; });
    const u = await ob.enqueue(draft('arrived'), { accountId: h.accountId });
    await dot2;
    await ob.cancel(u.id);
    assert.equal((await ob.markArrived(u.id)).state, 'sent');
  });

  for (const variant of [
    { name: 'DATA, small body', extensions: ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME'], big: false, markAtMail: false },
    { name: 'BDAT, small body', extensions: ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME', 'CHUNKING'], big: false, markAtMail: true },
    { name: 'DATA, streamed large body', extensions: ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME'], big: true, markAtMail: false },
    { name: 'BDAT, streamed large body', extensions: ['PIPELINING', 'ENHANCEDSTATUSCODES', '8BITMIME', 'CHUNKING'], big: true, markAtMail: false },
  ]) {
    test(`the end-of-data mark is written before the final dot reaches the server (${variant.name})`, async (t) => {
      const box: { h: Harness | null } = { h: null };
      const seen: Array<{ at: string; marked: boolean }> = [];
      const marked = (): boolean => (box.h?.repos.outbox.list({ states: ['sending'] }) ?? []).some((e) => e.endOfDataAt !== null);
      const srv = await startFaultServer((c) => converse(c, {
        extensions: variant.extensions,
        mail: () => { seen.push({ at: 'mail', marked: marked() }); return '250 2.1.0 ok'; },
        afterDot: () => { seen.push({ at: 'dot', marked: marked() }); return '250 2.0.0 ok'; },
      }));
      t.after(() => srv.close());
      const h = createHarness({ host: srv.host, port: srv.port });
      box.h = h;
      t.after(() => h.close());
      const ob = h.make();
      await ob.start();
      t.after(() => ob.stop());
      const text = variant.big ? `${'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n'.repeat(8000)}` : 'short\n';
      const s = await ob.enqueue({ ...draft('eod'), text }, { accountId: h.accountId });
      if (variant.big) assert.ok((s.size ?? 0) > 300_000);
      await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 15_000, 'sent');
      assert.deepEqual(seen, [{ at: 'mail', marked: variant.markAtMail }, { at: 'dot', marked: true }]);
    });
  }

  test('crash reconciliation: sending before the end of data → queued; after it → unconfirmed (with a log entry)', async (t) => {
    const h = createHarness({ host: '127.0.0.1', port: 9 });
    t.after(() => h.close());
    const ob = h.make();
    const a = await ob.enqueue(draft('a'), { accountId: h.accountId });
    const b = await ob.enqueue(draft('b'), { accountId: h.accountId });
    h.repos.outbox.transition(a.id, ['queued'], 'sending', { countAttempt: true });
    h.repos.outbox.transition(b.id, ['queued'], 'sending', { countAttempt: true, endOfDataAt: Date.now() });
    // A fresh process: only the database knows.
    const restarted = h.make();
    const report = await restarted.start();
    await restarted.stop();
    assert.deepEqual(report.requeued, [a.id]);
    assert.deepEqual(report.unconfirmed, [b.id]);
    assert.equal(h.repos.outbox.get(a.id)?.state !== 'sending', true);
    assert.equal(h.repos.outbox.get(b.id)?.state, 'unconfirmed');
    assert.equal(restarted.get(b.id).explanation?.kind, 'uncertain.mayHaveBeenDelivered');
    assert.equal(h.repos.sendLog.list({ status: ['unconfirmed'] }).entries.length, 1);
  });
});
