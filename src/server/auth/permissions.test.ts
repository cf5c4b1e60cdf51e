import { describe, expect, it } from "vitest";
import { can, permissionsOf, ROLE_RANK, type Permission } from "./permissions";

const READS: Permission[] = [
  "dashboard:read",
  "contacts:read",
  "campaigns:read",
  "bots:read",
  "logs:read",
];
const WRITES: Permission[] = ["contacts:write", "campaigns:write", "bots:write"];
const ADMIN_ONLY: Permission[] = [
  "settings:manage",
  "members:manage",
  "audit:read",
  "apikeys:manage",
  "secrets:manage",
];

describe("can", () => {
  it.each(READS)("every role can %s", (permission) => {
    expect(can("viewer", permission)).toBe(true);
    expect(can("operator", permission)).toBe(true);
    expect(can("admin", permission)).toBe(true);
  });

  it.each(WRITES)("viewer cannot %s; operator and admin can", (permission) => {
    expect(can("viewer", permission)).toBe(false);
    expect(can("operator", permission)).toBe(true);
    expect(can("admin", permission)).toBe(true);
  });

  it.each(ADMIN_ONLY)("only admin can %s", (permission) => {
    expect(can("viewer", permission)).toBe(false);
    expect(can("operator", permission)).toBe(false);
    expect(can("admin", permission)).toBe(true);
  });
});

describe("permissionsOf", () => {
  it("returns each role's full set", () => {
    expect(permissionsOf("viewer").sort()).toEqual([...READS].sort());
    expect(permissionsOf("operator").sort()).toEqual([...READS, ...WRITES].sort());
    expect(permissionsOf("admin").sort()).toEqual([...READS, ...WRITES, ...ADMIN_ONLY].sort());
  });

  it("returns a copy that cannot change what a role is granted", () => {
    permissionsOf("viewer").push("settings:manage");
    expect(can("viewer", "settings:manage")).toBe(false);
  });
});

describe("ROLE_RANK", () => {
  it("orders viewer < operator < admin", () => {
    expect(ROLE_RANK.viewer).toBeLessThan(ROLE_RANK.operator);
    expect(ROLE_RANK.operator).toBeLessThan(ROLE_RANK.admin);
  });
});
