import { describe, expect, it } from "vitest";
import { foldReply, isOptOutReply } from "./opt-out-keywords";

const KEYWORDS = ["STOP", "BAJA", "NO MAS", "UNSUBSCRIBE"];

describe("isOptOutReply", () => {
  it("matches keywords whatever the case, accents and punctuation", () => {
    for (const reply of ["stop", "Baja", "¡BAJA!", "no más", "No  Más.", " unsubscribe "]) {
      expect(isOptOutReply(reply, KEYWORDS), reply).toBe(true);
    }
  });

  it("does not opt out ordinary replies that merely contain a keyword", () => {
    for (const reply of [
      "no paren de mandarme ofertas, bajá el precio",
      "stop by tomorrow",
      "",
      "??",
    ]) {
      expect(isOptOutReply(reply, KEYWORDS), reply).toBe(false);
    }
  });

  it("folds to upper case ASCII words", () => {
    expect(foldReply("  ¿No más?  ")).toBe("NO MAS");
  });
});
