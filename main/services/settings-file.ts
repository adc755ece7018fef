/**
 * Settings persisted as a small JSON file in the data folder, written atomically
 * (temporary file + rename) so a crash mid-write never leaves half a file behind.
 * A file that does not parse is set aside, not overwritten, and defaults are used.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/domain.js';

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
}

export function createSettingsFile(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  let current: Settings = load();

  function load(): Settings {
    if (!existsSync(file)) return { ...defaultSettings };
    try {
      const parsed = SettingsSchema.partial().parse(JSON.parse(readFileSync(file, 'utf8')));
      return { ...defaultSettings, ...parsed };
    } catch {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
      return { ...defaultSettings };
    }
  }

  return {
    get: () => ({ ...current }),
    update(patch) {
      const next = SettingsSchema.parse({ ...current, ...patch });
      mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2));
      renameSync(tmp, file);
      current = next;
      return { ...current };
    },
  };
}
