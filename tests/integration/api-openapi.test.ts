/**
 * The OpenAPI document is generated from the same schemas the routes validate with: it must
 * be a well-formed 3.1 document covering every route handler under /api/v1, with resolvable
 * references, and the HTML reference must list every endpoint.
 */
import { describe, expect, it } from "vitest";
import * as campaignRoute from "@/app/api/v1/campaigns/[id]/route";
import * as cancelCampaignRoute from "@/app/api/v1/campaigns/[id]/cancel/route";
import * as launchCampaignRoute from "@/app/api/v1/campaigns/[id]/launch/route";
import * as pauseCampaignRoute from "@/app/api/v1/campaigns/[id]/pause/route";
import * as resumeCampaignRoute from "@/app/api/v1/campaigns/[id]/resume/route";
import * as campaignsRoute from "@/app/api/v1/campaigns/route";
import * as contactRoute from "@/app/api/v1/contacts/[id]/route";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import * as importRoute from "@/app/api/v1/contacts/imports/[id]/route";
import * as importsRoute from "@/app/api/v1/contacts/imports/route";
import * as workspaceRoute from "@/app/api/v1/workspace/route";
import { GET as docsRoute } from "@/app/api/v1/docs/route";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import { agentRoutes } from "@/server/http/agent-routes";
import * as statsSummaryRoute from "@/app/api/v1/stats/summary/route";
import * as statsTimelineRoute from "@/app/api/v1/stats/timeline/route";
import * as statsGroupsRoute from "@/app/api/v1/stats/groups/route";
import * as statsBotsRoute from "@/app/api/v1/stats/bots/route";
import * as statsContactsRoute from "@/app/api/v1/stats/contacts/route";
import * as statsCurrentMonthRoute from "@/app/api/v1/stats/current-month/route";
import * as statsMonthlyRoute from "@/app/api/v1/stats/monthly/route";
import * as statsErrorsRoute from "@/app/api/v1/stats/errors/route";
import * as statsCampaignRoute from "@/app/api/v1/stats/campaigns/[id]/route";
import * as statsTasksRoute from "@/app/api/v1/stats/tasks/route";

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  security: Record<string, unknown>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<
      string,
      { type?: string; properties?: Record<string, unknown>; required?: string[] }
    >;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme?: string }>;
  };
};
type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
};

/** Route modules by OpenAPI path: the document must describe exactly what they export. */
const ROUTES: Record<string, Record<string, unknown>> = {
  "/contacts": contactsRoute,
  "/contacts/{id}": contactRoute,
  "/contacts/imports": importsRoute,
  "/contacts/imports/{id}": importRoute,
  "/campaigns": campaignsRoute,
  "/campaigns/{id}": campaignRoute,
  "/campaigns/{id}/launch": launchCampaignRoute,
  "/campaigns/{id}/pause": pauseCampaignRoute,
  "/campaigns/{id}/resume": resumeCampaignRoute,
  "/campaigns/{id}/cancel": cancelCampaignRoute,
  "/stats/summary": statsSummaryRoute,
  "/stats/timeline": statsTimelineRoute,
  "/stats/groups": statsGroupsRoute,
  "/stats/bots": statsBotsRoute,
  "/stats/contacts": statsContactsRoute,
  "/stats/current-month": statsCurrentMonthRoute,
  "/stats/monthly": statsMonthlyRoute,
  "/stats/errors": statsErrorsRoute,
  "/stats/campaigns/{id}": statsCampaignRoute,
  "/stats/tasks": statsTasksRoute,
  "/workspace": workspaceRoute,
};
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** Served by the fast lane, not Next: agent API and bot events, as templated in the document. */
const FAST_LANE: Record<string, string[]> = Object.fromEntries(
  agentRoutes().map((r) => [
    r.path.replace(/^\/api(\/v1)?/, "").replace(/:(\w+)/g, "{$1}"),
    [r.method.toLowerCase()],
  ]),
);

