/** The workspace a browser works in is remembered in this cookie (membership is re-checked). */
export const WORKSPACE_COOKIE = "st_ws";
export const WORKSPACE_HEADER = "x-workspace-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cookie's workspace id; null when absent or malformed (a hint, never an error). */
export function readWorkspaceCookie(cookieHeader: string | null | undefined): string | null {
  const match = new RegExp(`(?:^|;\\s*)${WORKSPACE_COOKIE}=([^;]+)`).exec(cookieHeader ?? "");
  const value = match?.[1] ? safeDecode(match[1]) : null;
  return value && UUID.test(value) ? value : null;
}

// A hand-edited or truncated cookie (`st_ws=%E0`) must not fail every request of the browser.
function safeDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
