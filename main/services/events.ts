/** The one channel for events from main to whoever shows them (Electron window, e2e page, CLI). */
import type { EventName, PostboteEvents } from '../../shared/contract/index.js';

export type EventListener = <K extends EventName>(name: K, payload: PostboteEvents[K]) => void;

export interface EventHub {
  emit<K extends EventName>(name: K, payload: PostboteEvents[K]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) {
        // A broken listener (a closed window) must not stop the others.
        try { listener(name, payload); } catch { /* ignored on purpose */ }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
