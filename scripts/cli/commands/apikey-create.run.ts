import { randomUUID } from "node:crypto";
import { eq, or } from "drizzle-orm";
import { createApiKey } from "@/modules/apikeys/apikeys.service";
import { workspaces } from "@/modules/workspaces/workspaces.table";
import { systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { CliError, type CliIO } from "../command";
import type { ApiKeyCreateArgs } from "./apikey-create";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findWorkspace(ref: string) {
  const [row] = await systemDb()
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .where(UUID.test(ref) ? or(eq(workspaces.slug, ref), eq(workspaces.id, ref)) : eq(workspaces.slug, ref));
  return row ?? null;
}

export async function run(args: ApiKeyCreateArgs, io: CliIO): Promise<void> {
  const workspace = await findWorkspace(args.workspace);
  if (!workspace) throw new CliError(`No workspace with slug "${args.workspace}"`);
  const { key, secret } = await withTenant({ workspaceId: workspace.id }, (tx) =>
    createApiKey({
      tx,
      workspaceId: workspace.id,
      actorUserId: null,
      actorLabel: "cli",
      meta: { ip: null, userAgent: "salestrack-cli", requestId: randomUUID() },
      name: args.name,
      scopes: args.scopes,
    }),
  );
  io.out(secret);
  io.note(
    `Created API key "${key.name}" (${key.prefix}…) for workspace "${workspace.name}" (${workspace.slug}) ` +
      `with scopes ${key.scopes.join(", ")}.\nStore it now: it will not be shown again.`,
  );
}
