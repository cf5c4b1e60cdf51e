import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";
import {
  encodeErrorRef,
  errorRef,
  type ErrorKey,
  type ErrorParams,
  type ErrorRef,
} from "./error-ref";
import { renderErrorRef } from "./error-text";
import { issueToRef, type IssueLike } from "./zod-issue-ref";

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
/** Field path → what is wrong with it, as codes, e.g. `{ "members.0.email": [{ key: … }] }`. */
export type FieldErrors = Record<string, ErrorRef[]>;

/**
 * The one error type: `code` says what kind of refusal (and so the HTTP status), `key` and
 * `params` say exactly what went wrong, as an entry of `messages/<locale>/errors.json` —
 * `new AppError("CONFLICT", "bot.nameTaken", { field: "name" })`. `field` files the same
 * code under that input field too.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly key: ErrorKey;
  readonly params?: ErrorParams;
  readonly fieldErrors?: FieldErrors;

  constructor(
    code: AppErrorCode,
    key: ErrorKey,
    opts: { params?: ErrorParams; field?: string; fieldErrors?: FieldErrors; cause?: unknown } = {},
  ) {
    const ref = errorRef(key, opts.params);
    super(encodeErrorRef(ref), { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.key = key;
    this.params = opts.params;
    this.fieldErrors = opts.field ? { [opts.field]: [ref], ...opts.fieldErrors } : opts.fieldErrors;
  }

  get ref(): ErrorRef {
    return errorRef(this.key, this.params);
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code].http;
  }

  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return APP_ERROR_CODES[this.code].trpc;
  }
}

/** Field path → codes for field issues; form-level issues (no path) separately. */
export function formatIssues(issues: readonly IssueLike[]): {
  fieldErrors: FieldErrors;
  formErrors: ErrorRef[];
} {
  const fieldErrors: FieldErrors = {};
  const formErrors: ErrorRef[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p));
    const ref = issueToRef(issue);
    if (path.length === 0) formErrors.push(ref);
    else (fieldErrors[path.join(".")] ??= []).push(ref);
  }
  return { fieldErrors, formErrors };
}

export function formatZodError(error: z.ZodError) {
  return formatIssues(error.issues);
}

/** Validation failures arrive as ZodError or as a Standard Schema error carrying `issues`. */
export function validationIssuesOf(error: unknown): readonly IssueLike[] | null {
  if (error instanceof z.ZodError) return error.issues;
  if (error && typeof error === "object" && Array.isArray((error as { issues?: unknown }).issues)) {
    return (error as { issues: IssueLike[] }).issues;
  }
  return null;
}

/**
 * Errors the database raises for input no schema caught — a NUL character, which Postgres
 * `text` (22021) and `jsonb` (22P05) cannot hold, and a date outside its range (22008, 22009:
 * year 0, year 200000) — as the caller's 400, not a 500. The input middleware refuses NUL
 * first; this is the backstop for a path it does not see (a route reading its own query
 * string, a webhook payload) and for date filters whose schema takes any `Date`.
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
      return new AppError("BAD_REQUEST", "input.nul", { cause: error });
    }
    if (code === "22008" || code === "22009")
      return new AppError("BAD_REQUEST", "input.dateOutOfRange", { cause: error });
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** What any caller may see of an error: kind, code and params, and the English text. */
export type PublicError = {
  code: AppErrorCode;
  key: ErrorKey;
  params?: ErrorParams;
  /** English, for API clients and logs; people read the key rendered in their language. */
  message: string;
  requestId?: string;
  fieldErrors?: FieldErrors;
};

function publicError(
  code: AppErrorCode,
  ref: ErrorRef,
  extra: { requestId?: string; fieldErrors?: FieldErrors },
): PublicError {
  return {
    code,
    key: ref.key,
    ...(ref.params && { params: ref.params }),
    message: renderErrorRef(ref),
    ...(extra.fieldErrors && { fieldErrors: extra.fieldErrors }),
    ...(extra.requestId !== undefined && { requestId: extra.requestId }),
  };
}

/**
 * What a caller may see of any thrown value. Known errors keep their code; anything else
 * becomes the generic `unexpected` with the request id, so the full error stays in the logs.
 */
export function toPublicError(error: unknown, requestId?: string): PublicError {
  error = driverInputError(error) ?? error;
  if (error instanceof AppError && error.code !== "INTERNAL") {
    return publicError(error.code, error.ref, { fieldErrors: error.fieldErrors, requestId });
  }
  const issues = error instanceof AppError ? null : validationIssuesOf(error);
  if (issues) {
    const { fieldErrors, formErrors } = formatIssues(issues);
    return publicError("BAD_REQUEST", formErrors[0] ?? errorRef("input.invalid"), {
      fieldErrors,
      requestId,
    });
  }
  return publicError("INTERNAL", errorRef("unexpected"), { requestId });
}

export function httpStatusOf(error: PublicError): number {
  return APP_ERROR_CODES[error.code].http;
}

/**
 * The REST error body: the code, its params and the English text, with field errors both as
 * English text (`fieldErrors`, unchanged for existing clients) and as codes (`fieldErrorKeys`).
 */
export function restErrorBody(pub: PublicError) {
  const { fieldErrors, ...rest } = pub;
  return {
    error: {
      ...rest,
      ...(fieldErrors && {
        fieldErrors: Object.fromEntries(
          Object.entries(fieldErrors).map(([f, refs]) => [f, refs.map((r) => renderErrorRef(r))]),
        ),
        fieldErrorKeys: fieldErrors,
      }),
    },
  };
}
