/**
 * The window's background before the renderer paints: the same colour as the page's --bg
 * (renderer/src/styles.css, checked by appearance.test.ts), so neither a light nor a dark
 * window flashes the other colour while it opens.
 */
import type { Settings } from '../shared/domain.js';

export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#14171c' } as const;

/** The theme setting wins; "system" (or no setting yet) follows the OS. */
export function windowBackgroundColor(theme: Settings['theme'] | undefined, systemPrefersDark: boolean): string {
  const dark = theme === 'dark' || ((theme === undefined || theme === 'system') && systemPrefersDark);
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}
