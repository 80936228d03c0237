import type { z } from 'zod';

/** Intersections and interfaces flattened to plain mutable object types, so that equal shapes compare equal. */
type Normalize<T> = T extends object ? { -readonly [K in keyof T]: Normalize<T[K]> } : T;

/** True when A and B are the same type: no property missing, added, optional only on one side, or typed wider. */
export type SameType<A, B> = (<T>() => T extends Normalize<A> ? 1 : 2) extends <T>() => T extends Normalize<B> ? 1 : 2 ? true : false;

/**
 * A zod schema checked at compile time to describe exactly the hand-written type T:
 * `describes<CommandView>()(z.object({...}))`. When they differ the call fails to type-check with
 * "Expected 2 arguments": the schema (and so the OpenAPI document made from it) has drifted from
 * the type the code returns.
 */
export function describes<T>() {
  return <S extends z.ZodType>(schema: S, ..._sameAsType: SameType<z.output<S>, T> extends true ? [] : ['the schema does not describe exactly this type']): S =>
    schema;
}
