/**
 * The outbox: between "Send" and "sent" a message lives here, and is never lost nor
 * silently sent twice.
 *
 * - enqueue writes the attachment snapshot and the row before anything touches the network;
 * - a worker per account sends due messages in order over one kept-alive session;
 * - every attempt ends in one transactional state change and one send-log entry;
 * - right before the final dot (or the last BDAT) goes out, the row gets its end-of-data
 *   mark, so after a crash `start()` can tell "not sent, queue again" from "may have been
 *   sent, ask the person".
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { Settings } from '../../shared/domain.js';
import type { AppError } from '../../shared/errors.js';
import { explanationToAppError, type Explanation } from '../../shared/explanation.js';
import { MessageDraftSchema, type MessageDraft, type MessageDraftInput } from '../../shared/message.js';
import type {
  ListOutboxQuery, OutboxEntrySummary, OutboxNotice, OutboxOutcome, OutboxProgress, OutboxStateName, StagedAttachment,
  UndoResult, WarmUpResult,
} from '../../shared/outbox.js';
import {
  appendSendLog, errorOfExplanation, explainContextOf, explainFailure, failureOf, providerHintOf, recordAddresses, smtpSettingsOf,
  successOf, transmit, type DeliveryChannel,
} from '../delivery/pipeline.js';
import { explainDeliveryError, explainPartialSuccess, type ExplainContext } from '../errors/explain.js';
import { composeMessage } from '../mime/index.js';
import { sendersOf } from '../../shared/sender.js';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  SmtpError, type RecipientResult, type SendResult, type SessionInfo, type SmtpConnectOptions, type SmtpCredentials, type TranscriptEntry,
} from '../smtp/index.js';
import type { Database, OutboxEntry, OutboxState, Repositories } from '../store/index.js';
import type { StoredAccount } from '../store/accounts.js';
import { systemClock, type Clock } from './clock.js';
import { OutboxError, asServiceError } from './errors.js';
import { cleanStaging, collectDebris, isInside, removeEntryFiles, stageBytes, stagingDirOf, writeSnapshot } from './files.js';
import { classifyFailure, defaultRetryPolicy, nextAttemptAt, type RetryPolicy } from './retry.js';
import { SessionPool, type AccountConnection } from './sessions.js';

export interface OutboxEventMap {
  'outbox.changed': { id: string; entry: OutboxEntrySummary | null };
  'outbox.progress': OutboxProgress;
  'outbox.outcome': OutboxOutcome;
  'outbox.notice': OutboxNotice;
  'outbox.noticeDismissed': { noticeId: string };
  'log.appended': { id: number };
}
export type OutboxEmit = <K extends keyof OutboxEventMap>(name: K, payload: OutboxEventMap[K]) => void;

export interface OutboxDeps {
  db: Database;
  repos: Repositories;
  secrets: SecretStore;
  dataDir: string;
  settings: () => Pick<Settings, 'undoSendSeconds' | 'retryGiveUpHours'>;
  emit?: OutboxEmit;
  clock?: Clock;
  /** For the jitter; [0, 1). */
  random?: () => number;
  retryPolicy?: RetryPolicy;
  /** Close a warm session after this long without a send (default 3 minutes). */
  idleCloseMs?: number;
  /** Extra engine options (timeouts in tests). */
  connect?: Partial<SmtpConnectOptions>;
  /**
   * Attachments from outside the staging folder are accepted only from trusted callers
   * (the CLI); the renderer uploads bytes through stage() first.
   */
  trustAttachmentPaths?: boolean;
  /** Snapshot folders without a row younger than this survive the start-up sweep (default 60 s). */
  debrisMinAgeMs?: number;
}

/** What the draft column holds: the draft as enqueued, the draft as sent, and the facts of the last attempt. */
interface Payload {
  v: 1;
  /** Exactly what the person enqueued: `undo` gives it back untouched. */
  original: MessageDraftInput;
  /** The same draft with attachment paths pointing at the snapshot. */
  sending: MessageDraft;
  /** The Date header (fixed at enqueue, so a retry sends the same message). */
  date: number;
  subject: string;
  from: string;
  overdue?: boolean;
  offline?: boolean;
  explanation?: Explanation | null;
  /** The latest answer of every recipient that got one (see OutboxEntrySummary.results). */
  results?: RecipientResult[];
  /**
   * Every envelope recipient as enqueued; set once some recipients are done while others were
   * refused only for now, because from then on the row's envelope lists only those.
   */
  allRecipients?: string[];
  /** Final answers from earlier attempts: accepted (never sent to again) or refused for good. */
  settled?: RecipientResult[];
}

interface InFlight {
  ctl: AbortController;
  reason: 'cancel' | 'stop' | null;
  /** Settles when the attempt has written its outcome. */
  done: Promise<void>;
}

const pendingStates: readonly OutboxState[] = ['scheduled', 'waiting', 'queued', 'deferred'];
/**
 * Undo hands the draft back while nothing has gone out: in the undo window, and also later
 * as long as no attempt got the message to a server (queued, deferred, failed, cancelled),
 * which is what "Edit" in the outbox uses. Never once any recipient has it.
 */
const undoableStates: readonly OutboxState[] = ['waiting', 'scheduled', 'queued', 'deferred', 'failed', 'cancelled'];
/** No attempt follows on its own; `remainingRecipients` means nothing there. */
const finishedStates: readonly OutboxState[] = ['sent', 'sentWithWarnings', 'failed', 'cancelled'];

