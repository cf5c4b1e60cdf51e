/**
 * CSV import, tenant isolation: importing into workspace B never touches workspace A's
 * contact with the same phone, nor A's group of the same name, and B cannot see, start,
 * cancel or download A's import — through the service or through tRPC.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import {
  cancelImport,
  getImport,
  listImports,
  startImport,
} from "@/modules/contacts/imports.service";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { createCaller } from "@/server/root";
import { contextFor } from "../helpers/fixtures";
import {
  contactsIn,
  counts,
  countsOf,
  expectAppError,
  freshTenant,
  importCsv,
  membershipRowsIn,
  readAll,
  upload,
  type StoredContact,
  type Tenant,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

async function trpcCode(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

describe("CSV import: tenant isolation", () => {
  let a: Tenant;
  let b: Tenant;
  let importA: string;
  let contactsA: StoredContact[];
  let membershipsA: Awaited<ReturnType<typeof membershipRowsIn>>;
  let pendingA: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([freshTenant(), freshTenant()]);
    const done = await importCsv(
      a,
      "telefono,nombre,grupo,ciudad\n0981 123 456,Ana de A,Clientes,Asunción\nmalo,X,,\n",
    );
    importA = done.id;
    contactsA = await contactsIn(a.workspaceId);
    membershipsA = await membershipRowsIn(a.workspaceId);
    pendingA = (await upload(a, "telefono\n0982 200 002\n")).id;
  });

  it("B's import of the same phone and group name leaves A's rows alone; B gets its own", async () => {
    const done = await importCsv(
      b,
      "telefono,nombre,grupo,ciudad\n+595981123456,Beto de B,Clientes,Luque\n",
    );
    // Inserted, not updated: B had no such contact, whatever A has.
    expect(countsOf(done)).toEqual(counts({ processed: 1, inserted: 1 }));

    expect(await contactsIn(a.workspaceId)).toEqual(contactsA);
    expect(await membershipRowsIn(a.workspaceId)).toEqual(membershipsA);

    const [mine] = await contactsIn(b.workspaceId);
    expect(mine).toMatchObject({
      phone: "+595981123456",
      nombre: "Beto de B",
      groups: ["Clientes"],
      attributes: { ciudad: "Luque" },
    });
    expect(mine!.id).not.toBe(contactsA[0]!.id);
    const [memberB] = await membershipRowsIn(b.workspaceId);
    expect(memberB!.groupId).not.toBe(membershipsA[0]!.groupId);
  });

  it("the service answers NOT_FOUND for A's import asked from B", async () => {
    const asB = { workspaceId: b.workspaceId, importId: importA };
    await expectAppError(getImport(asB), "NOT_FOUND");
    await expectAppError(
      cancelImport({ workspaceId: b.workspaceId, importId: pendingA }),
      "NOT_FOUND",
    );
    await expectAppError(
      startImport({ ...asB, importId: pendingA, options: { dryRun: false } }),
      "NOT_FOUND",
    );
    expect(
      (await listImports({ workspaceId: b.workspaceId, page: 1, pageSize: 50 })).rows.map(
        (r) => r.id,
      ),
    ).not.toContain(importA);
    // A's rejected rows are not readable from B: only the two extra columns' header comes back.
    expect(await readAll(rejectedRowsCsv(asB))).toBe("\uFEFFfila_rechazada,motivo_rechazo\r\n");
    // A's pending upload is still A's to start.
    expect((await getImport({ workspaceId: a.workspaceId, importId: pendingA })).status).toBe(
      "uploaded",
    );
  });

  it("tRPC: B's member gets NOT_FOUND for A's import; A's member sees it", async () => {
    const asB = createCaller(contextFor(b.user, b.workspaceId));
    expect(await trpcCode(asB.imports.get({ importId: importA }))).toBe("NOT_FOUND");
    expect(await trpcCode(asB.imports.start({ importId: pendingA, dryRun: false }))).toBe(
      "NOT_FOUND",
    );
    expect(await trpcCode(asB.imports.cancel({ importId: pendingA }))).toBe("NOT_FOUND");
    expect((await asB.imports.list({})).rows.map((r) => r.id)).not.toContain(importA);
    // Naming A's workspace does not help a non-member.
    const bInA = createCaller(contextFor(b.user, a.workspaceId));
    expect(await trpcCode(bInA.imports.get({ importId: importA }))).toBe("FORBIDDEN");

    const asA = createCaller(contextFor(a.user, a.workspaceId));
    const seen = await asA.imports.get({ importId: importA });
    expect(seen).toMatchObject({ id: importA, status: "completed" });
    expect(countsOf(seen)).toEqual(counts({ processed: 2, inserted: 1, invalid: 1 }));
  });
});
