/**
 * Browser-facing route handlers that act on the session cookie outside tRPC refuse requests a
 * browser marks as cross-site (403 FORBIDDEN in the one error shape), before anything else.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { POST as federatedLogout } from "@/app/api/auth/federated-logout/route";
import { GET as recipientsExport } from "@/app/api/campaigns/[id]/recipients/export/route";
import { GET as contactsExport } from "@/app/api/contacts/export/route";
import { GET as rejectedRows } from "@/app/api/contacts/imports/[id]/rejected/route";
import { POST as upload } from "@/app/api/contacts/imports/route";
import { closeDatabase } from "@/server/db/client";

// Signed out: a request that gets past the origin check is refused by auth instead (401).
vi.mock("@/server/auth/session", () => ({ getSession: async () => null }));

afterAll(async () => {
  await closeDatabase();
});

const APP = process.env.NEXTAUTH_URL ?? "http://localhost:3000";
const id = randomUUID();
type Handler = (req: Request) => Promise<Response>;

const ROUTES: [string, string, Handler][] = [
  ["upload", "POST /api/contacts/imports", upload as Handler],
  ["contacts export", "GET /api/contacts/export", contactsExport as Handler],
  [
    "rejected rows",
    `GET /api/contacts/imports/${id}/rejected`,
    (req) => rejectedRows(req, { params: Promise.resolve({ id }) }),
  ],
  [
    "recipients export",
    `GET /api/campaigns/${id}/recipients/export`,
    (req) => recipientsExport(req, { params: Promise.resolve({ id }) }),
  ],
];

function request(line: string, headers: Record<string, string>): Request {
  const [method, path] = line.split(" ") as [string, string];
  return new Request(new URL(path, APP), { method, headers });
}

describe("cross-site requests", () => {
  it.each(ROUTES)(
    "%s: refused when the browser says cross-site or same-site",
    async (_n, line, handler) => {
      for (const headers of [
        { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
        { "sec-fetch-site": "cross-site" },
        { "sec-fetch-site": "same-site", origin: "https://sibling.example" },
        // A browser that sends no Sec-Fetch-Site (plain http, not localhost) still sends Origin.
        { origin: "https://evil.example" },
        { origin: "null" },
      ] as Record<string, string>[]) {
        const res = await handler(request(line, headers));
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(await res.json()).toMatchObject({
          error: { code: "FORBIDDEN", message: expect.stringMatching(/Cross-site/) },
        });
      }
    },
  );

  it.each(ROUTES)(
    "%s: let through from our own pages, typed URLs and non-browsers",
    async (_n, line, handler) => {
      for (const headers of [
        { "sec-fetch-site": "same-origin", origin: new URL(APP).origin },
        { "sec-fetch-site": "none" },
        { origin: new URL(APP).origin },
        {},
      ] as Record<string, string>[]) {
        const res = await handler(request(line, headers));
        expect(res.status, JSON.stringify(headers)).toBe(401);
      }
    },
  );

  it("federated sign-out refuses a cross-site form post with 403 and ends no session", async () => {
    const form = (headers: Record<string, string>) =>
      new Request(new URL("/api/auth/federated-logout", APP), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "",
      });
    const { NextRequest } = await import("next/server");
    const refused = await federatedLogout(
      new NextRequest(form({ "sec-fetch-site": "cross-site" })),
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const sibling = await federatedLogout(
      new NextRequest(form({ "sec-fetch-site": "same-site", origin: "https://sibling.example" })),
    );
    expect(sibling.status).toBe(403);
  });
});
