/**
 * tRPC setup. 1: context — who is calling and from where. 2: initialisation — transformer
 * and the one error mapping. 3: procedure builders — the auth rule lives inside the builder,
 * so a router cannot forget it.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { AppError, driverInputError, toPublicError, validationIssuesOf } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { refuseNul } from "@/lib/zod-text";
import { can, type Permission } from "@/server/auth/permissions";
import type { MemberRole } from "@/modules/workspaces/workspaces.table";
import { withTenant, type Tx } from "@/server/db/tenant";
import { resolveWorkspaceAccess } from "@/modules/workspaces/workspaces.service";

// 1. Context -------------------------------------------------------------------------------
export type TRPCContext = {
  session: Session | null;
  meta: RequestMeta;
  /** Workspace the client says it is working in (header or cookie); verified below. */
  workspaceHint: string | null;
  /** The hint is the cookie's (not a header's): a leftover falls back to the first workspace. */
  workspaceHintIsCookie?: boolean;
};

// 2. Initialisation --------------------------------------------------------------------------
const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    // Procedure errors were mapped by `errorMapping`; what is still INTERNAL is unexpected
    // and replaced, so internals never reach the client. The client renders `key` + `params`
    // in the reader's language; `message` is the English text.
    const known = error.code !== "INTERNAL_SERVER_ERROR";
    const cause = driverInputError(error.cause) ?? error.cause;
    const pub =
      known && !(cause instanceof AppError) && !validationIssuesOf(cause)
        ? toPublicError(new AppError("BAD_REQUEST", "refused", { params: { code: error.code } }))
        : toPublicError(known ? cause : error, ctx?.meta.requestId);
    return {
      ...shape,
      message: pub.message,
      data: {
        ...shape.data,
        stack: undefined,
        key: pub.key,
        params: pub.params ?? null,
        fieldErrors: pub.fieldErrors ?? null,
        requestId: ctx?.meta.requestId ?? null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Maps AppError to its tRPC code (so the HTTP status is right) and logs the unexpected. */
const errorMapping = t.middleware(async ({ next, path, ctx }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = driverInputError(result.error.cause) ?? result.error.cause;
  if (cause instanceof AppError && cause.code !== "INTERNAL") {
    throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
  }
  if (
    result.error.code === "INTERNAL_SERVER_ERROR" &&
    !(cause instanceof AppError) &&
    validationIssuesOf(cause)
  ) {
    // A schema parsed inside a service rejected the data: still the caller's bad input.
    throw new TRPCError({ code: "BAD_REQUEST", message: "input.invalid", cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    logger.error(
      { err: cause ?? result.error, path, requestId: ctx.meta.requestId },
      "unhandled error in procedure",
    );
  }
  return result;
});

/**
 * Postgres cannot store a NUL character: every procedure's raw input is refused with a 400
 * naming the fields before any input parser or query runs — once, here, so no schema has to
 * remember it.
 */
const refuseNulInput = t.middleware(async ({ getRawInput, next }) => {
  refuseNul(await getRawInput());
  return next();
});

// 3. Procedures ------------------------------------------------------------------------------
export const publicProcedure = t.procedure.use(errorMapping).use(refuseNulInput);

/**
 * Signed-in callers only (401 otherwise). The context's session was resolved through
 * next-auth's jwt callback, which refuses a cookie whose `auth_session` row is gone (signed
 * out, expired) by marking it `error` — so a replayed cookie lands here as a 401.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const user = ctx.session?.user;
  if (!user?.id || ctx.session?.error) throw new AppError("UNAUTHORIZED", "auth.signIn");
  return next({
    ctx: {
      session: ctx.session!,
      user: {
        id: user.id,
        email: user.email ?? null,
        name: user.name ?? null,
        emailVerified: user.emailVerified,
      },
    },
  });
});

/** Members of the current workspace only (403 otherwise); carries the tenant transaction helper. */
export const workspaceProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const access = await resolveWorkspaceAccess({
    userId: ctx.user.id,
    workspaceId: ctx.workspaceHint,
    orFirst: ctx.workspaceHintIsCookie ?? false,
  });
  if (!access) throw new AppError("FORBIDDEN", "auth.notMember");
  const scope = { workspaceId: access.workspace.id, userId: ctx.user.id };
  return next({
    ctx: {
      workspace: access.workspace,
      role: access.role,
      tenant: <T>(fn: (tx: Tx) => Promise<T>) => withTenant(scope, fn),
    },
  });
});

/** Workspace members whose role grants `permission` (403 otherwise). */
export function requirePermission(permission: Permission) {
  return workspaceProcedure.use(({ ctx, next }) => {
    assertCan(ctx.role, permission);
    return next();
  });
}

/** Refuses (403 `auth.roleForbidden`) a role without `permission`: for a check that depends on the input. */
export function assertCan(role: MemberRole, permission: Permission) {
  if (!can(role, permission))
    throw new AppError("FORBIDDEN", "auth.roleForbidden", { params: { role, permission } });
}

/** Who acts, for services that audit: the caller's workspace, user and request. */
export function actorOf(ctx: {
  workspace: { id: string };
  user: { id: string };
  meta: RequestMeta;
}) {
  return { workspaceId: ctx.workspace.id, actorUserId: ctx.user.id, meta: ctx.meta };
}
