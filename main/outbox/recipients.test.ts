/**
 * Recipients refused one by one: a 4xx refusal is "not now" for that recipient only, so the
 * outbox keeps trying exactly those (same Message-ID, the usual backoff), never the ones the
 * server accepted (they have the message) nor the ones refused for good (5xx). Against a
 * scripted server whose answer to each RCPT the test decides.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ManualClock } from './clock.js';
import { entryDirOf } from './files.js';
import type { Outbox } from './outbox.js';
import { draft, runningOutbox, until, type Harness } from './testing/harness.js';
import { startRecipientServer } from './testing/recipient-server.js';

async function outboxFor(t: { after(fn: () => unknown): void }, port: number, giveUpHours = 24): Promise<{ h: Harness; ob: Outbox; clock: ManualClock }> {
  const clock = new ManualClock();
  const { h, ob } = await runningOutbox(t, { host: '127.0.0.1', port, clock }, { random: () => 0.5 }, { retryGiveUpHours: giveUpHours });
  return { h, ob, clock };
}

/** Waits until the entry has left 'queued'/'sending' and the worker is idle. */
async function attemptDone(h: Harness, ob: Outbox, id: string, attempts: number): Promise<void> {
  await until(() => {
    const e = h.repos.outbox.get(id);
    return (e?.attemptCount ?? 0) >= attempts && !['queued', 'sending'].includes(e?.state ?? '');
  }, 10_000, `attempt ${attempts} done`);
  await ob.idle();
}

const BOB = 'bob@example.test';
const CAROL = 'carol@example.test';
const DAVE = 'dave@example.test';

