/**
 * The path (and query) of the page being rendered, set by `src/proxy.ts` on the request:
 * server components read it to send a signed-out visitor back here after sign-in.
 */
export const REQUEST_PATH_HEADER = "x-request-path";

/** Next's router adds `_rsc` to its own fetches of a page; it is not part of the address. */
export function pagePath(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete("_rsc");
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
