/**
 * Errors travel as codes, not sentences: a key under `errors.` in `messages/<locale>/errors.json`
 * plus the values its ICU message needs. The server never decides the reader's language; the
 * client renders the key, REST adds the English text, stored reasons keep the code.
 */
import type enErrors from "../../messages/en/errors.json";

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key of the English catalog, e.g. `"bot.nameTaken"`: a typo is a type error. */
export type ErrorKey = Leaves<typeof enErrors>;
export type ErrorParams = Record<string, string | number>;
export type ErrorRef = { key: ErrorKey; params?: ErrorParams };

/** A key written where a plain string is expected (zod messages, lookup tables). */
export function errorKey(key: ErrorKey): ErrorKey {
  return key;
}

export function errorRef(key: ErrorKey, params?: ErrorParams): ErrorRef {
  return params ? { key, params } : { key };
}

const KEY_SHAPE = /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/;

/** True for text shaped like an error key (`bot.nameTaken`), not for a sentence. */
export function looksLikeErrorKey(text: string): boolean {
  return KEY_SHAPE.test(text);
}

/**
 * One text column or message string for a ref: the key, then its params as JSON
 * (`import.nameTooLong {"max":200}`). Stored import reasons use it, so they stay codes.
 */
export function encodeErrorRef(ref: ErrorRef): string {
  return ref.params && Object.keys(ref.params).length > 0
    ? `${ref.key} ${JSON.stringify(ref.params)}`
    : ref.key;
}

/** The ref in an encoded string, or null for any other text (e.g. a legacy English reason). */
export function decodeErrorRef(text: string): ErrorRef | null {
  const space = text.indexOf(" ");
  const key = space === -1 ? text : text.slice(0, space);
  if (!looksLikeErrorKey(key)) return null;
  if (space === -1) return { key: key as ErrorKey };
  try {
    const params = JSON.parse(text.slice(space + 1)) as unknown;
    if (!params || typeof params !== "object" || Array.isArray(params)) return null;
    return { key: key as ErrorKey, params: params as ErrorParams };
  } catch {
    return null;
  }
}
