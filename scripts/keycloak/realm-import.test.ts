import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyOverlay, writeRealmImport } from "./realm-import";
import { REALM_FILE, TEST_OVERLAY_FILE } from "./settings";

type Client = {
  clientId: string;
  publicClient: boolean;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  implicitFlowEnabled: boolean;
  redirectUris: string[];
  webOrigins: string[];
  attributes: Record<string, string>;
  protocolMappers: { protocolMapper: string; config: Record<string, string> }[];
};
type Realm = { accessTokenLifespan: number; clients: Client[]; users?: unknown };

const realm = JSON.parse(readFileSync(REALM_FILE, "utf8")) as Realm;
const overlay = JSON.parse(readFileSync(TEST_OVERLAY_FILE, "utf8")) as Realm;
const client = (r: Realm) => r.clients.find((c) => c.clientId === "salestrack")!;

describe("the production realm file", () => {
  it("has a confidential code-flow client that requires PKCE (S256)", () => {
    const c = client(realm);
    expect(c).toMatchObject({
      publicClient: false,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      implicitFlowEnabled: false,
    });
    expect(c.attributes["pkce.code.challenge.method"]).toBe("S256");
  });

  it("lists localhost and the production placeholder as redirect and post-logout URIs", () => {
    const c = client(realm);
    expect(c.redirectUris).toEqual([
      "http://localhost:3000/api/auth/callback/keycloak",
      "https://salestrack.example.com/api/auth/callback/keycloak",
    ]);
    expect(c.attributes["post.logout.redirect.uris"]!.split("##")).toEqual([
      "http://localhost:3000/*",
      "https://salestrack.example.com/*",
    ]);
  });

  it("maps realm roles, client roles and full group paths into the ID token the app reads", () => {
    const mappers = Object.fromEntries(
      client(realm).protocolMappers.map((m) => [m.protocolMapper, m.config]),
    );
    expect(mappers["oidc-usermodel-realm-role-mapper"]).toMatchObject({
      "claim.name": "realm_access.roles",
      "id.token.claim": "true",
    });
    expect(mappers["oidc-usermodel-client-role-mapper"]).toMatchObject({
      "claim.name": "resource_access.${client_id}.roles",
      "id.token.claim": "true",
    });
    expect(mappers["oidc-group-membership-mapper"]).toMatchObject({
      "claim.name": "groups",
      "full.path": "true",
      "id.token.claim": "true",
    });
  });
});

describe("the test overlay", () => {
  const merged = applyOverlay(realm as never, overlay as never) as unknown as Realm;

  it("adds the test app's URIs without dropping the production ones", () => {
    const c = client(merged);
    expect(c.redirectUris).toEqual([
      ...client(realm).redirectUris,
      "http://localhost:3200/api/auth/callback/keycloak",
    ]);
    expect(c.webOrigins).toContain("http://localhost:3200");
    expect(c.attributes["post.logout.redirect.uris"]).toBe(
      `${client(realm).attributes["post.logout.redirect.uris"]}##http://localhost:3200/*`,
    );
    expect(c.attributes["pkce.code.challenge.method"]).toBe("S256");
  });

  it("shortens the access-token lifetime and leaves the production file as it was", () => {
    expect(merged.accessTokenLifespan).toBe(20);
    expect(realm.accessTokenLifespan).toBe(300);
    expect(client(realm).redirectUris).toHaveLength(2);
  });

  it("is written with the test users beside it, named as --import-realm expects", () => {
    const home = mkdtempSync(path.join(tmpdir(), "kc-import-"));
    writeRealmImport(home);
    const dir = path.join(home, "data", "import");
    expect(readdirSync(dir).sort()).toEqual(["salestrack-realm.json", "salestrack-users-0.json"]);
    const written = JSON.parse(readFileSync(path.join(dir, "salestrack-realm.json"), "utf8"));
    expect(written).not.toHaveProperty("users");
    expect(client(written as Realm).redirectUris).toContain(
      "http://localhost:3200/api/auth/callback/keycloak",
    );
  });
});
