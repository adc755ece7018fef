import type { PostboteBridge } from '../../shared/contract/index.js';

declare global {
  interface Window {
    /** Put there by the preload (Electron) or by the e2e harness (Chromium). */
    postbote: PostboteBridge;
  }
}
export {};
