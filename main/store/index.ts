/** The store's public face: open the database, then use the repositories over it. */
import { createAccountRepository, type AccountRepository } from './accounts.js';
import { createAddressHistoryRepository, type AddressHistoryRepository } from './address-history.js';
import type { Database } from './database.js';
import { createDraftRepository, type DraftRepository } from './drafts.js';
import { createOutboxRepository, type OutboxRepository } from './outbox.js';
import { createSendLogRepository, type SendLogRepository } from './sendlog.js';
import { createSettingsRepository, type SettingsRepository } from './settings.js';

export { openDatabase, DATABASE_FILE, type Database, type OpenDatabaseOptions } from './database.js';
export { StoreError, isStoreError, storeError, invalidAccount } from './errors.js';
export type { StoredAccount, AccountRepository } from './accounts.js';
export type { StoredDraft, DraftRepository } from './drafts.js';
export type { OutboxEntry, OutboxState, OutboxPatch, NewOutboxEntry, OutboxRepository } from './outbox.js';
export { outboxStates, outboxTransitions } from './outbox.js';
export type { SendLogRepository } from './sendlog.js';
export type { AddressSuggestion, AddressHistoryRepository } from './address-history.js';
export type { SettingsRepository } from './settings.js';

export interface Repositories {
  accounts: AccountRepository;
  drafts: DraftRepository;
  outbox: OutboxRepository;
  sendLog: SendLogRepository;
  addressHistory: AddressHistoryRepository;
  settings: SettingsRepository;
}

export function createRepositories(db: Database, clock: () => number = Date.now): Repositories {
  return {
    accounts: createAccountRepository(db, clock),
    drafts: createDraftRepository(db, clock),
    outbox: createOutboxRepository(db, clock),
    sendLog: createSendLogRepository(db),
    addressHistory: createAddressHistoryRepository(db, clock),
    settings: createSettingsRepository(db),
  };
}
