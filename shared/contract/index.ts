/**
 * The one IPC contract: every method and event the renderer may use, merged from the
 * per-domain tables. app/ registers one validated ipcMain.handle per entry, preload
 * exposes them on window.postbote, the e2e harness and the CLI use the same service.
 */
import type { ClientOf, EventPayloads, ServiceOf } from './define.js';
import { accountEvents, accountMethods } from './accounts.js';
import { appEvents, appMethods } from './app.js';
import { autoconfigMethods } from './autoconfig.js';
import { composeEvents, composeMethods } from './compose.js';
import { outboxEvents, outboxMethods } from './outbox.js';
import { sendLogEvents, sendLogMethods } from './sendlog.js';

export const contractMethods = {
  ...appMethods,
  ...accountMethods,
  ...autoconfigMethods,
  ...sendLogMethods,
  ...composeMethods,
  ...outboxMethods,
};
export const contractEvents = {
  ...appEvents,
  ...accountEvents,
  ...sendLogEvents,
  ...composeEvents,
  ...outboxEvents,
};

export type ContractMethods = typeof contractMethods;
export type ContractEvents = typeof contractEvents;
export type MethodName = keyof ContractMethods;
export type EventName = keyof ContractEvents;
export type PostboteService = ServiceOf<ContractMethods>;
export type PostboteClient = ClientOf<ContractMethods>;
export type PostboteEvents = EventPayloads<ContractEvents>;

/** What preload puts on window.postbote. */
export interface PostboteBridge {
  invoke<K extends MethodName>(name: K, ...args: Parameters<PostboteClient[K]>): ReturnType<PostboteClient[K]>;
  on<K extends EventName>(name: K, listener: (payload: PostboteEvents[K]) => void): () => void;
}

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contractMethods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contractEvents, name);
