import { describe, expect, it } from "vitest";
import { z } from "zod";
import { encodeErrorRef, errorKey } from "./error-ref";
import { renderErrorRef } from "./error-text";
import { issueToRef, type IssueLike } from "./zod-issue-ref";

/** What the browser's zod error map sees: the raw issue, before any message exists. */
const asInBrowser = (schema: z.ZodType, input: unknown) =>
  schema
    .safeParse(input, {
      error: (issue) => encodeErrorRef(issueToRef(issue as unknown as IssueLike)),
    })
    .error?.issues.map((i) => i.message);

describe("issueToRef", () => {
  it("maps raw issues (the browser's error map) to codes with their limits", () => {
    const schema = z.object({ name: z.string().min(2), email: z.email(), n: z.number().max(5) });
    expect(asInBrowser(schema, { name: "A", email: "x", n: 6 })).toEqual([
      'zod.tooSmall.string {"minimum":2,"inclusive":"true"}',
      'zod.invalidFormat {"format":"email"}',
      'zod.tooBig.number {"maximum":5,"inclusive":"true"}',
    ]);
    expect(asInBrowser(schema, {})).toEqual(["zod.required", "zod.required", "zod.required"]);
  });

  it("keeps a schema's own error key", () => {
    const schema = z.string().refine(() => false, errorKey("workspace.countryUnknown"));
    expect(asInBrowser(schema, "XX")).toEqual(["workspace.countryUnknown"]);
  });

  it("renders zod's codes in Spanish and English", () => {
    const ref = issueToRef({ code: "too_small", origin: "string", minimum: 2, message: "" });
    expect(renderErrorRef(ref, "es")).toBe("Debe tener al menos 2 caracteres");
    expect(renderErrorRef(ref, "en")).toBe("Must be at least 2 characters long");
  });
});
