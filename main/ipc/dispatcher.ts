/**
 * The validating dispatcher between an untrusted caller (the renderer, via ipcMain or the
 * e2e harness's exposeBinding) and the service object. Unknown methods are refused,
 * arguments are parsed with the contract's schemas, results are checked against theirs
 * (so a handler can never leak a field the contract does not declare, such as a secret),
 * and every failure comes back as a structured AppError value.
 */
import { z } from 'zod';
import { contractMethods, isMethodName, type PostboteService } from '../../shared/contract/index.js';
import type { AppError, Outcome } from '../../shared/errors.js';
import { AppErrorSchema } from '../../shared/errors.js';

/** An error a service handler throws on purpose, carrying the structured value to return. */
export class ServiceError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.detail?.message ?? appError.kind);
    this.name = 'ServiceError';
  }
}

/** Anything thrown that carries an AppError (ServiceError, the store's, the composer's…). */
function appErrorOf(error: unknown): AppError | undefined {
  if (error instanceof ServiceError) return error.appError;
  if (error && typeof error === 'object' && 'appError' in error) {
    const parsed = AppErrorSchema.safeParse((error as { appError: unknown }).appError);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

export type Dispatch = (method: unknown, args: unknown) => Promise<Outcome<unknown>>;

export function createDispatcher(service: PostboteService, log: (line: string) => void = () => {}): Dispatch {
  return async (methodName, rawArgs) => {
    if (!isMethodName(methodName)) {
      return { ok: false, error: { kind: 'ipc.unknownMethod', messageKey: 'ipc.unknownMethod', params: { method: String(methodName).slice(0, 80) }, detail: { phase: 'internal', cause: 'ipc', message: `Unknown IPC method ${String(methodName).slice(0, 80)}` } } };
    }
    const spec = contractMethods[methodName];
    const parsedArgs = spec.args.safeParse(Array.isArray(rawArgs) ? rawArgs : [rawArgs]);
    if (!parsedArgs.success) {
      return { ok: false, error: { kind: 'ipc.invalidArguments', messageKey: 'ipc.invalidArguments', params: { method: methodName, issues: describeIssues(parsedArgs.error) }, detail: { phase: 'input', cause: 'validation', message: `${methodName}: ${describeIssues(parsedArgs.error)}` } } };
    }
    try {
      const handler = service[methodName] as (...a: unknown[]) => Promise<unknown>;
      const value = await handler(...(parsedArgs.data as unknown[]));
      const checked = spec.result.safeParse(value);
      if (!checked.success) {
        log(`ipc: ${methodName} returned a value outside its contract: ${describeIssues(checked.error)}`);
        return { ok: false, error: { kind: 'ipc.invalidResult', messageKey: 'ipc.internal', detail: { phase: 'internal', cause: 'contract', message: `${methodName} result: ${describeIssues(checked.error)}` } } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      const appError = appErrorOf(error);
      if (appError) return { ok: false, error: appError };
      const message = error instanceof Error ? error.message : String(error);
      log(`ipc: ${methodName} failed unexpectedly: ${message}`);
      return { ok: false, error: { kind: 'internal', messageKey: 'ipc.internal', detail: { phase: 'internal', cause: 'exception', message } } };
    }
  };
}
