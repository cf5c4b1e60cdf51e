import { describe, expect, it } from "vitest";
import {
  foldHeader,
  hasPhoneColumn,
  isHeaderRow,
  LEGACY_MAPPING,
  legacyMapping,
  mapHeaders,
} from "./header-map";

const field = (f: string) => ({ kind: "field", field: f });
const attribute = (key: string) => ({ kind: "attribute", key });

describe("foldHeader", () => {
  it("trims, lowercases, strips accents, BOM and separators", () => {
    expect(foldHeader("\uFEFF  Teléfono_Móvil ")).toBe("telefono movil");
    expect(foldHeader("NÚMERO--de   TELÉFONO")).toBe("numero de telefono");
  });
});

describe("mapHeaders", () => {
  it("maps Spanish headers with accents and any case", () => {
    expect(mapHeaders(["Número", "SUSTANTIVO", "Nombre Completo", "Grupos"])).toEqual([
      field("phone"),
      field("sustantivo"),
      field("nombre"),
      field("groups"),
    ]);
  });

  it("maps English headers in any order", () => {
    expect(mapHeaders(["Tags", "Full Name", "Title", "Phone Number"])).toEqual([
      field("groups"),
      field("nombre"),
      field("sustantivo"),
      field("phone"),
    ]);
  });

  it("knows the usual Spanish phone headings", () => {
    for (const h of [
      "Teléfono",
      "tel.",
      "Celular",
      "MÓVIL",
      "WhatsApp",
      "Nro",
      "Número de teléfono",
    ]) {
      expect(mapHeaders([h])).toEqual([field("phone")]);
    }
  });

  it("keeps unknown columns as attributes keyed by their folded name", () => {
    expect(mapHeaders(["telefono", "Ciudad", "Fecha de Alta", "Código Postal (CP)"])).toEqual([
      field("phone"),
      attribute("ciudad"),
      attribute("fecha_de_alta"),
      attribute("codigo_postal_cp"),
    ]);
  });

  it("turns a second column for the same field into an attribute", () => {
    expect(mapHeaders(["Teléfono", "Celular", "Nombre", "nombre"])).toEqual([
      field("phone"),
      attribute("celular"),
      field("nombre"),
      attribute("nombre_2"),
    ]);
  });

  it("dedupes attribute keys and ignores empty headers", () => {
    expect(mapHeaders(["phone", "Ciudad", "", "ciudad", "  ", "CIUDAD"])).toEqual([
      field("phone"),
      attribute("ciudad"),
      { kind: "ignore" },
      attribute("ciudad_2"),
      { kind: "ignore" },
      attribute("ciudad_3"),
    ]);
  });

  it("produces keys the import options schema accepts", () => {
    const [, long, symbols] = mapHeaders(["phone", "x".repeat(60), "¿?"]);
    expect(long).toEqual(attribute("x".repeat(40)));
    expect(symbols).toEqual(attribute("col_3"));
  });
});

describe("isHeaderRow", () => {
  it("is true for a header row", () => {
    expect(isHeaderRow(["Número", "Nombre", "Ciudad"])).toBe(true);
    expect(isHeaderRow(["phone"])).toBe(true);
  });

  it("is false for the first data row of a headerless legacy file", () => {
    expect(isHeaderRow(["0981 123 456", "Sr.", "Contacto", "Lista"])).toBe(false);
    expect(isHeaderRow(["+595981123456", "Señora", "Ana", "vip"])).toBe(false);
  });

  it("is false when no cell is a known header", () => {
    expect(isHeaderRow(["Ciudad", "Empresa"])).toBe(false);
    expect(isHeaderRow([])).toBe(false);
  });
});

describe("legacy layout", () => {
  it("is numero, sustantivo, nombre, grupo", () => {
    expect(LEGACY_MAPPING).toEqual([
      field("phone"),
      field("sustantivo"),
      field("nombre"),
      field("groups"),
    ]);
  });

  it("turns extra columns into col_5, col_6…", () => {
    expect(legacyMapping(6).slice(4)).toEqual([attribute("col_5"), attribute("col_6")]);
    expect(legacyMapping(2)).toEqual([field("phone"), field("sustantivo")]);
  });
});

describe("hasPhoneColumn", () => {
  it("says whether a mapping has the phone field", () => {
    expect(hasPhoneColumn(mapHeaders(["Nombre", "Celular"]))).toBe(true);
    expect(hasPhoneColumn(mapHeaders(["Nombre", "Ciudad"]))).toBe(false);
  });
});
