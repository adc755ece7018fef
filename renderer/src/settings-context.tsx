import { createContext, useContext } from 'react';
import type { AppInfo } from '../../shared/contract/app.js';
import type { Settings, SettingsPatch } from '../../shared/domain.js';

export interface AppState {
  info: AppInfo;
  settings: Settings;
  updateSettings(patch: SettingsPatch): Promise<void>;
}

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const value = useContext(AppStateContext);
  if (!value) throw new Error('useAppState outside AppStateContext');
  return value;
}
