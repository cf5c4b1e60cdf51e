/**
 * Response headers every answer of the web process carries (docs/security.md, "Surface").
 *
 * They are defaults, not overrides: a handler that sets its own (the API docs page has a
 * stricter CSP, downloads their own Content-Type) keeps it. They are filled in when the head
 * is written, which is the only moment every writer — Next's renderer, route handlers, the
 * fast lane — goes through.
 */
import { randomBytes } from "node:crypto";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/** Two years, the value browsers' preload lists ask for; `preload` itself is the operator's call. */
const HSTS = "max-age=63072000; includeSubDomains";

/** Powerful features no page of the app uses, denied so an injected frame or script cannot ask. */
const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "hid=()",
  "bluetooth=()",
  "midi=()",
  "display-capture=()",
  "browsing-topics=()",
].join(", ");

export type CspOptions = {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. */
  dev: boolean;
  https: boolean;
  /** Where forms may post or be redirected: the SSO issuer (sign-out is a form posted to us
   *  that redirects to the issuer's end-session endpoint, and Chromium checks the redirect). */
  formActionOrigins?: string[];
};

/** 128 random bits, as CSP wants them (base64). */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The page policy. Scripts: only those carrying this response's nonce, and what they load
 * ('strict-dynamic': Next's chunk loader adds script tags at run time). Styles: 'unsafe-inline'
 * — React renders `style` attributes into the HTML (Radix positioning, progress bars), and
 * sonner injects its stylesheet at run time without a nonce; neither can be nonced. With every
 * fetch directive limited to our origin, injected CSS cannot load or leak anything elsewhere.
 */
export function contentSecurityPolicy({
  nonce,
  dev,
  https,
  formActionOrigins = [],
}: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formActionOrigins].join(" "),
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The headers that are not CSP: on every response, the fast lane's included. */
export function baseSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    // For browsers without CSP frame-ancestors; cheap.
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    ...(https ? { "strict-transport-security": HSTS } : {}),
  };
}

function namesIn(headers: unknown): Set<string> {
  if (Array.isArray(headers)) {
    // Raw form: [name, value, name, value, …] or [[name, value], …].
    return new Set(
      headers
        .map((entry: unknown, i) =>
          Array.isArray(entry) ? entry[0] : i % 2 === 0 ? entry : undefined,
        )
        .filter((n): n is string => typeof n === "string")
        .map((n) => n.toLowerCase()),
    );
  }
  if (headers && typeof headers === "object") {
    return new Set(Object.keys(headers as OutgoingHttpHeaders).map((n) => n.toLowerCase()));
  }
  return new Set();
}

/** Adds `defaults` to the response head unless the handler set the same header. */
export function applyDefaultHeaders(res: ServerResponse, defaults: Record<string, string>): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const given = namesIn(args.find((a) => a !== null && typeof a === "object"));
    for (const [name, value] of Object.entries(defaults)) {
      if (!given.has(name) && !this.hasHeader(name)) this.setHeader(name, value);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
}
