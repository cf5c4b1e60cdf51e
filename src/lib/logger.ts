import pino from "pino";
import { env } from "@/env";

/**
 * JSON logs. Credentials and tokens are redacted wherever they appear in a logged object;
 * errors are logged without the values of the query that failed (see `safeError`); phone
 * numbers a caller logs on purpose must be masked with `maskPhone` first.
 */
const REDACT = [
  "password",
  "secret",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "access_token",
  "refresh_token",
  "id_token",
  "authorization",
  "cookie",
  "apiKey",
  "clientSecret",
  "*.password",
  "*.secret",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.idToken",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.authorization",
  "*.cookie",
  "*.apiKey",
  "*.clientSecret",
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
];

// Fields of an error worth keeping: what went wrong and where, never the values involved.
// Dropped on purpose: Drizzle's `params` (phones, names, tokens of the failed query), pg's
// `detail` ("Key (phone)=(+595…) already exists") and `where`, and anything else a library
// hangs on its errors — a pg-boss error once carried the whole `pg` client (connection
// string, buffers, pending queries).
const ERROR_FIELDS = [
  "code",
  "severity",
  "constraint",
  "table",
  "column",
  "schema",
  "routine",
  "hint",
  "status",
  "statusCode",
  "errno",
  "syscall",
] as const;
const MAX_DEPTH = 4;

/**
 * Text that may quote a failed statement's values: Drizzle appends `params: …` to its
 * messages, and Postgres quotes the offending value in "invalid input syntax for type …".
 */
export function scrubText(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*$/, "\nparams: [redacted]")
    .replace(/((?:syntax|value) for (?:type|enum) [^:\n]+): "[^\n]*"/g, "$1: [redacted]");
}

type SafeError = { type: string; message: string; stack?: string; [field: string]: unknown };

/** An error as it may be logged: type, scrubbed message and stack, a few fields, its cause. */
export function safeError(err: unknown, depth = 0): SafeError | string {
  if (typeof err === "string") return scrubText(err);
  if (err === null || typeof err !== "object") return String(err);
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown };
  const type =
    (typeof e.name === "string" && e.name) || (err.constructor?.name ?? "Object") || "Object";
  const message = scrubText(typeof e.message === "string" ? e.message : "");
  const out: SafeError = { type, message };
  if (typeof e.stack === "string") {
    // The stack starts with the raw message (params and all): keep only the frames.
    const frames = e.stack.split("\n").filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join("\n");
  }
  for (const field of ERROR_FIELDS) {
    const value = e[field];
    if (typeof value === "string" || typeof value === "number") out[field] = value;
  }
  // Drizzle's SQL text has placeholders, not values: useful, and safe.
  if (typeof e.query === "string") out.query = e.query.slice(0, 2000);
  if (depth < MAX_DEPTH && e.cause !== undefined) out.cause = safeError(e.cause, depth + 1);
  if (depth < MAX_DEPTH && Array.isArray(e.errors)) {
    out.errors = e.errors.slice(0, 10).map((x) => safeError(x, depth + 1));
  }
  return out;
}

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(v);
};

/**
 * Every logged object passes here before it is written: errors anywhere in it are reduced to
 * `safeError`, a string under `err`/`error` is scrubbed, and instances of other classes (a
 * driver's client, a socket) are named, never walked.
 */
function scrubLogObject(value: unknown, key: string, depth: number): unknown {
  if (typeof value === "string") return key === "err" || key === "error" ? scrubText(value) : value;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return safeError(value);
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (!isPlain(value)) {
    // A non-Error thrown value under `err` still gets the error treatment.
    if (key === "err" || key === "error") return safeError(value);
    return `[${value.constructor?.name ?? "object"}]`;
  }
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => scrubLogObject(v, "", depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubLogObject(v, k, depth + 1);
  return out;
}

const OPTIONS: pino.LoggerOptions = {
  level: env.NODE_ENV === "test" && env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL,
  base: { app: "salestrack" },
  redact: { paths: REDACT, censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: {
    log: (obj) => scrubLogObject(obj, "", 0) as Record<string, unknown>,
  },
  // `logger.error(err)` without a message uses the error's message as `msg`.
  serializers: {
    msg: (msg: unknown) => (typeof msg === "string" ? scrubText(msg) : msg),
    // Already reduced by `formatters.log`; pino's own would rename it to "Object".
    err: (err: unknown) => err,
  },
};

type Holder = { __salestrackLogger?: pino.Logger };
const holder = globalThis as Holder;

export const logger: pino.Logger = (holder.__salestrackLogger ??= pino(OPTIONS));

/** `+595981123456` → `+595******456`: enough to tell numbers apart, never the whole number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return "***";
  // Short numbers keep only two characters: at least half of a number always stays hidden.
  if (phone.length < 10) return phone.slice(0, 2) + "*".repeat(phone.length - 2);
  return phone.slice(0, 4) + "*".repeat(phone.length - 7) + phone.slice(-3);
}
