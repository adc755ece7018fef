/**
 * The process the durability test kills: opens the data folder, reconciles (start), then
 * enqueues a few messages and lets the worker send them, printing one JSON line per fact
 * (start report, enqueued, outcome) until it is killed.
 *   node kill-child.mjs <dataDir> <tag> <count> <bigEvery>
 */
import { createRepositories, openDatabase } from '../../store/index.js';
import { Outbox } from '../outbox.js';
import { MemorySecretStore } from '../../testing/memory-secret-store.js';

const [dataDir = '', tag = 'x', countArg = '3', bigEveryArg = '0'] = process.argv.slice(2);
const out = (o: unknown): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };

const db = openDatabase(dataDir, { integrityCheck: false });
const repos = createRepositories(db);
const account = repos.accounts.list()[0];
if (!account) throw new Error('no account');
const outbox = new Outbox({
  db, repos, secrets: new MemorySecretStore(), dataDir,
  settings: () => ({ undoSendSeconds: 0, retryGiveUpHours: 24 }),
  emit: (name, payload) => {
    if (name === 'outbox.outcome') {
      const p = payload as { id: string; state: string };
      out({ t: 'outcome', id: p.id, state: p.state });
    }
  },
  trustAttachmentPaths: true,
  debrisMinAgeMs: 0,
  // Retries (if any) come quickly so the test is bounded.
  retryPolicy: { baseMs: 50, capMs: 200, offlineRecheckMs: 50 },
  connect: { timeouts: { connect: 2000, greeting: 3000, command: 3000, dataBlock: 3000, endOfData: 3000 } },
});
const report = await outbox.start();
out({ t: 'start', requeued: report.requeued.length, unconfirmed: report.unconfirmed.length, debris: report.debris.length });
const count = Number(countArg);
const bigEvery = Number(bigEveryArg);
for (let i = 0; i < count; i++) {
  const big = bigEvery > 0 && i % bigEvery === 0;
  const text = big ? 'A line of a long message body, long enough to be streamed.\n'.repeat(4700) : `Hello ${tag}-${i}\n`;
  const s = await outbox.enqueue(
    { from: { address: 'alice@example.test' }, to: ['bob@example.test'], subject: `kill ${tag}-${i}`, text },
    { accountId: account.id },
  );
  out({ t: 'enq', id: s.id, messageId: s.messageId });
}
out({ t: 'ready' });
// Keep running until killed (the test kills every child; this is only a safety net).
setTimeout(() => process.exit(0), 20_000);
