import { z } from 'zod';
import { method } from './define.js';
import { SettingsPatchSchema, SettingsSchema } from '../domain.js';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** The OS language, used when the language setting is "system". */
  systemLanguage: z.string(),
  dataDir: z.string(),
  /** Which keychain backend stores passwords, shown in Settings. */
  secretBackend: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appMethods = {
  'app.info': method('Name, version, platform, language and data folder of this installation.', z.tuple([]), AppInfoSchema),
  'settings.get': method('The current settings.', z.tuple([]), SettingsSchema),
  'settings.set': method('Change some settings; returns all settings after the change.', z.tuple([SettingsPatchSchema]), SettingsSchema),
};

export const appEvents = {
  'settings.changed': SettingsSchema,
};
