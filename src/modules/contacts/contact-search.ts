/**
 * What a search box term means: an E.164 phone prefix (typed in any of the usual formats) or
 * a name prefix. Pure, apart from reading the workspace's country when a term needs it.
 */
import { getCountryCallingCode, type CountryCode } from "libphonenumber-js/min";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import type { Tx } from "@/server/db/tenant";
import type { SearchTerm } from "./contacts.queries";

const PHONE_LIKE = /^\+?[\d\s().-]*\d[\d\s().-]*$/;

function callingCode(country: string): string | null {
  try {
    return getCountryCallingCode(country.toUpperCase() as CountryCode);
  } catch {
    return null;
  }
}

/**
 * How a search box term is matched. Phone-looking terms become E.164 prefixes: `+` as typed,
 * `00…` international, `0…` national (the workspace country's code replaces the 0), other
 * digits either as typed or as a national number without its 0. Anything else is a name prefix.
 */
export function parseSearch(raw: string | undefined, defaultCountry: string): SearchTerm | null {
  const term = raw?.trim();
  if (!term) return null;
  if (!PHONE_LIKE.test(term)) return { kind: "name", prefix: term };
  const digits = term.replace(/\D/g, "");
  if (term.startsWith("+")) return { kind: "phone", prefixes: [`+${digits}`] };
  if (digits.startsWith("00")) return { kind: "phone", prefixes: [`+${digits.slice(2)}`] };
  const cc = callingCode(defaultCountry);
  if (digits.startsWith("0"))
    return { kind: "phone", prefixes: [`+${cc ?? ""}${digits.slice(1)}`] };
  const prefixes = [`+${digits}`];
  if (cc && !digits.startsWith(cc)) prefixes.push(`+${cc}${digits}`);
  return { kind: "phone", prefixes };
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
