/**
 * Text rules shared by every input path (tRPC, REST, CSV import):
 *
 * - NUL (U+0000) can never be stored — Postgres `text` and `jsonb` refuse it, and the query
 *   would fail as a 500. `refuseNul` walks a whole parsed input once, before any schema,
 *   so a new procedure or field cannot forget it.
 * - Names people tell apart by eye (groups) are compared after NFKC normalisation and may not
 *   hide invisible or direction-changing characters: `ＶＩＰ`, `V\u200bIP` and a decomposed
 *   `José` must not become look-alike second groups.
 */
import { z } from "zod";
import { errorKey, errorRef } from "./error-ref";
import { AppError, type FieldErrors } from "./errors";

const NUL = "\u0000";
// Deep enough for any real input; a deeper one is not a form anybody sends.
const MAX_DEPTH = 32;

/** Paths ("name", "attributes.city", "groups.2") of every string or key holding a NUL. */
export function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  const seen = new WeakSet<object>();
  const visit = (v: unknown, path: string[], depth: number) => {
    if (typeof v === "string") {
      if (v.includes(NUL)) found.push(path.join("."));
      return;
    }
    if (v === null || typeof v !== "object" || depth > MAX_DEPTH || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v) || v instanceof Set) {
      let i = 0;
      for (const item of v) visit(item, [...path, String(i++)], depth + 1);
      return;
    }
    if (v instanceof Map) {
      for (const [k, item] of v) {
        if (typeof k === "string" && k.includes(NUL)) found.push([...path, k].join("."));
        visit(item, [...path, String(k)], depth + 1);
      }
      return;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return; // Dates, Buffers, class instances
    for (const [k, item] of Object.entries(v)) {
      if (k.includes(NUL)) found.push([...path, k].join("."));
      visit(item, [...path, k], depth + 1);
    }
  };
  visit(value, [], 0);
  // A path is shown to people: a NUL inside a key would be invisible there too.
  return [...new Set(found.map((p) => p.replaceAll(NUL, "\\u0000")))];
}

/** Throws BAD_REQUEST with one field error per offending path when `value` holds a NUL. */
export function refuseNul(value: unknown): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  const fieldErrors: FieldErrors = {};
  for (const path of paths) if (path) fieldErrors[path] = [errorRef("input.nul")];
  throw new AppError("BAD_REQUEST", "input.nul", { fieldErrors });
}

// Format (Cf) and control (Cc) characters draw nothing, or reorder what is drawn (bidi
// overrides, isolates, marks). A zero-width joiner between two emoji is the one legitimate
// use in a name (👨‍👩‍👧), so it stays allowed there.
const INVISIBLE =
  /(?!(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic}))[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0]/u;

export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text);
}

/** NFKC, then trimmed: the form in which names are stored and compared. */
export function normaliseName(text: string): string {
  return text.normalize("NFKC").trim();
}

/**
 * A name people tell apart by eye: NFKC-normalised and trimmed before the length is checked,
 * refused when it holds invisible or direction-changing characters.
 */
export function visibleName({ min = 1, max }: { min?: number; max: number }) {
  return z
    .string()
    .normalize("NFKC")
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !hasInvisibleCharacters(s), errorKey("input.invisibleCharacters"));
}
