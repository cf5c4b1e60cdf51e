import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { currentTimeZone } from "@/server/auth/current-access";
import { LOCALE_COOKIE, toLocale, type Locale } from "./locales";

// Feature namespaces live in their own files so features can grow independently.
async function loadMessages(locale: Locale) {
  const [
    core,
    contacts,
    imports,
    apikeys,
    bots,
    campaigns,
    invitations,
    errors,
    stats,
    tasks,
    logs,
    schedules,
  ] = await Promise.all([
    import(`../../messages/${locale}.json`),
    import(`../../messages/${locale}/contacts.json`),
    import(`../../messages/${locale}/imports.json`),
    import(`../../messages/${locale}/apikeys.json`),
    import(`../../messages/${locale}/bots.json`),
    import(`../../messages/${locale}/campaigns.json`),
    import(`../../messages/${locale}/invitations.json`),
    import(`../../messages/${locale}/errors.json`),
    import(`../../messages/${locale}/stats.json`),
    import(`../../messages/${locale}/tasks.json`),
    import(`../../messages/${locale}/logs.json`),
    import(`../../messages/${locale}/schedules.json`),
  ]);
  return {
    ...core.default,
    contacts: contacts.default,
    imports: imports.default,
    apikeys: apikeys.default,
    bots: bots.default,
    campaigns: campaigns.default,
    invitations: invitations.default,
    errors: errors.default,
    stats: stats.default,
    tasks: tasks.default,
    logs: logs.default,
    schedules: schedules.default,
  };
}

// Signed out there are no dates to show; UTC keeps server and browser output identical.
const SIGNED_OUT_TIME_ZONE = "UTC";

// Spanish by default; the user menu stores the choice in a cookie (no locale in the URL).
// Dates read in the workspace's time zone (as schedules and quiet hours do), the same on
// server and browser. No global `now`: the client provider would keep the first page load's
// time across navigations; relative times take `useNow({ updateInterval })` instead.
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  const [messages, timeZone] = await Promise.all([loadMessages(locale), currentTimeZone()]);
  return { locale, messages, timeZone: timeZone ?? SIGNED_OUT_TIME_ZONE };
});
