import type { MemberRole } from "@/modules/workspaces/workspaces.table";
import { ROLE_RANK } from "./permissions";

export type RoleNames = Record<MemberRole, string>;
/** `groups: null` = the token has no (usable) groups claim: it says nothing about groups. */
export type TokenIdentity = { role: MemberRole | null; roles: string[]; groups: string[] | null };

type KeycloakClaims = {
  realm_access?: { roles?: unknown };
  resource_access?: Record<string, { roles?: unknown } | undefined>;
  groups?: unknown;
};

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** Payload of a JWT, unverified: only used on tokens we just received from the token endpoint. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Keycloak puts roles in the access token (`realm_access.roles` for realm roles,
 * `resource_access.<client>.roles` for client roles), not in the ID token by default. The
 * highest mapped role wins; unmapped roles are ignored.
 */
export function identityFromClaims(
  claims: KeycloakClaims,
  clientId: string,
  names: RoleNames,
): TokenIdentity {
  const roles = [
    ...strings(claims.realm_access?.roles),
    ...strings(claims.resource_access?.[clientId]?.roles),
  ];
  let role: MemberRole | null = null;
  for (const candidate of Object.keys(names) as MemberRole[]) {
    if (!roles.includes(names[candidate])) continue;
    if (!role || ROLE_RANK[candidate] > ROLE_RANK[role]) role = candidate;
  }
  return {
    role,
    roles: [...new Set(roles)],
    groups: Array.isArray(claims.groups) ? strings(claims.groups) : null,
  };
}

/** `/workspaces/acme` → `acme` for the configured prefix; other groups are ignored. */
export function workspaceSlugsFromGroups(groups: string[], prefix: string): string[] {
  return groups
    .filter((g) => g.startsWith(prefix))
    .map((g) => g.slice(prefix.length).split("/")[0] ?? "")
    .filter((slug) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug));
}

/** The Keycloak group that joins people to a workspace: `/workspaces/` + `acme`. */
export function workspaceGroup(slug: string, prefix: string): string {
  return `${prefix}${slug}`;
}
