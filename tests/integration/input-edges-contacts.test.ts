/**
 * Contact input edges: a phone changed to a suppressed one is opted out (as on create and
 * import); a CSV syntax error past the preview's 64 KiB fails the import with the file's own
 * code; a UTF-8 BOM wins over a few bad bytes later in the file; group names whose lowercase
 * differs between JavaScript and Postgres (final sigma, dotted I) resolve; imported and mapped
 * attribute keys never take reserved names.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/v1/contacts/imports/route";
import { suppressions } from "@/modules/campaigns/campaigns.table";
import { RESERVED_ATTRIBUTE_KEYS } from "@/modules/contacts/contacts.schema";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { callerFor } from "../helpers/campaigns";
import {
  contactMap,
  counts,
  countsOf,
  freshTenant,
  groupNamesIn,
  importCsv,
  paraguayMobiles,
} from "../helpers/import";
import { call, keyFor, type ErrorBody } from "./api-helpers";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

describe("contact input edges", () => {
  it("a phone changed to a suppressed one comes back opted out, since the suppression", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    const a = await api.contacts.create({ phone: "0981 740 001", nombre: "Ana" });
    await api.contacts.optOut({ id: a.id, reason: "Respondió BAJA" });
    await api.contacts.delete({ id: a.id });
    const [suppression] = await systemDb()
      .select()
      .from(suppressions)
      .where(
        and(eq(suppressions.workspaceId, t.workspaceId), eq(suppressions.phone, "+595981740001")),
      );
    expect(suppression, "the deleted contact's phone stays suppressed").toBeDefined();

    const b = await api.contacts.create({ phone: "0981 740 002", nombre: "Beto" });
    expect(b.optedOutAt).toBeNull();
    const updated = await api.contacts.update({ id: b.id, phone: "0981740001" });
    expect(updated.phone).toBe("+595981740001");
    expect(updated.optedOutAt).toEqual(suppression!.createdAt);
    expect(updated.optOutReason).toBe("suppressed");
    // Stored, not just returned.
    const fetched = await api.contacts.get({ id: b.id });
    expect(fetched.optedOutAt).toEqual(suppression!.createdAt);
    expect(fetched.optOutReason).toBe("suppressed");
  });

  it("an unclosed quote past the first 64 KiB fails the import as not readable, with its line", async () => {
    const t = await freshTenant();
    const phones = paraguayMobiles(3000);
    const rows = phones.map((p, i) =>
      i === phones.length - 1
        ? `${p.national},"Nombre sin cerrar ${i}`
        : `${p.national},Nombre Apellido ${i},Clientes`,
    );
    const file = `telefono,nombre,grupo\n${rows.join("\n")}\n`;
    expect(Buffer.byteLength(file)).toBeGreaterThan(64 * 1024);
    const view = await importCsv(t, file);
    expect(view.status).toBe("failed");
    // The file's own fault with its line (the last row, line 3,001: far past the preview),
    // not the generic "stopped after N rows".
    expect(view.error).toEqual({ key: "import.notReadable", params: { line: 3001 } });
  });

  it("a UTF-8 BOM wins over a lone bad byte later: the header is found, accents survive", async () => {
    const t = await freshTenant();
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("Teléfono;Nombre\r\n0981123456;María\r\n0981123457;José\r\n", "utf8"),
      Buffer.from("0981123458;Ren", "utf8"),
      Buffer.from([0xe9]), // a lone Windows-1252 "é": not valid UTF-8
      Buffer.from("\r\n", "utf8"),
    ]);
    const view = await importCsv(t, new Uint8Array(bytes));
    expect(view.status).toBe("completed");
    expect(view.detected?.encoding).toBe("utf8");
    expect(view.detected?.headers).toEqual(["Teléfono", "Nombre"]);
    expect(view.detected?.mapping).toEqual([
      { kind: "field", field: "phone" },
      { kind: "field", field: "nombre" },
    ]);
    expect(countsOf(view)).toEqual(counts({ processed: 3, inserted: 3 }));
    const stored = await contactMap(t.workspaceId);
    expect(stored["+595981123456"]?.nombre).toBe("María");
    expect(stored["+595981123457"]?.nombre).toBe("José");
    expect(stored["+595981123458"]?.nombre).toBe("Ren\uFFFD");
  });

  it("contacts.create resolves group names JavaScript and Postgres lowercase differently", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    await api.contacts.create({ phone: "0981 740 101", groups: ["ΣΑΣ", "İstanbul"] });
    const stored = await contactMap(t.workspaceId);
    expect(stored["+595981740101"]?.groups).toEqual(["İstanbul", "ΣΑΣ"].sort());
    expect(await groupNamesIn(t.workspaceId)).toEqual(["İstanbul", "ΣΑΣ"].sort());
    // The same names again (another contact) reuse the groups rather than failing or doubling.
    await api.contacts.create({ phone: "0981 740 102", groups: ["ΣΑΣ"] });
    expect((await contactMap(t.workspaceId))["+595981740102"]?.groups).toEqual(["ΣΑΣ"]);
    expect(await groupNamesIn(t.workspaceId)).toEqual(["İstanbul", "ΣΑΣ"].sort());
  });

  it("bulk addToGroup by a name with a final sigma creates the group and adds the contacts", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    const c = await api.contacts.create({ phone: "0981 740 111" });
    const d = await api.contacts.create({ phone: "0981 740 112" });
    const res = await api.contacts.bulk({
      ids: [c.id, d.id],
      action: "addToGroup",
      groupName: "ΟΔΟΣ",
    });
    expect(res.affected).toBe(2);
    const group = (await api.groups.options({})).find((g) => g.name === "ΟΔΟΣ");
    expect(group, "the bulk action created the group").toBeDefined();
    const members = await api.contacts.list({ groupId: group!.id });
    expect(members.rows.map((r) => r.id).sort()).toEqual([c.id, d.id].sort());
    // A second time by name finds the same group: nothing more to add.
    const again = await api.contacts.bulk({
      ids: [c.id, d.id],
      action: "addToGroup",
      groupName: "ΟΔΟΣ",
    });
    expect(again.affected).toBe(0);
    expect(await groupNamesIn(t.workspaceId)).toEqual(["ΟΔΟΣ"]);
  });

  it("detected attribute keys never take a reserved name", async () => {
    const t = await freshTenant();
    const view = await importCsv(
      t,
      "Teléfono;Número;Nombre;Grupo;Lista\n0981740201;0981740299;Ana;VIP;Clientes\n",
    );
    expect(view.status).toBe("completed");
    const mapping = view.detected!.mapping;
    expect(mapping).toEqual([
      { kind: "field", field: "phone" },
      { kind: "attribute", key: "numero_2" },
      { kind: "field", field: "nombre" },
      { kind: "field", field: "groups" },
      { kind: "attribute", key: "lista" },
    ]);
    const reserved = new Set<string>(RESERVED_ATTRIBUTE_KEYS);
    for (const target of mapping) {
      if (target.kind === "attribute") expect(reserved.has(target.key), target.key).toBe(false);
    }
    const stored = await contactMap(t.workspaceId);
    expect(stored["+595981740201"]).toEqual({
      nombre: "Ana",
      sustantivo: null,
      groups: ["VIP"],
      attributes: { numero_2: "0981740299", lista: "Clientes" },
    });
  });

  it("a mapping with a reserved or badly formed attribute key is refused with 400", async () => {
    const t = await freshTenant();
    const { secret } = await keyFor(t.workspaceId);
    const send = (key: string) => {
      const data = new FormData();
      data.append("dryRun", "true");
      data.append(
        "mapping",
        JSON.stringify([
          { kind: "field", field: "phone" },
          { kind: "attribute", key },
        ]),
      );
      data.append(
        "file",
        new Blob(["telefono,otro\n0981740301,x\n"], { type: "text/csv" }),
        "c.csv",
      );
      return call(uploadRoute, {
        method: "POST",
        path: "/contacts/imports",
        key: secret,
        rawBody: data,
      });
    };
    const refusedWith = async (key: string) => {
      const res = await send(key);
      expect(res.status, key).toBe(400);
      const body = (await res.json()) as ErrorBody & {
        error: { fieldErrorKeys?: Record<string, { key: string }[]> };
      };
      return body.error.fieldErrorKeys?.["mapping.1.key"]?.map((r) => r.key);
    };
    expect(await refusedWith("numero")).toEqual(["contact.attributeKeyReserved"]);
    expect(await refusedWith("_x")).toEqual(["contact.attributeKeyFormat"]);
    expect(await refusedWith("a__b")).toEqual(["contact.attributeKeyFormat"]);
    // A well-formed, unreserved key is taken.
    expect((await send("numero_2")).status).toBe(202);
  });
});
