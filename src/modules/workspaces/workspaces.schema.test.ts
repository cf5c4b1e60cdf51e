import { describe, expect, it } from "vitest";
import { formatZodError } from "@/lib/errors";
import { workspaceSettingsInput } from "./workspaces.schema";
import { slugify } from "./workspaces.service";

const valid = { name: "Acme", defaultCountry: "py", timeZone: "America/Asuncion" };

function fieldsRejected(input: unknown): string[] {
  const result = workspaceSettingsInput.safeParse(input);
  if (result.success) return [];
  return Object.keys(formatZodError(result.error).fieldErrors);
}

describe("workspaceSettingsInput", () => {
  it("accepts valid settings, upper-casing the country and trimming the name", () => {
    expect(workspaceSettingsInput.parse(valid)).toEqual({
      name: "Acme",
      defaultCountry: "PY",
      timeZone: "America/Asuncion",
    });
    expect(
      workspaceSettingsInput.parse({ ...valid, name: "  Acme  ", defaultCountry: " py " }),
    ).toMatchObject({ name: "Acme", defaultCountry: "PY" });
  });

  it.each(["PRY", "Paraguay", "P", "p1", "", "XX", "EU", "UK"])(
    "rejects country %j",
    (defaultCountry) => {
      expect(fieldsRejected({ ...valid, defaultCountry })).toEqual(["defaultCountry"]);
    },
  );

  it("answers an unknown country with its error code", () => {
    const result = workspaceSettingsInput.safeParse({ ...valid, defaultCountry: "XX" });
    expect(result.success).toBe(false);
    expect(formatZodError(result.error!).fieldErrors).toEqual({
      defaultCountry: [{ key: "workspace.countryUnknown" }],
    });
  });

  it("rejects an unknown time zone", () => {
    const result = workspaceSettingsInput.safeParse({ ...valid, timeZone: "Mars/Base" });
    expect(result.success).toBe(false);
    expect(formatZodError(result.error!).fieldErrors).toEqual({
      timeZone: [{ key: "workspace.timeZoneUnknown" }],
    });
  });

  it("accepts other real IANA zones", () => {
    for (const timeZone of ["Europe/Madrid", "America/New_York", "Asia/Tokyo"]) {
      expect(workspaceSettingsInput.safeParse({ ...valid, timeZone }).success).toBe(true);
    }
  });

  it("rejects names that are too short (after trimming) or too long", () => {
    expect(fieldsRejected({ ...valid, name: "A" })).toEqual(["name"]);
    expect(fieldsRejected({ ...valid, name: "  A  " })).toEqual(["name"]);
    expect(fieldsRejected({ ...valid, name: "x".repeat(81) })).toEqual(["name"]);
    expect(fieldsRejected({ ...valid, name: "x".repeat(80) })).toEqual([]);
  });

  it("reports every bad field at once", () => {
    expect(
      fieldsRejected({ name: "A", defaultCountry: "PRY", timeZone: "Mars/Base" }).sort(),
    ).toEqual(["defaultCountry", "name", "timeZone"]);
  });
});

describe("slugify", () => {
  const SUFFIX = /-[0-9a-f]{6}$/;

  it("strips accents and joins words with dashes", () => {
    const slug = slugify("Compañía Ñandú");
    expect(slug.startsWith("compania-nandu-")).toBe(true);
    expect(slug).toMatch(/^compania-nandu-[0-9a-f]{6}$/);
  });

  it("adds a random 6-hex suffix so equal names get different slugs", () => {
    const a = slugify("Acme");
    const b = slugify("Acme");
    expect(a).toMatch(/^acme-[0-9a-f]{6}$/);
    expect(b).toMatch(SUFFIX);
    expect(a).not.toBe(b);
  });

  it("collapses punctuation and trims leading and trailing dashes", () => {
    expect(slugify("  --Acme & Co.!!  ")).toMatch(/^acme-co-[0-9a-f]{6}$/);
  });

  it("falls back to 'workspace' when nothing usable is left", () => {
    expect(slugify("")).toMatch(/^workspace-[0-9a-f]{6}$/);
    expect(slugify("!!! ???")).toMatch(/^workspace-[0-9a-f]{6}$/);
    expect(slugify("東京")).toMatch(/^workspace-[0-9a-f]{6}$/);
  });

  it("produces slugs that the group-mapping rules accept", () => {
    const slug = slugify(`${"Very Long Company Name ".repeat(5)}`);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    expect(slug).toMatch(SUFFIX);
  });
});
