/** Test helpers for the outbox: a data folder with database, an account, an in-memory keychain. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../../shared/domain.js';
import { MemorySecretStore } from '../../testing/memory-secret-store.js';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import { Outbox, type OutboxDeps, type OutboxEventMap } from '../outbox.js';

export interface RecordedEvent { name: keyof OutboxEventMap; payload: unknown }

export interface Harness {
  dataDir: string;
  db: Database;
  repos: Repositories;
  secrets: MemorySecretStore;
  settings: Pick<Settings, 'undoSendSeconds' | 'retryGiveUpHours'>;
  events: RecordedEvent[];
  accountId: string;
  make(overrides?: Partial<OutboxDeps>): Outbox;
  close(): void;
}

export interface HarnessOptions {
  host: string;
  port: number;
  security?: 'tls' | 'starttls' | 'none';
  username?: string;
  password?: string;
  extraCaPem?: string;
  clock?: Clock;
  dataDir?: string;
  keepDataDir?: boolean;
}

export function createHarness(o: HarnessOptions): Harness {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'postbote-outbox-'));
  const db = openDatabase(dataDir, { integrityCheck: false });
  const clockFn = o.clock ? () => o.clock?.now() ?? Date.now() : Date.now;
  const repos = createRepositories(db, clockFn);
  const secrets = new MemorySecretStore('memory');
  const existing = repos.accounts.list()[0];
  const account = existing ?? repos.accounts.create({
    displayName: 'Alice', address: 'alice@example.test', host: o.host, port: o.port, security: o.security ?? 'none',
    ...(o.username ? { username: o.username } : {}),
    ...(o.extraCaPem ? { extraCaPem: o.extraCaPem } : {}),
    allowInsecureAuthOnLoopback: true,
  });
  if (o.password) void secrets.set(account.id, 'password', o.password);
  const settings = { undoSendSeconds: 0 as Settings['undoSendSeconds'], retryGiveUpHours: 24 };
  const events: RecordedEvent[] = [];
  const outboxes: Outbox[] = [];
  return {
    dataDir, db, repos, secrets, settings, events, accountId: account.id,
    make: (overrides = {}) => {
      const ob = new Outbox({
        db, repos, secrets, dataDir, settings: () => settings,
        emit: (name, payload) => { events.push({ name, payload }); },
        trustAttachmentPaths: true,
        debrisMinAgeMs: 0,
        connect: { timeouts: { connect: 3000, greeting: 5000, command: 5000, dataBlock: 5000, endOfData: 5000 } },
        ...(o.clock ? { clock: o.clock } : {}),
        ...overrides,
      });
      outboxes.push(ob);
      return ob;
    },
    close: () => {
      db.close();
      if (!o.keepDataDir && !o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A harness with a started outbox, both closed when the test ends — the usual first lines
 * of an outbox test.
 */
export async function runningOutbox(
  t: { after(fn: () => unknown): void }, options: HarnessOptions, overrides: Partial<OutboxDeps> = {},
  settings: Partial<Harness['settings']> = {},
): Promise<{ h: Harness; ob: Outbox }> {
  const h = createHarness(options);
  t.after(() => h.close());
  Object.assign(h.settings, settings);
  const ob = h.make(overrides);
  await ob.start();
  t.after(() => ob.stop());
  return { h, ob };
}

/** A small draft; `tag` lands in the subject and the body so tests can find the message. */
export function draft(tag: string, to: string[] = ['bob@example.test']): { from: { name: string; address: string }; to: string[]; subject: string; text: string } {
  return { from: { name: 'Alice', address: 'alice@example.test' }, to, subject: `Test ${tag}`, text: `Hello ${tag}\n` };
}

/** Waits until cond() holds (polling), failing after timeoutMs. */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
