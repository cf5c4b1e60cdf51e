import type { z } from "zod";

/**
 * Parses a bot's config or credentials with its kind's schema, once per object: the pipeline
 * hands the same objects to every send of a batch, and the sandbox runs thousands of sends a
 * second.
 */
export function cachedParser<S extends z.ZodType>(schema: S) {
  const cache = new WeakMap<object, z.output<S> | null>();
  return (value: object | undefined): z.output<S> | null => {
    const key = value ?? EMPTY;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const parsed = schema.safeParse(key);
    const result = parsed.success ? (parsed.data as z.output<S>) : null;
    cache.set(key, result);
    return result;
  };
}

const EMPTY = Object.freeze({});
