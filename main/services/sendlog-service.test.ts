import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../store/database.js';
import { createSendLogRepository } from '../store/sendlog.js';
import { tempDataDir } from '../store/test-support.js';
import { createSendLogService } from './sendlog-service.js';

test('log.list pages summaries, log.get returns the full entry, a missing one is log.notFound', async (t) => {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  const repo = createSendLogRepository(db);
  const id = repo.append({ time: 1, envelopeFrom: 'a@example.org', recipients: ['b@example.org'], subject: 'Hallo', status: 'sent', transcript: [{ t: 0, dir: 'S', phase: 'greeting', line: '220 ok' }] });
  const service = createSendLogService({ db });
  const page = await service['log.list']({ limit: 10 });
  assert.equal(page.entries.length, 1);
  assert.equal('transcript' in (page.entries[0] ?? {}), false, 'the list carries no transcripts');
  assert.equal((await service['log.get'](id)).transcript[0]?.line, '220 ok');
  await assert.rejects(service['log.get'](id + 1), (e: unknown) => (e as { appError?: { kind: string } }).appError?.kind === 'log.notFound');
});
