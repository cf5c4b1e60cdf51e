/** Small readers shared by the provider payload parsers: untrusted JSON in, typed values out. */
import { AppError } from "@/lib/errors";

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function records(v: unknown): JsonRecord[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

export function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

/** Parses a verified (or about to be verified) body; malformed JSON is the sender's error. */
export function parseJsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "request.jsonInvalid");
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: string): boolean {
  return UUID.test(v);
}

/**
 * Providers send the sender as international digits without "+" ("595981123456"); contacts
 * and the suppression list hold E.164. Anything else is not a phone number we could match.
 */
export function e164FromDigits(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const digits = v.trim().replace(/^\+/, "");
  return /^[1-9]\d{5,14}$/.test(digits) ? `+${digits}` : null;
}

/** A provider timestamp as a Date, or undefined (the service then uses "now"). */
export function dateOf(v: unknown): Date | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Error codes are stored on the recipient: short, lower-case, bounded. */
export function errorCode(prefix: string, raw: string | number): string {
  return `${prefix}_${String(raw)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")}`.slice(0, 64);
}
