import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../store/database.js';
import { createRepositories } from '../store/index.js';
import { tempDataDir } from '../store/test-support.js';
import { createComposeService } from './compose-service.js';
import type { ComposeDraft } from '../../shared/contract/compose.js';

const draft = (patch: Partial<ComposeDraft> = {}): ComposeDraft => ({
  accountId: null, to: ['anna@example.org'], cc: [], bcc: ['b@example.org'], subject: 'Grüße', mode: 'plain', text: 'Hallo  Anna,\n\nwie geht es?', html: '', attachments: [], ...patch,
});

test('drafts: save, list with summaries, replace, get, delete; suggestions from the history', async (t) => {
  const db = openDatabase(tempDataDir(t));
  t.after(() => db.close());
  const repos = createRepositories(db);
  const changed: string[] = [];
  const svc = createComposeService({ drafts: repos.drafts, addressHistory: repos.addressHistory, onDraftsChanged: (id) => changed.push(id) });

  const first = await svc['drafts.save']({ draft: draft() });
  assert.equal(first.preview, 'Hallo Anna, wie geht es?');
  assert.deepEqual(first.recipients, ['anna@example.org', 'b@example.org']);
  const again = await svc['drafts.save']({ id: first.id, draft: draft({ subject: 'Neu', mode: 'rich', html: '<p>Fett <b>hier</b></p>' }) });
  assert.equal(again.id, first.id);
  assert.equal(again.preview, 'Fett hier');
  const list = await svc['drafts.list']();
  assert.equal(list.length, 1);
  assert.equal(list[0]?.subject, 'Neu');
  assert.equal((await svc['drafts.get'](first.id)).draft.html, '<p>Fett <b>hier</b></p>');
  assert.equal(await svc['drafts.delete'](first.id), true);
  await assert.rejects(svc['drafts.get'](first.id), (e: { appError?: { kind: string } }) => e.appError?.kind === 'draft.notFound');
  assert.deepEqual(changed, [first.id, first.id, first.id]);

  repos.addressHistory.record([{ address: 'anna@example.org', name: 'Anna Schmidt' }, { address: 'andreas@example.net' }, { address: 'anna@example.org' }]);
  const suggestions = await svc['addresses.suggest']('an', undefined);
  assert.deepEqual(suggestions.map((s) => s.address), ['anna@example.org', 'andreas@example.net']);
  assert.equal((await svc['addresses.suggest']('Anna S', 5))[0]?.name, 'Anna Schmidt');
});
