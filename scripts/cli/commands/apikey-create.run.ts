import { randomUUID } from "node:crypto";
import { createApiKey } from "@/modules/apikeys/apikeys.service";
import { withTenant } from "@/server/db/tenant";
import { CliError, type CliIO } from "../command";
import { findWorkspace } from "../find-workspace";
import type { ApiKeyCreateArgs } from "./apikey-create";

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
