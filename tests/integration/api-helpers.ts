/**
 * Calling the REST route handlers as Next would: a real `Request`, the route's exported
 * function, params as a promise. Keys are created through the real service.
 */
import type { ApiKeyScope } from "@/modules/apikeys/apikeys.schema";
import { createApiKey } from "@/modules/apikeys/apikeys.service";
import { withTenant } from "@/server/db/tenant";
import { TEST_META } from "../helpers/fixtures";

export const BASE = "http://localhost:3000/api/v1";

export async function keyFor(
  workspaceId: string,
  scopes: ApiKeyScope[] = ["contacts:read", "contacts:write", "imports:write"],
  name = "test key",
) {
  return withTenant({ workspaceId }, (tx) =>
    createApiKey({ tx, workspaceId, actorUserId: null, meta: TEST_META, name, scopes }),
  );
}

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

export async function call<P = Record<string, never>>(
  handler: Handler<P>,
  opts: {
    method?: string;
    path: string;
    key?: string | null;
    json?: unknown;
    rawBody?: BodyInit;
    headers?: Record<string, string>;
    params?: P;
  },
): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("authorization", `Bearer ${opts.key}`);
  let body = opts.rawBody;
  if (opts.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(opts.json);
  }
  const req = new Request(`${BASE}${opts.path}`, { method: opts.method ?? "GET", headers, body });
  return handler(req, { params: Promise.resolve((opts.params ?? {}) as P) });
}

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    requestId?: string;
    fieldErrors?: Record<string, string[]>;
  };
};
