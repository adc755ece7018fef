/** Settings as key → JSON value, with typed access to the app's Settings. */
import { SettingsPatchSchema, SettingsSchema, defaultSettings, type Settings } from '../../shared/domain.js';
import { openDatabase, type Database } from './database.js';
import { storeError } from './errors.js';
import { str } from './rows.js';

export interface SettingsRepository {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** The app settings: defaults overlaid with stored values that still validate. */
  getSettings(): Settings;
  /** Validates the patch, stores it and returns all settings afterwards. */
  updateSettings(patch: unknown): Settings;
}

export function createSettingsRepository(db: Database): SettingsRepository {
  const sql = db.sql;
  const get = (key: string): unknown =>
    db.guard(() => {
      const row = sql.prepare('SELECT value_json FROM settings WHERE key = ?').get(key);
      return row ? (JSON.parse(str(row, 'value_json')) as unknown) : undefined;
    });
  const set = (key: string, value: unknown): void => {
    if (value === undefined) throw storeError('settings.invalid', { field: key }, 'undefined is not a setting value');
    db.transaction(() => {
      sql.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
        .run(key, JSON.stringify(value));
    });
  };
  const getSettings = (): Settings => {
    const result: Record<string, unknown> = { ...defaultSettings };
    for (const key of Object.keys(SettingsSchema.shape) as (keyof Settings)[]) {
      const stored = get(`app.${key}`);
      // A value an older or newer version wrote that no longer validates falls back to the default.
      if (stored !== undefined && SettingsSchema.shape[key].safeParse(stored).success) result[key] = stored;
    }
    return SettingsSchema.parse(result);
  };
  return {
    get,
    set,
    delete: (key) => db.guard(() => void sql.prepare('DELETE FROM settings WHERE key = ?').run(key)),
    getSettings,
    updateSettings: (patchInput) => {
      const parsed = SettingsPatchSchema.safeParse(patchInput);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw storeError('settings.invalid', { field: issue?.path.map(String).join('.') ?? '' }, parsed.error.message);
      }
      db.transaction(() => {
        for (const [key, value] of Object.entries(parsed.data)) if (value !== undefined) set(`app.${key}`, value);
      });
      return getSettings();
    },
  };
}

/** The app settings as a second connection reads them from the database file (tests use it to prove persistence). */
export function readStoredSettings(dataDir: string): Partial<Record<keyof Settings, unknown>> {
  const db = openDatabase(dataDir, { integrityCheck: false });
  try {
    const repo = createSettingsRepository(db);
    return Object.fromEntries((Object.keys(SettingsSchema.shape) as (keyof Settings)[]).map((key) => [key, repo.get(`app.${key}`)]));
  } finally {
    db.close();
  }
}
