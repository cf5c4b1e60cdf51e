import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, toLocale, type Locale } from "./locales";

// Feature namespaces live in their own files so features can grow independently.
async function loadMessages(locale: Locale) {
  const [core, contacts, imports, apikeys, bots, campaigns, invitations] = await Promise.all([
    import(`../../messages/${locale}.json`),
    import(`../../messages/${locale}/contacts.json`),
    import(`../../messages/${locale}/imports.json`),
    import(`../../messages/${locale}/apikeys.json`),
    import(`../../messages/${locale}/bots.json`),
    import(`../../messages/${locale}/campaigns.json`),
    import(`../../messages/${locale}/invitations.json`),
  ]);
  return {
    ...core.default,
    contacts: contacts.default,
    imports: imports.default,
    apikeys: apikeys.default,
    bots: bots.default,
    campaigns: campaigns.default,
    invitations: invitations.default,
  };
}

// Spanish by default; the user menu stores the choice in a cookie (no locale in the URL).
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return { locale, messages: await loadMessages(locale) };
});
