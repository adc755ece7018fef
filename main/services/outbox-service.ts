/**
 * The outbox part of the contract, over main/outbox. Construct it in the composition
 * root, spread its handlers into the service object, call start() once the window (or
 * the CLI) is ready and stop() before the database closes.
 */
import type { ServiceOf } from '../../shared/contract/define.js';
import type { outboxMethods } from '../../shared/contract/outbox.js';
import type { Settings } from '../../shared/domain.js';
import { Outbox, type OutboxDeps, type OutboxEmit } from '../outbox/outbox.js';
import type { Clock } from '../outbox/clock.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createRepositories, type Database, type Repositories } from '../store/index.js';
import type { EventHub } from './events.js';

export type OutboxService = ServiceOf<typeof outboxMethods>;

export interface OutboxServiceDeps {
  db: Database;
  /** Reused when the composition root already has them. */
  repos?: Repositories;
  secrets: SecretStore;
  dataDir: string;
  settings: () => Settings;
  /** Any hub whose emit accepts the outbox events (the contract's EventHub once merged). */
  events?: EventHub | { emit: OutboxEmit };
  clock?: Clock;
  /** The CLI may attach files by path; the renderer must upload them with attachments.stage. */
  trustAttachmentPaths?: boolean;
  /** Engine options for tests (timeouts). */
  connect?: OutboxDeps['connect'];
  idleCloseMs?: number;
}

export interface OutboxServiceHandle {
  handlers: OutboxService;
  outbox: Outbox;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createOutboxService(deps: OutboxServiceDeps): OutboxServiceHandle {
  const repos = deps.repos ?? createRepositories(deps.db, deps.clock ? () => deps.clock?.now() ?? Date.now() : Date.now);
  const hub = deps.events as { emit: OutboxEmit } | undefined;
  const outbox = new Outbox({
    db: deps.db,
    repos,
    secrets: deps.secrets,
    dataDir: deps.dataDir,
    settings: deps.settings,
    ...(hub ? { emit: (name, payload) => hub.emit(name, payload) } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.trustAttachmentPaths ? { trustAttachmentPaths: true } : {}),
    ...(deps.connect ? { connect: deps.connect } : {}),
    ...(deps.idleCloseMs !== undefined ? { idleCloseMs: deps.idleCloseMs } : {}),
  });
  const handlers: OutboxService = {
    'outbox.enqueue': (draft, opts) => outbox.enqueue(draft, opts),
    'outbox.list': async (query) => outbox.list(query ?? {}),
    'outbox.get': async (id) => outbox.get(id),
    'outbox.undo': (id) => outbox.undo(id),
    'outbox.cancel': (id) => outbox.cancel(id),
    'outbox.retryNow': (id) => outbox.retryNow(id),
    'outbox.delete': (id) => outbox.delete(id),
    'outbox.markArrived': (id) => outbox.markArrived(id),
    'outbox.resend': (id) => outbox.resend(id),
    'outbox.warmUp': (accountId) => outbox.warmUp(accountId),
    'outbox.online': async () => outbox.online(),
    'outbox.notices': async () => outbox.notices(),
    'outbox.dismissNotice': async (noticeId) => outbox.dismissNotice(noticeId),
    'attachments.stage': (req) => outbox.stage(req),
  };
  return {
    handlers,
    outbox,
    start: async () => { await outbox.start(); },
    stop: () => outbox.stop(),
  };
}
