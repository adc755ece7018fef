/**
 * The building blocks of the one IPC contract. A method is a name with a schema for its
 * argument tuple and one for its result; an event is a name with a schema for its payload.
 * Types are derived from the schemas, so nothing is declared twice.
 */
import { z } from 'zod';
import type { Outcome } from '../errors.js';

export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  /** One line for the docs and the dispatcher's refusals. */
  summary: string;
}

export const method = <A extends z.ZodTuple, R extends z.ZodType>(summary: string, args: A, result: R): MethodSpec<A, R> =>
  ({ summary, args, result });

export type MethodTable = Record<string, MethodSpec>;
export type EventTable = Record<string, z.ZodType>;

/** The function the main process implements for a method (arguments already validated). */
export type Handler<M extends MethodSpec> = (...args: z.output<M['args']>) => Promise<z.input<M['result']>>;
/** The function the renderer calls (arguments are validated on the other side). */
export type Invoker<M extends MethodSpec> = (...args: z.input<M['args']>) => Promise<Outcome<z.output<M['result']>>>;

export type ServiceOf<T extends MethodTable> = { [K in keyof T]: Handler<T[K]> };
export type ClientOf<T extends MethodTable> = { [K in keyof T]: Invoker<T[K]> };
export type EventPayloads<E extends EventTable> = { [K in keyof E]: z.output<E[K]> };
