/** The window's first colour matches the page's, in the theme the person will see. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WINDOW_BACKGROUND, windowBackgroundColor } from './appearance.js';

test('the theme setting wins; "system" and no setting follow the OS', () => {
  assert.equal(windowBackgroundColor('system', true), WINDOW_BACKGROUND.dark);
  assert.equal(windowBackgroundColor('system', false), WINDOW_BACKGROUND.light);
  assert.equal(windowBackgroundColor(undefined, true), WINDOW_BACKGROUND.dark);
  assert.equal(windowBackgroundColor(undefined, false), WINDOW_BACKGROUND.light);
  assert.equal(windowBackgroundColor('light', true), WINDOW_BACKGROUND.light);
  assert.equal(windowBackgroundColor('dark', false), WINDOW_BACKGROUND.dark);
  assert.notEqual(WINDOW_BACKGROUND.dark, WINDOW_BACKGROUND.light);
});

test('the colours are the renderer\'s --bg for light and dark', () => {
  const css = readFileSync(new URL('../renderer/src/styles.css', import.meta.url), 'utf8');
  const bgIn = (selector: string) => {
    const block = css.slice(css.indexOf(selector));
    return /--bg:\s*(#[0-9a-fA-F]{3,8})\s*;/.exec(block.slice(0, block.indexOf('}')))?.[1]?.toLowerCase();
  };
  assert.equal(bgIn(':root {'), WINDOW_BACKGROUND.light);
  assert.equal(bgIn(':root[data-theme="dark"]'), WINDOW_BACKGROUND.dark);
});
