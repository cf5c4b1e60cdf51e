/**
 * Tenant isolation and roles on every procedure of the `campaigns` and `bots` routers, and on
 * every REST campaigns route: a member (or API key) of workspace B gets NOT_FOUND/404 for A's
 * ids and BAD_REQUEST for A's ids inside an input, B's lists never show A's rows, a viewer of
 * A reads but every write is FORBIDDEN, an operator writes, a key without `campaigns:write`
 * gets 403 on writes — and A's campaigns, recipients, bots and audit log are unchanged.
 *
 * The case tables are checked against the routers' procedures and the route files on disk,
 * so a new procedure or route without an isolation case fails this file.
 *
 * A's running and paused campaigns send through a paused bot: whichever worker (of any test
 * file) runs their send jobs finds nothing to do, so their counters cannot move under us.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as campaignRoute from "@/app/api/v1/campaigns/[id]/route";
import * as cancelRoute from "@/app/api/v1/campaigns/[id]/cancel/route";
import * as launchRoute from "@/app/api/v1/campaigns/[id]/launch/route";
import * as pauseRoute from "@/app/api/v1/campaigns/[id]/pause/route";
import * as resumeRoute from "@/app/api/v1/campaigns/[id]/resume/route";
import * as campaignsRoute from "@/app/api/v1/campaigns/route";
import { AppError } from "@/lib/errors";
import { auditLogs } from "@/modules/audit/audit.table";
import { botsRouter } from "@/modules/bots/bots.router";
import { bots } from "@/modules/bots/bots.table";
import { materialize } from "@/modules/campaigns/campaign-launch.service";
import { campaignsRouter } from "@/modules/campaigns/campaigns.router";
import { campaigns } from "@/modules/campaigns/campaigns.table";
import { contacts } from "@/modules/contacts/contacts.table";
import type { User } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, ownerPool, systemDb } from "@/server/db/client";
import { appRouter, createCaller } from "@/server/root";
import { stopBoss } from "@/server/queue/boss";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import {
  callerFor,
  createSandboxBot,
  createWebhookBot,
  draftOf,
  recipientsOf,
  seedAudience,
  waitUntil,
  webhookSecret,
} from "../helpers/campaigns";
import { addMember, contextFor, createUser } from "../helpers/fixtures";
import { freshTenant, type Tenant } from "../helpers/import";
import { call, keyFor, type ErrorBody } from "./api-helpers";

type Caller = ReturnType<typeof createCaller>;
type Expected = "NOT_FOUND" | "BAD_REQUEST" | "FORBIDDEN";

/**
 * The code a failed call ends with. A subscription fails while it is iterated, where tRPC's
 * error mapping does not run: there the service's AppError arrives as is.
 */
async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (err instanceof TRPCError) return err.code;
  if (err instanceof AppError) return err.trpcCode;
  throw new Error(`expected the call to fail, got ${err === null ? "success" : String(err)}`);
}

async function expectCode(call: Promise<unknown>, code: Expected) {
  expect(await codeOf(call)).toBe(code);
}

/** The first value a subscription yields (then stops it). */
async function firstOf<T>(subscription: Promise<AsyncIterable<T>>): Promise<T> {
  for await (const value of await subscription) return value;
  throw new Error("the subscription ended without a value");
}

type SseEvent = { event: string; data: string };

/**
 * A subscription as the browser's SSE link sees it, through tRPC's fetch handler (the
 * session is given as context, as the route would resolve it): the events up to the first
 * that is not `connected`, i.e. the first value or the error.
 */
