import type { MemberRole } from "@/modules/workspaces/workspaces.table";

/** Permissions derive from the membership role; nothing else grants them. */
const VIEWER = [
  "dashboard:read",
  "contacts:read",
  "campaigns:read",
  "bots:read",
  "logs:read",
] as const;
const OPERATOR = [...VIEWER, "contacts:write", "campaigns:write", "bots:write"] as const;
const ADMIN = [
  ...OPERATOR,
  "settings:manage",
  "members:manage",
  "audit:read",
  "apikeys:manage",
  "secrets:manage",
] as const;

export type Permission = (typeof ADMIN)[number];

const BY_ROLE: Record<MemberRole, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  admin: new Set(ADMIN),
};

export function can(role: MemberRole, permission: Permission): boolean {
  return BY_ROLE[role].has(permission);
}

export function permissionsOf(role: MemberRole): Permission[] {
  return [...BY_ROLE[role]];
}

export const ROLE_RANK: Record<MemberRole, number> = { viewer: 1, operator: 2, admin: 3 };
