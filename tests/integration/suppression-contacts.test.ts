/**
 * The suppression list outlives contacts: an opted-out phone stays opted out when its
 * contact is deleted and created again by hand or re-imported, and only an opt-in with a
 * reason lifts it.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, systemDb } from "@/server/db/client";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, importCsv } from "../helpers/import";

async function suppressed(workspaceId: string, phone: string) {
  const { rows } = await systemDb().execute(
    sql`select 1 from suppression where workspace_id = ${workspaceId} and phone = ${phone}`,
  );
  return rows.length === 1;
}

describe("suppression list and contacts", () => {
  afterAll(() => closeDatabase());

  it("keeps a phone opted out through deletion, re-creation and re-import", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    const phone = "+595981730001";
    const c = await api.contacts.create({ phone: "0981 730 001", nombre: "Rosa" });
    await api.contacts.optOut({ id: c.id, reason: "Respondió BAJA" });
    expect(await suppressed(t.workspaceId, phone)).toBe(true);

    await api.contacts.delete({ id: c.id });
    const again = await api.contacts.create({ phone: "0981730001", nombre: "Rosa" });
    expect(again.optedOutAt).toBeInstanceOf(Date);

    await api.contacts.delete({ id: again.id });
    await importCsv(t, "numero,nombre\n0981730001,Rosa\n0981730002,Otra\n");
    const list = await api.contacts.list({});
    expect(list.rows.find((r) => r.phone === phone)?.optedOutAt).toBeInstanceOf(Date);
    expect(list.rows.find((r) => r.phone === "+595981730002")?.optedOutAt).toBeNull();
  });

  it("lifts the suppression only with a reason", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    const c = await api.contacts.create({ phone: "0981 730 101" });
    await api.contacts.optOut({ id: c.id, reason: "Pidió no recibir más" });
    // A client that skips the reason (the type requires it) is refused.
    const noReason = { id: c.id } as { id: string; reason: string };
    await expect(api.contacts.optIn(noReason)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await suppressed(t.workspaceId, "+595981730101")).toBe(true);
    const back = await api.contacts.optIn({ id: c.id, reason: "Firmó consentimiento nuevo" });
    expect(back.optedOutAt).toBeNull();
    expect(await suppressed(t.workspaceId, "+595981730101")).toBe(false);
  });
});
