import path from "node:path";

/**
 * The real Keycloak the `e2e:keycloak` suite signs in against: the distribution compose.yaml's
 * image is built from (same pinned release), run in dev mode on loopback. Test-only values:
 * the client secret and the admin password below guard nothing but a throwaway in-memory
 * server bound to 127.0.0.1.
 */
export const KEYCLOAK_VERSION = "26.6.4";
export const KEYCLOAK_ARTIFACT = `org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`;

export const KEYCLOAK_PORT = 8380;
export const KEYCLOAK_MANAGEMENT_PORT = 9380;
/** Browser and app must see one issuer URL, so Keycloak's hostname is pinned to it. */
export const KEYCLOAK_URL = `http://localhost:${KEYCLOAK_PORT}`;
export const KEYCLOAK_REALM = "salestrack";
export const KEYCLOAK_ISSUER = `${KEYCLOAK_URL}/realms/${KEYCLOAK_REALM}`;
export const KEYCLOAK_CLIENT_ID = "salestrack";
export const KEYCLOAK_TEST_CLIENT_SECRET = "e2e-keycloak-client-secret";
export const KEYCLOAK_TEST_ADMIN = { username: "e2e-admin", password: "e2e-admin-password" };

/** Git-ignored: the downloaded zip, the unpacked server and its log. */
export const KEYCLOAK_CACHE_DIR = path.resolve(".cache", "keycloak");
export const KEYCLOAK_HOME = path.join(KEYCLOAK_CACHE_DIR, `keycloak-${KEYCLOAK_VERSION}`);
export const KEYCLOAK_LOG = path.join(KEYCLOAK_CACHE_DIR, "keycloak.log");

/** The realm files compose imports, and the test-only overlay applied on top of them. */
export const REALM_FILE = path.resolve("deploy/keycloak/salestrack-realm.json");
export const TEST_USERS_FILE = path.resolve("deploy/keycloak/salestrack-realm.test-users.json");
export const TEST_OVERLAY_FILE = path.resolve("e2e-keycloak/realm.test-overlay.json");

/** Where the app under test runs: its own port, data and database, beside `npm run e2e`'s. */
export const E2E_APP_PORT = 3200;
export const E2E_APP_URL = `http://localhost:${E2E_APP_PORT}`;
