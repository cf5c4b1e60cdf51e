import { TRPCClientError } from "@trpc/client";

/** A toast-ready message: the server's message, with the request id for unexpected errors. */
export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const data = err.data as { requestId?: string | null; code?: string } | undefined;
    return data?.code === "INTERNAL_SERVER_ERROR" && data.requestId
      ? `${err.message} (${data.requestId})`
      : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function fieldErrorsOf(err: unknown): Record<string, string[]> {
  if (err instanceof TRPCClientError) {
    return ((err.data as { fieldErrors?: Record<string, string[]> | null } | undefined)
      ?.fieldErrors ?? {}) as Record<string, string[]>;
  }
  return {};
}
