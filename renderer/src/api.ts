/**
 * The renderer's view of the backend: typed calls over window.postbote. A failed call
 * rejects with ApiFailure, which carries the structured AppError for the UI to explain.
 */
import type { EventName, MethodName, PostboteClient, PostboteEvents } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';

export class ApiFailure extends Error {
  constructor(readonly error: AppError) {
    super(error.detail?.message ?? error.kind);
    this.name = 'ApiFailure';
  }
}

type ValueOf<K extends MethodName> = Awaited<ReturnType<PostboteClient[K]>> extends infer O ? (O extends { ok: true; value: infer V } ? V : never) : never;

export async function call<K extends MethodName>(name: K, ...args: Parameters<PostboteClient[K]>): Promise<ValueOf<K>> {
  const outcome = await window.postbote.invoke(name, ...args);
  if (!outcome.ok) throw new ApiFailure(outcome.error);
  return outcome.value as ValueOf<K>;
}

export function subscribe<K extends EventName>(name: K, listener: (payload: PostboteEvents[K]) => void): () => void {
  return window.postbote.on(name, listener);
}
