/**
 * What a search box term means. Phone-looking terms match E.164 prefixes (typed in any of the
 * usual formats) and, from 4 digits on, the end of a phone; anything else matches contacts
 * that have, for every word typed, a word of their name starting with it (accent- and
 * case-insensitive: both sides go through st_fold). Pure, apart from reading the workspace's
 * country when a term needs it.
 */
import { getCountryCallingCode, type CountryCode } from "libphonenumber-js/min";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import type { Tx } from "@/server/db/tenant";

/** A search term, already interpreted. */
export type SearchTerm =
  { kind: "phone"; prefixes: string[]; suffix: string | null } | { kind: "words"; words: string[] };

const PHONE_LIKE = /^\+?[\d\s().-]*\d[\d\s().-]*$/;
/** The database splits names on anything but letters and digits ([^[:alnum:]]+): so do we. */
const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;
/** Shorter phone endings would match a good part of any large workspace. */
export const MIN_SUFFIX_DIGITS = 4;
const MAX_WORDS = 6;

function callingCode(country: string): string | null {
  try {
    return getCountryCallingCode(country.toUpperCase() as CountryCode);
  } catch {
    return null;
  }
}

function phonePrefixes(term: string, digits: string, defaultCountry: string): string[] {
  if (term.startsWith("+")) return [`+${digits}`];
  if (digits.startsWith("00")) return [`+${digits.slice(2)}`];
  const cc = callingCode(defaultCountry);
  if (digits.startsWith("0")) return [`+${cc ?? ""}${digits.slice(1)}`];
  const prefixes = [`+${digits}`];
  if (cc && !digits.startsWith(cc)) prefixes.push(`+${cc}${digits}`);
  return prefixes;
}

/**
 * How a search box term is matched. Phone-looking terms become E.164 prefixes: `+` as typed,
 * `00…` international, `0…` national (the workspace country's code replaces the 0), other
 * digits either as typed or as a national number without its 0; and their digits, when there
 * are at least four, also match the end of a phone ("120000" finds +595981120000).
 */
export function parseSearch(raw: string | undefined, defaultCountry: string): SearchTerm | null {
  const term = raw?.trim();
  if (!term) return null;
  if (PHONE_LIKE.test(term)) {
    const digits = term.replace(/\D/g, "");
    return {
      kind: "phone",
      prefixes: phonePrefixes(term, digits, defaultCountry),
      suffix: digits.length >= MIN_SUFFIX_DIGITS ? digits : null,
    };
  }
  // Punctuation alone has no word to look for: it matches nothing.
  const words = [...new Set(term.split(WORD_SEPARATOR).filter(Boolean))].slice(0, MAX_WORDS);
  return { kind: "words", words };
}

/** Like parseSearch, reading the workspace's country only when the term needs it. */
export async function resolveSearch(
  tx: Tx,
  workspaceId: string,
  raw: string | undefined,
  defaultCountry?: string,
): Promise<SearchTerm | null> {
  const term = raw?.trim();
  const needsCountry = !!term && PHONE_LIKE.test(term) && !term.startsWith("+");
  const country =
    defaultCountry ??
    (needsCountry ? (await getWorkspace({ tx, workspaceId })).defaultCountry : "");
  return parseSearch(term, country);
}
