import { useEffect, useState } from 'react';
import type { Settings } from '../../shared/domain.js';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Resolves the theme setting ("system" follows the OS live) and applies it to <html>. */
export function useAppliedTheme(setting: Settings['theme'] | undefined): 'light' | 'dark' {
  const [systemDark, setSystemDark] = useState(() => darkQuery().matches);
  useEffect(() => {
    const query = darkQuery();
    const onChange = (event: MediaQueryListEvent) => setSystemDark(event.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  const theme = setting === 'light' || setting === 'dark' ? setting : systemDark ? 'dark' : 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