/** Some recipients have the message already (an attempt was accepted for them). */
const reachedSomeone = (p: Payload): boolean => (p.settled ?? []).some((r) => r.accepted);

const payloadOf = (e: OutboxEntry): Payload => e.draft as unknown as Payload;
const asRecord = (p: Payload): Record<string, unknown> => p as unknown as Record<string, unknown>;

export class Outbox {
  private readonly d: OutboxDeps;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly pool: SessionPool;
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly inflight = new Map<string, InFlight>();
  private cancelTimer: (() => void) | null = null;
  private timerAt: number | null = null;
  private started = false;
  private stopping = false;
  /**
   * Start-up notices until the person dismisses them. start() runs before any window
   * listens, so an event alone would be lost; the renderer asks for these instead.
   */
  private readonly pendingNotices: OutboxNotice[] = [];

  constructor(deps: OutboxDeps) {
    this.d = deps;
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.policy = deps.retryPolicy ?? defaultRetryPolicy;
    this.pool = new SessionPool({ idleCloseMs: deps.idleCloseMs ?? 180_000, ...(deps.connect ? { connect: deps.connect } : {}) });
  }

  private emit<K extends keyof OutboxEventMap>(name: K, payload: OutboxEventMap[K]): void {
    try {
      this.d.emit?.(name, payload);
    } catch {
      // A listener's trouble never stops the outbox.
    }
  }

  private get repo(): Repositories['outbox'] {
    return this.d.repos.outbox;
  }

  // ------------------------------------------------------------------------------------
  // Summaries

  summarize(e: OutboxEntry): OutboxEntrySummary {
    const p = payloadOf(e);
    return {
      id: e.id,
      accountId: e.accountId,
      state: e.state as OutboxStateName,
      subject: p.subject ?? '',
      from: p.from ?? e.envelope.from,
      recipients: p.allRecipients ?? e.envelope.to,
      messageId: e.messageId,
      size: e.size,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
      nextAttemptAt: e.nextAttemptAt,
      attemptCount: e.attemptCount,
      firstAttemptAt: e.firstAttemptAt,
      overdue: p.overdue === true,
      ...(p.overdue === true ? { scheduledFor: p.date } : {}),
      offline: e.state === 'deferred' && p.offline === true,
      lastError: e.lastError,
      explanation: p.explanation ?? null,
      results: (p.results ?? []).map((r) => ({ ...r })),
      ...(p.allRecipients && !finishedStates.includes(e.state) ? { remainingRecipients: [...e.envelope.to] } : {}),
    };
  }

  private changed(e: OutboxEntry): void {
    this.emit('outbox.changed', { id: e.id, entry: this.summarize(e) });
  }

  private require(id: string): OutboxEntry {
    const e = this.repo.get(id);
    if (!e) throw new OutboxError('outbox.notFound', { id }, `no outbox entry ${id}`);
    return e;
  }

  list(query: ListOutboxQuery = {}): OutboxEntrySummary[] {
    return this.repo
      .list({ ...(query.states ? { states: query.states } : {}), ...(query.accountId ? { accountId: query.accountId } : {}) })
      .map((e) => this.summarize(e));
  }

  get(id: string): OutboxEntrySummary {
    return this.summarize(this.require(id));
  }

  // ------------------------------------------------------------------------------------
  // Enqueue

  async stage(req: { name: string; contentType?: string | undefined; dataBase64: string }): Promise<StagedAttachment> {
    const r = await stageBytes(this.d.dataDir, req.name, req.dataBase64);
    return { path: r.path, name: r.name, size: r.size, ...(req.contentType ? { contentType: req.contentType } : {}) };
  }

