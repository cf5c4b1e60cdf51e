import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Session } from "next-auth";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const GENERIC = "Something went wrong. Quote this request id when reporting it.";
import { logger } from "@/lib/logger";
import {
  createCallerFactory,
  createTRPCRouter,
  protectedProcedure,
  publicProcedure,
  type TRPCContext,
} from "./trpc";

// A tiny router exercising each error path, so no database is needed.
const router = createTRPCRouter({
  missing: publicProcedure.query(() => {
    throw new AppError("NOT_FOUND", "contact.notFound");
  }),
  duplicate: publicProcedure.mutation(() => {
    throw new AppError("CONFLICT", "group.nameTaken", { params: { name: "VIP" }, field: "name" });
  }),
  refusedByTrpc: publicProcedure.query(() => {
    throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "raw tRPC text" });
  }),
  crash: publicProcedure.query(() => {
    throw new Error("db password leaked");
  }),
  internalAppError: publicProcedure.query(() => {
    throw new AppError("INTERNAL", "server.notConfigured", {
      params: { name: "pg secret connection string" },
    });
  }),
  createContact: publicProcedure
    .input(z.object({ name: z.string().min(2), email: z.email() }))
    .mutation(({ input }) => ({ created: input.name })),
  echo: publicProcedure.input(z.object({ n: z.number() })).query(({ input }) => input.n * 2),
  whoami: protectedProcedure.query(({ ctx }) => ctx.user.id),
});

const meta = { ip: null, userAgent: null, requestId: "req-1" };
const anonymous: TRPCContext = { session: null, meta, workspaceHint: null };
const signedIn = (session: Partial<Session> = {}): TRPCContext => ({
  ...anonymous,
  session: { user: { id: "user-1" }, expires: "2999-01-01T00:00:00.000Z", ...session } as Session,
});

let logError: MockInstance;
beforeEach(() => {
  logError = vi.spyOn(logger, "error").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return (error as TRPCError).code;
  }
  throw new Error("expected the procedure to throw");
}

describe("server-side caller error mapping", () => {
  const caller = createCallerFactory(router)(anonymous);

  it("maps AppError codes to tRPC codes", async () => {
    expect(await codeOf(caller.missing())).toBe("NOT_FOUND");
    expect(await codeOf(caller.duplicate())).toBe("CONFLICT");
  });

  it("keeps the AppError as the cause", async () => {
    const error = await caller.duplicate().catch((e: unknown) => e);
    expect((error as TRPCError).cause).toBeInstanceOf(AppError);
    expect((error as TRPCError).message).toBe('group.nameTaken {"name":"VIP"}');
  });

  it("reports a plain Error as INTERNAL_SERVER_ERROR and logs it with the request id", async () => {
    expect(await codeOf(caller.crash())).toBe("INTERNAL_SERVER_ERROR");
    expect(logError).toHaveBeenCalledTimes(1);
    const [fields] = logError.mock.calls[0] as [{ err: Error; path: string; requestId: string }];
    expect(fields.path).toBe("crash");
    expect(fields.requestId).toBe("req-1");
    expect(fields.err.message).toBe("db password leaked");
  });

  it("does not log expected errors", async () => {
    await codeOf(caller.missing());
    expect(logError).not.toHaveBeenCalled();
  });

  it("rejects invalid input with BAD_REQUEST", async () => {
    expect(await codeOf(caller.createContact({ name: "A", email: "nope" }))).toBe("BAD_REQUEST");
    await expect(caller.createContact({ name: "Ana", email: "ana@example.com" })).resolves.toEqual({
      created: "Ana",
    });
  });

  it("protectedProcedure rejects callers without a session", async () => {
    expect(await codeOf(caller.whoami())).toBe("UNAUTHORIZED");
  });

  it("protectedProcedure rejects a session that has ended", async () => {
    const ended = createCallerFactory(router)(signedIn({ error: "SessionEnded" }));
    expect(await codeOf(ended.whoami())).toBe("UNAUTHORIZED");
  });

  it("protectedProcedure passes the signed-in user on", async () => {
    await expect(createCallerFactory(router)(signedIn()).whoami()).resolves.toBe("user-1");
  });
});

// Through the HTTP adapter, so the error formatter and status mapping are exercised as shipped.
type ErrorBody = {
  error: {
    json: {
      message: string;
      code: number;
      data: {
        code: string;
        httpStatus: number;
        path: string;
        stack?: string;
        key: string;
        params: Record<string, string | number> | null;
        fieldErrors: Record<string, { key: string; params?: Record<string, unknown> }[]> | null;
        requestId: string | null;
      };
    };
  };
};

