import { z } from "zod";
import { errorKey } from "@/lib/error-ref";

/** What a key may do. Checked per REST route by `withApiKey(scope, …)`. */
export const API_KEY_SCOPES = [
  "contacts:read",
  "contacts:write",
  "imports:write",
  "campaigns:read",
  "campaigns:write",
  "stats:read",
  "settings:write",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const apiKeyScope = z.enum(API_KEY_SCOPES);

export const createApiKeyInput = z.object({
  name: z.string().trim().min(2).max(80),
  scopes: z
    .array(apiKeyScope)
    .min(1, errorKey("apiKey.scopeRequired"))
    .max(API_KEY_SCOPES.length * 2),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const listApiKeysInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(5).max(100).default(20),
  includeRevoked: z.boolean().default(false),
});
export type ListApiKeysInput = z.infer<typeof listApiKeysInput>;

export const apiKeyIdInput = z.object({ id: z.uuid() });

/** Everything about a key except its secret, which exists only in the creation response. */
export const apiKeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(apiKeyScope),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;
