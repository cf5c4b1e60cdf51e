/**
 * The REST twins of the stats procedures: same numbers as tRPC, the key's workspace only,
 * scope `stats:read` required, bad ranges refused with 400, and listed in the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldWorkspace } from "@/modules/stats/fold.service";
import { closeDatabase } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { openApiDocument } from "@/server/openapi/document";
import { GET as summaryGET } from "@/app/api/v1/stats/summary/route";
import { GET as groupsGET } from "@/app/api/v1/stats/groups/route";
import { GET as reportGET } from "@/app/api/v1/stats/campaigns/[id]/route";
import { contextFor } from "../helpers/fixtures";
import { statsTenant, writeEvents, type StatsDataset } from "../helpers/stats-dataset";
import { call, keyFor } from "./api-helpers";

const RANGE = "from=2026-01-01&to=2026-12-31";

describe("stats over REST", () => {
  let a: StatsDataset;
  let b: StatsDataset;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([statsTenant("America/Asuncion"), statsTenant("UTC")]);
    // One event per recipient and one more: both campaigns of A have sends.
    await writeEvents(
      a,
      Array.from({ length: 13 }, (_, i) => new Date(Date.UTC(2026, 5, 1 + i, 12))),
    );
    await writeEvents(b, [new Date("2026-06-01T12:00:00Z")]);
    await foldWorkspace({ workspaceId: a.workspaceId });
    await foldWorkspace({ workspaceId: b.workspaceId });
    keyA = (await keyFor(a.workspaceId, ["stats:read"])).secret;
    keyB = (await keyFor(b.workspaceId, ["stats:read"])).secret;
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("answers what the procedure answers, for the key's workspace only", async () => {
    const trpc = await createCaller(contextFor(a.user, a.workspaceId)).stats.summary({
      from: "2026-01-01",
      to: "2026-12-31",
    });
    const resA = await call(summaryGET, { path: `/stats/summary?${RANGE}`, key: keyA });
    expect(resA.status).toBe(200);
    expect(await resA.json()).toEqual(trpc);
    expect(trpc.sent).toBe(13);
    const resB = await call(summaryGET, { path: `/stats/summary?${RANGE}`, key: keyB });
    expect((await resB.json()).sent).toBe(1);

    const groups = await (
      await call(groupsGET, { path: `/stats/groups?${RANGE}`, key: keyB })
    ).json();
    expect(
      groups.map((g: { id: string }) => g.id).every((id: string) => b.groupIds.includes(id)),
    ).toBe(true);
  });

  it("never reads another workspace's campaign, even by id", async () => {
    const own = await call(reportGET, {
      path: `/stats/campaigns/${a.campaignIds[0]}`,
      key: keyA,
      params: { id: a.campaignIds[0]! },
    });
    expect(own.status).toBe(200);
    expect((await own.json()).totals.sent).toBeGreaterThan(0);
    const other = await call(reportGET, {
      path: `/stats/campaigns/${a.campaignIds[0]}`,
      key: keyB,
      params: { id: a.campaignIds[0]! },
    });
    expect(other.status).toBe(404);
  });

  it("needs the stats:read scope and a valid range", async () => {
    const contactsOnly = (await keyFor(a.workspaceId, ["contacts:read"])).secret;
    expect(
      (await call(summaryGET, { path: `/stats/summary?${RANGE}`, key: contactsOnly })).status,
    ).toBe(403);
    expect((await call(summaryGET, { path: `/stats/summary?${RANGE}`, key: null })).status).toBe(
      401,
    );
    const reversed = await call(summaryGET, {
      path: "/stats/summary?from=2026-02-01&to=2026-01-01",
      key: keyA,
    });
    expect(reversed.status).toBe(400);
  });

  it("is described in the OpenAPI document", () => {
    const doc = openApiDocument();
    for (const path of [
      "/stats/summary",
      "/stats/timeline",
      "/stats/groups",
      "/stats/bots",
      "/stats/contacts",
      "/stats/current-month",
      "/stats/monthly",
      "/stats/errors",
      "/stats/campaigns/{id}",
      "/stats/tasks",
    ])
      expect(doc.paths[path]?.get, path).toBeDefined();
  });
});
