import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import { errorRef, type ErrorRef } from "@/lib/error-ref";

/** `reason` is an error code (`phone.tooShort`), stored as such on rejected import rows. */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: ErrorRef };

const MAX_RAW = 40;

/**
 * Normalises what people type in spreadsheets — `+595 981 123456`, `595981123456`,
 * `0981 123 456`, `(0981) 123-456` — to E.164 for the workspace's default country, or says
 * why it cannot. Digits without `+` that start with a country calling code are tried as
 * international when they do not make a valid national number.
 */
export function normalisePhone(raw: string, defaultCountry: string): PhoneResult {
  // A number column saved by a spreadsheet as a float (`2025550123.0`): the `.0` is no digit.
  const input = raw.trim().replace(/^(\+?\d+)\.0+$/, "$1");
  if (!input) return { ok: false, reason: errorRef("phone.empty") };
  if (input.length > MAX_RAW) return { ok: false, reason: errorRef("phone.tooLong") };
  if (/[a-z]/i.test(input.replace(/\b(ext|x)\.?\s*\d+$/i, "")))
    return { ok: false, reason: errorRef("phone.letters") };
  const country = defaultCountry.toUpperCase() as CountryCode;

  const national = parsePhoneNumberFromString(input, country);
  if (national?.isValid()) return { ok: true, e164: national.number };

  const digits = input.replace(/[^\d]/g, "");
  if (!input.startsWith("+") && digits.length >= 8) {
    const international = parsePhoneNumberFromString(`+${digits}`);
    if (international?.isValid()) return { ok: true, e164: international.number };
  }
  // Mexico dropped the mobile `1` after +52 in 2019, but WhatsApp ids and old lists keep it.
  const mexicanMobile = /^521(\d{10})$/.exec(digits);
  if (mexicanMobile) {
    const mexico = parsePhoneNumberFromString(`+52${mexicanMobile[1]}`);
    if (mexico?.isValid()) return { ok: true, e164: mexico.number };
  }
  if (digits.length < 6) return { ok: false, reason: errorRef("phone.tooShort") };
  return {
    ok: false,
    reason: errorRef("phone.invalidForCountry", { country: national?.country ?? country }),
  };
}
