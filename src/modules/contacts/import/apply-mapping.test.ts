import { describe, expect, it } from "vitest";
import { applyMapping } from "./apply-mapping";
import { escapeCsvCell } from "./csv-escape";
import { legacyMapping, mapHeaders } from "./header-map";

describe("applyMapping", () => {
  it("reads a headerless legacy row", () => {
    expect(
      applyMapping(
        [" 0981 123 456 ", "Sr.", "Juan Pérez", "vip|norte", "Asunción"],
        legacyMapping(5),
        ",",
      ),
    ).toEqual({
      phoneRaw: "0981 123 456",
      sustantivo: "Sr.",
      nombre: "Juan Pérez",
      groups: ["vip", "norte"],
      attributes: { col_5: "Asunción" },
    });
  });

  it("keeps attributes and omits empty ones", () => {
    const mapping = mapHeaders(["Teléfono", "Nombre", "Ciudad", "Empresa", ""]);
    expect(applyMapping(["+595981123456", "  ", "Luque", " ", "ignored"], mapping, ";")).toEqual({
      phoneRaw: "+595981123456",
      nombre: null,
      sustantivo: null,
      groups: [],
      attributes: { ciudad: "Luque" },
    });
  });

  it("tolerates rows shorter or longer than the mapping", () => {
    const mapping = mapHeaders(["phone", "name"]);
    expect(applyMapping(["0981123456"], mapping, ",").nombre).toBeNull();
    expect(applyMapping(["0981123456", "Ana", "extra"], mapping, ",").attributes).toEqual({});
  });

  it("undoes our export's formula guard so exports round-trip", () => {
    const mapping = mapHeaders(["phone", "name", "formula"]);
    const exported = ["+595981123456", "@ana", "=SUM(1)"].map((v) => escapeCsvCell(v));
    expect(exported).toEqual(["'+595981123456", "'@ana", "'=SUM(1)"]);
    const row = applyMapping(exported, mapping, ",");
    expect(row.phoneRaw).toBe("+595981123456");
    expect(row.nombre).toBe("@ana");
    expect(row.attributes).toEqual({ formula: "=SUM(1)" });
    expect(applyMapping(["0981", "O'Brien"], mapping, ",").nombre).toBe("O'Brien");
  });

  it("splits groups with the file's delimiter rule", () => {
    const mapping = mapHeaders(["phone", "groups"]);
    expect(applyMapping(["0981", "a;b"], mapping, ",").groups).toEqual(["a", "b"]);
    expect(applyMapping(["0981", "a;b"], mapping, ";").groups).toEqual(["a;b"]);
  });

  it("caps names at 200 and attribute values at 1000 characters", () => {
    const mapping = mapHeaders(["phone", "nombre", "saludo", "notas"]);
    const row = applyMapping(
      ["0981", "n".repeat(300), "s".repeat(300), "x".repeat(2000)],
      mapping,
      ",",
    );
    expect(row.nombre).toHaveLength(200);
    expect(row.sustantivo).toHaveLength(200);
    expect(row.attributes.notas).toHaveLength(1000);
  });

  it("never cuts an emoji in half", () => {
    const mapping = mapHeaders(["phone", "nombre"]);
    const nombre = applyMapping(["0981", `${"n".repeat(199)}😀`], mapping, ",").nombre!;
    expect(nombre).toBe("n".repeat(199));
    expect(JSON.stringify(nombre)).not.toMatch(/\\ud/);
  });
});
