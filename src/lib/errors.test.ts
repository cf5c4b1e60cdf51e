import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorKey } from "./error-ref";
import {
  APP_ERROR_CODES,
  AppError,
  formatIssues,
  formatZodError,
  httpStatusOf,
  restErrorBody,
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
      const error = new AppError(code, "unexpected");
      expect(error.httpStatus).toBe(http);
      expect(error.trpcCode).toBe(trpc);
      expect(httpStatusOf({ code, key: "unexpected", message: "m" })).toBe(http);
    },
  );

  it("is an Error carrying its kind, error code, params, field errors and cause", () => {
    const cause = new Error("root");
    const error = new AppError("CONFLICT", "group.nameTaken", {
      params: { name: "VIP" },
      field: "name",
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.code).toBe("CONFLICT");
    expect(error.key).toBe("group.nameTaken");
    expect(error.message).toBe('group.nameTaken {"name":"VIP"}');
    expect(error.fieldErrors).toEqual({
      name: [{ key: "group.nameTaken", params: { name: "VIP" } }],
    });
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

  it("puts root-level errors in formErrors, a schema's own error key passing through", () => {
    const schema = z
      .object({ reason: z.string() })
      .refine((v) => v.reason.trim() !== "", errorKey("contact.reasonRequired"));
    const error = zodErrorOf(schema, { reason: " " });
    const { fieldErrors, formErrors } = formatZodError(error);
    expect(formErrors).toEqual([{ key: "contact.reasonRequired" }]);
    expect(fieldErrors).toEqual({});
  });

  it("turns zod's own issues into codes with their limits as params", () => {
    const schema = z.object({
      code: z.string().min(5).regex(/^\d+$/),
      count: z.number().int().max(10),
      tags: z.array(z.string()).min(1),
      kind: z.enum(["a", "b"]),
      name: z.string(),
    });
    const error = zodErrorOf(schema, { code: "ab", count: 11, tags: [], kind: "c" });
    expect(formatZodError(error).fieldErrors).toEqual({
      code: [
        { key: "zod.tooSmall.string", params: { minimum: 5, inclusive: "true" } },
        { key: "zod.invalidFormat", params: { format: "regex" } },
      ],
      count: [{ key: "zod.tooBig.number", params: { maximum: 10, inclusive: "true" } }],
      tags: [{ key: "zod.tooSmall.array", params: { minimum: 1, inclusive: "true" } }],
      kind: [{ key: "zod.invalidValue", params: { values: "a, b" } }],
      name: [{ key: "zod.required" }],
    });
  });

  it("accepts Standard Schema path segments given as { key }", () => {
    const result = formatIssues([
      { message: "Required", path: [{ key: "members" }, { key: 2 }, "phone"] },
      { message: "Bad form" },
    ]);
    expect(result).toEqual({
      fieldErrors: { "members.2.phone": [{ key: "zod.invalid" }] },
      formErrors: [{ key: "zod.invalid" }],
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
    expect(pub.key).toBe("input.invalid");
    expect(pub.message).toBe("Invalid input");
    expect(pub.requestId).toBe("req-1");
    expect(Object.keys(pub.fieldErrors ?? {}).sort()).toEqual(["members.0.email", "name"]);
    expect(httpStatusOf(pub)).toBe(400);
  });

  it("uses the first form-level issue as the code of a validation error", () => {
    const pub = toPublicError({
      issues: [{ message: "contact.groupChoose" }, { message: "Required", path: ["name"] }],
    });
    expect(pub).toEqual({
      code: "BAD_REQUEST",
      key: "contact.groupChoose",
      message: "Choose a group",
      fieldErrors: { name: [{ key: "zod.invalid" }] },
    });
  });

  it("turns a Standard-Schema-like { issues } object into BAD_REQUEST", () => {
    const issues = [{ code: "invalid_format", format: "email", message: "x", path: ["email"] }];
    const pub = toPublicError({ issues }, "r");
    expect(pub.code).toBe("BAD_REQUEST");
    expect(pub.fieldErrors).toEqual({
      email: [{ key: "zod.invalidFormat", params: { format: "email" } }],
    });
  });

  it("keeps an AppError's code and params, with the English text as message", () => {
    const pub = toPublicError(
      new AppError("CONFLICT", "group.nameTaken", { params: { name: "VIP" }, field: "name" }),
      "req-9",
    );
    const ref = { key: "group.nameTaken", params: { name: "VIP" } };
    expect(pub).toEqual({
      code: "CONFLICT",
      ...ref,
      message: 'A group called "VIP" already exists',
      fieldErrors: { name: [ref] },
      requestId: "req-9",
    });
    expect(httpStatusOf(pub)).toBe(409);
    expect(restErrorBody(pub)).toEqual({
      error: {
        code: "CONFLICT",
        ...ref,
        message: 'A group called "VIP" already exists',
        requestId: "req-9",
        fieldErrors: { name: ['A group called "VIP" already exists'] },
        fieldErrorKeys: { name: [ref] },
      },
    });
  });

  it("hides the details of an INTERNAL AppError", () => {
    const error = new AppError("INTERNAL", "server.notConfigured", {
      params: { name: "pg: password=hunter2" },
    });
    const pub = toPublicError(error, "req-2");
    expect(pub).toEqual({
      code: "INTERNAL",
      key: "unexpected",
      message: "Something went wrong. Quote this request id when reporting it.",
      requestId: "req-2",
    });
    expect(JSON.stringify(pub)).not.toContain("hunter2");
  });

  it("hides the message of any other Error", () => {
    const pub = toPublicError(new TypeError("secret db password leaked"), "req-3");
    expect(pub.code).toBe("INTERNAL");
    expect(pub.key).toBe("unexpected");
    expect(pub.requestId).toBe("req-3");
    expect(pub.fieldErrors).toBeUndefined();
    expect(JSON.stringify(pub)).not.toContain("secret");
    expect(httpStatusOf(pub)).toBe(500);
  });

  it("treats thrown non-errors as internal", () => {
    expect(toPublicError("boom").code).toBe("INTERNAL");
    expect(toPublicError(undefined).key).toBe("unexpected");
  });
});
