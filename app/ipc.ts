/**
 * Wires the contract to ipcMain: one handler for the invoke channel that checks the sender
 * (isTrustedIpcSender), then hands name and arguments to the validating dispatcher
 * (main/ipc). Events from main are forwarded to the window. Every registration returns its disposer.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { createDispatcher } from '../main/ipc/dispatcher.js';
import type { Services } from '../main/services/index.js';
import { isTrustedIpcSender } from './security.js';

export function registerIpc(services: Services, trustedContents: () => WebContents | undefined, log: (line: string) => void): () => void {
  const dispatch = createDispatcher(services.service, log);
  const handler = async (event: IpcMainInvokeEvent, name: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isTrustedIpcSender(event.sender, frameUrl, trustedContents())) {
      log(`ipc: refused a call from an untrusted frame (${frameUrl.slice(0, 100)})`);
      return { ok: false, error: { kind: 'ipc.untrustedSender', messageKey: 'ipc.internal' } };
    }
    return dispatch(name, args);
  };
  ipcMain.handle('postbote:invoke', handler);
  const unsubscribe = services.events.subscribe((name, payload) => {
    const contents = trustedContents();
    if (contents && !contents.isDestroyed()) contents.send('postbote:event', name, payload);
  });
  return () => {
    ipcMain.removeHandler('postbote:invoke');
    unsubscribe();
  };
}
