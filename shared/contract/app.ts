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
  'app.openExternal': method('Open a web link (a provider help page) in the system browser.', z.tuple([z.string().url().max(2048)]), z.boolean()),
  'app.notify': method('Show a native notification when the window is not focused.', z.tuple([z.object({ title: z.string().max(200), body: z.string().max(1000) })]), z.boolean()),
};

export const SectionSchema = z.enum(['compose', 'outbox', 'log', 'accounts', 'settings']);
export type Section = z.infer<typeof SectionSchema>;

export const appEvents = {
  'settings.changed': SettingsSchema,
  /** The OS handed us a mailto: link (command line, second instance, open-url). */
  'app.mailto': z.object({ url: z.string().max(8192) }),
  /** A menu entry asked to switch sections. */
  'app.navigate': z.object({ section: SectionSchema }),
};