async function fetchDoc(): Promise<Doc> {
  const res = openApiRoute();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return (await res.json()) as Doc;
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document with bearer security", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.servers[0]!.url).toBe("/api/v1");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    expect(doc.security).toContainEqual({ bearerAuth: [] });
  });

  it("describes every method every route handler exports, and nothing else", async () => {
    const doc = await fetchDoc();
    expect(Object.keys(doc.paths).sort()).toEqual(
      [...Object.keys(ROUTES), ...Object.keys(FAST_LANE)].sort(),
    );
    for (const [path, methods] of Object.entries(FAST_LANE)) {
      expect(
        Object.keys(doc.paths[path]!).filter((k) => k !== "servers"),
        path,
      ).toEqual(methods);
    }
    for (const [path, mod] of Object.entries(ROUTES)) {
      const exported = METHODS.filter((m) => typeof mod[m] === "function").map((m) =>
        m.toLowerCase(),
      );
      expect(Object.keys(doc.paths[path]!).sort(), path).toEqual(exported.sort());
    }
  });

  it("gives every operation an id, parameters, bodies and responses incl. the error schema", async () => {
    const doc = await fetchDoc();
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      // A path item may carry its own `servers` (bot events live outside /api/v1).
      for (const [method, op] of Object.entries(ops).filter(([k]) => k !== "servers")) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(ids.has(op.operationId), where).toBe(false);
        ids.add(op.operationId);
        for (const param of path.match(/\{(\w+)\}/g) ?? []) {
          const name = param.slice(1, -1);
          expect(
            op.parameters?.find((p) => p.in === "path" && p.name === name)?.required,
            where,
          ).toBe(true);
        }
        expect(Object.keys(op.responses), where).toEqual(
          expect.arrayContaining(["401", "403", "500"]),
        );
        expect(
          Object.keys(op.responses).some((s) => s.startsWith("2")),
          where,
        ).toBe(true);
        // State changes (`POST /campaigns/{id}/launch`…) are named by their path and take no body.
        const action = /\/\{id\}\/[a-z]+$/.test(path);
        if ((method === "post" && !action) || method === "patch") {
          expect(op.requestBody, where).toBeDefined();
        }
      }
    }
    const list = doc.paths["/contacts"]!.get!;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(["search", "groupId", "source", "sort", "page", "pageSize"]),
    );
    expect(list.parameters!.every((p) => p.in === "query" && !p.required)).toBe(true);
    expect(Object.keys(doc.paths["/contacts/imports"]!.post!.requestBody!.content)).toEqual([
      "multipart/form-data",
    ]);
    expect(Object.keys(doc.paths["/contacts/{id}"]!.delete!.responses)).toContain("204");
  });

  it("has component schemas for contacts, imports and errors, and every $ref resolves", async () => {
    const doc = await fetchDoc();
    const { schemas } = doc.components;
    expect(schemas.Contact?.type).toBe("object");
    expect(Object.keys(schemas.Contact!.properties!)).toEqual(
      expect.arrayContaining([
        "id",
        "phone",
        "nombre",
        "sustantivo",
        "attributes",
        "groups",
        "createdAt",
      ]),
    );
    expect(schemas.Contact!.properties!.createdAt).toMatchObject({
      type: "string",
      format: "date-time",
    });
    expect(schemas.ContactInput!.required).toEqual(["phone"]);
    expect(schemas.ContactPatch!.required ?? []).toEqual([]);
    expect(Object.keys(schemas.Error!.properties!)).toEqual(["error"]);
    expect(schemas.Import?.properties).toHaveProperty("status");

    for (const ref of refsIn(doc)) {
      const match = /^#\/components\/(schemas|responses)\/(\w+)$/.exec(ref);
      expect(match, ref).not.toBeNull();
      expect(doc.components[match![1] as "schemas" | "responses"], ref).toHaveProperty(match![2]!);
    }
  });

  it("serves a self-contained HTML reference listing every endpoint with curl examples", async () => {
    const doc = await fetchDoc();
    const res = docsRoute(new Request("http://localhost:3000/api/v1/docs"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    for (const [path, { servers, ...ops }] of Object.entries(doc.paths)) {
      const server = (servers as unknown as { url: string }[] | undefined)?.[0]?.url;
      expect(html).toContain(`${server ?? "/api/v1"}${path}`);
      for (const op of Object.values(ops)) expect(html).toContain(`id="${op.operationId}"`);
    }
    expect(html).toContain("curl -X POST 'http://localhost:3000/api/v1/contacts'");
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)[^"']*\.(js|css)/);
  });
});
