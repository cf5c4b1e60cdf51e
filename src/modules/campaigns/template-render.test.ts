import { describe, expect, it } from "vitest";
import { renderTemplate, requiredVariables, templateVariables } from "./template-render";

const ana = { nombre: "Ana", sustantivo: "Sra.", attributes: { Ciudad: "Luque", vacio: "  " } };

describe("renderTemplate", () => {
  it("fills nombre, sustantivo and attributes (case-insensitive names)", () => {
    expect(renderTemplate("Hola {{sustantivo}} {{ nombre }}, ¿seguís en {{ciudad}}?", ana)).toEqual(
      {
        ok: true,
        text: "Hola Sra. Ana, ¿seguís en Luque?",
      },
    );
  });

  it("uses the fallback for a missing or blank value", () => {
    expect(
      renderTemplate("Hola {{nombre|cliente}} de {{vacio|tu ciudad}}", {
        nombre: " ",
        attributes: { vacio: "" },
      }),
    ).toEqual({
      ok: true,
      text: "Hola cliente de tu ciudad",
    });
  });

  it("names every unresolved variable without a fallback", () => {
    expect(renderTemplate("{{nombre}} {{empresa}} {{empresa}}", { nombre: null })).toEqual({
      ok: false,
      missing: ["nombre", "empresa"],
    });
  });

  it("leaves text without variables as is", () => {
    expect(renderTemplate("Sin variables {{", ana)).toEqual({ ok: true, text: "Sin variables {{" });
  });
});

describe("variables", () => {
  it("lists variables with fallbacks, and the required ones", () => {
    expect(templateVariables("{{Nombre|amigo}} {{ciudad}}")).toEqual([
      { name: "nombre", fallback: "amigo" },
      { name: "ciudad", fallback: null },
    ]);
    expect(requiredVariables(["{{nombre|x}} {{ciudad}}", "{{sustantivo}} {{ciudad}}"])).toEqual([
      "ciudad",
      "sustantivo",
    ]);
  });
});
