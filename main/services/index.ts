/**
 * The composition root: builds the one service object that implements the IPC contract.
 * Electron (app/), the browser tests (e2e/) and the command line all use this object,
 * so what the UI is tested against is exactly what ships.
 */
import { mkdirSync } from 'node:fs';
import type { PostboteService } from '../../shared/contract/index.js';
import type { SettingsPatch } from '../../shared/domain.js';
import { testConnection as runConnectionTest } from '../autoconfig/engine-probe.js';
import { KeytarSecretStore, type SecretStore } from '../secrets/index.js';
import { createSettingsRepository } from '../store/settings.js';
import { openDatabase, type Database } from '../store/index.js';
import { createAccountsService, passwordMissing, type AccountsNotice, type TestConnection } from './accounts-service.js';
import { createAutoconfigService } from './autoconfig-service.js';
import { createAddressHistoryRepository } from '../store/address-history.js';
import { createDraftRepository } from '../store/drafts.js';
import { createComposeService } from './compose-service.js';
import { createEventHub, type EventHub } from './events.js';
import { createOutboxService, type OutboxServiceHandle } from './outbox-service.js';
import { createSendLogService } from './sendlog-service.js';

export interface ServicesOptions {
  /** The app-data folder (Electron's userData, the CLI's --data-dir, a temp folder in tests). */
  dataDir: string;
  appVersion: string;
  /** The OS language tag, e.g. "de-DE". */
  systemLanguage: string;
  platform?: string;
  /** What only the host (Electron) can do; absent in tests and the CLI. */
  host?: HostIntegration;
  /** The keychain; defaults to the OS keychain through keytar. */
  secrets?: SecretStore;
  /** Replaces the real connection test (only the CLI's --dry-run style callers need this). */
  testConnection?: TestConnection;
}

export interface HostIntegration {
  notify?(title: string, body: string): void;
  openExternal?(url: string): Promise<void>;
  /** An account was deleted but its keychain entries could not be removed yet (they are retried later). */
  accountsNotice?(notice: AccountsNotice): void;
}

export interface Services {
  service: PostboteService;
  events: EventHub;
  db: Database;
  secrets: SecretStore;
  /** The outbox worker: call `outbox.start()` once the host is ready (reconciles, then sends). */
  outbox: OutboxServiceHandle;
  close(): Promise<void>;
}

/** The real connection test (connect, TLS, EHLO, AUTH, QUIT), in the contract's shape. */
export const engineConnectionTest: TestConnection = async (settings, password) => {
  // Signing in with an empty password would only come back as "wrong password".
  if (settings.username !== undefined && password === undefined) throw passwordMissing(settings.username);
  const result = await runConnectionTest(settings, password ?? '');
  if (result.ok) {
    return { ok: true, capabilities: { ...result.capabilities, tls: result.tls, authMechanism: result.authMechanism, timings: result.timings } };
  }
  return { ok: false, error: result.error };
};

export function createServices(options: ServicesOptions): Services {
  mkdirSync(options.dataDir, { recursive: true });
  const events = createEventHub();
  const db = openDatabase(options.dataDir);
  // Settings live in the database beside everything else, so the app and the CLI share them.
  const settingsRepo = createSettingsRepository(db);
  const settings = { get: () => settingsRepo.getSettings(), update: (patch: SettingsPatch) => settingsRepo.updateSettings(patch) };
  const secrets = options.secrets ?? new KeytarSecretStore();
  const accounts = createAccountsService({
    db, secrets,
    testConnection: options.testConnection ?? engineConnectionTest,
    onChanged: (list) => events.emit('accounts.changed', list),
    onNotice: (notice) => {
      events.emit('accounts.notice', notice);
      options.host?.accountsNotice?.(notice);
    },
  });
  const sendLog = createSendLogService({ db });
  const compose = createComposeService({
    drafts: createDraftRepository(db),
    addressHistory: createAddressHistoryRepository(db),
    onDraftsChanged: (id) => events.emit('drafts.changed', { id }),
  });

  const outbox = createOutboxService({ db, secrets, dataDir: options.dataDir, settings: () => settings.get(), events });

  const service: PostboteService = {
    ...accounts,
    ...outbox.handlers,
    ...createAutoconfigService({ onlineIspLookup: () => settings.get().onlineIspLookup }),
    ...sendLog,
    ...compose,
    'app.info': async () => ({
      name: 'Postbote',
      version: options.appVersion,
      platform: options.platform ?? process.platform,
      systemLanguage: options.systemLanguage,
      dataDir: options.dataDir,
      secretBackend: secrets.backend,
    }),
    'settings.get': async () => settings.get(),
    'settings.set': async (patch) => {
      const next = settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
    'app.openExternal': async (url) => {
      if (!options.host?.openExternal || !/^https?:/i.test(url)) return false;
      await options.host.openExternal(url);
      return true;
    },
    'app.notify': async ({ title, body }) => {
      if (!options.host?.notify) return false;
      options.host.notify(title, body);
      return true;
    },
  };

  return {
    service,
    events,
    db,
    secrets,
    outbox,
    close: async () => {
      await outbox.stop();
      db.close();
    },
  };
}

/** Default data folder for the CLI (the Electron app passes app.getPath('userData')). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = env.HOME ?? env.USERPROFILE ?? '.'): string {
  if (env.POSTBOTE_DATA_DIR) return env.POSTBOTE_DATA_DIR;
  if (platform === 'win32') return `${env.APPDATA ?? `${home}\\AppData\\Roaming`}\\Postbote`;
  if (platform === 'darwin') return `${home}/Library/Application Support/Postbote`;
  return `${env.XDG_CONFIG_HOME ?? `${home}/.config`}/Postbote`;
}
