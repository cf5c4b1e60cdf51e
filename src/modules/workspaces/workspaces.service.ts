import { sql } from "drizzle-orm";
import { randomBytes, randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { permissionsOf } from "@/server/auth/permissions";
import { withTenant, type Tx } from "@/server/db/tenant";
import {
  findMembership,
  findWorkspaceById,
  findMembershipsOfUser,
  insertMembership,
  updateWorkspaceRow,
} from "./workspaces.queries";
import type { WorkspaceSettingsInput } from "./workspaces.schema";
import { workspaces, type MemberRole, type Workspace } from "./workspaces.table";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type WorkspaceAccess = { workspace: Workspace; role: MemberRole };

export function listMyWorkspaces({ userId }: { userId: string }) {
  return withTenant({ userId }, (tx) => findMembershipsOfUser(tx, userId));
}

/**
 * The workspace a request acts in: the one asked for (if the user is a member of it), else
 * the user's first. `null` means "not a member" — the caller turns that into a 403.
 * `orFirst`: a name that is only a leftover (the browser's cookie after another user signed
 * in, or after leaving that workspace) falls back to the first workspace too — what the pages
 * show — instead of refusing every call; a workspace named on purpose (a header) does not.
 */
export async function resolveWorkspaceAccess({
  userId,
  workspaceId,
  orFirst = false,
}: {
  userId: string;
  workspaceId?: string | null;
  orFirst?: boolean;
}): Promise<WorkspaceAccess | null> {
  // A hint that is not even a uuid names no workspace the user belongs to.
  const named = workspaceId && UUID.test(workspaceId) ? workspaceId : null;
  if (workspaceId && !named && !orFirst) return null;
  if (named) {
    const access = await withTenant({ workspaceId: named, userId }, (tx) =>
      findMembership(tx, named, userId),
    );
    if (access || !orFirst) return access;
  }
  const [first] = await listMyWorkspaces({ userId });
  return first ?? null;
}

export function describeAccess(access: WorkspaceAccess) {
  return {
    workspace: access.workspace,
    role: access.role,
    permissions: permissionsOf(access.role),
  };
}

export function slugify(name: string): string {
  const base = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomBytes(3).toString("hex")}`;
}

/** Creates a workspace with `userId` as its first admin; runs in the caller's transaction. */
export async function insertWorkspaceWithOwner(
  tx: Tx,
  { userId, name, meta }: { userId: string; name: string; meta: RequestMeta | null },
): Promise<Workspace> {
  const id = randomUUID();
  // Row-level security only lets us write inside the workspace we are "in".
  await tx.execute(sql`select set_config('app.workspace_id', ${id}, true)`);
  const [workspace] = await tx
    .insert(workspaces)
    .values({ id, name, slug: slugify(name) })
    .returning();
  if (!workspace)
    throw new AppError("INTERNAL", "server.notCreated", { params: { what: "workspace" } });
  await insertMembership(tx, { workspaceId: id, userId, role: "admin", source: "owner" });
  await recordAudit(tx, meta, {
    workspaceId: id,
    actorUserId: userId,
    action: "workspace.created",
    target: { type: "workspace", id },
    after: { name: workspace.name, slug: workspace.slug },
  });
  return workspace;
}

export function createWorkspace({
  userId,
  name,
  meta,
}: {
  userId: string;
  name: string;
  meta: RequestMeta;
}) {
  return withTenant({ userId }, (tx) => insertWorkspaceWithOwner(tx, { userId, name, meta }));
}

/** A workspace's settings (time zone, country, cool-off…) for other modules and jobs. */
export async function getWorkspace({ tx, workspaceId }: { tx: Tx; workspaceId: string }) {
  const row = await findWorkspaceById(tx, workspaceId);
  if (!row) throw new AppError("NOT_FOUND", "workspace.notFound");
  return row;
}

/** The settings people edit: what the form shows and the REST API answers. */
export const workspaceSettingsOf = (w: Workspace): WorkspaceSettingsInput => ({
  name: w.name,
  defaultCountry: w.defaultCountry,
  timeZone: w.timeZone,
});

/**
 * Saves validated settings (the schema refuses an unknown country or zone before this runs).
 * Who: a member (`actorUserId`) or an API key (`actorLabel`).
 */
export async function updateWorkspaceSettings({
  tx,
  workspace,
  actorUserId,
  actorLabel = null,
  meta,
  input,
}: {
  tx: Tx;
  workspace: Workspace;
  actorUserId: string | null;
  actorLabel?: string | null;
  meta: RequestMeta;
  input: WorkspaceSettingsInput;
}) {
  const updated = await updateWorkspaceRow(tx, workspace.id, input);
  if (!updated) throw new AppError("NOT_FOUND", "workspace.notFound");
  if (updated.timeZone !== workspace.timeZone) {
    // Recurring campaigns fire in the workspace's zone: pg-boss holds it per schedule. (A
    // `schedule` row carries its own zone and is not affected.) Loaded lazily: the campaigns
    // module reads workspaces at load.
    const { rescheduleRecurringCampaigns } =
      await import("@/modules/campaigns/campaign-launch.service");
    await rescheduleRecurringCampaigns(tx, workspace.id, updated.timeZone);
  }
  await recordAudit(tx, meta, {
    workspaceId: workspace.id,
    actorUserId,
    actorLabel,
    action: "workspace.updated",
    target: { type: "workspace", id: workspace.id },
    before: workspaceSettingsOf(workspace),
    after: workspaceSettingsOf(updated),
  });
  return updated;
}
