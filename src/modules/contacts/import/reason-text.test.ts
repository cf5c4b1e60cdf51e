import { describe, expect, it } from "vitest";
import { normalisePhone } from "../phone";
import { localizeReason } from "./reason-text";

describe("localizeReason", () => {
  it("translates every reason normalisePhone gives into Spanish", () => {
    for (const raw of ["", "9".repeat(41), "hola", "12", "0981 12345 6789 0"]) {
      const result = normalisePhone(raw, "PY");
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const es = localizeReason(result.reason, "es");
      expect(es).not.toBe(result.reason);
      expect(es).toMatch(/teléfono|número/);
    }
  });

  it("keeps English as stored and leaves unknown reasons alone", () => {
    expect(localizeReason("phone too short", "en")).toBe("phone too short");
    expect(localizeReason("something new", "es")).toBe("something new");
    expect(localizeReason("not a valid phone number for AR", "es")).toBe(
      "no es un número válido para AR",
    );
  });

  it("translates the limit reasons", () => {
    for (const reason of [
      "name longer than 200 characters",
      "salutation longer than 200 characters",
      "attribute notas longer than 1000 characters",
      "more than 50 attributes",
      "more than 50 groups",
      "group name longer than 80 characters",
      "group name contains invisible characters",
    ]) {
      expect(localizeReason(reason, "es")).not.toBe(reason);
    }
  });
});
