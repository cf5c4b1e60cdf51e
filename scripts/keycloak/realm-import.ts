import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KEYCLOAK_REALM, REALM_FILE, TEST_OVERLAY_FILE, TEST_USERS_FILE } from "./settings";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Client = { clientId: string; attributes?: Record<string, string> } & Record<string, Json>;
type Realm = { clients?: Client[] } & Record<string, Json>;

// Keycloak keeps a client's post-logout redirect URIs in one attribute, "##"-separated.
const LIST_ATTRIBUTES = new Set(["post.logout.redirect.uris"]);

function mergeClient(base: Client, extra: Client): Client {
  const merged: Client = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    if (Array.isArray(current) && Array.isArray(value)) {
      merged[key] = [...new Set([...current, ...value])];
    } else if (key === "attributes") {
      const attributes = { ...base.attributes };
      for (const [name, v] of Object.entries(extra.attributes ?? {})) {
        const was = attributes[name];
        attributes[name] = LIST_ATTRIBUTES.has(name) && was ? `${was}##${v}` : v;
      }
      merged.attributes = attributes;
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * The production realm file with the test overlay on top: realm settings replaced (a short
 * access-token lifetime), and per client (by clientId) redirect URIs and origins added for
 * the test app's port. The production file itself is imported as it is everywhere else.
 */
export function applyOverlay(realm: Realm, overlay: Realm): Realm {
  const { clients: extraClients = [], ...settings } = overlay;
  return {
    ...realm,
    ...settings,
    clients: (realm.clients ?? []).map((client) => {
      const extra = extraClients.find((c) => c.clientId === client.clientId);
      return extra ? mergeClient(client, extra) : client;
    }),
  };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Realm;

/**
 * Writes what `--import-realm` reads: `<realm>-realm.json` (production file + test overlay)
 * and `<realm>-users-0.json` (the test users compose's test overlay mounts too).
 */
export function writeRealmImport(keycloakHome: string) {
  const dir = path.join(keycloakHome, "data", "import");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const realm = applyOverlay(readJson(REALM_FILE), readJson(TEST_OVERLAY_FILE));
  writeFileSync(path.join(dir, `${KEYCLOAK_REALM}-realm.json`), JSON.stringify(realm, null, 2));
  copyFileSync(TEST_USERS_FILE, path.join(dir, `${KEYCLOAK_REALM}-users-0.json`));
}
