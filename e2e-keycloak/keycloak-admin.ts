import { randomBytes } from "node:crypto";
import {
  KEYCLOAK_CLIENT_ID,
  KEYCLOAK_REALM,
  KEYCLOAK_TEST_ADMIN,
  KEYCLOAK_URL,
} from "../scripts/keycloak/settings";

/** Keycloak's admin REST API, as the bootstrap admin of the test server. */
const ADMIN = `${KEYCLOAK_URL}/admin/realms/${KEYCLOAK_REALM}`;

async function adminToken(): Promise<string> {
  const res = await fetch(`${KEYCLOAK_URL}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "password",
      client_id: "admin-cli",
      username: KEYCLOAK_TEST_ADMIN.username,
      password: KEYCLOAK_TEST_ADMIN.password,
    }),
  });
  if (!res.ok) throw new Error(`admin token: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ADMIN}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await adminToken()}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  if (res.status === 201) return res.headers.get("location")!.split("/").pop() as T;
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export type RealmUser = { id: string; username: string; password: string; name: string };

/**
 * A new realm user the app has never seen (so only the token's roles and groups can place
 * them), with the given realm roles, `salestrack` client roles and groups.
 */
export async function createRealmUser({
  realmRoles = [],
  clientRoles = [],
  groups = [],
}: {
  realmRoles?: string[];
  clientRoles?: string[];
  groups?: string[];
}): Promise<RealmUser> {
  const suffix = randomBytes(4).toString("hex");
  const username = `kc-${suffix}`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const [firstName, lastName] = ["Kim", `Prueba ${suffix}`];
  const id = await admin<string>("POST", "/users", {
    username,
    email: `${username}@salestrack.test`,
    emailVerified: true,
    enabled: true,
    firstName,
    lastName,
    groups,
    credentials: [{ type: "password", value: password, temporary: false }],
  });
  if (realmRoles.length > 0) {
    const roles = await Promise.all(realmRoles.map((r) => admin("GET", `/roles/${r}`)));
    await admin("POST", `/users/${id}/role-mappings/realm`, roles);
  }
  if (clientRoles.length > 0) {
    const [client] = await admin<{ id: string }[]>(
      "GET",
      `/clients?clientId=${KEYCLOAK_CLIENT_ID}`,
    );
    const roles = await Promise.all(
      clientRoles.map((r) => admin("GET", `/clients/${client!.id}/roles/${r}`)),
    );
    await admin("POST", `/users/${id}/role-mappings/clients/${client!.id}`, roles);
  }
  return { id, username, password, name: `${firstName} ${lastName}` };
}

export async function disableRealmUser(id: string) {
  await admin("PUT", `/users/${id}`, { enabled: false });
}

/** The user's SSO sessions: `lastAccess` moves whenever the app refreshes its tokens. */
export async function userSessions(id: string) {
  return admin<{ id: string; start: number; lastAccess: number }[]>("GET", `/users/${id}/sessions`);
}
