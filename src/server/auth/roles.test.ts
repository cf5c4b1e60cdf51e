import { describe, expect, it } from "vitest";
import {
  decodeJwtPayload,
  identityFromClaims,
  workspaceSlugsFromGroups,
  type RoleNames,
} from "./roles";

const NAMES: RoleNames = { admin: "admin", operator: "operator", viewer: "viewer" };
const CLIENT = "salestrack";

function jwt(payload: unknown): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(payload)}.signature`;
}

describe("identityFromClaims", () => {
  it("maps a realm role", () => {
    const id = identityFromClaims({ realm_access: { roles: ["viewer"] } }, CLIENT, NAMES);
    expect(id.role).toBe("viewer");
  });

  it("maps a client role of the configured client", () => {
    const id = identityFromClaims(
      { resource_access: { salestrack: { roles: ["operator"] } } },
      CLIENT,
      NAMES,
    );
    expect(id.role).toBe("operator");
  });

  it("ignores roles granted on another client", () => {
    const id = identityFromClaims(
      {
        realm_access: { roles: ["viewer"] },
        resource_access: {
          "other-app": { roles: ["admin"] },
          account: { roles: ["manage-account"] },
        },
      },
      CLIENT,
      NAMES,
    );
    expect(id.role).toBe("viewer");
    expect(id.roles).not.toContain("admin");
    expect(id.roles).not.toContain("manage-account");
  });

  it("lets the highest mapped role win, wherever it comes from", () => {
    expect(
      identityFromClaims(
        {
          realm_access: { roles: ["viewer", "operator"] },
          resource_access: { salestrack: { roles: ["admin"] } },
        },
        CLIENT,
        NAMES,
      ).role,
    ).toBe("admin");
    // Order in the token does not matter.
    expect(
      identityFromClaims({ realm_access: { roles: ["admin", "viewer"] } }, CLIENT, NAMES).role,
    ).toBe("admin");
    expect(
      identityFromClaims({ realm_access: { roles: ["operator", "viewer"] } }, CLIENT, NAMES).role,
    ).toBe("operator");
  });

  it("uses the configured role names", () => {
    const custom: RoleNames = { admin: "st-admin", operator: "st-op", viewer: "st-read" };
    expect(identityFromClaims({ realm_access: { roles: ["st-op"] } }, CLIENT, custom).role).toBe(
      "operator",
    );
    // The default names mean nothing once renamed.
    expect(identityFromClaims({ realm_access: { roles: ["admin"] } }, CLIENT, custom).role).toBe(
      null,
    );
  });

  it("returns a null role when no mapped role is present, keeping the raw roles", () => {
    const id = identityFromClaims(
      { realm_access: { roles: ["offline_access", "uma_authorization"] } },
      CLIENT,
      NAMES,
    );
    expect(id.role).toBeNull();
    expect(id.roles).toEqual(["offline_access", "uma_authorization"]);
  });

  it("passes groups through and de-duplicates roles", () => {
    const id = identityFromClaims(
      {
        realm_access: { roles: ["viewer"] },
        resource_access: { salestrack: { roles: ["viewer"] } },
        groups: ["/workspaces/acme", "/staff"],
      },
      CLIENT,
      NAMES,
    );
    expect(id.roles).toEqual(["viewer"]);
    expect(id.groups).toEqual(["/workspaces/acme", "/staff"]);
  });

  it("tolerates claims of the wrong type", () => {
    const garbage = {
      realm_access: { roles: "admin" },
      resource_access: { salestrack: { roles: { admin: true } } },
      groups: "/workspaces/acme",
    };
    // A malformed or missing groups claim says nothing about groups (null), unlike an empty list.
    expect(identityFromClaims(garbage, CLIENT, NAMES)).toEqual({
      role: null,
      roles: [],
      groups: null,
    });
    expect(identityFromClaims({}, CLIENT, NAMES)).toEqual({ role: null, roles: [], groups: null });
    expect(identityFromClaims({ groups: [] }, CLIENT, NAMES).groups).toEqual([]);
    const mixed = identityFromClaims(
      { realm_access: { roles: [42, null, "operator"] }, groups: [1, "/workspaces/acme"] },
      CLIENT,
      NAMES,
    );
    expect(mixed).toEqual({ role: "operator", roles: ["operator"], groups: ["/workspaces/acme"] });
  });
});

describe("decodeJwtPayload", () => {
  it("decodes the payload of a well-formed token", () => {
    const payload = { sub: "u1", realm_access: { roles: ["admin"] }, name: "Señora Ñandú" };
    expect(decodeJwtPayload(jwt(payload))).toEqual(payload);
  });

  it("returns an empty object for malformed tokens", () => {
    expect(decodeJwtPayload("")).toEqual({});
    expect(decodeJwtPayload("no-dots-at-all")).toEqual({});
    expect(decodeJwtPayload("header..sig")).toEqual({});
    expect(decodeJwtPayload("header.%%%not-base64%%%.sig")).toEqual({});
    const notJson = Buffer.from("{not json").toString("base64url");
    expect(decodeJwtPayload(`h.${notJson}.s`)).toEqual({});
  });
});

describe("workspaceSlugsFromGroups", () => {
  const PREFIX = "/workspaces/";

  it("takes the slug after the prefix", () => {
    expect(workspaceSlugsFromGroups(["/workspaces/acme", "/workspaces/beta-2"], PREFIX)).toEqual([
      "acme",
      "beta-2",
    ]);
  });

  it("uses the first segment of nested groups", () => {
    expect(workspaceSlugsFromGroups(["/workspaces/acme/sales"], PREFIX)).toEqual(["acme"]);
  });

  it("ignores groups outside the prefix", () => {
    expect(
      workspaceSlugsFromGroups(["/staff", "/other/workspaces/acme", "workspaces/acme"], PREFIX),
    ).toEqual([]);
  });

  it("drops slugs that are not valid workspace slugs", () => {
    expect(
      workspaceSlugsFromGroups(
        [
          "/workspaces/",
          "/workspaces/Acme",
          "/workspaces/-acme",
          "/workspaces/ac me",
          "/workspaces/acmé",
          `/workspaces/${"a".repeat(64)}`,
          `/workspaces/${"a".repeat(63)}`,
        ],
        PREFIX,
      ),
    ).toEqual(["a".repeat(63)]);
  });

  it("honours a custom prefix", () => {
    expect(workspaceSlugsFromGroups(["/tenants/acme", "/workspaces/beta"], "/tenants/")).toEqual([
      "acme",
    ]);
  });
});
