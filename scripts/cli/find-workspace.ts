import { eq, or } from "drizzle-orm";
import { workspaces } from "@/modules/workspaces/workspaces.table";
import { systemDb } from "@/server/db/client";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The workspace a `--workspace` option names: its slug, or its id. Read as the owner, like
 * the seed: the CLI acts before any tenant context exists. Import only after the
 * environment is final (it loads src/env.ts).
 */
export async function findWorkspace(ref: string) {
  const [row] = await systemDb()
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      defaultCountry: workspaces.defaultCountry,
    })
    .from(workspaces)
    .where(
      UUID.test(ref)
        ? or(eq(workspaces.slug, ref), eq(workspaces.id, ref))
        : eq(workspaces.slug, ref),
    );
  return row ?? null;
}
