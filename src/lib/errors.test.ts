import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  APP_ERROR_CODES,
  AppError,
  formatIssues,
  formatZodError,
  GENERIC_ERROR_MESSAGE,
  httpStatusOf,
  toPublicError,
  validationIssuesOf,
  type AppErrorCode,
} from "./errors";

const EXPECTED: Record<AppErrorCode, { trpc: string; http: number }> = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { trpc: "UNSUPPORTED_MEDIA_TYPE", http: 415 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  SERVICE_UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
};

const teamSchema = z.object({
  name: z.string().min(2),
  members: z.array(z.object({ email: z.email() })),
});

function zodErrorOf(schema: z.ZodType, input: unknown): z.ZodError {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the schema to reject the input");
  return result.error;
}

describe("AppError", () => {
  it("covers exactly the expected codes", () => {
    expect(Object.keys(APP_ERROR_CODES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED) as [AppErrorCode, { trpc: string; http: number }][])(
    "%s maps to its tRPC code and HTTP status",
    (code, { trpc, http }) => {
      const error = new AppError(code, "message");
      expect(error.httpStatus).toBe(http);
      expect(error.trpcCode).toBe(trpc);
      expect(httpStatusOf({ code, message: "m" })).toBe(http);
    },
  );

  it("is an Error carrying its code, message, field errors and cause", () => {
    const cause = new Error("root");
    const error = new AppError("CONFLICT", "Slug taken", {
      fieldErrors: { slug: ["Already used"] },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe("Slug taken");
    expect(error.fieldErrors).toEqual({ slug: ["Already used"] });
    expect(error.cause).toBe(cause);
  });
});

describe("formatIssues / formatZodError", () => {
  it("keys field errors by their dotted path, including array indexes", () => {
    const error = zodErrorOf(teamSchema, {
      name: "Acme",
      members: [{ email: "ok@example.com" }, { email: "nope" }],
    });
    const { fieldErrors, formErrors } = formatZodError(error);
    expect(Object.keys(fieldErrors)).toEqual(["members.1.email"]);
    expect(fieldErrors["members.1.email"]).toHaveLength(1);
    expect(formErrors).toEqual([]);
  });

  it("reports members.0.email for the first member", () => {
    const error = zodErrorOf(teamSchema, { name: "Acme", members: [{ email: "x" }] });
    expect(Object.keys(formatZodError(error).fieldErrors)).toEqual(["members.0.email"]);
  });

  it("puts root-level errors in formErrors", () => {
    const schema = z
      .object({ password: z.string(), confirm: z.string() })
      .refine((v) => v.password === v.confirm, "Passwords do not match");
    const error = zodErrorOf(schema, { password: "a", confirm: "b" });
    const { fieldErrors, formErrors } = formatZodError(error);
    expect(formErrors).toEqual(["Passwords do not match"]);
    expect(fieldErrors).toEqual({});
  });

  it("collects several messages on one field", () => {
    const schema = z.object({
      code: z.string().min(5, "Too short").regex(/^\d+$/, "Digits only"),
    });
    const error = zodErrorOf(schema, { code: "ab" });
    expect(formatZodError(error).fieldErrors).toEqual({ code: ["Too short", "Digits only"] });
  });

  it("accepts Standard Schema path segments given as { key }", () => {
    const result = formatIssues([
      { message: "Required", path: [{ key: "members" }, { key: 2 }, "phone"] },
      { message: "Bad form" },
    ]);
    expect(result).toEqual({
      fieldErrors: { "members.2.phone": ["Required"] },
      formErrors: ["Bad form"],
    });
  });
});

describe("validationIssuesOf", () => {
  it("reads issues from a ZodError and from an issues-carrying object, else null", () => {
    const zodError = zodErrorOf(teamSchema, {});
    expect(validationIssuesOf(zodError)).toBe(zodError.issues);
    const issues = [{ message: "m", path: ["a"] }];
    expect(validationIssuesOf({ issues })).toBe(issues);
    expect(validationIssuesOf(new Error("x"))).toBeNull();
    expect(validationIssuesOf({ issues: "not an array" })).toBeNull();
    expect(validationIssuesOf(null)).toBeNull();
  });
});

describe("toPublicError", () => {
  it("turns a ZodError into BAD_REQUEST with field errors", () => {
    const error = zodErrorOf(teamSchema, { name: "A", members: [{ email: "bad" }] });
    const pub = toPublicError(error, "req-1");
    expect(pub.code).toBe("BAD_REQUEST");
    expect(pub.message).toBe("Invalid input");
    expect(pub.requestId).toBe("req-1");
    expect(Object.keys(pub.fieldErrors ?? {}).sort()).toEqual(["members.0.email", "name"]);
    expect(httpStatusOf(pub)).toBe(400);
  });

  it("uses the first form-level message as the message of a validation error", () => {
    const pub = toPublicError({
      issues: [{ message: "Pick at least one contact" }, { message: "Required", path: ["name"] }],
    });
    expect(pub).toEqual({
      code: "BAD_REQUEST",
      message: "Pick at least one contact",
      fieldErrors: { name: ["Required"] },
      requestId: undefined,
    });
  });

  it("turns a Standard-Schema-like { issues } object into BAD_REQUEST", () => {
    const pub = toPublicError({ issues: [{ message: "Invalid email", path: ["email"] }] }, "r");
    expect(pub.code).toBe("BAD_REQUEST");
    expect(pub.fieldErrors).toEqual({ email: ["Invalid email"] });
  });

  it("keeps an AppError's code, message and field errors", () => {
    const pub = toPublicError(
      new AppError("CONFLICT", "That slug is taken", { fieldErrors: { slug: ["Taken"] } }),
      "req-9",
    );
    expect(pub).toEqual({
      code: "CONFLICT",
      message: "That slug is taken",
      fieldErrors: { slug: ["Taken"] },
      requestId: "req-9",
    });
    expect(httpStatusOf(pub)).toBe(409);
  });

  it("hides the message of an INTERNAL AppError", () => {
    const pub = toPublicError(new AppError("INTERNAL", "pg: password=hunter2 failed"), "req-2");
    expect(pub).toEqual({ code: "INTERNAL", message: GENERIC_ERROR_MESSAGE, requestId: "req-2" });
    expect(JSON.stringify(pub)).not.toContain("hunter2");
  });

  it("hides the message of any other Error", () => {
    const pub = toPublicError(new TypeError("secret db password leaked"), "req-3");
    expect(pub.code).toBe("INTERNAL");
    expect(pub.message).toBe(GENERIC_ERROR_MESSAGE);
    expect(pub.requestId).toBe("req-3");
    expect(pub.fieldErrors).toBeUndefined();
    expect(JSON.stringify(pub)).not.toContain("secret");
    expect(httpStatusOf(pub)).toBe(500);
  });

  it("treats thrown non-errors as internal", () => {
    expect(toPublicError("boom").code).toBe("INTERNAL");
    expect(toPublicError(undefined).message).toBe(GENERIC_ERROR_MESSAGE);
  });
});