async function sseUntilFirst(user: User, workspaceId: string, path: string, input: unknown) {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}?input=${query}`, {
      headers: { accept: "text/event-stream" },
    }),
    router: appRouter,
    createContext: async () => contextFor(user, workspaceId),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let text = "";
  try {
    while (!events.some((e) => e.event !== "connected")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const blocks = text.split("\n\n");
      text = blocks.pop()!;
      for (const block of blocks) {
        const lines = block.split("\n");
        const field = (name: string) =>
          lines
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        events.push({ event: field("event") ?? "message", data: field("data") ?? "" });
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

/**
 * Runs a launched campaign's materialize job here, unless a worker (of another test file) has
 * it already; either way resolves once its `count` recipients exist.
 */
async function materializeNow(t: Tenant, campaignId: string, count: number) {
  const { rowCount } = await ownerPool().query(
    `delete from pgboss.job where name = $1 and data->>'campaignId' = $2 and state in ('created', 'retry')`,
    [materializeCampaign.name, campaignId],
  );
  if ((rowCount ?? 0) > 0) await materialize({ workspaceId: t.workspaceId, campaignId });
  await waitUntil(
    "recipients",
    async () => (await recipientsOf(t.workspaceId, campaignId)).length === count,
  );
}

describe("campaigns and bots: tenant isolation and roles", () => {
  let a: Tenant;
  let b: Tenant;
  let viewer: User;
  let operator: User;
  // A's fixtures, each in the state in which the attempted action would succeed.
  let pausedBotA: string; // sends nothing; used by A's launched campaigns
  let webhookBotA: string; // active, unused: pause/update/rotate/delete would all succeed
  let agentBotA: string; // an agent bot: its agent settings
  let draftA: string;
  let runningA: string;
  let pausedA: string;
  let groupA: string;
  let contactA: string;
  // B's own, so B's lists are not trivially empty.
  let botB: string;
  let draftB: string;
  let groupB: string;
  let keyB: string;
  let readOnlyKeyA: string;
  let contactsKeyA: string;

  const asBob = () => callerFor(b);
  const asViewer = () => createCaller(contextFor(viewer, a.workspaceId));
  const asOperator = () => createCaller(contextFor(operator, a.workspaceId));

  async function snapshotA() {
    const campaignRows = await systemDb()
      .select()
      .from(campaigns)
      .where(inArray(campaigns.id, [draftA, runningA, pausedA]))
      .orderBy(campaigns.id);
    const counts = await Promise.all(
      [draftA, runningA, pausedA].map(
        async (id) => (await callerFor(a).campaigns.get({ id })).counts,
      ),
    );
    const recipients = await Promise.all(
      [runningA, pausedA].map(async (id) =>
        (await recipientsOf(a.workspaceId, id)).map((r) => [r.phone, r.status, r.attempts]),
      ),
    );
    const botRows = await systemDb()
      .select()
      .from(bots)
      .where(inArray(bots.id, [pausedBotA, webhookBotA]))
      .orderBy(bots.id);
    const [contact] = await systemDb().select().from(contacts).where(eq(contacts.id, contactA));
    // An action that went through would have audited itself against its target.
    const audited = await systemDb()
      .select({ id: auditLogs.id, action: auditLogs.action })
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.workspaceId, a.workspaceId),
          inArray(auditLogs.targetId, [draftA, runningA, pausedA, pausedBotA, webhookBotA]),
        ),
      )
      .orderBy(auditLogs.id);
    return { campaignRows, counts, recipients, botRows, contact, audited };
  }
  let before: Awaited<ReturnType<typeof snapshotA>>;

  beforeAll(async () => {
    [a, b] = await Promise.all([freshTenant(), freshTenant()]);
    [viewer, operator] = await Promise.all([createUser(), createUser()]);
    await addMember(a.workspace, viewer, "viewer");
    await addMember(a.workspace, operator, "operator");

    const alice = callerFor(a);
    pausedBotA = (await createSandboxBot(a, { name: "Bot de A" })).id;
    await alice.bots.pause({ id: pausedBotA });
    webhookBotA = (await createWebhookBot(a, "https://hooks.example.test/a", webhookSecret())).id;
    agentBotA = (await alice.bots.create({ name: "Agente de A", kind: "agent", config: {} })).bot
      .id;
    ({ groupId: groupA } = await seedAudience(a.workspaceId, 3));
    const [c] = await systemDb()
      .select({ id: contacts.id })
      .from(contacts)
      .where(eq(contacts.workspaceId, a.workspaceId))
      .limit(1);
    contactA = c!.id;

    draftA = (await alice.campaigns.create(draftOf("Borrador de A", groupA, [pausedBotA]))).id;
    runningA = (await alice.campaigns.create(draftOf("En curso de A", groupA, [pausedBotA]))).id;
    pausedA = (await alice.campaigns.create(draftOf("Pausada de A", groupA, [pausedBotA]))).id;
    await alice.campaigns.launch({ id: runningA });
    await alice.campaigns.launch({ id: pausedA });
    await materializeNow(a, runningA, 3);
    await materializeNow(a, pausedA, 3);
    await alice.campaigns.pause({ id: pausedA });

    botB = (await createSandboxBot(b)).id;
    ({ groupId: groupB } = await seedAudience(b.workspaceId, 2));
    draftB = (await callerFor(b).campaigns.create(draftOf("Borrador de B", groupB, [botB]))).id;

    [keyB, readOnlyKeyA, contactsKeyA] = await Promise.all([
      keyFor(b.workspaceId, ["campaigns:read", "campaigns:write"]).then((k) => k.secret),
      keyFor(a.workspaceId, ["campaigns:read"]).then((k) => k.secret),
      keyFor(a.workspaceId, ["contacts:read", "contacts:write"]).then((k) => k.secret),
    ]);

    before = await snapshotA();
    expect(before.campaignRows.map((c) => c.status).sort()).toEqual(["draft", "paused", "running"]);
    expect(before.counts[1]).toMatchObject({ total: 3, pending: 3, sent: 0 });
  });

  afterAll(async () => {
    await stopBoss(2_000);
    await closeDatabase();
  });

  // --- B against A: one case per procedure ------------------------------------------------

  const campaignsAsB: Record<string, () => Promise<void>> = {
    list: async () => {
      for (const status of [undefined, "draft", "running", "paused"] as const) {
        const page = await asBob().campaigns.list({ status, pageSize: 100 });
        const ids = page.rows.map((r) => r.id);
        expect(ids).not.toContain(draftA);
        expect(ids).not.toContain(runningA);
        expect(ids).not.toContain(pausedA);
        if (!status || status === "draft") expect(ids).toContain(draftB);
      }
      expect((await asBob().campaigns.list({})).total).toBe(1);
    },
    get: () => expectCode(asBob().campaigns.get({ id: runningA }), "NOT_FOUND"),
    preview: async () => {
      // A's bot is as unknown to B as a bot that does not exist…
      await expectCode(
        asBob().campaigns.preview(draftOf("x", groupB, [pausedBotA])),
        "BAD_REQUEST",
      );
      // …and so is A's group (refused, never an audience of A's contacts).
      await expectCode(asBob().campaigns.preview(draftOf("x", groupA, [botB])), "BAD_REQUEST");
      expect((await asBob().campaigns.preview(draftOf("x", groupB, [botB]))).audience).toBe(2);
    },
    previewTemplate: () =>
      expectCode(
        asBob().campaigns.previewTemplate({
          template: { kind: "text", body: "Hola {{nombre}}" },
          contactId: contactA,
        }),
        "NOT_FOUND",
      ),
    create: async () => {
      await expectCode(
        asBob().campaigns.create(draftOf("Con bot ajeno", groupB, [pausedBotA])),
        "BAD_REQUEST",
      );
      await expectCode(
        asBob().campaigns.create(draftOf("Con bot ajeno", groupB, [botB, webhookBotA])),
        "BAD_REQUEST",
      );
      expect((await asBob().campaigns.list({})).total).toBe(1);
    },
    update: async () => {
      await expectCode(
        asBob().campaigns.update({ id: draftA, ...draftOf("Hackeada", groupB, [botB]) }),
        "NOT_FOUND",
      );
      // B's own draft cannot be pointed at A's bot either.
      await expectCode(
        asBob().campaigns.update({ id: draftB, ...draftOf("Borrador de B", groupB, [pausedBotA]) }),
        "BAD_REQUEST",
      );
      expect((await asBob().campaigns.get({ id: draftB })).botIds).toEqual([botB]);
    },
    delete: () => expectCode(asBob().campaigns.delete({ id: draftA }), "NOT_FOUND"),
    launch: () => expectCode(asBob().campaigns.launch({ id: draftA }), "NOT_FOUND"),
    pause: () => expectCode(asBob().campaigns.pause({ id: runningA }), "NOT_FOUND"),
    resume: () => expectCode(asBob().campaigns.resume({ id: pausedA }), "NOT_FOUND"),
    cancel: async () => {
      await expectCode(asBob().campaigns.cancel({ id: runningA }), "NOT_FOUND");
      await expectCode(asBob().campaigns.cancel({ id: pausedA }), "NOT_FOUND");
    },
    recipients: () =>
      expectCode(asBob().campaigns.recipients({ campaignId: runningA }), "NOT_FOUND"),
    activity: () => expectCode(asBob().campaigns.activity({ id: runningA }), "NOT_FOUND"),
    progress: async () => {
      await expectCode(firstOf(asBob().campaigns.progress({ id: runningA })), "NOT_FOUND");
      // Over the wire the stream ends in an error, never a view of A's campaign. (Its code
      // is INTERNAL_SERVER_ERROR, not NOT_FOUND: thrown while iterating, the AppError skips
      // the procedures' error mapping — so only the absence of A's data is asserted here.)
      const events = await sseUntilFirst(b.user, b.workspaceId, "campaigns.progress", {
        id: runningA,
      });
      expect(events.map((e) => e.event)).toEqual(["connected", "serialized-error"]);
      expect(events[1]!.data).not.toContain("En curso de A");
    },
  };

  const botsAsB: Record<string, () => Promise<void>> = {
    list: async () => {
      const { rows, total } = await asBob().bots.list({});
      expect(rows.map((r) => r.id)).toEqual([botB]);
      expect(total).toBe(1);
    },
    get: () => expectCode(asBob().bots.get({ id: pausedBotA }), "NOT_FOUND"),
    create: async () => {
      // Names are unique per workspace: A's name is free in B, and the bot lands in B only.
      const { bot } = await asBob().bots.create({ name: "Bot de A", kind: "sandbox", config: {} });
      const [row] = await systemDb().select().from(bots).where(eq(bots.id, bot.id));
      expect(row!.workspaceId).toBe(b.workspaceId);
      expect((await callerFor(a).bots.list({})).rows.map((r) => r.id)).not.toContain(bot.id);
      await asBob().bots.delete({ id: bot.id });
    },
    update: () =>
      expectCode(
        asBob().bots.update({
          id: webhookBotA,
          name: "Hackeado",
          config: { url: "https://attacker.example.test/" },
        }),
        "NOT_FOUND",
      ),
    rotateSecret: () => expectCode(asBob().bots.rotateSecret({ id: webhookBotA }), "NOT_FOUND"),
    agentSettings: () => expectCode(asBob().bots.agentSettings({ id: agentBotA }), "NOT_FOUND"),
    updateAgentSettings: () =>
      expectCode(
        asBob().bots.updateAgentSettings({
          id: agentBotA,
          ipAllowlist: ["203.0.113.7"],
          eventWindowSeconds: 60,
          leaseSeconds: 30,
        }),
        "NOT_FOUND",
      ),
    pause: () => expectCode(asBob().bots.pause({ id: webhookBotA }), "NOT_FOUND"),
    resume: () => expectCode(asBob().bots.resume({ id: pausedBotA }), "NOT_FOUND"),
    delete: async () => {
      await expectCode(asBob().bots.delete({ id: webhookBotA }), "NOT_FOUND");
      await expectCode(asBob().bots.delete({ id: pausedBotA }), "NOT_FOUND");
    },
  };

  // --- Roles in A: reads for the viewer, writes refused to the viewer and done by an operator

  type RoleCase =
    | { kind: "read"; asViewer: () => Promise<void> }
    | { kind: "write"; asViewer: (c: Caller) => Promise<unknown>; asOperator: () => Promise<void> };

  /** A fresh draft of the operator's, through A's paused bot (nothing will send). */
  const operatorDraft = async (name = "Del operador") =>
    (await asOperator().campaigns.create(draftOf(name, groupA, [pausedBotA]))).id;

  const campaignRoles: Record<string, RoleCase> = {
    list: {
      kind: "read",
      asViewer: async () => {
        const ids = (await asViewer().campaigns.list({ pageSize: 100 })).rows.map((r) => r.id);
        expect(ids).toEqual(expect.arrayContaining([draftA, runningA, pausedA]));
      },
    },
    get: {
      kind: "read",
      asViewer: async () => {
        expect(await asViewer().campaigns.get({ id: runningA })).toMatchObject({
          status: "running",
          counts: { total: 3, pending: 3 },
        });
      },
    },
    preview: {
      kind: "read",
      asViewer: async () => {
        const p = await asViewer().campaigns.preview(draftOf("x", groupA, [pausedBotA]));
        expect(p).toMatchObject({ audience: 3, willSend: 3 });
      },
    },
    previewTemplate: {
      kind: "read",
      asViewer: async () => {
        const out = await asViewer().campaigns.previewTemplate({
          template: { kind: "text", body: "Hola {{nombre}}" },
          contactId: contactA,
        });
        expect(out).toMatchObject({ ok: true, text: expect.stringMatching(/^Hola Persona \d$/) });
      },
    },
    create: {
      kind: "write",
      asViewer: (c) => c.campaigns.create(draftOf("Del lector", groupA, [pausedBotA])),
      asOperator: async () => {
        const id = await operatorDraft();
        const [row] = await systemDb().select().from(campaigns).where(eq(campaigns.id, id));
        expect(row).toMatchObject({ workspaceId: a.workspaceId, status: "draft" });
      },
    },
    update: {
      kind: "write",
      asViewer: (c) =>
        c.campaigns.update({ id: draftA, ...draftOf("Del lector", groupA, [pausedBotA]) }),
      asOperator: async () => {
        const id = await operatorDraft();
        await asOperator().campaigns.update({
          id,
          ...draftOf("Renombrada", groupA, [pausedBotA]),
        });
        expect((await asOperator().campaigns.get({ id })).name).toBe("Renombrada");
      },
    },
    delete: {
      kind: "write",
      asViewer: (c) => c.campaigns.delete({ id: draftA }),
      asOperator: async () => {
        const id = await operatorDraft();
        await asOperator().campaigns.delete({ id });
        await expectCode(asOperator().campaigns.get({ id }), "NOT_FOUND");
      },
    },
    launch: {
      kind: "write",
      asViewer: (c) => c.campaigns.launch({ id: draftA }),
      asOperator: async () => {
        const id = await operatorDraft();
        expect((await asOperator().campaigns.launch({ id })).status).toBe("running");
      },
    },
    pause: {
      kind: "write",
      asViewer: (c) => c.campaigns.pause({ id: runningA }),
      asOperator: async () => {
        const id = await operatorDraft();
        await asOperator().campaigns.launch({ id });
        expect((await asOperator().campaigns.pause({ id })).status).toBe("paused");
      },
    },
    resume: {
      kind: "write",
      asViewer: (c) => c.campaigns.resume({ id: pausedA }),
      asOperator: async () => {
        const id = await operatorDraft();
        await asOperator().campaigns.launch({ id });
        await asOperator().campaigns.pause({ id });
        expect((await asOperator().campaigns.resume({ id })).status).toBe("running");
      },
    },
    cancel: {
      kind: "write",
      asViewer: (c) => c.campaigns.cancel({ id: runningA }),
      asOperator: async () => {
        const id = await operatorDraft();
        await asOperator().campaigns.launch({ id });
        expect((await asOperator().campaigns.cancel({ id })).status).toBe("canceled");
      },
    },
    recipients: {
      kind: "read",
      asViewer: async () => {
        const { rows } = await asViewer().campaigns.recipients({ campaignId: runningA });
        expect(rows.map((r) => r.status)).toEqual(["queued", "queued", "queued"]);
      },
    },
    activity: {
      kind: "read",
      asViewer: async () => {
        expect(await asViewer().campaigns.activity({ id: runningA })).toEqual({
          failures: [],
          nextRuns: [],
        });
      },
    },
    progress: {
      kind: "read",
      asViewer: async () => {
        const first = await firstOf(asViewer().campaigns.progress({ id: pausedA }));
        expect(first).toMatchObject({ id: pausedA, status: "paused", counts: { total: 3 } });
        // The same first value over SSE (A's campaign, so the viewer is the control case).
        const events = await sseUntilFirst(viewer, a.workspaceId, "campaigns.progress", {
          id: pausedA,
        });
        expect(events.map((e) => e.event)).toEqual(["connected", "message"]);
        expect(events[1]!.data).toContain("Pausada de A");
      },
    },
  };

  /** A bot of the operator's own (active, unused by any campaign). */
  const operatorBot = async (kind: "sandbox" | "webhook" = "sandbox") =>
    (
      await asOperator().bots.create({
        name: `Operador ${Math.random().toString(36).slice(2, 8)}`,
        kind,
        config: kind === "webhook" ? { url: "https://hooks.example.test/op" } : {},
      })
    ).bot.id;

  const botRoles: Record<string, RoleCase> = {
    list: {
      kind: "read",
      asViewer: async () => {
        const ids = (await asViewer().bots.list({})).rows.map((r) => r.id);
        expect(ids).toEqual(expect.arrayContaining([pausedBotA, webhookBotA]));
      },
    },
    get: {
      kind: "read",
      asViewer: async () => {
        expect(await asViewer().bots.get({ id: pausedBotA })).toMatchObject({
          name: "Bot de A",
          status: "paused",
        });
      },
    },
    create: {
      kind: "write",
      asViewer: (c) => c.bots.create({ name: "Del lector", kind: "sandbox", config: {} }),
      asOperator: async () => {
        const id = await operatorBot();
        const [row] = await systemDb().select().from(bots).where(eq(bots.id, id));
        expect(row!.workspaceId).toBe(a.workspaceId);
      },
    },
    update: {
      kind: "write",
      asViewer: (c) =>
        c.bots.update({
          id: webhookBotA,
          name: "Del lector",
          config: { url: "https://hooks.example.test/a" },
        }),
      asOperator: async () => {
        const id = await operatorBot();
        const updated = await asOperator().bots.update({ id, name: "Renombrado", config: {} });
        expect(updated.name).toBe("Renombrado");
      },
    },
    agentSettings: {
      kind: "read",
      asViewer: async () => {
        const view = await asViewer().bots.agentSettings({ id: agentBotA });
        expect(view.ipAllowlist).toEqual([]);
        expect(view.secrets).toHaveLength(1);
      },
    },
    updateAgentSettings: {
      kind: "write",
      asViewer: (c) =>
        c.bots.updateAgentSettings({
          id: agentBotA,
          ipAllowlist: ["203.0.113.7"],
          eventWindowSeconds: 60,
          leaseSeconds: 30,
        }),
      asOperator: async () => {
        const { bot } = await asOperator().bots.create({
          name: `Agente ${Math.random().toString(36).slice(2, 8)}`,
          kind: "agent",
          config: {},
        });
        const view = await asOperator().bots.updateAgentSettings({
          id: bot.id,
          ipAllowlist: ["10.0.0.0/8"],
          eventWindowSeconds: 120,
          leaseSeconds: 30,
        });
        expect(view).toMatchObject({ ipAllowlist: ["10.0.0.0/8"], leaseSeconds: 30 });
      },
    },
    rotateSecret: {
      kind: "write",
      asViewer: (c) => c.bots.rotateSecret({ id: webhookBotA }),
      // Issuing a new signing secret manages secrets: refused to the operator, done by an admin.
      asOperator: async () => {
        const id = await operatorBot("webhook");
        await expectCode(asOperator().bots.rotateSecret({ id }), "FORBIDDEN");
        const { secret } = await callerFor(a).bots.rotateSecret({ id });
        expect(secret).toMatch(/^whsec_/);
      },
    },
    pause: {
      kind: "write",
      asViewer: (c) => c.bots.pause({ id: webhookBotA }),
      asOperator: async () => {
        const id = await operatorBot();
        expect((await asOperator().bots.pause({ id })).status).toBe("paused");
      },
    },
    resume: {
      kind: "write",
      asViewer: (c) => c.bots.resume({ id: pausedBotA }),
      asOperator: async () => {
        const id = await operatorBot();
        await asOperator().bots.pause({ id });
        expect((await asOperator().bots.resume({ id })).status).toBe("active");
      },
    },
    delete: {
      kind: "write",
      asViewer: (c) => c.bots.delete({ id: webhookBotA }),
      asOperator: async () => {
        const id = await operatorBot();
        await asOperator().bots.delete({ id });
        await expectCode(asOperator().bots.get({ id }), "NOT_FOUND");
      },
    },
  };

  // --- REST: one case per route file and method ---------------------------------------------

  type RestCase = {
    /** With B's campaigns:read+write key, against A's ids. */
    asB: () => Promise<void>;
    /** With A's key that only has campaigns:read. */
    readOnly: number;
    run: (key: string) => Promise<Response>;
  };
  const control = (handler: typeof launchRoute.POST, action: string, id: () => string) => ({
    run: (key: string) =>
      call(handler, {
        method: "POST",
        path: `/campaigns/${id()}/${action}`,
        key,
        params: { id: id() },
      }),
  });
  const expect404 = async (res: Response) => {
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
  };

  const rest: Record<string, RestCase> = {
    "campaigns/route.ts GET": {
      readOnly: 200,
      run: (key) => call(campaignsRoute.GET, { path: "/campaigns?pageSize=100", key }),
      asB: async () => {
        const res = await call(campaignsRoute.GET, { path: "/campaigns?pageSize=100", key: keyB });
        const page = (await res.json()) as { data: { id: string }[]; total: number };
        expect(page.data.map((c) => c.id)).toEqual([draftB]);
        expect(page.total).toBe(1);
      },
    },
    "campaigns/route.ts POST": {
      readOnly: 403,
      run: (key) =>
        call(campaignsRoute.POST, {
          method: "POST",
          path: "/campaigns",
          key,
          json: draftOf("Por API", groupA, [pausedBotA]),
        }),
      asB: async () => {
        const res = await call(campaignsRoute.POST, {
          method: "POST",
          path: "/campaigns",
          key: keyB,
          json: draftOf("Bot ajeno", groupB, [pausedBotA]),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as ErrorBody).error.fieldErrors).toHaveProperty("botIds");
      },
    },
    "campaigns/[id]/route.ts GET": {
      readOnly: 200,
      run: (key) =>
        call(campaignRoute.GET, { path: `/campaigns/${runningA}`, key, params: { id: runningA } }),
      asB: async () =>
        expect404(
          await call(campaignRoute.GET, {
            path: `/campaigns/${runningA}`,
            key: keyB,
            params: { id: runningA },
          }),
        ),
    },
    "campaigns/[id]/launch/route.ts POST": {
      readOnly: 403,
      ...control(launchRoute.POST, "launch", () => draftA),
      asB: async () => expect404(await control(launchRoute.POST, "launch", () => draftA).run(keyB)),
    },
    "campaigns/[id]/pause/route.ts POST": {
      readOnly: 403,
      ...control(pauseRoute.POST, "pause", () => runningA),
      asB: async () => expect404(await control(pauseRoute.POST, "pause", () => runningA).run(keyB)),
    },
    "campaigns/[id]/resume/route.ts POST": {
      readOnly: 403,
      ...control(resumeRoute.POST, "resume", () => pausedA),
      asB: async () =>
        expect404(await control(resumeRoute.POST, "resume", () => pausedA).run(keyB)),
    },
    "campaigns/[id]/cancel/route.ts POST": {
      readOnly: 403,
      ...control(cancelRoute.POST, "cancel", () => runningA),
      asB: async () =>
        expect404(await control(cancelRoute.POST, "cancel", () => runningA).run(keyB)),
    },
  };

  // --- Coverage: every procedure and route has its cases -----------------------------------

  it("has a case for every procedure of both routers, writes being the mutations", () => {
    for (const [router, asB, roles] of [
      [campaignsRouter, campaignsAsB, campaignRoles],
      [botsRouter, botsAsB, botRoles],
    ] as const) {
      const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
      const names = Object.keys(procedures).sort();
      expect(Object.keys(asB).sort()).toEqual(names);
      expect(Object.keys(roles).sort()).toEqual(names);
      for (const name of names) {
        const writes = procedures[name]!._def.type === "mutation";
        expect(roles[name]!.kind, name).toBe(writes ? "write" : "read");
      }
    }
  });

  it("has a case for every method of every REST campaigns route", async () => {
    const root = path.resolve("src/app/api/v1");
    const files = readdirSync(path.join(root, "campaigns"), { recursive: true, encoding: "utf8" })
      .filter((f) => path.basename(f) === "route.ts")
      .map((f) => path.join("campaigns", f));
    const found: string[] = [];
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(root, file)).href)) as object;
      for (const method of Object.keys(mod).filter((k) => /^[A-Z]+$/.test(k)))
        found.push(`${file.split(path.sep).join("/")} ${method}`);
    }
    expect(found.sort()).toEqual(Object.keys(rest).sort());
  });

  // --- The checks ---------------------------------------------------------------------------

  describe("a member of B", () => {
    it.each(Object.keys(campaignsAsB))("campaigns.%s: cannot reach A's campaigns", (name) =>
      campaignsAsB[name]!(),
    );
    it.each(Object.keys(botsAsB))("bots.%s: cannot reach A's bots", (name) => botsAsB[name]!());

    it("naming A as the workspace is FORBIDDEN", async () => {
      const intruder = createCaller(contextFor(b.user, a.workspaceId));
      await expectCode(intruder.campaigns.get({ id: runningA }), "FORBIDDEN");
      await expectCode(intruder.campaigns.list({}), "FORBIDDEN");
      await expectCode(intruder.bots.list({}), "FORBIDDEN");
    });
  });

  type ReadCase = Extract<RoleCase, { kind: "read" }>;
  type WriteCase = Extract<RoleCase, { kind: "write" }>;
  const reads = (roles: Record<string, RoleCase>) =>
    Object.entries(roles).filter((e): e is [string, ReadCase] => e[1].kind === "read");
  const writes = (roles: Record<string, RoleCase>) =>
    Object.entries(roles).filter((e): e is [string, WriteCase] => e[1].kind === "write");

  describe("a viewer of A", () => {
    it.each(reads(campaignRoles))("reads campaigns.%s", (_n, c) => c.asViewer());
    it.each(reads(botRoles))("reads bots.%s", (_n, c) => c.asViewer());
    it.each(writes(campaignRoles))("is FORBIDDEN campaigns.%s", (_n, c) =>
      expectCode(c.asViewer(asViewer()), "FORBIDDEN"),
    );
    it.each(writes(botRoles))("is FORBIDDEN bots.%s", (_n, c) =>
      expectCode(c.asViewer(asViewer()), "FORBIDDEN"),
    );
  });

  describe("an operator of A", () => {
    it.each(writes(campaignRoles))("may campaigns.%s", (_n, c) => c.asOperator());
    it.each(writes(botRoles))("may bots.%s", (_n, c) => c.asOperator());
  });

  describe("REST", () => {
    it.each(Object.keys(rest))("%s: B's key gets 404 (400 for A's bot in a body)", (name) =>
      rest[name]!.asB(),
    );

    it.each(Object.keys(rest))("%s: a key without campaigns:write", async (name) => {
      const res = await rest[name]!.run(readOnlyKeyA);
      expect(res.status).toBe(rest[name]!.readOnly);
      if (res.status === 403)
        expect(((await res.json()) as ErrorBody).error.message).toContain("campaigns:write");
    });

    it.each(Object.keys(rest))("%s: a key without any campaigns scope gets 403", async (name) => {
      expect((await rest[name]!.run(contactsKeyA)).status).toBe(403);
    });
  });

  // Last: everything above was refused or happened on objects of its own.
  it("leaves A's campaigns, recipients, bots and contacts unchanged", async () => {
    const after = await snapshotA();
    expect(after).toEqual(before);
    // Nor did a refused attempt audit anything in A (the operator's own writes did, by design).
    const strangers = await systemDb()
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.workspaceId, a.workspaceId),
          inArray(auditLogs.actorUserId, [b.userId, viewer.id]),
        ),
      );
    expect(strangers).toEqual([]);
  });
});
