import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedChanges, unexplainedChanges, type Counts } from "./invariants";

const BASE = "http://localhost:3300/api/v1";
const A = "0b7e2c1e-1111-4c1a-9f00-000000000001";
const B = "0b7e2c1e-1111-4c1a-9f00-000000000002";
const SEEDED = "0b7e2c1e-1111-4c1a-9f00-0000000000ff";

function entry(method: string, url: string, status: number, body?: unknown) {
  return {
    request: { method, url },
    response: { status, content: body === undefined ? {} : { text: JSON.stringify(body) } },
  };
}

function har(entries: ReturnType<typeof entry>[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "har-")), "requests.har");
  writeFileSync(file, JSON.stringify({ log: { entries } }));
  return file;
}

const zero: Counts = {
  apiContacts: 0,
  campaigns: 0,
  imports: 0,
  contactCreatedAudits: 0,
  contactUpdatedAudits: 0,
  contactDeletedAudits: 0,
  campaignCreatedAudits: 0,
};

describe("rows explained by successful responses", () => {
  const expected = expectedChanges(
    har([
      entry("POST", `${BASE}/contacts`, 201, { id: A }),
      entry("POST", `${BASE}/contacts`, 201, { id: B }),
      entry("POST", `${BASE}/contacts`, 400, { error: {} }),
      entry("POST", `${BASE}/contacts`, 409, { error: {} }),
      entry("PATCH", `${BASE}/contacts/${A}`, 200, { id: A }),
      entry("PATCH", `${BASE}/contacts/${A}`, 400, { error: {} }),
      entry("DELETE", `${BASE}/contacts/${B}`, 204),
      entry("DELETE", `${BASE}/contacts/${SEEDED}?x=1`, 204),
      entry("POST", `${BASE}/campaigns`, 201, { id: "c" }),
      entry("POST", `${BASE}/campaigns`, 500, { error: {} }),
      entry("POST", `${BASE}/contacts/imports`, 202, { id: "i" }),
      entry("GET", `${BASE}/contacts`, 200, { data: [] }),
    ]),
  );

  it("counts creates, updates and deletes, and only API-made contacts against API deletes", () => {
    expect(expected).toEqual({
      apiContacts: 1,
      campaigns: 1,
      imports: 1,
      contactCreatedAudits: 2,
      contactUpdatedAudits: 1,
      contactDeletedAudits: 2,
      campaignCreatedAudits: 1,
    });
    expect(unexplainedChanges(zero, expected, expected)).toEqual([]);
  });

  it("lets an update that changed nothing write no audit row, but never more rows", () => {
    const fewer = { ...expected, contactUpdatedAudits: expected.contactUpdatedAudits - 1 };
    expect(unexplainedChanges(zero, fewer, expected)).toEqual([]);
    const more = { ...expected, contactUpdatedAudits: expected.contactUpdatedAudits + 1 };
    expect(unexplainedChanges(zero, more, expected)).toHaveLength(1);
  });

  it("flags a count that moved more than the successes explain", () => {
    const after = { ...expected, campaigns: 2 };
    expect(unexplainedChanges(zero, after, expected)).toEqual([
      "campaigns: changed by 2, successful requests explain 1",
    ]);
  });
});
