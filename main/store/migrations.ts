/**
 * The schema, as a list of versioned steps. `PRAGMA user_version` records the last step
 * applied; each step runs in its own write transaction, so a crash mid-migration leaves
 * the previous version intact. Never edit a released step: add a new one.
 */
import type { DatabaseSync } from 'node:sqlite';

export interface Migration {
  version: number;
  name: string;
  up: (db: DatabaseSync) => void;
}

const outboxStates = "'scheduled','waiting','queued','sending','sent','sentWithWarnings','deferred','failed','unconfirmed','cancelled'";
const logStatuses = "'sent','sentWithWarnings','deferred','failed','unconfirmed','cancelled'";

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, settings, drafts, outbox, send log, address history',
    up: (db) =>
      db.exec(`
        CREATE TABLE accounts (
          id TEXT PRIMARY KEY,
          display_name TEXT NOT NULL,
          address TEXT NOT NULL,
          provider_id TEXT,
          host TEXT NOT NULL,
          port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
          security TEXT NOT NULL CHECK (security IN ('tls','starttls','none')),
          auth_mechanism TEXT,
          username TEXT,
          extra_ca_pem TEXT,
          allow_insecure_auth_loopback INTEGER NOT NULL DEFAULT 0,
          signature TEXT,
          is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0,1)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX accounts_one_default ON accounts(is_default) WHERE is_default = 1;

        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL CHECK (json_valid(value_json))
        ) STRICT;

        CREATE TABLE drafts (
          id TEXT PRIMARY KEY,
          account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
          draft_json TEXT NOT NULL CHECK (json_valid(draft_json)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX drafts_updated ON drafts(updated_at);
        CREATE INDEX drafts_account ON drafts(account_id);

        CREATE TABLE outbox (
          id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          state TEXT NOT NULL CHECK (state IN (${outboxStates})),
          draft_json TEXT NOT NULL CHECK (json_valid(draft_json)),
          envelope_json TEXT NOT NULL CHECK (json_valid(envelope_json)),
          message_id TEXT,
          size INTEGER,
          attachment_paths_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attachment_paths_json)),
          next_attempt_at INTEGER,
          attempt_count INTEGER NOT NULL DEFAULT 0,
          first_attempt_at INTEGER,
          last_error_json TEXT CHECK (last_error_json IS NULL OR json_valid(last_error_json)),
          end_of_data_at INTEGER,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE INDEX outbox_account ON outbox(account_id, state);

        CREATE TABLE send_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          time INTEGER NOT NULL,
          account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
          outbox_id TEXT REFERENCES outbox(id) ON DELETE SET NULL,
          envelope_from TEXT NOT NULL,
          recipients_json TEXT NOT NULL CHECK (json_valid(recipients_json)),
          recipients_text TEXT NOT NULL,
          subject TEXT NOT NULL,
          size INTEGER,
          status TEXT NOT NULL CHECK (status IN (${logStatuses})),
          error_text TEXT,
          results_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(results_json)),
          tls_json TEXT CHECK (tls_json IS NULL OR json_valid(tls_json)),
          timings_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(timings_json)),
          transcript_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transcript_json)),
          explanation_json TEXT CHECK (explanation_json IS NULL OR json_type(explanation_json) = 'object'),
          error_json TEXT CHECK (error_json IS NULL OR json_valid(error_json)),
          duration_ms INTEGER
        ) STRICT;
        -- Rows are (time, rowid) in these indexes, so ORDER BY time DESC, id DESC walks them backwards.
        CREATE INDEX send_log_time ON send_log(time);
        CREATE INDEX send_log_status_time ON send_log(status, time);
        CREATE INDEX send_log_account_time ON send_log(account_id, time);
        CREATE INDEX send_log_account_status_time ON send_log(account_id, status, time);
        CREATE INDEX send_log_outbox ON send_log(outbox_id);

        CREATE TABLE address_history (
          address TEXT PRIMARY KEY COLLATE NOCASE,
          name TEXT COLLATE NOCASE,
          use_count INTEGER NOT NULL DEFAULT 0,
          last_used_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX address_history_name ON address_history(name COLLATE NOCASE);
      `),
  },
  {
    version: 2,
    name: 'full-text search over the send log',
    up: (db) =>
      db.exec(`
        CREATE VIRTUAL TABLE send_log_fts USING fts5(
          subject, recipients_text, error_text,
          content = 'send_log', content_rowid = 'id',
          tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
        );
        CREATE TRIGGER send_log_fts_ai AFTER INSERT ON send_log BEGIN
          INSERT INTO send_log_fts(rowid, subject, recipients_text, error_text)
          VALUES (new.id, new.subject, new.recipients_text, new.error_text);
        END;
        CREATE TRIGGER send_log_fts_ad AFTER DELETE ON send_log BEGIN
          INSERT INTO send_log_fts(send_log_fts, rowid, subject, recipients_text, error_text)
          VALUES ('delete', old.id, old.subject, old.recipients_text, old.error_text);
        END;
        CREATE TRIGGER send_log_fts_au AFTER UPDATE OF subject, recipients_text, error_text ON send_log BEGIN
          INSERT INTO send_log_fts(send_log_fts, rowid, subject, recipients_text, error_text)
          VALUES ('delete', old.id, old.subject, old.recipients_text, old.error_text);
          INSERT INTO send_log_fts(rowid, subject, recipients_text, error_text)
          VALUES (new.id, new.subject, new.recipients_text, new.error_text);
        END;
        INSERT INTO send_log_fts(send_log_fts) VALUES ('rebuild');
      `),
  },
  {
    version: 3,
    name: 'capabilities learnt by the connection test, on the account',
    // Nullable: accounts from version 2 have not been tested yet (NULL = not known).
    up: (db) =>
      db.exec(`
        ALTER TABLE accounts ADD COLUMN size_limit INTEGER CHECK (size_limit IS NULL OR size_limit > 0);
        ALTER TABLE accounts ADD COLUMN eight_bit_mime INTEGER CHECK (eight_bit_mime IS NULL OR eight_bit_mime IN (0,1));
        ALTER TABLE accounts ADD COLUMN smtp_utf8 INTEGER CHECK (smtp_utf8 IS NULL OR smtp_utf8 IN (0,1));
        ALTER TABLE accounts ADD COLUMN tested_at INTEGER;
      `),
  },
  {
    version: 4,
    name: 'sender identities (aliases) of an account',
    // Accounts from version 3 keep their own name and address as their only (default) sender.
    // The unique index backs up the store's check that no two senders of an account share name
    // and address (lower() folds ASCII only; the store compares Unicode case-insensitively).
    up: (db) =>
      db.exec(`
        CREATE TABLE account_identities (
          id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          address TEXT NOT NULL,
          reply_to TEXT,
          signature TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX account_identities_account ON account_identities(account_id, created_at);
        CREATE UNIQUE INDEX account_identities_sender ON account_identities(account_id, lower(address), lower(name));
      `),
  },
];

export const latestVersion = (list: readonly Migration[] = migrations): number => list.at(-1)?.version ?? 0;
