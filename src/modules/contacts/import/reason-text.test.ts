import { describe, expect, it } from "vitest";
import { encodeErrorRef, errorRef } from "@/lib/error-ref";
import { normalisePhone } from "../phone";
import { applyMapping } from "./apply-mapping";
import { localizeReason } from "./reason-text";

describe("localizeReason", () => {
  it("writes every reason normalisePhone gives in the reader's language", () => {
    for (const raw of ["", "9".repeat(41), "hola", "12", "0981 12345 6789 0"]) {
      const result = normalisePhone(raw, "PY");
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const stored = encodeErrorRef(result.reason);
      expect(localizeReason(stored, "es")).toMatch(/teléfono/);
      expect(localizeReason(stored, "en")).toMatch(/phone/);
    }
    const wrong = normalisePhone("0981 12345 6789 0", "AR");
    expect(wrong.ok || encodeErrorRef(wrong.reason)).toBe(
      'phone.invalidForCountry {"country":"AR"}',
    );
    expect(localizeReason('phone.invalidForCountry {"country":"AR"}', "es")).toBe(
      "No es un número de teléfono válido para AR",
    );
  });

  it("writes the limit reasons the mapping stores, with their values", () => {
    const row = applyMapping(
      ["0981", "x".repeat(201)],
      [
        { kind: "field", field: "phone" },
        { kind: "field", field: "nombre" },
      ],
      ",",
    );
    expect(row.problem).toBe('import.nameTooLong {"max":200}');
    expect(localizeReason(row.problem!, "es")).toBe("El nombre tiene más de 200 caracteres");
    expect(localizeReason(row.problem!, "en")).toBe("The name is longer than 200 characters");
    expect(localizeReason(encodeErrorRef(errorRef("import.rowNul")), "es")).toBe(
      "La fila contiene un carácter NUL",
    );
  });

  it("shows reasons stored before codes as they were written", () => {
    expect(localizeReason("phone too short", "es")).toBe("phone too short");
    expect(localizeReason("something new {", "en")).toBe("something new {");
  });
});
