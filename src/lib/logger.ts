import pino from "pino";
import { env } from "@/env";

/**
 * JSON logs. Credentials and tokens are redacted wherever they appear in a logged object;
 * phone numbers must be masked by the caller with `maskPhone` before logging.
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

type Holder = { __salestrackLogger?: pino.Logger };
const holder = globalThis as Holder;

export const logger: pino.Logger = (holder.__salestrackLogger ??= pino({
  level: env.NODE_ENV === "test" && env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL,
  base: { app: "salestrack" },
  redact: { paths: REDACT, censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
}));

/** `+595981123456` → `+595******456`: enough to tell numbers apart, never the whole number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return "***";
  // Short numbers keep only two characters: at least half of a number always stays hidden.
  if (phone.length < 10) return phone.slice(0, 2) + "*".repeat(phone.length - 2);
  return phone.slice(0, 4) + "*".repeat(phone.length - 7) + phone.slice(-3);
}
