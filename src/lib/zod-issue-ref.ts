/**
 * A zod issue as an error code the reader's language renders: schema messages written as
 * error keys (`.refine(isTimeZone, errorKey("workspace.timeZoneUnknown"))`) pass through;
 * zod's own issues map by code with their limits as params (too_small → `{ minimum: 2 }`).
 */
import { errorKey, errorRef, looksLikeErrorKey, type ErrorKey, type ErrorRef } from "./error-ref";

export type IssueLike = {
  code?: string;
  /** Absent on the raw issue a zod error map sees. */
  message?: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  origin?: string;
  expected?: string;
  format?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  divisor?: unknown;
  values?: readonly unknown[];
  keys?: readonly string[];
  params?: Record<string, unknown>;
  input?: unknown;
};

const BY_ORIGIN: Record<"too_small" | "too_big", Record<string, ErrorKey>> = {
  too_small: {
    string: errorKey("zod.tooSmall.string"),
    number: errorKey("zod.tooSmall.number"),
    int: errorKey("zod.tooSmall.number"),
    bigint: errorKey("zod.tooSmall.number"),
    array: errorKey("zod.tooSmall.array"),
    set: errorKey("zod.tooSmall.array"),
    other: errorKey("zod.tooSmall.other"),
  },
  too_big: {
    string: errorKey("zod.tooBig.string"),
    number: errorKey("zod.tooBig.number"),
    int: errorKey("zod.tooBig.number"),
    bigint: errorKey("zod.tooBig.number"),
    array: errorKey("zod.tooBig.array"),
    set: errorKey("zod.tooBig.array"),
    other: errorKey("zod.tooBig.other"),
  },
};

const text = (v: unknown) => (typeof v === "number" ? v : String(v));
const params = (p: Record<string, unknown> | undefined) =>
  p &&
  Object.fromEntries(
    Object.entries(p).filter(([, v]) => typeof v === "string" || typeof v === "number"),
  );

export function issueToRef(issue: IssueLike): ErrorRef {
  if (issue.message && looksLikeErrorKey(issue.message)) {
    return errorRef(issue.message as ErrorKey, params(issue.params) as ErrorRef["params"]);
  }
  switch (issue.code) {
    case "invalid_type":
      // Server issues do not carry the input (only zod's message says it was missing).
      return (
        "input" in issue
          ? issue.input === undefined
          : / received undefined$/.test(issue.message ?? "")
      )
        ? errorRef("zod.required")
        : errorRef("zod.invalidType", { expected: String(issue.expected) });
    case "too_small":
    case "too_big": {
      const table = BY_ORIGIN[issue.code];
      const key = table[issue.origin ?? "other"] ?? table.other!;
      const limit = issue.code === "too_small" ? "minimum" : "maximum";
      return errorRef(key, {
        [limit]: text(issue[limit]),
        inclusive: String(issue.inclusive !== false),
      });
    }
    case "invalid_format":
      return errorRef("zod.invalidFormat", { format: String(issue.format) });
    case "invalid_value":
      return errorRef("zod.invalidValue", { values: (issue.values ?? []).map(String).join(", ") });
    case "unrecognized_keys":
      return errorRef("zod.unrecognizedKeys", { keys: (issue.keys ?? []).join(", ") });
    case "not_multiple_of":
      return errorRef("zod.notMultipleOf", { divisor: text(issue.divisor) });
    default:
      return errorRef("zod.invalid");
  }
}
