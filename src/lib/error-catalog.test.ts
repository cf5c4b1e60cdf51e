/**
 * Every error code the code base can raise has a message in both catalogs: the source is
 * walked for the places codes are written (`new AppError(kind, "…")`, `errorKey("…")`,
 * `errorRef("…")`, `RetryLaterError`), and each one must exist in messages/en and messages/es
 * with the same ICU arguments — so a new code without its translation fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { createTranslator } from "use-intl/core";
import { describe, expect, it } from "vitest";

type Catalog = { [key: string]: string | Catalog };

const ROOT = path.resolve(__dirname, "../..");
const CATALOGS = {
  en: JSON.parse(readFileSync(path.join(ROOT, "messages/en/errors.json"), "utf8")) as Catalog,
  es: JSON.parse(readFileSync(path.join(ROOT, "messages/es/errors.json"), "utf8")) as Catalog,
};

const CODE_SITES = [
  /new (?:AppError|RetryLaterError)\(\s*"[A-Z_]+",\s*"([^"]+)"/g,
  /\berrorKey\(\s*"([^"]+)"/g,
  /\berrorRef\(\s*"([^"]+)"/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** code → the files that use it. */
function codesInSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const dir of ["src", "jobs", "scripts"]) {
    for (const file of sourceFiles(path.join(ROOT, dir))) {
      const text = readFileSync(file, "utf8");
      for (const pattern of CODE_SITES) {
        for (const [, code] of text.matchAll(pattern)) {
          found.set(code!, [...(found.get(code!) ?? []), path.relative(ROOT, file)]);
        }
      }
    }
  }
  return found;
}

function leaves(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === "string") out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The ICU argument names a message uses (`{count, plural, …}` → count), nested ones too. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const visit = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if ("value" in el && el.type !== TYPE.literal) names.add(el.value);
      if ("options" in el) for (const o of Object.values(el.options)) visit(o.value);
    }
  };
  visit(parse(message));
  return [...names].sort();
}

const en = leaves(CATALOGS.en);
const es = leaves(CATALOGS.es);

describe("error catalogs", () => {
  const used = codesInSource();

  it("finds the codes where the code base writes them", () => {
    expect(used.size).toBeGreaterThan(100);
    expect(used.get("bot.nameTaken")).toContain("src/modules/bots/bots.service.ts");
    expect(used.has("zod.tooSmall.string")).toBe(true);
  });

  it.each(["en", "es"] as const)("%s has a message for every code in use", (locale) => {
    const catalog = locale === "en" ? en : es;
    const missing = [...used]
      .filter(([code]) => !catalog.has(code))
      .map(([c, f]) => `${c} (${f[0]})`);
    expect(missing).toEqual([]);
  });

  it("both catalogs have the same codes with the same arguments", () => {
    expect([...es.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, message] of en) {
      expect(argumentsOf(es.get(key) ?? ""), key).toEqual(argumentsOf(message));
    }
  });

  it.each(["en", "es"] as const)("every %s message renders with its arguments", (locale) => {
    const errors: string[] = [];
    const t = createTranslator({
      locale,
      messages: { errors: CATALOGS[locale] },
      namespace: "errors",
      onError: (e) => errors.push(e.message),
    });
    for (const [key, message] of locale === "en" ? en : es) {
      const values = Object.fromEntries(argumentsOf(message).map((a) => [a, 2]));
      expect(t(key as never, values as never), key).not.toMatch(/^errors\./);
    }
    expect(errors).toEqual([]);
  });
});
