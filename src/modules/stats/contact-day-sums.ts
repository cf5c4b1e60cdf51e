import { sql } from "drizzle-orm";

/** Orders a contact's rows latest first (ties by group, then phone: any fold order agrees). */
const LATEST_FIRST = sql`order by last_at desc, group_id desc, phone desc`;

/** The contact's group in rows of `stats_contact_day` grouped by contact: its latest day's. */
export const latestGroup = sql`(array_agg(group_id ${LATEST_FIRST}))[1]`;

/**
 * Per-contact columns of `stats_contact_day` rows grouped by contact: group, phone and name of
 * the latest, summed counts and the last time.
 */
export const contactDaySums = sql`${latestGroup} as group_id,
  (array_agg(phone ${LATEST_FIRST}))[1] as phone, (array_agg(nombre ${LATEST_FIRST}))[1] as nombre,
  sum(sent) as sent, sum(failed) as failed, sum(delivered) as delivered, sum(read) as read,
  max(last_at) as last_at`;