  async enqueue(draftInput: MessageDraftInput, opts: { accountId: string; sendAt?: number | undefined }): Promise<OutboxEntrySummary> {
    const parsed = MessageDraftSchema.safeParse(draftInput);
    if (!parsed.success) {
      // The composer words it (field and reason).
      try {
        await composeMessage(draftInput, { eightBitMime: false, smtpUtf8: true });
      } catch (e) {
        throw asServiceError(e);
      }
      throw new OutboxError('outbox.invalidAttachment', { reason: 'draft' }, parsed.error.message);
    }
    const draft = parsed.data;
    const account = this.d.repos.accounts.get(opts.accountId);
    if (!account) throw new OutboxError('outbox.accountNotFound', { id: opts.accountId }, `no account ${opts.accountId}`);
    // The page chooses the From; main sends only as the account or one of its identities, so a
    // compromised page cannot send in someone else's name through this account.
    const senders = new Set(sendersOf(account).map((sender) => sender.address.toLowerCase()));
    const from = draft.from.address;
    if (!senders.has(from.toLowerCase())) {
      throw new OutboxError('outbox.senderNotAllowed', { address: from, account: account.address }, `${from} is neither ${account.address} nor one of its identities`);
    }
    const sources = [...draft.attachments.map((a) => a.path), ...draft.inlineImages.map((a) => a.path)];
    if (!this.d.trustAttachmentPaths) {
      const staging = stagingDirOf(this.d.dataDir);
      for (const s of sources) {
        if (!isAbsolute(s) || !isInside(staging, s)) {
          throw new OutboxError('outbox.attachmentNotAllowed', { file: s.split(/[\\/]/).pop() ?? '' }, `attachment ${s} is not in the staging folder`);
        }
      }
    }
    const now = this.clock.now();
    const sendAt = opts.sendAt !== undefined && opts.sendAt > now ? opts.sendAt : null;
    const id = randomUUID();
    const snap = await writeSnapshot(this.d.dataDir, id, sources);
    try {
      const n = draft.attachments.length;
      const sending: MessageDraft = {
        ...draft,
        attachments: draft.attachments.map((a, i) => ({ ...a, path: snap[i] ?? a.path, name: a.name ?? basenameOf(a.path) })),
        inlineImages: draft.inlineImages.map((a, i) => ({ ...a, path: snap[n + i] ?? a.path, name: a.name ?? basenameOf(a.path) })),
      };
      const date = sendAt ?? now;
      // Checked now (addresses, headers, attachments) so a bad draft never enters the queue. An
      // address that needs SMTPUTF8 is refused here, before any connection, when the account's
      // last connection test found that its server does not offer it.
      const smtpUtf8 = account.learnt?.smtpUtf8 ?? true;
      const composed = await composeMessage(sending, { eightBitMime: false, smtpUtf8, now: new Date(date), boundarySeed: id });
      const undo = this.d.settings().undoSendSeconds;
      const state: OutboxState = sendAt !== null ? 'scheduled' : undo > 0 ? 'waiting' : 'queued';
      const payload: Payload = {
        v: 1, original: draftInput, sending, date, subject: composed.headers.subject, from: composed.headers.from,
      };
      const entry = this.repo.create({
        id,
        accountId: account.id,
        state,
        draft: asRecord(payload),
        envelope: composed.envelope,
        messageId: composed.messageId,
        size: composed.size,
        attachmentPaths: snap,
        nextAttemptAt: state === 'scheduled' ? sendAt : state === 'waiting' ? now + undo * 1000 : null,
      });
      this.changed(entry);
      this.plan();
      return this.summarize(entry);
    } catch (e) {
      await removeEntryFiles(this.d.dataDir, id);
      throw asServiceError(e);
    }
  }

  // ------------------------------------------------------------------------------------
  // What the person does with an entry

  /** The draft back to the composer, untouched; the entry and its snapshot are gone. */
  async undo(id: string): Promise<UndoResult> {
    const e = this.require(id);
    if (!undoableStates.includes(e.state) || this.inflight.has(id)) {
      throw new OutboxError('outbox.undoTooLate', { id, state: e.state }, `entry ${id} is ${e.state}: too late to undo`);
    }
    if (reachedSomeone(payloadOf(e))) {
      throw new OutboxError('outbox.partlyDelivered', { id, state: e.state }, `entry ${id} has reached some recipients: it cannot be taken back`);
    }
    try {
      this.d.db.transaction(() => {
        if (e.state !== 'cancelled') this.repo.transition(id, [e.state], 'cancelled');
        this.repo.delete(id);
      });
    } catch (err) {
      // Someone (the worker) moved it meanwhile: it is on its way.
      const now = this.repo.get(id);
      throw new OutboxError('outbox.undoTooLate', { id, state: now?.state ?? 'gone' }, `too late to undo: ${String(err)}`);
    }
    await removeEntryFiles(this.d.dataDir, id);
    this.emit('outbox.changed', { id, entry: null });
    this.plan();
    return { draft: payloadOf(e).original as UndoResult['draft'], accountId: e.accountId };
  }

  /** Stops a message. While on the wire the connection is aborted; it is never reported as sent. */
  async cancel(id: string): Promise<OutboxEntrySummary> {
    const flight = this.inflight.get(id);
    if (flight) {
      flight.reason = 'cancel';
      flight.ctl.abort();
      await flight.done;
      return this.get(id);
    }
    const e = this.require(id);
    if (e.state === 'cancelled') return this.summarize(e);
    if (!['scheduled', 'waiting', 'queued', 'deferred', 'failed', 'unconfirmed'].includes(e.state)) {
      throw new OutboxError('outbox.notCancellable', { id, state: e.state }, `entry ${id} is ${e.state}`);
    }
    const next = this.repo.transition(id, [e.state], 'cancelled', { nextAttemptAt: null });
    this.changed(next);
    this.plan();
    return this.summarize(next);
  }

  async retryNow(id: string): Promise<OutboxEntrySummary> {
    const e = this.require(id);
    if (!['deferred', 'failed', 'cancelled', 'scheduled', 'waiting', 'queued'].includes(e.state)) {
      throw new OutboxError('outbox.notRetryable', { id, state: e.state }, `entry ${id} is ${e.state}`);
    }
    const patch = e.state === 'failed' || e.state === 'cancelled'
      ? { nextAttemptAt: null, attemptCount: 0, firstAttemptAt: null, lastError: null, ...this.everyoneNotReached(e) }
      : { nextAttemptAt: null };
    const next = e.state === 'queued' ? e : this.repo.transition(id, [e.state], 'queued', patch);
    this.changed(next);
    this.plan();
    return this.summarize(next);
  }

