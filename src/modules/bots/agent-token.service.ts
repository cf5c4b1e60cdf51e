/**
 * Agent tokens against the bot behind them (docs/agents.md, Tokens): a bot exchanges its id
 * and secret for a token; a request with the token speaks for the bot only while the bot
 * exists, the secret the token was issued with is still active, the address is allowed and
 * the token carries the route's scope. The bot is read through the same per-process cache as
 * HTTP Basic (AGENT_CACHE_MS), so a rotated-out or revoked secret, or a deleted bot, stops its
 * tokens within the same couple of seconds.
 */
import { AppError } from "@/lib/errors";
import type { AgentTokenKey } from "./agent-token-keys";
import { issueAgentToken, readAgentToken, secretVersion } from "./agent-tokens";
import type { AgentScope } from "./agent-tokens.schema";
import { agentIdentity, assertAllowed, type AgentIdentity } from "./agents.service";

/** A cached identity's secrets, fingerprinted per signing key once (the identity is cached). */
const versionsOf = new WeakMap<AgentIdentity, Map<string, Set<string>>>();

function activeVersions(agent: AgentIdentity, key: AgentTokenKey): Set<string> {
  let byKid = versionsOf.get(agent);
  if (!byKid) versionsOf.set(agent, (byKid = new Map()));
  let versions = byKid.get(key.kid);
  if (!versions) {
    versions = new Set(agent.secrets.map((s) => secretVersion(key, agent.botId, s)));
    byKid.set(key.kid, versions);
  }
  return versions;
}

/**
 * A token for an agent that just proved itself with `secret` (`authenticateAgent`): bound to
 * that secret, for the asked scopes (default all) and lifetime.
 */
export function issueTokenForAgent({
  agent,
  secret,
  scopes,
  ttlSeconds,
}: {
  agent: AgentIdentity;
  secret: string;
  scopes?: readonly AgentScope[];
  ttlSeconds: number;
}) {
  return issueAgentToken({
    botId: agent.botId,
    workspaceId: agent.workspaceId,
    secret,
    scopes,
    ttlSeconds,
  });
}

/**
 * The agent a bearer token speaks for, for a route that needs `scope`: 401 for a token that
 * is not ours, expired, or whose bot or secret is gone; 403 from another address than the
 * allowlist's, or without the scope.
 */
export async function authenticateAgentToken({
  token,
  ip,
  scope,
  now = Date.now(),
}: {
  token: string;
  ip: string;
  scope: AgentScope;
  now?: number;
}): Promise<AgentIdentity> {
  const read = readAgentToken(token, { now });
  const agent = await agentIdentity(read.botId);
  if (
    !agent ||
    agent.workspaceId !== read.workspaceId ||
    !activeVersions(agent, read.key).has(read.secretVersion)
  ) {
    throw new AppError("UNAUTHORIZED", "agent.tokenRevoked");
  }
  assertAllowed(agent, ip);
  if (!read.scopes.has(scope)) {
    throw new AppError("FORBIDDEN", "agent.scopeMissing", { params: { scope } });
  }
  return agent;
}
