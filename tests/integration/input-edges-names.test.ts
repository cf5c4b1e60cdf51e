/**
 * Names people tell apart by eye: group names are NFKC-normalised before they are stored and
 * compared, so `ＶＩＰ` and a decomposed `José` collide with `VIP` and `José`, and names with
 * invisible or direction-changing characters are refused. Member search treats `%` and `_`
 * as the characters typed, not as wildcards.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";
import { groupNamesIn } from "../helpers/import";

async function codeOf(call: Promise<unknown>): Promise<string | null> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  return err instanceof TRPCError ? err.code : null;
}

describe("group names and member search", () => {
  let ws: Workspace;
  let admin: User;

  beforeAll(async () => {
    [ws, admin] = await Promise.all([createWorkspace(), createUser({ name: "Admin 100%" })]);
    await addMember(ws, admin, "admin", "owner");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const api = () => createCaller(contextFor(admin, ws.id));

  it("look-alike group names collide with the existing group", async () => {
    await api().groups.create({ name: "VIP" });
    const jose = await api().groups.create({ name: "Jose\u0301" });
    expect(jose.name).toBe("José");

    expect(await codeOf(api().groups.create({ name: "ＶＩＰ" }))).toBe("CONFLICT");
    expect(await codeOf(api().groups.create({ name: " ｖｉｐ " }))).toBe("CONFLICT");
    expect(await codeOf(api().groups.create({ name: "José" }))).toBe("CONFLICT");
    expect(await codeOf(api().groups.rename({ id: jose.id, name: "ＶＩＰ" }))).toBe("CONFLICT");
    expect(await groupNamesIn(ws.id)).toEqual(["José", "VIP"]);
  });

  it("refuses invisible and direction-changing characters, with the field named", async () => {
    for (const name of [
      "V\u200bIP",
      "VIP\u200d",
      "\u202eVIP",
      "V\u2066IP",
      "V\ufeffIP",
      "V\u00adIP",
    ]) {
      const err = await api()
        .groups.create({ name })
        .then(
          () => null,
          (e: unknown) => e as TRPCError,
        );
      expect(err?.code, JSON.stringify(name)).toBe("BAD_REQUEST");
    }
    // A contact's groups go through the same rule.
    expect(
      await codeOf(api().contacts.create({ phone: "0981123456", groups: ["V\u200bIP"] })),
    ).toBe("BAD_REQUEST");
    // Emoji sequences joined by ZWJ are what they look like.
    expect((await api().groups.create({ name: "Familia 👨‍👩‍👧" })).name).toBe("Familia 👨‍👩‍👧");
    expect(await groupNamesIn(ws.id)).toEqual(["Familia 👨‍👩‍👧", "José", "VIP"]);
  });

  it("member search matches % and _ literally", async () => {
    const [underscore, space, plain] = await Promise.all([
      createUser({ name: "Ana_Maria Search" }),
      createUser({ name: "Ana Maria Search" }),
      createUser({ name: "Beto Search" }),
    ]);
    for (const u of [underscore, space, plain]) await addMember(ws, u, "viewer");
    const names = async (search: string) =>
      (await api().members.list({ search })).rows.map((r) => r.name).sort();

    expect(await names("a_m")).toEqual(["Ana_Maria Search"]);
    expect(await names("%")).toEqual(["Admin 100%"]);
    expect(await names("search")).toEqual(["Ana Maria Search", "Ana_Maria Search", "Beto Search"]);
    expect(await names("\\")).toEqual([]);
  });
});
