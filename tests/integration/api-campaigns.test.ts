/**
 * The campaigns REST API through the real route handlers, services, Postgres and pg-boss
 * workers: drafts, lists with counters, launch to completion, pause/resume/cancel with 409s
 * for the wrong state, validation errors in the API's error shape, scopes, and isolation — a
 * key never reaches another workspace's campaigns.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as campaignRoute from "@/app/api/v1/campaigns/[id]/route";
import * as cancelRoute from "@/app/api/v1/campaigns/[id]/cancel/route";
import * as launchRoute from "@/app/api/v1/campaigns/[id]/launch/route";
import * as pauseRoute from "@/app/api/v1/campaigns/[id]/pause/route";
import * as resumeRoute from "@/app/api/v1/campaigns/[id]/resume/route";
import * as campaignsRoute from "@/app/api/v1/campaigns/route";
import { and, eq } from "drizzle-orm";
import { API_KEY_PREFIX_LENGTH } from "@/modules/apikeys/apikeys.service";
import { auditLogs } from "@/modules/audit/audit.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import {
  createSandboxBot,
  draftOf,
  recipientsOf,
  seedAudience,
  startCampaignWorkers,
  waitForCampaign,
  waitUntil,
} from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { call, keyFor, type ErrorBody } from "./api-helpers";

type CampaignJson = {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  botIds: string[];
  schedule: { type: string };
  counts: Record<string, number>;
  launchedAt: string | null;
  createdAt: string;
};
type PageJson = { data: CampaignJson[]; page: number; pageSize: number; total: number };

const CONTROL = {
  launch: launchRoute.POST,
  pause: pauseRoute.POST,
  resume: resumeRoute.POST,
  cancel: cancelRoute.POST,
} as const;
type Action = keyof typeof CONTROL;

const create = (key: string, json: unknown) =>
  call(campaignsRoute.POST, { method: "POST", path: "/campaigns", key, json });
const list = (key: string, query = "") =>
  call(campaignsRoute.GET, { path: `/campaigns${query}`, key });
const get = (key: string, id: string) =>
  call(campaignRoute.GET, { path: `/campaigns/${id}`, key, params: { id } });
const control = (key: string, action: Action, id: string) =>
  call(CONTROL[action], {
    method: "POST",
    path: `/campaigns/${id}/${action}`,
    key,
    params: { id },
  });

describe("REST /api/v1/campaigns", () => {
  let a: Tenant;
  let b: Tenant;
  let keyA: string;
  let keyB: string;
  let botA: string;
  let audienceA: { groupId: string; phones: string[] };

  beforeAll(async () => {
    await startCampaignWorkers(await getBoss());
    [a, b] = await Promise.all([freshTenant(), freshTenant()]);
    [keyA, keyB] = await Promise.all([
      keyFor(a.workspaceId, ["campaigns:read", "campaigns:write"]).then((k) => k.secret),
      keyFor(b.workspaceId, ["campaigns:read", "campaigns:write"]).then((k) => k.secret),
    ]);
    botA = (await createSandboxBot(a)).id;
    audienceA = await seedAudience(a.workspaceId, 4);
  });

  afterAll(async () => {
    await stopBoss(5_000);
    await closeDatabase();
  });

  it("creates a draft, reads it and lists it with its counters", async () => {
    const res = await create(keyA, draftOf("Borrador API", audienceA.groupId, [botA]));
    expect(res.status).toBe(201);
    const draft = (await res.json()) as CampaignJson;
    expect(draft).toMatchObject({
      name: "Borrador API",
      status: "draft",
      statusReason: null,
      botIds: [botA],
      schedule: { type: "now" },
      launchedAt: null,
      counts: { total: 0, pending: 0, sent: 0, failed: 0 },
    });
    expect(new Date(draft.createdAt).toString()).not.toBe("Invalid Date");

    const read = await get(keyA, draft.id);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(draft);

    const page = (await (await list(keyA, "?status=draft")).json()) as PageJson;
    expect(page).toMatchObject({ page: 1, pageSize: 20 });
    expect(page.data.map((c) => c.id)).toContain(draft.id);
    expect(page.data.every((c) => c.status === "draft")).toBe(true);
    expect(page.total).toBe(page.data.length);
    const running = (await (await list(keyA, "?status=running")).json()) as PageJson;
    expect(running.data.map((c) => c.id)).not.toContain(draft.id);
  });

  it("pages the list server-side, newest first", async () => {
    const t = await freshTenant();
    const key = (await keyFor(t.workspaceId, ["campaigns:read", "campaigns:write"])).secret;
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 1);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await create(key, draftOf(`Página ${i}`, groupId, [bot.id]));
      ids.push(((await res.json()) as CampaignJson).id);
    }
    const first = (await (await list(key, "?pageSize=5")).json()) as PageJson;
    const second = (await (await list(key, "?pageSize=5&page=2")).json()) as PageJson;
    expect(first).toMatchObject({ page: 1, pageSize: 5, total: 7 });
    expect(second).toMatchObject({ page: 2, pageSize: 5, total: 7 });
    expect([...first.data, ...second.data].map((c) => c.id)).toEqual([...ids].reverse());
  });

  it("launches a draft to completion, then answers 409 to actions its state does not allow", async () => {
    const created = (await (
      await create(keyA, draftOf("Lanzada por API", audienceA.groupId, [botA]))
    ).json()) as CampaignJson;
    const launched = await control(keyA, "launch", created.id);
    expect(launched.status).toBe(200);
    expect(((await launched.json()) as CampaignJson).status).toBe("running");

    await waitForCampaign(a, created.id, ["completed"]);
    const done = (await (await get(keyA, created.id)).json()) as CampaignJson;
    expect(done).toMatchObject({ status: "completed", counts: { total: 4, sent: 4, pending: 0 } });
    const rows = await recipientsOf(a.workspaceId, created.id);
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent"]);

    for (const action of ["launch", "pause", "resume", "cancel"] as const) {
      const res = await control(keyA, action, created.id);
      expect(res.status, action).toBe(409);
      expect(((await res.json()) as ErrorBody).error.code).toBe("CONFLICT");
    }
    expect(((await (await get(keyA, created.id)).json()) as CampaignJson).status).toBe("completed");
  });

  it("pauses, resumes and cancels a running campaign", async () => {
    // One message a second: the campaign is still running while the test drives it.
    const slow = await createSandboxBot(a, { ratePerSecond: 1 });
    const { groupId } = await seedAudience(a.workspaceId, 6, { from: 500 });
    const created = (await (
      await create(keyA, draftOf("Controlada", groupId, [slow.id]))
    ).json()) as CampaignJson;
    expect((await control(keyA, "pause", created.id)).status).toBe(409); // still a draft
    expect((await control(keyA, "launch", created.id)).status).toBe(200);
    // Paused once its recipients exist, so the counters below have something to count.
    await waitUntil(
      "materialized",
      async () => (await recipientsOf(a.workspaceId, created.id)).length === 6,
    );

    const paused = await control(keyA, "pause", created.id);
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as CampaignJson).status).toBe("paused");
    expect((await control(keyA, "pause", created.id)).status).toBe(409);

    const resumed = await control(keyA, "resume", created.id);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as CampaignJson).status).toBe("running");

    const canceled = await control(keyA, "cancel", created.id);
    expect(canceled.status).toBe(200);
    const view = (await canceled.json()) as CampaignJson;
    expect(view.status).toBe("canceled");
    expect((await control(keyA, "resume", created.id)).status).toBe(409);

    // Whatever was not sent before the cancel is canceled, and the counters say so. A send
    // waiting for its pacing slot settles as canceled when it wakes.
    const rows = await waitUntil("the in-flight send to settle", async () => {
      const now = await recipientsOf(a.workspaceId, created.id);
      return now.every((r) => r.status !== "sending") && now;
    });
    const sent = rows.filter((r) => r.status === "sent").length;
    expect(rows.filter((r) => r.status === "queued")).toEqual([]);
    expect(sent).toBeLessThan(6);
    const counts = ((await (await get(keyA, created.id)).json()) as CampaignJson).counts;
    expect(counts).toMatchObject({ total: 6, sent, canceled: 6 - sent, pending: 0 });

    // Every change is credited to the key (its display prefix), not to "system".
    const audited = await systemDb()
      .select({ action: auditLogs.action, label: auditLogs.actorLabel })
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, a.workspaceId), eq(auditLogs.targetId, created.id)));
    const prefix = `apikey:${keyA.slice(0, API_KEY_PREFIX_LENGTH)}`;
    for (const action of [
      "campaign.created",
      "campaign.launched",
      "campaign.paused",
      "campaign.resumed",
      "campaign.canceled",
    ])
      expect(audited.find((r) => r.action === action)?.label).toBe(prefix);
  });

  it("answers bad input with 400 and field errors, and writes nothing", async () => {
    const before = ((await (await list(keyA)).json()) as PageJson).total;
    const cases: [unknown, string][] = [
      [{ ...draftOf("x", audienceA.groupId, [botA]), name: "" }, "name"],
      [{ ...draftOf("Sin plantillas", audienceA.groupId, [botA]), templates: [] }, "templates"],
      [draftOf("Sin bots", audienceA.groupId, []), "botIds"],
      [draftOf("Bot raro", audienceA.groupId, ["not-a-uuid"]), "botIds.0"],
      [{ ...draftOf("Sin motivo", audienceA.groupId, [botA]), cooloffDays: 0 }, "cooloffReason"],
      [
        { ...draftOf("Cron malo", audienceA.groupId, [botA]), schedule: { type: "weekly" } },
        "schedule.type",
      ],
    ];
    for (const [json, field] of cases) {
      const res = await create(keyA, json);
      expect(res.status, field).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code, field).toBe("BAD_REQUEST");
      expect(Object.keys(body.error.fieldErrors ?? {}), field).toContain(field);
    }

    // A bot of another workspace is as unknown as a bot that does not exist.
    const botB = await createSandboxBot(b);
    const foreign = await create(keyA, draftOf("Bot ajeno", audienceA.groupId, [botB.id]));
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as ErrorBody).error.fieldErrors).toHaveProperty("botIds");

    const notJson = await call(campaignsRoute.POST, {
      method: "POST",
      path: "/campaigns",
      key: keyA,
      rawBody: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect((await list(keyA, "?pageSize=1000")).status).toBe(400);
    expect((await list(keyA, "?status=sleeping")).status).toBe(400);
    const badId = await get(keyA, "not-a-uuid");
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as ErrorBody).error.fieldErrors).toHaveProperty("id");

    expect(((await (await list(keyA)).json()) as PageJson).total).toBe(before);
  });

  it("answers 404 for an unknown id and for another workspace's campaign, on every route", async () => {
    const created = (await (
      await create(keyA, draftOf("De A", audienceA.groupId, [botA]))
    ).json()) as CampaignJson;
    for (const id of [created.id, "0190d5f0-0000-7000-8000-00000000dead"]) {
      const res = await get(keyB, id);
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
      for (const action of ["launch", "pause", "resume", "cancel"] as const) {
        expect((await control(keyB, action, id)).status, action).toBe(404);
      }
    }
    const pageB = (await (await list(keyB)).json()) as PageJson;
    expect(pageB.data.map((c) => c.id)).not.toContain(created.id);
    // B's attempts changed nothing.
    expect(((await (await get(keyA, created.id)).json()) as CampaignJson).status).toBe("draft");
  });

  it("checks the key's scopes: read-only keys read, others get 403", async () => {
    const created = (await (
      await create(keyA, draftOf("Scopes", audienceA.groupId, [botA]))
    ).json()) as CampaignJson;
    const readOnly = (await keyFor(a.workspaceId, ["campaigns:read"])).secret;
    const contactsOnly = (await keyFor(a.workspaceId, ["contacts:read", "contacts:write"])).secret;

    expect((await get(readOnly, created.id)).status).toBe(200);
    expect((await list(readOnly)).status).toBe(200);
    const refused = await create(readOnly, draftOf("No", audienceA.groupId, [botA]));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.message).toContain("campaigns:write");
    for (const action of ["launch", "pause", "resume", "cancel"] as const) {
      expect((await control(readOnly, action, created.id)).status, action).toBe(403);
    }
    expect((await get(contactsOnly, created.id)).status).toBe(403);
    expect((await list(contactsOnly)).status).toBe(403);
    expect((await list("st_not_a_real_key")).status).toBe(401);
    expect(((await (await get(keyA, created.id)).json()) as CampaignJson).status).toBe("draft");
  });
});
