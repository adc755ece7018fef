/**
 * Preload (sandboxed): exposes exactly one object, window.postbote, with invoke() for the
 * contract's methods and on() for its events. No ipcRenderer reaches the page, and no file
 * paths either: attachments travel as bytes (attachments.stage), because main must never
 * read a path the renderer names — a compromised page could otherwise mail any file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { contractEvents, contractMethods } from '../shared/contract/index.js';

const methodNames = new Set(Object.keys(contractMethods));
const eventNames = new Set(Object.keys(contractEvents));

contextBridge.exposeInMainWorld('postbote', {
  invoke(name: string, ...args: unknown[]): Promise<unknown> {
    if (!methodNames.has(name)) return Promise.resolve({ ok: false, error: { kind: 'ipc.unknownMethod', messageKey: 'ipc.unknownMethod', params: { method: String(name) } } });
    return ipcRenderer.invoke('postbote:invoke', name, args);
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!eventNames.has(name)) return () => {};
    const wrapped = (_event: unknown, eventName: string, payload: unknown) => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on('postbote:event', wrapped);
    return () => ipcRenderer.removeListener('postbote:event', wrapped);
  },
});