describe('outbox: recipients refused for now are tried again, alone', () => {
  test('accepted + 451 + 550: deferred for the 451 one only, then sent to it alone with the same Message-ID; the 550 one never again', async (t) => {
    const answers: Record<string, string> = { [CAROL]: '451 4.2.1 mailbox busy, try again later', [DAVE]: '550 5.1.1 no such user' };
    const { srv, transactions, rcptCount } = await startRecipientServer(answers);
    t.after(() => srv.close());
    const { h, ob, clock } = await outboxFor(t, srv.port);
    const s = await ob.enqueue(draft('partial-4xx', [BOB, CAROL, DAVE]), { accountId: h.accountId });
    await attemptDone(h, ob, s.id, 1);

    const waiting = ob.get(s.id);
    assert.equal(waiting.state, 'deferred', 'not final: carol was only refused for now');
    assert.deepEqual(waiting.recipients, [BOB, CAROL, DAVE]);
    assert.deepEqual(waiting.remainingRecipients, [CAROL]);
    assert.deepEqual(h.repos.outbox.get(s.id)?.envelope.to, [CAROL]);
    assert.deepEqual(waiting.results.map((r) => [r.address, r.accepted, r.code]), [[BOB, true, 250], [CAROL, false, 451], [DAVE, false, 550]]);
    // The usual backoff: the first retry 15–30 s later (22.5 s with this jitter).
    assert.equal((waiting.nextAttemptAt ?? 0) - clock.now(), 22_500);
    assert.ok(existsSync(entryDirOf(h.dataDir, s.id)), 'the snapshot stays for the next attempt');
    const firstOutcome = h.events.filter((e) => e.name === 'outbox.outcome').at(-1)?.payload as { state: string; results: Array<{ address: string }> };
    assert.equal(firstOutcome.state, 'deferred');
    assert.equal(firstOutcome.results.length, 3);
    // Bob has it: it can no longer be taken back.
    await assert.rejects(ob.undo(s.id), (e: unknown) => (e as { appError?: { kind: string } }).appError?.kind === 'outbox.partlyDelivered');

    answers[CAROL] = '250 2.1.5 ok';
    clock.set(waiting.nextAttemptAt ?? 0);
    await attemptDone(h, ob, s.id, 2);

    const done = ob.get(s.id);
    assert.equal(done.state, 'sentWithWarnings', 'dave was refused for good');
    assert.deepEqual(done.results.map((r) => [r.address, r.accepted, r.code]), [[BOB, true, 250], [CAROL, true, 250], [DAVE, false, 550]]);
    assert.deepEqual(done.explanation?.recipients, [DAVE]);
    assert.equal(done.remainingRecipients, undefined);
    assert.deepEqual(transactions.map((x) => x.recipients), [[BOB, CAROL, DAVE], [CAROL]]);
    assert.deepEqual(transactions.map((x) => x.accepted), [[BOB], [CAROL]]);
    assert.equal(transactions[0]?.messageId, s.messageId);
    assert.equal(transactions[1]?.messageId, s.messageId);
    assert.deepEqual([rcptCount(BOB), rcptCount(CAROL), rcptCount(DAVE)], [1, 2, 1]);
    assert.equal(existsSync(entryDirOf(h.dataDir, s.id)), false);
    // One log entry per attempt, each with the envelope that attempt used.
    const log = h.repos.sendLog.list({ limit: 10 }).entries.sort((a, b) => a.id - b.id);
    assert.deepEqual(log.map((l) => [l.status, l.recipients]), [['sentWithWarnings', [BOB, CAROL, DAVE]], ['sent', [CAROL]]]);
  });

  test('every recipient refused, the first with 550 and the second with 452: not failed — the 452 one is tried again, alone', async (t) => {
    const answers: Record<string, string> = { [BOB]: '550 5.1.1 no such user', [CAROL]: '452 4.2.2 mailbox full' };
    const { srv, transactions, rcptCount } = await startRecipientServer(answers);
    t.after(() => srv.close());
    const { h, ob, clock } = await outboxFor(t, srv.port);
    const s = await ob.enqueue(draft('all-refused-mixed', [BOB, CAROL]), { accountId: h.accountId });
    await attemptDone(h, ob, s.id, 1);
    const waiting = ob.get(s.id);
    assert.equal(waiting.state, 'deferred');
    assert.deepEqual(waiting.remainingRecipients, [CAROL]);
    assert.deepEqual(waiting.results.map((r) => [r.address, r.code]), [[BOB, 550], [CAROL, 452]]);
    assert.equal(transactions.length, 0);

    answers[CAROL] = '250 2.1.5 ok';
    clock.set(waiting.nextAttemptAt ?? 0);
    await attemptDone(h, ob, s.id, 2);
    const done = ob.get(s.id);
    assert.equal(done.state, 'sentWithWarnings');
    assert.deepEqual(done.results.map((r) => [r.address, r.accepted]), [[BOB, false], [CAROL, true]]);
    assert.deepEqual(transactions.map((x) => x.recipients), [[CAROL]]);
    assert.equal(rcptCount(BOB), 1, 'a 5xx recipient is never tried again');
  });

  test('every recipient refused, the first with 451 and the second with 550: only the 451 one is retried, until the outbox gives up', async (t) => {
    const answers: Record<string, string> = { [BOB]: '451 4.3.0 try again later', [CAROL]: '550 5.1.1 no such user' };
    const { srv, transactions, rcptCount } = await startRecipientServer(answers);
    t.after(() => srv.close());
    const { h, ob, clock } = await outboxFor(t, srv.port, 1);
    const s = await ob.enqueue(draft('all-refused-4xx-first', [BOB, CAROL]), { accountId: h.accountId });
    for (let attempt = 1; attempt < 30; attempt++) {
      await attemptDone(h, ob, s.id, attempt);
      const e = h.repos.outbox.get(s.id);
      if (e?.state !== 'deferred') break;
      assert.deepEqual(e.envelope.to, [BOB]);
      clock.set(e.nextAttemptAt ?? 0);
    }
    const final = ob.get(s.id);
    assert.equal(final.state, 'failed', 'nobody has it');
    assert.equal(final.lastError?.params?.gaveUpAfterHours, 1);
    assert.ok(rcptCount(BOB) > 2, `bob tried ${rcptCount(BOB)} times`);
    assert.equal(rcptCount(CAROL), 1, 'a 5xx recipient is never tried again');
    assert.equal(transactions.length, 0);
    assert.deepEqual(final.results.map((r) => [r.address, r.code]), [[BOB, 451], [CAROL, 550]]);

    // "Send now" is the person's choice: every recipient that does not have it, the 550 one included.
    answers[BOB] = '250 2.1.5 ok';
    answers[CAROL] = '250 2.1.5 ok';
    await ob.retryNow(s.id);
    await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 10_000, 'sent after retry now');
    assert.deepEqual(transactions.map((x) => x.recipients), [[BOB, CAROL]]);
  });

  test('every recipient refused with 5xx: failed at once, never retried', async (t) => {
    const { srv, rcptCount } = await startRecipientServer({ [BOB]: '550 5.1.1 no such user', [CAROL]: '553 5.1.3 bad address' });
    t.after(() => srv.close());
    const { h, ob, clock } = await outboxFor(t, srv.port);
    const s = await ob.enqueue(draft('all-5xx', [BOB, CAROL]), { accountId: h.accountId });
    await attemptDone(h, ob, s.id, 1);
    assert.equal(ob.get(s.id).state, 'failed');
    clock.advance(48 * 3600_000);
    await new Promise((r) => setTimeout(r, 50));
    await ob.idle();
    assert.equal(h.repos.outbox.get(s.id)?.attemptCount, 1);
    assert.deepEqual([rcptCount(BOB), rcptCount(CAROL)], [1, 1]);
  });

  test('giving up on the remaining recipients: sent with warnings, the accepted one got it exactly once', async (t) => {
    const { srv, transactions, rcptCount } = await startRecipientServer({ [CAROL]: '450 4.2.0 greylisted, try later' });
    t.after(() => srv.close());
    const { h, ob, clock } = await outboxFor(t, srv.port, 1);
    const s = await ob.enqueue(draft('give-up', [BOB, CAROL]), { accountId: h.accountId });
    for (let attempt = 1; attempt < 30; attempt++) {
      await attemptDone(h, ob, s.id, attempt);
      const e = h.repos.outbox.get(s.id);
      if (e?.state !== 'deferred') break;
      clock.set(e.nextAttemptAt ?? 0);
    }
    const final = ob.get(s.id);
    assert.equal(final.state, 'sentWithWarnings');
    assert.equal(final.lastError?.params?.gaveUpAfterHours, 1);
    assert.deepEqual(final.explanation?.recipients, [CAROL]);
    assert.equal(transactions.length, 1);
    assert.equal(rcptCount(BOB), 1);
    assert.ok(rcptCount(CAROL) > 2);
    assert.equal(existsSync(entryDirOf(h.dataDir, s.id)), false);
  });

  test('a partly delivered message cancelled and sent again goes only to those who do not have it', async (t) => {
    const answers: Record<string, string> = { [CAROL]: '451 4.2.1 try later' };
    const { srv, transactions } = await startRecipientServer(answers);
    t.after(() => srv.close());
    const { h, ob } = await outboxFor(t, srv.port);
    const s = await ob.enqueue(draft('cancel-partial', [BOB, CAROL]), { accountId: h.accountId });
    await attemptDone(h, ob, s.id, 1);
    assert.equal((await ob.cancel(s.id)).state, 'cancelled');
    await assert.rejects(ob.undo(s.id), (e: unknown) => (e as { appError?: { kind: string } }).appError?.kind === 'outbox.partlyDelivered');
    answers[CAROL] = '250 2.1.5 ok';
    await ob.retryNow(s.id);
    await until(() => h.repos.outbox.get(s.id)?.state === 'sent', 10_000, 'sent');
    assert.deepEqual(transactions.map((x) => x.recipients), [[BOB, CAROL], [CAROL]]);
    assert.deepEqual(ob.get(s.id).results.map((r) => [r.address, r.accepted]), [[BOB, true], [CAROL, true]]);
  });
});
