/**
 * The data folder the desktop app opens: exactly the command line's default
 * (main/services defaultDataDir, which honours POSTBOTE_DATA_DIR), so the app and
 * `postbote send` share one database — Electron's own userData would be named after the
 * package ("postbote") on Linux unless productName is set, and could drift from it again.
 * Only Chromium's explicit --user-data-dir switch wins, as a person's (or the smoke
 * test's) deliberate choice, like the CLI's --data-dir.
 */
import { resolve } from 'node:path';
import { defaultDataDir } from '../main/services/index.js';

export interface DataDirInputs {
  /** The value of --user-data-dir, '' when the switch is absent (as app.commandLine reports it). */
  userDataSwitch: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export function appDataDir({ userDataSwitch, env, platform }: DataDirInputs): string {
  if (userDataSwitch.trim() !== '') return resolve(userDataSwitch);
  return defaultDataDir(env, platform);
}
