import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";

/** The app's error vocabulary; the only place codes map to tRPC codes and HTTP statuses. */
export const APP_ERROR_CODES = {
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
} as const satisfies Record<string, { trpc: TRPC_ERROR_CODE_KEY; http: number }>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fieldErrors?: FieldErrors;

  constructor(
    code: AppErrorCode,
    message: string,
    opts: { fieldErrors?: FieldErrors; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code].http;
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return APP_ERROR_CODES[this.code].trpc;
  }
}

type Issue = { message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> };

/** Field path → messages, e.g. `{ "members.0.email": ["Invalid email address"] }`. */
export function formatIssues(issues: readonly Issue[]): {
  fieldErrors: FieldErrors;
  formErrors: string[];
} {
  const fieldErrors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p));
    if (path.length === 0) formErrors.push(issue.message);
    else (fieldErrors[path.join(".")] ??= []).push(issue.message);
  }
  return { fieldErrors, formErrors };
}

export function formatZodError(error: z.ZodError) {
  return formatIssues(error.issues);
}

/** Validation failures arrive as ZodError or as a Standard Schema error carrying `issues`. */
export function validationIssuesOf(error: unknown): readonly Issue[] | null {
  if (error instanceof z.ZodError) return error.issues;
  if (error && typeof error === "object" && Array.isArray((error as { issues?: unknown }).issues)) {
    return (error as { issues: Issue[] }).issues;
  }
  return null;
}

export const NUL_MESSAGE = "Text cannot contain the NUL character (\\u0000)";

/**
 * Errors the database raises for input no schema caught — today a NUL character, which
 * Postgres `text` (22021) and `jsonb` (22P05) cannot hold — as the caller's 400, not a 500.
 * The input middleware refuses NUL first; this is the backstop for a path it does not see
 * (a route reading its own query string, a webhook payload).
 */
export function driverInputError(error: unknown): AppError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { code, message, detail } = current as {
      code?: unknown;
      message?: unknown;
      detail?: unknown;
    };
    const text = `${typeof message === "string" ? message : ""} ${typeof detail === "string" ? detail : ""}`;
    if (
      (code === "22021" && text.includes("0x00")) ||
      (code === "22P05" && text.includes("\\u0000"))
    ) {
      return new AppError("BAD_REQUEST", NUL_MESSAGE, { cause: error });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export const GENERIC_ERROR_MESSAGE =
  "Something went wrong. Quote this request id when reporting it.";

export type PublicError = {
  code: AppErrorCode;
  message: string;
  requestId?: string;
  fieldErrors?: FieldErrors;
};

/**
 * What a caller may see of any thrown value. Known errors keep their message; anything else
 * becomes a generic message with the request id, so the full error stays in the logs only.
 */
export function toPublicError(error: unknown, requestId?: string): PublicError {
  error = driverInputError(error) ?? error;
  if (error instanceof AppError && error.code !== "INTERNAL") {
    return { code: error.code, message: error.message, fieldErrors: error.fieldErrors, requestId };
  }
  const issues = error instanceof AppError ? null : validationIssuesOf(error);
  if (issues) {
    const { fieldErrors, formErrors } = formatIssues(issues);
    return {
      code: "BAD_REQUEST",
      message: formErrors[0] ?? "Invalid input",
      fieldErrors,
      requestId,
    };
  }
  return { code: "INTERNAL", message: GENERIC_ERROR_MESSAGE, requestId };
}

export function httpStatusOf(error: PublicError): number {
  return APP_ERROR_CODES[error.code].http;
}
