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
    const exported = ["+595 981 123456", "@ana", "=SUM(1)"].map((v) => escapeCsvCell(v));
    expect(exported).toEqual(["'+595 981 123456", "'@ana", "'=SUM(1)"]);
    const row = applyMapping(exported, mapping, ",");
    expect(row.phoneRaw).toBe("+595 981 123456");
    expect(row.nombre).toBe("@ana");
    expect(row.attributes).toEqual({ formula: "=SUM(1)" });
    expect(applyMapping(["0981", "O'Brien"], mapping, ",").nombre).toBe("O'Brien");
  });

  it("splits groups with the file's delimiter rule", () => {
    const mapping = mapHeaders(["phone", "groups"]);
    expect(applyMapping(["0981", "a;b"], mapping, ",").groups).toEqual(["a", "b"]);
    expect(applyMapping(["0981", "a;b"], mapping, ";").groups).toEqual(["a;b"]);
  });

  it("flags values over the form's limits instead of cutting them", () => {
    const mapping = mapHeaders(["phone", "nombre", "saludo", "notas", "grupo"]);
    const problem = (cells: string[]) => applyMapping(cells, mapping, ",").problem;
    expect(problem(["0981", "n".repeat(200), "s".repeat(200), "x".repeat(1000), "g"])).toBe(
      undefined,
    );
    expect(problem(["0981", "n".repeat(201)])).toBe('import.nameTooLong {"max":200}');
    expect(problem(["0981", "", "s".repeat(201)])).toBe('import.salutationTooLong {"max":200}');
    expect(problem(["0981", "", "", "x".repeat(1001)])).toBe(
      'import.attributeTooLong {"key":"notas","max":1000}',
    );
    expect(problem(["0981", "", "", "", "g".repeat(81)])).toBe(
      'import.groupNameTooLong {"max":80}',
    );
    expect(problem(["0981", "", "", "", "V\u200bIP"])).toBe("import.groupNameInvisible");
    const many = Array.from({ length: 51 }, (_, i) => `g${i}`).join("|");
    expect(problem(["0981", "", "", "", many])).toBe('import.tooManyGroups {"max":50}');
    const row = applyMapping(["0981", "n".repeat(300)], mapping, ",");
    expect(row.nombre).toHaveLength(300);
  });

  it("flags more than 50 attributes", () => {
    const headers = ["phone", ...Array.from({ length: 51 }, (_, i) => `campo ${i}`)];
    const mapping = mapHeaders(headers);
    const cells = ["0981", ...headers.slice(1).map(() => "x")];
    expect(applyMapping(cells, mapping, ",").problem).toBe('import.tooManyAttributes {"max":50}');
    cells[51] = "";
    expect(applyMapping(cells, mapping, ",").problem).toBeUndefined();
  });
});
