import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** `+595981123456` → `+595 981 123456` for reading; the stored value stays E.164. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
