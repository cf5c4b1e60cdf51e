/**
 * Agent tokens on the client side (docs/agents.md, Tokens): one short-lived bearer token at a
 * time, fetched with the bot's secret when first needed, fetched again a little before it
 * expires (or when the server refused it), shared by concurrent calls.
 */
import type { AgentScope, IssuedToken } from "./types";

export type TokenOptions = {
  /** Default: every scope. */
  scopes?: AgentScope[];
  /** 60–3600; default 900 (15 minutes). */
  lifetimeSeconds?: number;
};

export type TokenSource = {
  /** `Bearer <token>` for the next call. */
  header(): Promise<string>;
  /** The server refused this header's token: the next `header()` fetches another. */
  invalidate(header: string): void;
};

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;

/**
 * When to fetch the next token: a fifth of its life before it ends, at most a minute. The
 * lifetime is measured on this machine's clock from the request (the server's `expiresAt` is
 * only believed when earlier), so a client clock running behind cannot keep an expired token.
 */
export function refreshAt(issued: IssuedToken, requestedAt: number, lifetimeSeconds: number) {
  const lifetimeMs = lifetimeSeconds * 1000;
  const expires = Math.min(Date.parse(issued.expiresAt) || Infinity, requestedAt + lifetimeMs);
  return expires - Math.min(60_000, lifetimeMs / 5);
}

export function createTokenSource(
  fetchToken: () => Promise<IssuedToken>,
  {
    lifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS,
    now = Date.now,
  }: { lifetimeSeconds?: number; now?: () => number } = {},
): TokenSource {
  let current: { header: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchNext(): Promise<string> {
    const requestedAt = now();
    const issued = await fetchToken();
    current = {
      header: `Bearer ${issued.token}`,
      refreshAt: refreshAt(issued, requestedAt, lifetimeSeconds),
    };
    return current.header;
  }

  return {
    header() {
      if (current && now() < current.refreshAt) return Promise.resolve(current.header);
      pending ??= fetchNext().finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate(header) {
      if (current?.header === header) current = null;
    },
  };
}