  /**
   * The person tries a finished message again: it goes to every recipient that does not have
   * it yet, those refused for good included (only automatic retries leave them out).
   */
  private everyoneNotReached(e: OutboxEntry): { envelope?: OutboxEntry['envelope']; draft?: Record<string, unknown> } {
    const p = payloadOf(e);
    if (!p.allRecipients) return {};
    const reached = (p.settled ?? []).filter((r) => r.accepted);
    const has = new Set(reached.map((r) => addressKey(r.address)));
    return {
      envelope: { from: e.envelope.from, to: p.allRecipients.filter((a) => !has.has(addressKey(a))) },
      draft: asRecord({ ...p, settled: reached }),
    };
  }

  async delete(id: string): Promise<null> {
    const e = this.require(id);
    if (!['sent', 'sentWithWarnings', 'failed', 'cancelled'].includes(e.state)) {
      throw new OutboxError('outbox.notDeletable', { id, state: e.state }, `entry ${id} is ${e.state}`);
    }
    this.repo.delete(id);
    await removeEntryFiles(this.d.dataDir, id);
    this.emit('outbox.changed', { id, entry: null });
    return null;
  }

  /** "It did arrive": an unconfirmed message becomes sent, without sending anything. */
  async markArrived(id: string): Promise<OutboxEntrySummary> {
    const e = this.require(id);
    if (e.state !== 'unconfirmed') throw new OutboxError('outbox.notUnconfirmed', { id, state: e.state }, `entry ${id} is ${e.state}`);
    const next = this.repo.transition(id, ['unconfirmed'], 'sent', { nextAttemptAt: null });
    await removeEntryFiles(this.d.dataDir, id);
    this.changed(next);
    const p = payloadOf(next);
    this.emit('outbox.outcome', { id, accountId: next.accountId, state: 'sent', subject: p.subject, explanation: null, results: [], logId: null, byPerson: true });
    return this.summarize(next);
  }

  /** "Send it again": the same bytes and Message-ID, so recipients' programs can spot a duplicate. */
  async resend(id: string): Promise<OutboxEntrySummary> {
    const e = this.require(id);
    if (e.state !== 'unconfirmed') throw new OutboxError('outbox.notUnconfirmed', { id, state: e.state }, `entry ${id} is ${e.state}`);
    const next = this.repo.transition(id, ['unconfirmed'], 'queued', {
      nextAttemptAt: null, attemptCount: 0, firstAttemptAt: null, endOfDataAt: null,
    });
    this.changed(next);
    this.plan();
    return this.summarize(next);
  }

  /** Composing started: connect and log in now, so Send costs one round trip. */
  async warmUp(accountId: string): Promise<WarmUpResult> {
    const account = this.d.repos.accounts.get(accountId);
    if (!account) throw new OutboxError('outbox.accountNotFound', { id: accountId }, `no account ${accountId}`);
    try {
      const conn = await this.connectionFor(account);
      await conn.open();
      return { warmed: true };
    } catch (e) {
      const expl = explainDeliveryError(e, this.explainContext(account));
      return { warmed: false, error: explanationToAppError(expl) };
    }
  }

  /** The UI says the network is back: try whatever waits for it now. */
  online(): null {
    for (const e of this.repo.list({ states: ['deferred'] })) {
      if (payloadOf(e).offline === true) {
        try {
          this.changed(this.repo.transition(e.id, ['deferred'], 'queued', { nextAttemptAt: null }));
        } catch {
          // Moved meanwhile.
        }
      }
    }
    this.plan();
    return null;
  }

  // ------------------------------------------------------------------------------------
  // Start, stop, crash reconciliation

  /**
   * Reconciles what a crash left behind, sends overdue send-later messages (and says so: the
   * notices are kept for notices(), as nobody may listen yet), sweeps snapshot debris, then
   * starts the worker.
   */
  async start(): Promise<{ requeued: string[]; unconfirmed: string[]; overdue: string[]; debris: string[] }> {
    this.stopping = false;
    const requeued: string[] = [];
    const unconfirmed: string[] = [];
    for (const e of this.repo.list({ states: ['sending'] })) {
      if (this.inflight.has(e.id)) continue;
      if (e.endOfDataAt === null) {
        // The final dot never left: nothing can have been delivered.
        this.changed(this.repo.transition(e.id, ['sending'], 'queued', { nextAttemptAt: null }));
        requeued.push(e.id);
      } else {
        const err = new SmtpError(
          { phase: 'data', cause: 'network', message: 'Postbote stopped after the whole message was sent and before the server confirmed it' },
          { mayHaveBeenDelivered: true },
        );
        const account = this.d.repos.accounts.get(e.accountId);
        const expl = explainDeliveryError(err, account ? this.explainContext(account) : {});
        const p = payloadOf(e);
        const next = this.repo.transition(e.id, ['sending'], 'unconfirmed', {
          lastError: explanationToAppError(expl),
          draft: asRecord({ ...p, explanation: expl }),
        });
        const logId = this.log(next, 'unconfirmed', { explanation: expl, started: e.endOfDataAt });
        this.changed(next);
        this.emit('outbox.outcome', { id: e.id, accountId: e.accountId, state: 'unconfirmed', subject: p.subject, explanation: expl, results: [], logId });
        unconfirmed.push(e.id);
      }
    }
    const now = this.clock.now();
    const overdue: string[] = [];
    for (const e of this.repo.list({ states: ['scheduled'] })) {
      if (e.nextAttemptAt !== null && e.nextAttemptAt <= now) {
        const next = this.repo.transition(e.id, ['scheduled'], 'queued', { nextAttemptAt: null, draft: asRecord({ ...payloadOf(e), overdue: true }) });
        this.changed(next);
        overdue.push(e.id);
      }
    }
    if (requeued.length > 0) this.notify('reconciledRequeued', requeued);
    if (unconfirmed.length > 0) this.notify('reconciledUnconfirmed', unconfirmed);
    if (overdue.length > 0) this.notify('overdueScheduled', overdue);
    // Folders of entries that are gone, or sent (a crash between "sent" and the clean-up), are debris.
    const keep = (id: string): boolean => {
      const state = this.repo.get(id)?.state;
      return state !== undefined && state !== 'sent' && state !== 'sentWithWarnings';
    };
    const debris = await collectDebris(this.d.dataDir, keep, Date.now(), this.d.debrisMinAgeMs ?? 60_000);
    await cleanStaging(this.d.dataDir, Date.now(), 7 * 24 * 3600_000);
    this.started = true;
    this.plan();
    return { requeued, unconfirmed, overdue, debris };
  }

