import { runAgent, type RunAgentOptions, type TaskHandler } from "./run-agent";
import { signedHeaders } from "./signing";
import { createTokenSource, type TokenOptions } from "./tokens";
import {
  SalesTrackError,
  type BotEvent,
  type IssuedToken,
  type Outcome,
  type PullResult,
  type ResultAnswer,
} from "./types";

export type ClientOptions = {
  botId: string;
  /** The bot's secret (`whsec_…`), shown once when the bot was created or rotated. */
  secret: string;
  /** Where SalesTrack answers, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Pull, heartbeat and result with a short-lived bearer token instead of sending the secret
   * each time: fetched when first needed, renewed before it expires and once when refused.
   * Off by default (HTTP Basic). Signed events always use the secret.
   */
  useTokens?: boolean;
  /** With `useTokens`: the token's scopes (default all) and lifetime (default 900 s). */
  tokenOptions?: TokenOptions;
};

export type Client = ReturnType<typeof createClient>;
/** The client's calls without its loop (what runAgent drives). */
export type AgentCalls = Omit<Client, "runAgent">;

export function createClient({
  botId,
  secret,
  baseUrl,
  timeoutMs = 30_000,
  fetch: doFetch = fetch,
  useTokens = false,
  tokenOptions = {},
}: ClientOptions) {
  const base = baseUrl.replace(/\/+$/, "");
  const basic = `Basic ${Buffer.from(`${botId}:${secret}`).toString("base64")}`;

  async function call<T>(path: string, body: string, headers: Record<string, string>): Promise<T> {
    const res = await doFetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      const error = (json.error ?? {}) as { code?: string; key?: string; message?: string };
      const retryAfter = Number(res.headers.get("retry-after"));
      throw new SalesTrackError(
        res.status,
        error.code ?? "HTTP_ERROR",
        error.key ?? null,
        error.message ?? `HTTP ${res.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      );
    }
    return json as T;
  }

  /** `POST /api/v1/agent/token` with the secret (HTTP Basic). */
  const requestToken = ({ scopes, lifetimeSeconds }: TokenOptions = {}) =>
    call<IssuedToken>(
      "/api/v1/agent/token",
      JSON.stringify({
        ...(scopes && { scopes }),
        ...(lifetimeSeconds !== undefined && { expiresInSeconds: lifetimeSeconds }),
      }),
      { authorization: basic },
    );

  const tokens = useTokens
    ? createTokenSource(() => requestToken(tokenOptions), {
        lifetimeSeconds: tokenOptions.lifetimeSeconds,
      })
    : null;

  async function agentCall<T>(path: string, body: unknown = {}): Promise<T> {
    const url = `/api/v1/agent${path}`;
    const payload = JSON.stringify(body);
    if (!tokens) return call<T>(url, payload, { authorization: basic });
    const authorization = await tokens.header();
    try {
      return await call<T>(url, payload, { authorization });
    } catch (err) {
      // Expired early, secret rotated, server key changed: one new token, one more try.
      if (!(err instanceof SalesTrackError) || err.status !== 401) throw err;
      tokens.invalidate(authorization);
      return call<T>(url, payload, { authorization: await tokens.header() });
    }
  }

  const calls = {
    botId,

    /** A bearer token for the agent routes (what `useTokens` does for you). */
    requestToken(options: TokenOptions = {}) {
      return requestToken(options);
    },

    /** Sends one signed event; `id` makes a retry of the same event a no-op on the server. */
    send(event: BotEvent, { id }: { id?: string } = {}) {
      const body = JSON.stringify({ data: {}, ...event });
      return call<{ received: true; duplicate: boolean }>(
        `/api/webhooks/bots/${botId}`,
        body,
        signedHeaders(secret, body, { id }),
      );
    },

    /** Leases up to `limit` due tasks (never more than the bot's concurrency in flight). */
    pull({ limit = 1, worker = "agent" }: { limit?: number; worker?: string } = {}) {
      return agentCall<PullResult>("/pull", { limit, worker });
    },

    /**
     * Extends the lease of the task's attempt `attempt` (the pulled task's `attempt`); a 409
     * means that attempt is over (stop working on it).
     */
    heartbeat(taskId: string, attempt: number) {
      return agentCall<{ status: string; leaseExpiresAt: string }>(`/tasks/${taskId}/heartbeat`, {
        attempt,
      });
    },

    /**
     * Settles the attempt `attempt` (the pulled task's `attempt`); repeating it changes
     * nothing, and a 409 means that attempt was already over (the result changed nothing).
     */
    result(taskId: string, attempt: number, outcome: Outcome) {
      return agentCall<ResultAnswer>(`/tasks/${taskId}/result`, { ...outcome, attempt });
    },
  };
  return {
    ...calls,
    /** Pulls and runs tasks with `handler` until `options.signal` aborts. */
    runAgent: (handler: TaskHandler, options?: RunAgentOptions) =>
      runAgent(calls, handler, options),
  };
}
