import { sql } from "drizzle-orm";

/**
 * Per-contact columns of `stats_contact_day` rows grouped by contact: summed counts, the last
 * time, and the latest day (`last_day`), whose row holds the group, phone and name of the
 * contact's latest message — a contact's days never share a last time, so no tie to break.
 * A contact's count in one day fits an int, whose sum Postgres keeps in a bigint (a bigint's
 * sum goes through numeric: about twice as slow over a month of a busy workspace).
 */
export const contactDayTotals = sql`max(day) as last_day, sum(sent::int) as sent,
  sum(failed::int) as failed, sum(delivered::int) as delivered, sum(read::int) as read,
  max(last_at) as last_at`;
