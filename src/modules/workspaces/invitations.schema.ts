import { z } from "zod";
import { roleSchema } from "./workspaces.schema";

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;

export const createInvitationInput = z.object({
  email: z.email().max(254).trim().toLowerCase(),
  role: roleSchema,
});

/**
 * What inviting answers — the same fields whoever the address belongs to (a user of another
 * workspace, or nobody yet): nothing about the person is ever looked up or returned.
 */
export const createInvitationOutput = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.date(),
  /** `/invitations/<token>`: shown once; only the token's hash is stored. */
  linkPath: z.string(),
});

export const listInvitationsInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(5).max(100).default(20),
});

export const revokeInvitationInput = z.object({ id: z.uuid() });

// 32 random bytes, base64url: anything else names no invitation (and is not looked up).
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const invitationTokenInput = z.object({ token: z.string().max(100) });
