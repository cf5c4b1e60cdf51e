/**
 * The audience subquery contacts hands to campaigns: one row per contact of the chosen groups
 * minus the excluded ones, each filed under the first of its chosen groups by name; only the
 * workspace's own groups count.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { audienceSql, type AudienceFilter } from "@/modules/contacts/contacts-audience";
import { closeDatabase } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { phones, seedContacts } from "../helpers/campaigns";
import { freshTenant } from "../helpers/import";

type Row = {
  phone: string;
  group_id: string | null;
  group_name: string | null;
  opted_out: boolean;
};

async function audience(workspaceId: string, filter: Partial<AudienceFilter>): Promise<Row[]> {
  const full = { groupIds: [], excludeGroupIds: [], sources: [], ...filter };
  return withTenant({ workspaceId }, async (tx) => {
    const { rows } = await tx.execute<Row>(sql`
      select phone, group_id, group_name, opted_out from (${audienceSql(workspaceId, full)}) a
       order by phone`);
    return rows;
  });
}

describe("campaign audience from contacts", () => {
  afterAll(() => closeDatabase());

  it("files each contact once, under the first chosen group by name", async () => {
    const t = await freshTenant();
    const other = await freshTenant();
    const [p1, p2, p3, p4, p5] = phones(5);
    const groups = await seedContacts(t.workspaceId, [
      { phone: p1!, nombre: "Ana", groups: ["VIP", "clientes"] },
      { phone: p2!, nombre: "Beto", groups: ["VIP"] },
      { phone: p3!, nombre: "Caro", groups: ["clientes", "Zona sur"], optedOut: true },
      { phone: p4!, nombre: "Dani", groups: ["VIP", "Bajas"] },
      { phone: p5!, nombre: "Eva", groups: ["Zona sur"] },
    ]);
    const foreign = await seedContacts(other.workspaceId, [
      { phone: p5!, nombre: "Eva", groups: ["Ajenos"] },
    ]);
    const id = (name: string) => groups.get(name)!;

    const rows = await audience(t.workspaceId, {
      groupIds: [id("VIP"), id("clientes"), foreign.get("Ajenos")!],
      excludeGroupIds: [id("Bajas")],
    });
    expect(rows).toEqual([
      { phone: p1, group_id: id("clientes"), group_name: "clientes", opted_out: false },
      { phone: p2, group_id: id("VIP"), group_name: "VIP", opted_out: false },
      { phone: p3, group_id: id("clientes"), group_name: "clientes", opted_out: true },
    ]);

    // Another workspace's group reaches nobody, in either workspace.
    expect(await audience(t.workspaceId, { groupIds: [foreign.get("Ajenos")!] })).toEqual([]);
    expect(await audience(other.workspaceId, { groupIds: [id("VIP")] })).toEqual([]);

    // No group: every contact of the workspace, without a group.
    const all = await audience(t.workspaceId, { excludeGroupIds: [id("Zona sur")] });
    expect(all.map((r) => [r.phone, r.group_id])).toEqual([
      [p1, null],
      [p2, null],
      [p4, null],
    ]);
  });
});