async function call(
  path: string,
  opts: { method?: "GET" | "POST"; input?: unknown; ctx?: TRPCContext } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const method = opts.method ?? "GET";
  let url = `http://localhost/api/trpc/${path}`;
  const init: RequestInit = { method };
  if (method === "GET" && opts.input !== undefined) {
    url += `?input=${encodeURIComponent(JSON.stringify({ json: opts.input }))}`;
  }
  if (method === "POST") {
    init.headers = { "content-type": "application/json" };
    init.body = JSON.stringify({ json: opts.input ?? null });
  }
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, init),
    router,
    createContext: async () => opts.ctx ?? anonymous,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

const errorOf = (body: unknown) => (body as ErrorBody).error.json;

describe("HTTP error responses", () => {
  it("404 for AppError NOT_FOUND, with its code and English text", async () => {
    const { status, body } = await call("missing");
    expect(status).toBe(404);
    const error = errorOf(body);
    expect(error.data.key).toBe("contact.notFound");
    expect(error.data.params).toBeNull();
    expect(error.message).toBe("Contact not found");
    expect(error.data.code).toBe("NOT_FOUND");
    expect(error.data.requestId).toBe("req-1");
    expect(error.data.fieldErrors).toBeNull();
  });

  it("409 for AppError CONFLICT, with its params and field errors as codes", async () => {
    const { status, body } = await call("duplicate", { method: "POST" });
    expect(status).toBe(409);
    const error = errorOf(body);
    expect(error.message).toBe('A group called "VIP" already exists');
    expect(error.data.code).toBe("CONFLICT");
    expect(error.data.key).toBe("group.nameTaken");
    expect(error.data.params).toEqual({ name: "VIP" });
    expect(error.data.fieldErrors).toEqual({
      name: [{ key: "group.nameTaken", params: { name: "VIP" } }],
    });
  });

  it("a tRPC refusal with no AppError behind it still arrives as a code", async () => {
    const { status, body } = await call("refusedByTrpc");
    expect(status).toBe(405);
    const error = errorOf(body);
    expect(error.data.key).toBe("refused");
    expect(error.data.params).toEqual({ code: "METHOD_NOT_SUPPORTED" });
    expect(error.message).toBe("The request was refused (METHOD_NOT_SUPPORTED).");
  });

  it("500 with the generic message and request id, never the internal message or stack", async () => {
    const { status, body, text } = await call("crash");
    expect(status).toBe(500);
    const error = errorOf(body);
    expect(error.message).toBe(GENERIC);
    expect(error.data.key).toBe("unexpected");
    expect(error.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.data.requestId).toBe("req-1");
    // superjson encodes the formatter's `stack: undefined` as null plus a type marker.
    expect(error.data.stack ?? null).toBeNull();
    expect(text).not.toContain("db password leaked");
    expect(text).not.toContain("trpc.test.ts");
  });

  it("500 hides the message of an AppError INTERNAL too", async () => {
    const { status, body, text } = await call("internalAppError");
    expect(status).toBe(500);
    expect(errorOf(body).message).toBe(GENERIC);
    expect(text).not.toContain("pg secret");
  });

  it("400 for invalid input, with field errors keyed by field", async () => {
    const { status, body } = await call("createContact", {
      method: "POST",
      input: { name: "A", email: "not-an-email" },
    });
    expect(status).toBe(400);
    const error = errorOf(body);
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("Invalid input");
    expect(error.data.key).toBe("input.invalid");
    expect(error.data.fieldErrors).toEqual({
      name: [{ key: "zod.tooSmall.string", params: { minimum: 2, inclusive: "true" } }],
      email: [{ key: "zod.invalidFormat", params: { format: "email" } }],
    });
  });

  it("400 for invalid GET input as well", async () => {
    const { status, body } = await call("echo", { input: { n: "two" } });
    expect(status).toBe(400);
    expect(Object.keys(errorOf(body).data.fieldErrors ?? {})).toEqual(["n"]);
  });

  it("200 with superjson-encoded data for valid input", async () => {
    const query = await call("echo", { input: { n: 21 } });
    expect(query.status).toBe(200);
    expect(query.body).toEqual({ result: { data: { json: 42 } } });
    const mutation = await call("createContact", {
      method: "POST",
      input: { name: "Ana", email: "ana@example.com" },
    });
    expect(mutation.status).toBe(200);
    expect(mutation.body).toEqual({ result: { data: { json: { created: "Ana" } } } });
  });

  it("401 for protectedProcedure without a session", async () => {
    const { status, body } = await call("whoami");
    expect(status).toBe(401);
    const error = errorOf(body);
    expect(error.data.code).toBe("UNAUTHORIZED");
    expect(error.data.key).toBe("auth.signIn");
    expect(error.message).toBe("Sign in to continue");
  });

  it("200 for protectedProcedure with a session", async () => {
    const { status, body } = await call("whoami", { ctx: signedIn() });
    expect(status).toBe(200);
    expect(body).toEqual({ result: { data: { json: "user-1" } } });
  });
});