  private notify(kind: OutboxNotice['kind'], ids: string[]): void {
    const notice: OutboxNotice = { noticeId: randomUUID(), kind, ids: [...ids], at: this.clock.now() };
    this.pendingNotices.push(notice);
    this.emit('outbox.notice', notice);
  }

  /** The start-up notices not dismissed yet, oldest first (whether or not anyone listened when they came). */
  notices(): OutboxNotice[] {
    return this.pendingNotices.map((n) => ({ ...n, ids: [...n.ids] }));
  }

  /** The person has read it. Idempotent: a second window may dismiss the same notice. */
  dismissNotice(noticeId: string): null {
    const at = this.pendingNotices.findIndex((n) => n.noticeId === noticeId);
    if (at >= 0) {
      this.pendingNotices.splice(at, 1);
      this.emit('outbox.noticeDismissed', { noticeId });
    }
    return null;
  }

  /** Stops the worker: messages on the wire are aborted (back to queued, or unconfirmed after the dot). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.timerAt = null;
    for (const f of this.inflight.values()) {
      f.reason ??= 'stop';
      f.ctl.abort();
    }
    await Promise.allSettled([...this.lanes.values()]);
    await this.pool.closeAll();
  }

  /** Resolves when no lane is running (tests). */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await Promise.allSettled([...this.lanes.values()]);
  }

  // ------------------------------------------------------------------------------------
  // Scheduling

  /** Promotes due entries, starts lanes for accounts with work, and sets the one timer for the next due time. */
  plan(): void {
    if (!this.started || this.stopping) return;
    const now = this.clock.now();
    const entries = this.repo.list({ states: pendingStates });
    let nextAt: number | null = null;
    const ready = new Set<string>();
    for (const e of entries) {
      const due = e.nextAttemptAt === null || e.nextAttemptAt <= now;
      if (!due) {
        nextAt = nextAt === null ? (e.nextAttemptAt as number) : Math.min(nextAt, e.nextAttemptAt as number);
        continue;
      }
      if (e.state === 'waiting' || e.state === 'scheduled') {
        try {
          this.changed(this.repo.transition(e.id, [e.state], 'queued', { nextAttemptAt: null }));
        } catch {
          continue;
        }
      }
      ready.add(e.accountId);
    }
    for (const accountId of ready) this.runLane(accountId);
    if (nextAt !== this.timerAt) {
      this.cancelTimer?.();
      this.cancelTimer = null;
      this.timerAt = nextAt;
      if (nextAt !== null) {
        this.cancelTimer = this.clock.setTimer(() => {
          this.timerAt = null;
          this.cancelTimer = null;
          this.plan();
        }, nextAt - now);
      }
    }
  }

  private runLane(accountId: string): void {
    if (this.lanes.has(accountId)) return;
    const lane = (async () => {
      for (;;) {
        if (this.stopping) return;
        const now = this.clock.now();
        const next = this.repo
          .list({ states: ['queued', 'deferred'], accountId })
          .filter((e) => e.nextAttemptAt === null || e.nextAttemptAt <= now)[0];
        if (!next) return;
        await this.attempt(next);
      }
    })().catch(() => undefined).finally(() => {
      this.lanes.delete(accountId);
      // Work may have arrived for this account while the lane was finishing.
      queueMicrotask(() => this.plan());
    });
    this.lanes.set(accountId, lane);
  }

  // ------------------------------------------------------------------------------------
  // One attempt

  private async credentialsFor(account: StoredAccount): Promise<SmtpCredentials | undefined> {
    if (account.username === undefined) return undefined;
    let password: string | undefined;
    let accessToken: string | undefined;
    try {
      password = await this.d.secrets.get(account.id, 'password');
      if (password === undefined) accessToken = await this.d.secrets.get(account.id, 'oauth-access');
    } catch (e) {
      throw new SmtpError({ phase: 'keychain', cause: 'keychain', message: `the keychain could not be read: ${e instanceof Error ? e.message : String(e)}` });
    }
    if (password === undefined && accessToken === undefined) {
      throw new SmtpError({ phase: 'keychain', cause: 'keychain', message: 'no password is stored for this account' });
    }
    return { username: account.username, ...(password !== undefined ? { password } : {}), ...(accessToken !== undefined ? { accessToken } : {}) };
  }

  private async connectionFor(account: StoredAccount): Promise<AccountConnection> {
    const creds = await this.credentialsFor(account);
    return this.pool.get(account.id, smtpSettingsOf(account), creds);
  }

  private explainContext(account: StoredAccount): ExplainContext {
    return explainContextOf(account, providerHintOf(account.providerId, account.host));
  }

  private markEndOfData(id: string): void {
    this.repo.transition(id, ['sending'], 'sending', { endOfDataAt: this.clock.now() });
  }

  private async attempt(queued: OutboxEntry): Promise<void> {
    let entry: OutboxEntry;
    try {
      entry = this.repo.transition(queued.id, [queued.state], 'sending', { countAttempt: true, endOfDataAt: null, nextAttemptAt: null });
    } catch {
      return; // Cancelled or taken meanwhile.
    }
    const id = entry.id;
    const payload = payloadOf(entry);
    const started = this.clock.now();
    const t0 = performance.now();
    let finish = (): void => undefined;
    const flight: InFlight = { ctl: new AbortController(), reason: null, done: new Promise<void>((r) => { finish = r; }) };
    this.inflight.set(id, flight);
    this.changed(entry);
    const total = entry.size;
    let lastProgress = { phase: '', at: 0, bytes: 0 };
    const progress = (phase: OutboxProgress['phase'], wireBytes: number, totalBytes: number | null, force = false): void => {
      const nowMs = performance.now();
      // The wire carries a few bytes more than the message (dot-stuffing, the final dot): the bar stops at 100 %.
      const bytesSent = totalBytes === null ? wireBytes : Math.min(wireBytes, totalBytes);
      // Throttled, but the last step ("all bytes written") always reaches the progress bar.
      const complete = totalBytes !== null && bytesSent >= totalBytes && bytesSent > lastProgress.bytes;
      if (!force && !complete && phase === lastProgress.phase && nowMs - lastProgress.at < 100 && bytesSent - lastProgress.bytes < 256 * 1024) return;
      lastProgress = { phase, at: nowMs, bytes: bytesSent };
      this.emit('outbox.progress', { id, accountId: entry.accountId, phase, bytesSent, totalBytes });
    };
    progress('connect', 0, total, true);

    const account = this.d.repos.accounts.get(entry.accountId);
    let conn: AccountConnection | null = null;
    let info: SessionInfo | null = null;
    let endOfDataMarked = false;
    let accepted: (SendResult & { session: SessionInfo }) | null = null;
    let failure: { err: unknown } | null = null;
    // Called by the engine right before the final dot / last BDAT chunk goes out.
    const mark = (): void => {
      if (endOfDataMarked) return;
      endOfDataMarked = true;
      try {
        this.markEndOfData(id);
      } catch {
        // Without the mark a crash could send it twice: refuse to send the final dot.
        flight.reason = 'stop';
        flight.ctl.abort();
      }
    };
    try {
      if (!account) throw new SmtpError({ phase: 'config', cause: 'input', message: `the account ${entry.accountId} no longer exists` });
      const c = await this.connectionFor(account);
      conn = c;
      c.watcher = (e: TranscriptEntry) => {
        if (e.phase !== lastProgress.phase && e.dir === 'C') progress(e.phase, 0, total);
      };
      const signal = flight.ctl.signal;
      const channel: DeliveryChannel = { open: () => abortable(c.open(), signal), send: (m) => c.warm.send(m) };
      const { result } = await transmit(channel, {
        kind: 'draft',
        draft: payload.sending,
        envelope: entry.envelope,
        compose: { now: new Date(payload.date), boundarySeed: id, ...(entry.messageId ? { messageId: entry.messageId } : {}) },
      }, {
        signal,
        onOpened: (opened) => { info = opened; },
        onProgress: (p) => progress(p.phase, p.bytesSent, p.totalBytes ?? total),
        onEndOfData: mark,
      });
      info = result.session;
      accepted = result;
    } catch (err) {
      failure = { err };
    }
    try {
      // Outside the catch above: once the server has accepted, nothing may turn it into a retry.
      if (failure) await this.failed(entry, failure.err, flight, conn, account, info, started, t0);
      else if (accepted && conn && account) await this.succeeded(entry, accepted, conn, account, started, t0);
    } finally {
      if (conn) conn.watcher = null;
      this.inflight.delete(id);
      finish();
    }
  }

  /** When to try again after a temporary failure, or null when the retry budget is spent. */
  private retryAt(entry: OutboxEntry, started: number, kind: 'temporary' | 'offline'): number | null {
    return nextAttemptAt({
      now: this.clock.now(), firstAttemptAt: entry.firstAttemptAt ?? started, failures: entry.attemptCount,
      giveUpAfterMs: this.d.settings().retryGiveUpHours * 3600_000, kind, random: this.random(), policy: this.policy,
    });
  }

  private gaveUp(error: AppError): AppError {
    return { ...error, params: { ...error.params, gaveUpAfterHours: this.d.settings().retryGiveUpHours } };
  }

  private async succeeded(entry: OutboxEntry, result: SendResult & { session: SessionInfo }, conn: AccountConnection, account: StoredAccount, started: number, t0: number): Promise<void> {
    const p = payloadOf(entry);
    const ctx = this.explainContext(account);
    // The server took the message for some recipients: nothing may send it to them again.
    const standing = standingAfter(p, entry.envelope.to, result.recipients);
    const retryAt = standing.temporary.length > 0 ? this.retryAt(entry, started, 'temporary') : null;
    // This attempt as the send log tells it: its own recipients and answers.
    const attempt = successOf(result, ctx);
    const logFacts = {
      explanation: attempt.explanation, results: result.recipients, transcript: conn.takeTranscript(), session: result.session,
      timings: { ...result.session.timings, ...result.timings }, started, durationMs: performance.now() - t0,
    };
    recordAddresses(this.d.repos.addressHistory, result.accepted, p.original, this.clock.now());
    const recipientFacts = { allRecipients: standing.all, settled: standing.settled, results: standing.combined };

    if (retryAt !== null) {
      // Refused only for now (4xx): later attempts go to those recipients alone, with the same
      // Message-ID and bytes, on the usual schedule. The snapshot stays for them.
      const expl = explainPartialSuccess(standing.combined, ctx);
      const next = this.repo.transition(entry.id, ['sending'], 'deferred', {
        nextAttemptAt: retryAt,
        envelope: { from: entry.envelope.from, to: standing.temporary.map((r) => r.address) },
        lastError: errorOfExplanation(expl),
        draft: asRecord({ ...p, ...recipientFacts, explanation: expl, offline: false }),
      });
      const logId = this.log(next, attempt.status, { ...logFacts, envelope: entry.envelope });
      this.changed(next);
      this.emit('outbox.outcome', { id: entry.id, accountId: entry.accountId, state: 'deferred', subject: p.subject, explanation: expl, results: standing.combined, logId });
      return;
    }

    // Done: every recipient has a final answer (or the budget for the others is spent).
    const accepted = standing.combined.filter((r) => r.accepted);
    const whole: SendResult = { ...result, recipients: standing.combined, accepted: accepted.map((r) => r.address), rejected: standing.combined.filter((r) => !r.accepted) };
    const { status: state, explanation: expl } = successOf(whole, ctx);
    const error = errorOfExplanation(expl);
    const next = this.repo.transition(entry.id, ['sending'], state, {
      nextAttemptAt: null,
      lastError: error && standing.temporary.length > 0 ? this.gaveUp(error) : error,
      draft: asRecord({ ...p, ...(p.allRecipients || standing.temporary.length > 0 ? recipientFacts : { results: result.recipients }), explanation: expl, offline: false }),
    });
    const logId = this.log(next, attempt.status, { ...logFacts, envelope: entry.envelope });
    this.changed(next);
    this.emit('outbox.outcome', { id: entry.id, accountId: entry.accountId, state, subject: p.subject, explanation: expl, results: standing.combined, logId });
    // The snapshot is no longer needed once the server has the message.
    await removeEntryFiles(this.d.dataDir, entry.id).catch(() => undefined);
  }

  private async failed(
    entry: OutboxEntry, err: unknown, flight: InFlight, conn: AccountConnection | null, account: StoredAccount | undefined,
    info: SessionInfo | null, started: number, t0: number,
  ): Promise<void> {
    const p = payloadOf(entry);
    const f = failureOf(err);
    const { detail, mayHaveBeenDelivered, appError: composeErr } = f;
    const ctx = account ? this.explainContext(account) : {};
    // Stopped by the person or the app after the dot: what matters to them is "it may have arrived".
    const attemptExpl = explainFailure(err, f, ctx, { stoppedMeansMayHaveArrived: true });
    const transcript = conn?.takeTranscript() ?? [];
    // Every recipient refused: each answer counts on its own (not the first one's code for all).
    const standing = f.results.length > 0 ? standingAfter(p, entry.envelope.to, f.results) : null;
    // Recipients that have the message from an earlier attempt: this one was only for the rest.
    const deliveredBefore = (p.settled ?? []).some((r) => r.accepted);
    let state: OutboxState;
    let patch: Parameters<Repositories['outbox']['transition']>[3] = {};
    let offline = false;
    let gaveUp = false;
    if (mayHaveBeenDelivered) {
      state = 'unconfirmed';
    } else if (flight.reason === 'cancel') {
      state = 'cancelled';
    } else if (flight.reason === 'stop' || this.stopping) {
      state = 'queued';
    } else {
      // 5xx recipients are never tried again; when some were refused only for now (4xx), those are.
      const cls = composeErr ? 'permanent' : standing ? (standing.temporary.length > 0 ? 'temporary' : 'permanent') : classifyFailure(detail);
      const at = cls === 'permanent' ? null : this.retryAt(entry, started, cls);
      if (at === null) {
        state = deliveredBefore ? 'sentWithWarnings' : 'failed';
        gaveUp = cls !== 'permanent';
      } else {
        state = 'deferred';
        offline = cls === 'offline';
        patch = { nextAttemptAt: at, ...(standing ? { envelope: { from: entry.envelope.from, to: standing.temporary.map((r) => r.address) } } : {}) };
      }
    }
    const all = standing?.all ?? p.allRecipients ?? entry.envelope.to;
    const settled = standing?.settled ?? p.settled ?? [];
    const combined = standing?.combined ?? orderedResults(all, [...(p.results ?? []), ...settled]);
    const attemptError = gaveUp ? this.gaveUp(composeErr ?? explanationToAppError(attemptExpl)) : composeErr ?? explanationToAppError(attemptExpl);
    // Some recipients have it and the others never will: for the entry that is a partial success.
    const expl = state === 'sentWithWarnings' ? explainPartialSuccess(combined, ctx) : attemptExpl;
    const lastError = state === 'sentWithWarnings' ? (gaveUp ? this.gaveUp(explanationToAppError(expl)) : explanationToAppError(expl)) : attemptError;
    const recipientFacts = standing || p.allRecipients ? { allRecipients: all, settled, results: combined } : {};
    const draft = asRecord({ ...p, ...recipientFacts, explanation: state === 'queued' ? p.explanation ?? null : expl, offline });
    let next: OutboxEntry;
    if (state === 'cancelled') {
      next = this.repo.transition(entry.id, ['sending'], 'cancelled', { nextAttemptAt: null, lastError, draft });
    } else if (state === 'queued') {
      next = this.repo.transition(entry.id, ['sending'], 'queued', { nextAttemptAt: null, endOfDataAt: null });
    } else {
      next = this.repo.transition(entry.id, ['sending'], state, { ...patch, lastError, draft });
    }
    if (state === 'failed' && conn && account && (detail.phase === 'auth' || detail.phase === 'keychain')) void this.pool.discard(account.id);
    // The log tells this attempt, which delivered nothing, whatever the entry's state.
    const logId = state === 'queued' ? null : this.log(next, state === 'sentWithWarnings' ? 'failed' : state, {
      explanation: attemptExpl, error: attemptError, transcript, session: info, results: f.results, started,
      durationMs: performance.now() - t0, timings: info?.timings ?? {}, envelope: entry.envelope,
    });
    this.changed(next);
    if (state !== 'queued') {
      this.emit('outbox.outcome', { id: entry.id, accountId: entry.accountId, state, subject: p.subject, explanation: expl, results: recipientFacts.results ?? [], logId });
    }
    // Final, and the ones who have it have it: the snapshot is no longer needed.
    if (state === 'sentWithWarnings') await removeEntryFiles(this.d.dataDir, entry.id).catch(() => undefined);
  }

  private log(e: OutboxEntry, status: LogStatus, a: {
    explanation?: Explanation | null; error?: AppError | null; results?: RecipientResult[]; transcript?: TranscriptEntry[];
    session?: SessionInfo | null; timings?: Record<string, number>; started?: number; durationMs?: number;
    /** The envelope this attempt used (the entry's may have shrunk to the recipients still to try). */
    envelope?: OutboxEntry['envelope'];
  }): number | null {
    const p = payloadOf(e);
    const id = appendSendLog(this.d.repos.sendLog, {
      time: a.started ?? this.clock.now(),
      accountId: e.accountId,
      outboxId: e.id,
      envelope: a.envelope ?? e.envelope,
      subject: p.subject ?? '',
      size: e.size,
      status,
      explanation: a.explanation ?? null,
      error: a.error ?? errorOfExplanation(a.explanation ?? null),
      results: a.results ?? [],
      tls: a.session?.tls ?? null,
      timings: a.timings ?? {},
      transcript: a.transcript ?? [],
      durationMs: a.durationMs ?? null,
    });
    // The outbox row is the truth; a log that cannot be written must not undo a send.
    if (id !== null) this.emit('log.appended', { id });
    return id;
  }
}

