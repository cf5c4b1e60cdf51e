import type { LocalUser } from "./users";

/** The realm/client context a user's Keycloak-style claims are rendered for. */
export type RealmContext = { realm: string; clientId: string };

/** Profile and e-mail claims, named as Keycloak's default mappers name them. */
export function profileClaims(user: LocalUser) {
  return {
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.preferredUsername,
    locale: user.locale,
    email: user.email,
    email_verified: true,
  };
}

/**
 * Roles and groups the way Keycloak's role and group mappers emit them. Every user also gets
 * the realm's default roles and the built-in `account` client roles, as on a fresh realm, so
 * the app has to look under its own client id rather than take whatever is there.
 */
export function accessClaims(user: LocalUser, { realm, clientId }: RealmContext) {
  const resourceAccess: Record<string, { roles: string[] }> = {
    account: { roles: ["manage-account", "manage-account-links", "view-profile"] },
  };
  if (user.clientRoles.length > 0) resourceAccess[clientId] = { roles: [...user.clientRoles] };
  return {
    groups: [...user.groups],
    realm_access: { roles: [`default-roles-${realm}`, "offline_access", ...user.realmRoles] },
    resource_access: resourceAccess,
  };
}

/** Claims released per scope; `openid` carries what Keycloak's mappers add to every token. */
export const SCOPE_CLAIMS = {
  openid: ["sub", "groups", "realm_access", "resource_access"],
  profile: ["name", "given_name", "family_name", "preferred_username", "locale"],
  email: ["email", "email_verified"],
} as const;
