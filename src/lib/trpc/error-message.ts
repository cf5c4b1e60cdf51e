"use client";

import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { decodeErrorRef } from "@/lib/error-ref";

/** An error code as the server sends it: `key` under `errors.` in messages/, and its values. */
export type ErrorRefLike = { key: string; params?: Record<string, string | number> | null };

type TrpcErrorData = {
  key?: string;
  params?: Record<string, string | number> | null;
  fieldErrors?: Record<string, ErrorRefLike[]> | null;
  requestId?: string | null;
  code?: string;
};

/**
 * Server errors in the reader's language: they arrive as codes (tRPC `data.key` + `params`,
 * REST `error.key` + `params`) and are rendered from the `errors` messages here. Unexpected
 * errors carry the request id to quote.
 */
export function useErrorMessage() {
  const t = useTranslations("errors");

  const errorRefText = (ref: ErrorRefLike): string =>
    t.has(ref.key) ? t(ref.key, ref.params ?? undefined) : t("unexpected");

  /** A stored code (an import's failure) in the reader's words; older plain text as is. */
  const storedErrorText = (text: string): string => {
    const ref = decodeErrorRef(text);
    return ref ? errorRefText(ref) : text;
  };

  /** A toast-ready message for anything a query or mutation threw. */
  const errorMessage = (err: unknown): string => {
    if (!(err instanceof TRPCClientError)) return t("network");
    const data = err.data as TrpcErrorData | undefined;
    if (!data?.key) return t("network");
    const text = errorRefText({ key: data.key, params: data.params });
    return data.code === "INTERNAL_SERVER_ERROR" && data.requestId
      ? `${text} (${data.requestId})`
      : text;
  };

  /** Field path → messages, for forms that show server refusals beside their inputs. */
  const fieldErrorsOf = (err: unknown): Record<string, string[]> => {
    if (!(err instanceof TRPCClientError)) return {};
    const fields = (err.data as TrpcErrorData | undefined)?.fieldErrors ?? {};
    return Object.fromEntries(
      Object.entries(fields).map(([path, refs]) => [path, refs.map(errorRefText)]),
    );
  };

  /** Field path → error codes, for forms that pick their own wording per code. */
  const fieldErrorKeysOf = (err: unknown): Record<string, string[]> => {
    if (!(err instanceof TRPCClientError)) return {};
    const fields = (err.data as TrpcErrorData | undefined)?.fieldErrors ?? {};
    return Object.fromEntries(
      Object.entries(fields).map(([path, refs]) => [path, refs.map((r) => r.key)]),
    );
  };

  return { errorMessage, fieldErrorsOf, fieldErrorKeysOf, errorRefText, storedErrorText };
}
