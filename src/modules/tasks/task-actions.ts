/**
 * Actions and their payloads: `send_message` is built in (campaigns create it for `agent`
 * bots); every other action is one the workspace declared, with a JSON Schema its payloads
 * must match. SalesTrack never runs an action itself — the team's own bots do.
 */
import { z } from "zod";
import { AppError, formatIssues } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import {
  deleteTaskAction,
  findTaskAction,
  findTaskActions,
  upsertTaskAction,
} from "./tasks.queries";
import { SEND_MESSAGE, sendMessagePayload, type DefineActionInput } from "./tasks.schema";

const schemaInvalid = (cause: unknown) =>
  new AppError("BAD_REQUEST", "task.schemaInvalid", { field: "schema", cause });

/**
 * A group holding a quantifier, itself repeated — `(a+)+`, `(\w*\s?)*`, `(x{1,9})+` — makes a
 * backtracking regex take exponential time on a near miss: one payload could stall the
 * process for minutes. Such `pattern`s are refused when the action is declared.
 */
const NESTED_QUANTIFIER =
  /\((?:[^()\\]|\\.)*(?:[+*]|\{\d*,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,?\d*\})/;

function assertSafePatterns(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(assertSafePatterns);
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const patterns =
      key === "pattern" && typeof value === "string"
        ? [value]
        : key === "patternProperties" && value && typeof value === "object"
          ? Object.keys(value)
          : [];
    const unsafe = patterns.find((p) => NESTED_QUANTIFIER.test(p));
    if (unsafe !== undefined)
      throw new AppError("BAD_REQUEST", "task.patternUnsafe", {
        field: "schema",
        params: { pattern: unsafe.slice(0, 80) },
      });
    assertSafePatterns(value);
  }
}

/** A JSON Schema as a zod validator; a schema zod cannot read is the caller's 400. */
function compileSchema(schema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (err) {
    throw schemaInvalid(err);
  }
}

/**
 * The payload as the schema reads it. A schema that refers to itself without end (`{"$ref":
 * "#"}`) overflows the stack when used: the caller's 400, never a 500.
 */
function checkPayload(schema: Record<string, unknown>, payload: unknown) {
  try {
    return compileSchema(schema).safeParse(payload);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw schemaInvalid(err);
  }
}

function invalidPayload(issues: readonly z.core.$ZodIssue[]): AppError {
  const { fieldErrors } = formatIssues(issues.map((i) => ({ ...i, path: ["payload", ...i.path] })));
  return new AppError("BAD_REQUEST", "task.payloadInvalid", { fieldErrors });
}

/** The payload as the action's schema reads it, or a BAD_REQUEST naming the fields. */
export async function validatePayload(
  tx: Tx,
  workspaceId: string,
  action: string,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (action === SEND_MESSAGE) {
    const parsed = sendMessagePayload.safeParse(payload);
    if (!parsed.success) throw invalidPayload(parsed.error.issues);
    return parsed.data;
  }
  const declared = await findTaskAction(tx, workspaceId, action);
  if (!declared) {
    throw new AppError("BAD_REQUEST", "task.unknownAction", {
      params: { action },
      field: "action",
    });
  }
  assertSafePatterns(declared.schema); // declared before patterns were checked
  const parsed = checkPayload(declared.schema, payload);
  if (!parsed.success) throw invalidPayload(parsed.error.issues);
  return payload;
}

export function listTaskActions({ tx, workspaceId }: { tx: Tx; workspaceId: string }) {
  return findTaskActions(tx, workspaceId);
}

type Actor = { tx: Tx; workspaceId: string; actorUserId: string | null; meta: RequestMeta | null };

export async function defineTaskAction({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input,
}: Actor & { input: DefineActionInput }) {
  assertSafePatterns(input.schema);
  // Used once on an empty payload: a schema that cannot be used at all is refused now.
  checkPayload(input.schema, {});
  const action = await upsertTaskAction(tx, {
    workspaceId,
    name: input.name,
    description: input.description ?? null,
    schema: input.schema,
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "task_action.defined",
    target: { type: "task_action", id: input.name },
    after: { schema: input.schema },
  });
  return action;
}

export async function removeTaskAction({
  tx,
  workspaceId,
  actorUserId,
  meta,
  name,
}: Actor & { name: string }) {
  if (!(await deleteTaskAction(tx, workspaceId, name))) {
    throw new AppError("NOT_FOUND", "task.actionNotFound");
  }
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "task_action.removed",
    target: { type: "task_action", id: name },
  });
}
