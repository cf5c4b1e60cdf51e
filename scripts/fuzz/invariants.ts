/**
 * "Nothing half-stored": every row the fuzz run left must be explained by a request the API
 * answered with success. Counts are taken before and after the run; the HAR file schemathesis
 * writes says which requests succeeded. A refused request (4xx) or a failed one (5xx) that
 * still wrote something shows up as a count moving more than the successes allow.
 */
import { readFileSync } from "node:fs";
import pg from "pg";

type HarEntry = {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string } };
};

const ID = "[0-9a-f-]{36}";

/** What the database holds that fuzzed requests can change, by their user agent for audits. */
const COUNTS = {
  apiContacts: "select count(*)::int as n from contact where source = 'api'",
  campaigns: "select count(*)::int as n from campaign",
  imports: "select count(*)::int as n from contact_import",
  contactCreatedAudits: `select count(*)::int as n from audit_log where action = 'contact.created' and user_agent like 'schemathesis%'`,
  contactUpdatedAudits: `select count(*)::int as n from audit_log where action = 'contact.updated' and user_agent like 'schemathesis%'`,
  contactDeletedAudits: `select count(*)::int as n from audit_log where action = 'contact.deleted' and user_agent like 'schemathesis%'`,
  campaignCreatedAudits: `select count(*)::int as n from audit_log where action = 'campaign.created' and user_agent like 'schemathesis%'`,
} as const;
export type Counts = Record<keyof typeof COUNTS, number>;

export async function countRows(databaseUrl: string): Promise<Counts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out = {} as Counts;
    for (const [name, sql] of Object.entries(COUNTS) as [keyof Counts, string][]) {
      out[name] = (await client.query<{ n: number }>(sql)).rows[0]!.n;
    }
    return out;
  } finally {
    await client.end();
  }
}

function successes(entries: HarEntry[], method: string, path: RegExp, status: number) {
  return entries.filter(
    (e) =>
      e.request.method === method &&
      path.test(new URL(e.request.url).pathname) &&
      e.response.status === status,
  );
}

/** Each count's expected change, from the successful responses in the HAR file. */
export function expectedChanges(harFile: string): Counts {
  const har = JSON.parse(readFileSync(harFile, "utf8")) as { log: { entries: HarEntry[] } };
  const entries = har.log.entries;
  const created = successes(entries, "POST", /^\/api\/v1\/contacts$/, 201);
  const createdIds = new Set(
    created.map((e) => (JSON.parse(e.response.content?.text ?? "{}") as { id?: string }).id),
  );
  const deleted = successes(entries, "DELETE", new RegExp(`^/api/v1/contacts/${ID}$`), 204);
  const deletedOwn = deleted.filter((e) =>
    createdIds.has(new URL(e.request.url).pathname.split("/").pop()),
  );
  const campaigns = successes(entries, "POST", /^\/api\/v1\/campaigns$/, 201).length;
  return {
    apiContacts: created.length - deletedOwn.length,
    campaigns,
    imports: successes(entries, "POST", /^\/api\/v1\/contacts\/imports$/, 202).length,
    contactCreatedAudits: created.length,
    contactUpdatedAudits: successes(entries, "PATCH", new RegExp(`^/api/v1/contacts/${ID}$`), 200)
      .length,
    contactDeletedAudits: deleted.length,
    campaignCreatedAudits: campaigns,
  };
}

/**
 * Counts a successful request may leave unchanged: a PATCH that changes nothing answers 200
 * and writes no audit row. They may move less than the successes explain, never more.
 */
const AT_MOST: ReadonlySet<keyof Counts> = new Set(["contactUpdatedAudits"]);

/** The counts whose change differs from what the successful responses explain. */
export function unexplainedChanges(before: Counts, after: Counts, expected: Counts): string[] {
  return (Object.keys(expected) as (keyof Counts)[])
    .filter((name) => {
      const moved = after[name] - before[name];
      return AT_MOST.has(name) ? moved < 0 || moved > expected[name] : moved !== expected[name];
    })
    .map(
      (name) =>
        `${name}: changed by ${after[name] - before[name]}, successful requests explain ${expected[name]}`,
    );
}
