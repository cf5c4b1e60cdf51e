/**
 * CSV import test helpers: upload bytes the way the HTTP layer streams them, run the queued
 * job, and read back what landed in the database (as the owner, so row-level security
 * cannot hide a leak).
 *
 * Test files share one database and one pg-boss queue, and other files run workers (jobs,
 * import-pgboss). A file that runs the job body directly must first take the queued job out
 * of pg-boss, or a worker elsewhere could run the same import at the same time.
 */
import { importContacts } from "@jobs/contacts/import.job";
import { asc, count, eq } from "drizzle-orm";
import { expect } from "vitest";
import {
  contactGroupMembers,
  contactGroups,
  contactImportChunks,
  contactImportErrors,
  contactImports,
  contacts,
} from "@/modules/contacts/contacts.table";
import { runImport } from "@/modules/contacts/import/pipeline";
import { TERMINAL_STATUSES } from "@/modules/contacts/import/import-view";
import type { ImportOptions, ImportView } from "@/modules/contacts/imports.schema";
import { getImport, startImport, storeUpload } from "@/modules/contacts/imports.service";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { ownerPool, systemDb } from "@/server/db/client";
import { addMember, createUser, createWorkspace } from "./fixtures";

export type Tenant = { workspace: Workspace; user: User; workspaceId: string; userId: string };

/** A fresh workspace (default country PY) with an admin: every test counts its own rows. */
export async function freshTenant(): Promise<Tenant> {
  const [workspace, user] = await Promise.all([
    createWorkspace({ defaultCountry: "PY" }),
    createUser(),
  ]);
  await addMember(workspace, user, "admin", "owner");
  return { workspace, user, workspaceId: workspace.id, userId: user.id };
}

/**
 * The bytes as a request body stream, cut into small uneven pieces so multi-byte characters
 * and CRLF pairs straddle chunk boundaries.
 */
export async function* streamOf(
  data: string | Uint8Array,
  sizes: readonly number[] = [7, 3, 11, 5],
): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

export function upload(
  tenant: Tenant,
  data: string | Uint8Array,
  { fileName = "contactos.csv", maxBytes }: { fileName?: string; maxBytes?: number } = {},
): Promise<ImportView> {
  return storeUpload({
    workspaceId: tenant.workspaceId,
    userId: tenant.userId,
    fileName,
    body: streamOf(data),
    maxBytes,
  });
}