type LogStatus = 'sent' | 'sentWithWarnings' | 'deferred' | 'failed' | 'unconfirmed' | 'cancelled';

/** A refusal that says "not now" (RFC 5321 §4.2.1): worth trying again for that recipient. */
const isRefusedForNow = (r: RecipientResult): boolean => !r.accepted && r.code >= 400 && r.code < 500;

const addressKey = (address: string): string => address.toLowerCase();

/** The latest answer per recipient (later entries of `answers` win), in the order of `all`. */
function orderedResults(all: readonly string[], answers: readonly RecipientResult[]): RecipientResult[] {
  const latest = new Map<string, RecipientResult>();
  for (const r of answers) latest.set(addressKey(r.address), { ...r });
  return all.flatMap((address) => latest.get(addressKey(address)) ?? []);
}

/** Where an entry's recipients stand after an attempt that got an answer for each of its envelope's. */
interface RecipientStanding {
  /** Every envelope recipient as enqueued. */
  all: string[];
  /** Final answers, earlier attempts' included: accepted, or refused for good (5xx). */
  settled: RecipientResult[];
  /** Refused for now (4xx) in this attempt: the only ones a next attempt goes to. */
  temporary: RecipientResult[];
  /** The latest answer of every recipient, in envelope order. */
  combined: RecipientResult[];
}

function standingAfter(p: Payload, envelopeTo: readonly string[], latest: readonly RecipientResult[]): RecipientStanding {
  const all = p.allRecipients ?? [...envelopeTo];
  const temporary = latest.filter(isRefusedForNow).map((r) => ({ ...r }));
  const settled = orderedResults(all, [...(p.settled ?? []), ...latest.filter((r) => !isRefusedForNow(r))]);
  return { all, settled, temporary, combined: orderedResults(all, [...(p.results ?? []), ...settled, ...temporary]) };
}

function basenameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Rejects with a "cancelled" engine error when the signal fires first (the opening goes on, warm). */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(SmtpError.of('connect', 'cancelled', 'cancelled before connecting'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(SmtpError.of('connect', 'cancelled', 'cancelled while connecting'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}
