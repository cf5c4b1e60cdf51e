const FALLBACK = "/dashboard";
const BASE = "http://app.invalid";

/**
 * Where sign-in may send someone back to: a path of this site, or the dashboard. The value is
 * read the way a browser will read the redirect — `//host`, `/\host` and a path with a tab or
 * line break in it (`/\t/host`, which browsers strip to `//host`) all lead elsewhere.
 */
export function callbackPath(value: string | undefined | null): string {
  if (!value || !value.startsWith("/") || /[\s\\\u0000-\u001f\u007f]/.test(value)) return FALLBACK;
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