export async function waitForImport(
  workspaceId: string,
  importId: string,
  timeoutMs = 30_000,
): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await getImport({ workspaceId, importId });
    if (TERMINAL_STATUSES.has(view.status)) return view;
    if (Date.now() > deadline)
      throw new Error(`import ${importId} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Takes the import's job out of the pg-boss queue if no worker has fetched it yet. True when
 * this process now owns the run; false when a worker (of any test file) already has it.
 */
export async function claimQueuedJob(importId: string): Promise<boolean> {
  const { rowCount } = await ownerPool().query(
    "delete from pgboss.job where name = $1 and singleton_key = $2 and state in ('created', 'retry')",
    [importContacts.name, importId],
  );
  return (rowCount ?? 0) > 0;
}

/** Runs a queued import to its end: the job body here, or a worker's run awaited. */
export async function runQueuedImport(workspaceId: string, importId: string): Promise<ImportView> {
  if (await claimQueuedJob(importId)) await runImport({ workspaceId, importId });
  return waitForImport(workspaceId, importId);
}

/** Upload, start (the detected mapping unless given) and run: the finished import. */
export async function importCsv(
  tenant: Tenant,
  data: string | Uint8Array,
  options: Partial<ImportOptions> & { fileName?: string } = {},
): Promise<ImportView> {
  const { fileName, ...rest } = options;
  const uploaded = await upload(tenant, data, { fileName });
  await startImport({
    workspaceId: tenant.workspaceId,
    importId: uploaded.id,
    options: { dryRun: false, ...rest },
  });
  return runQueuedImport(tenant.workspaceId, uploaded.id);
}

type Counted = Pick<
  NonNullable<ImportView["counts"]>,
  "processed" | "inserted" | "updated" | "unchanged" | "duplicates" | "invalid"
>;

/** The six counters every test pins down exactly (total and bytesRead are progress only). */
export function countsOf(view: ImportView): Counted {
  expect(view.counts, `import ${view.id} has no counts`).not.toBeNull();
  const { processed, inserted, updated, unchanged, duplicates, invalid } = view.counts!;
  return { processed, inserted, updated, unchanged, duplicates, invalid };
}

export function counts(partial: Partial<Counted>): Counted {
  return {
    processed: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    invalid: 0,
    ...partial,
  };
}

export type StoredContact = {
  id: string;
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  attributes: Record<string, string>;
  source: string;
  groups: string[];
  updatedAt: Date;
};

/** The workspace's contacts by phone, each with its group names (sorted). */
export async function contactsIn(workspaceId: string): Promise<StoredContact[]> {
  const [rows, members] = await Promise.all([
    systemDb()
      .select()
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .orderBy(asc(contacts.phone)),
    systemDb()
      .select({ contactId: contactGroupMembers.contactId, name: contactGroups.name })
      .from(contactGroupMembers)
      .innerJoin(contactGroups, eq(contactGroups.id, contactGroupMembers.groupId))
      .where(eq(contactGroupMembers.workspaceId, workspaceId)),
  ]);
  return rows.map((c) => ({
    id: c.id,
    phone: c.phone,
    nombre: c.nombre,
    sustantivo: c.sustantivo,
    attributes: c.attributes,
    source: c.source,
    groups: members
      .filter((m) => m.contactId === c.id)
      .map((m) => m.name)
      .sort(),
    updatedAt: c.updatedAt,
  }));
}

/** phone → { nombre, sustantivo, groups, attributes }: the shape most assertions compare. */
export async function contactMap(workspaceId: string) {
  const rows = await contactsIn(workspaceId);
  return Object.fromEntries(
    rows.map((c) => [
      c.phone,
      { nombre: c.nombre, sustantivo: c.sustantivo, groups: c.groups, attributes: c.attributes },
    ]),
  );
}

export async function groupNamesIn(workspaceId: string): Promise<string[]> {
  const rows = await systemDb()
    .select({ name: contactGroups.name })
    .from(contactGroups)
    .where(eq(contactGroups.workspaceId, workspaceId));
  return rows.map((r) => r.name).sort();
}

export async function membershipRowsIn(workspaceId: string) {
  return systemDb()
    .select()
    .from(contactGroupMembers)
    .where(eq(contactGroupMembers.workspaceId, workspaceId))
    .orderBy(asc(contactGroupMembers.contactId), asc(contactGroupMembers.groupId));
}

export async function importErrorsOf(importId: string) {
  return systemDb()
    .select({
      rowNumber: contactImportErrors.rowNumber,
      reason: contactImportErrors.reason,
      raw: contactImportErrors.raw,
    })
    .from(contactImportErrors)
    .where(eq(contactImportErrors.importId, importId))
    .orderBy(asc(contactImportErrors.rowNumber), asc(contactImportErrors.id));
}

/** contact_import and contact_import_chunk rows of a workspace: what an upload left behind. */
export async function storedUploadsIn(workspaceId: string) {
  const [[imports], [chunks]] = await Promise.all([
    systemDb()
      .select({ n: count() })
      .from(contactImports)
      .where(eq(contactImports.workspaceId, workspaceId)),
    systemDb()
      .select({ n: count() })
      .from(contactImportChunks)
      .where(eq(contactImportChunks.workspaceId, workspaceId)),
  ]);
  return { imports: imports!.n, chunks: chunks!.n };
}

/** A byte stream as text, keeping a leading BOM (Response.text() would drop it). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = await new Response(stream).arrayBuffer();
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** Awaits a call that must fail with an AppError of `code`; returns the error. */
export async function expectAppError(
  call: Promise<unknown>,
  code: AppErrorCode,
): Promise<AppError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected an AppError ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** `count` distinct valid Paraguayan mobiles, in file order: 0981 1xx xxx (national form). */
export function paraguayMobiles(total: number, first = 0): { national: string; e164: string }[] {
  return Array.from({ length: total }, (_, i) => {
    const n = String(100_000 + first + i).padStart(6, "0");
    return { national: `0981${n}`, e164: `+595981${n}` };
  });
}
