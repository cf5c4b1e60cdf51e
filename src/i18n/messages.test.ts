import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "./locales";

type Messages = { [key: string]: string | Messages };

const ROOT = path.resolve(__dirname, "../../messages");
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Messages;

/** Each locale's catalog as the app loads it: the core file plus one namespace per feature file. */
function catalog(locale: Locale): Messages {
  const features = readdirSync(path.join(ROOT, locale)).filter((f) => f.endsWith(".json"));
  return {
    ...readJson(path.join(ROOT, `${locale}.json`)),
    ...Object.fromEntries(
      features.map((f) => [f.replace(/\.json$/, ""), readJson(path.join(ROOT, locale, f))]),
    ),
  };
}

function entries(messages: Messages, prefix = ""): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "string"
      ? [[`${prefix}${key}`, value] as [string, string]]
      : entries(value, `${prefix}${key}.`),
  );
}

// Keys are checked at run time here: the catalogs are read from disk, not typed.
type Translate = (key: string, values: Record<string, number>) => string;
const translate = (locale: Locale) =>
  createTranslator({ locale, messages: catalog(locale) }) as unknown as Translate;

// Counts are ICU plurals over the whole phrase: "Primera fila", never "Primeras 1 fila".
describe("message catalogs", () => {
  it("agrees the whole phrase with the count in Spanish", () => {
    const t = translate("es");
    expect(t("imports.mapping.sampleCaption", { count: 1 })).toBe("Primera fila del archivo");
    expect(t("imports.mapping.sampleCaption", { count: 5 })).toBe("Primeras 5 filas del archivo");
    expect(t("imports.result.completedBody", { count: 1 })).toBe("Se leyó 1 fila.");
    expect(t("imports.result.completedBody", { count: 1200 })).toBe("Se leyeron 1200 filas.");
    expect(t("imports.sizeBytes", { count: 1 })).toBe("1 byte");
    expect(t("imports.sizeBytes", { count: 99 })).toBe("99 bytes");
    expect(t("imports.progress.rateValue", { rate: 1 })).toBe("1 fila/s");
    expect(t("bots.today", { sent: 1, failed: 0 })).toBe("1 enviado · 0 fallidos");
    expect(t("bots.pacing.uniqueCap", { n: 1 })).toBe("1 persona/día");
    expect(t("dashboard.importRows", { count: 1 })).toBe("1 fila");
  });

  it("does the same in English, numbers grouped for the reader", () => {
    const t = translate("en");
    expect(t("imports.mapping.sampleCaption", { count: 1 })).toBe("First row of the file");
    expect(t("imports.mapping.sampleCaption", { count: 20 })).toBe("First 20 rows of the file");
    expect(t("imports.sizeBytes", { count: 99 })).toBe("99 bytes");
    expect(t("bots.today", { sent: 1234, failed: 1 })).toBe("1,234 sent · 1 failed");
    expect(t("bots.pacing.uniqueCap", { n: 1 })).toBe("1 person/day");
  });

  it("names `sustantivo` one way: Tratamiento / Salutation", () => {
    const labels = (locale: Locale) =>
      entries(catalog(locale))
        .filter(([key]) => /sustantivo/i.test(key) && !/placeholder/i.test(key))
        .map(([, text]) => text);
    expect(new Set(labels("es"))).toEqual(new Set(["Tratamiento"]));
    expect(new Set(labels("en"))).toEqual(new Set(["Salutation"]));
    // The field's own name appears only as the template variable (an argument), never as text.
    for (const locale of LOCALES) {
      const named = entries(catalog(locale)).filter(([, text]) =>
        /sustantivo/i.test(text.replaceAll("{sustantivo}", "")),
      );
      expect(named, locale).toEqual([]);
    }
  });
});
