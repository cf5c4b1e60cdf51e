/**
 * Awaits lazy query builders one after another. Queries on one transaction's connection
 * must not overlap (pg queues them today but deprecates it); `Promise.all` would start
 * them together.
 */
export async function inSequence<T extends readonly unknown[]>(queries: {
  [K in keyof T]: PromiseLike<T[K]>;
}): Promise<T> {
  const results: unknown[] = [];
  for (const q of queries as readonly PromiseLike<unknown>[]) results.push(await q);
  return results as unknown as T;
}
