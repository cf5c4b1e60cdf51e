/**
 * Workspace API keys: creation (the secret is returned once, only its hash is stored),
 * listing, revocation and the per-request authentication used by the REST API.
 */
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import {
  findApiKeyById,
  findApiKeysPage,
  findKeyByHash,
  insertApiKeyRow,
  markApiKeyRevoked,
  touchApiKey,
  type ApiKeyRow,
} from "./apikeys.queries";
import { API_KEY_SCOPES, type ApiKeyScope, type ApiKeyView } from "./apikeys.schema";

type Actor = {
  tx: Tx;
  workspaceId: string;
  actorUserId: string | null;
  /** Who acted when there is no user, e.g. "cli". */
  actorLabel?: string | null;
  meta: RequestMeta | null;
};

// Secrets ------------------------------------------------------------------------------------
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_CHARS = 40; // ≈238 bits
const SECRET_FORMAT = /^st_[0-9A-Za-z]{32,128}$/;
export const API_KEY_PREFIX_LENGTH = 10;
/** `lastUsedAt` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** `st_` + 40 base62 characters; bytes ≥ 248 are skipped so every character is equally likely. */
export function generateApiKeySecret(): string {
  const out: string[] = [];
  while (out.length < SECRET_CHARS) {
    for (const byte of randomBytes(SECRET_CHARS * 2)) {
      if (byte >= 248) continue;
      out.push(BASE62[byte % 62]!);
      if (out.length === SECRET_CHARS) break;
    }
  }
  return `st_${out.join("")}`;
}

export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

const KNOWN_SCOPES = new Set<string>(API_KEY_SCOPES);

function toView(row: ApiKeyRow): ApiKeyView {
  // Scopes retired from the vocabulary are dropped from the view rather than failing it.
  return { ...row, scopes: row.scopes.filter((s): s is ApiKeyScope => KNOWN_SCOPES.has(s)) };
}

// Management ---------------------------------------------------------------------------------
export async function createApiKey({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  name,
  scopes,
}: Actor & { name: string; scopes: ApiKeyScope[] }): Promise<{ key: ApiKeyView; secret: string }> {
  const secret = generateApiKeySecret();
  const row = await insertApiKeyRow(tx, {
    workspaceId,
    name,
    prefix: secret.slice(0, API_KEY_PREFIX_LENGTH),
    keyHash: hashApiKeySecret(secret),
    scopes: [...new Set(scopes)],
    createdBy: actorUserId,
  });
  if (!row) throw new AppError("INTERNAL", "server.notCreated", { params: { what: "API key" } });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "apikey.created",
    target: { type: "api_key", id: row.id },
    after: { name: row.name, prefix: row.prefix, scopes: row.scopes },
  });
  return { key: toView(row), secret };
}

export async function listApiKeys({
  tx,
  workspaceId,
  page,
  pageSize,
  includeRevoked,
}: {
  tx: Tx;
  workspaceId: string;
  page: number;
  pageSize: number;
  includeRevoked: boolean;
}): Promise<{ rows: ApiKeyView[]; total: number }> {
  const { rows, total } = await findApiKeysPage(tx, workspaceId, {
    page,
    pageSize,
    includeRevoked,
  });
  return { rows: rows.map(toView), total };
}

/** Revoking twice is harmless: the key stays revoked as of the first time, audited once. */
export async function revokeApiKey({
  tx,
  workspaceId,
  actorUserId,
  actorLabel,
  meta,
  id,
}: Actor & { id: string }): Promise<ApiKeyView> {
  const revoked = await markApiKeyRevoked(tx, workspaceId, id);
  if (!revoked) {
    const existing = await findApiKeyById(tx, workspaceId, id);
    if (!existing) throw new AppError("NOT_FOUND", "apiKey.notFound");
    return toView(existing);
  }
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "apikey.revoked",
    target: { type: "api_key", id },
    before: { name: revoked.name, prefix: revoked.prefix, scopes: revoked.scopes },
  });
  return toView(revoked);
}

// Authentication -----------------------------------------------------------------------------
export type ApiKeyPrincipal = {
  workspaceId: string;
  apiKeyId: string;
  scopes: ApiKeyScope[];
  prefix: string;
  defaultCountry: string;
};

/**
 * The key behind a presented secret, or null when it is malformed, unknown or revoked. The
 * lookup is by SHA-256 of the secret through a unique index, so no secret is ever compared
 * character by character.
 */
export async function authenticateApiKey(secret: string): Promise<ApiKeyPrincipal | null> {
  if (!SECRET_FORMAT.test(secret)) return null;
  const sys = systemDb();
  const row = await findKeyByHash(sys, hashApiKeySecret(secret));
  if (!row || row.revokedAt) return null;
  const stale =
    !row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000;
  if (stale) await touchApiKey(sys, row.id, LAST_USED_RESOLUTION_SECONDS);
  return {
    workspaceId: row.workspaceId,
    apiKeyId: row.id,
    scopes: row.scopes.filter((s): s is ApiKeyScope => KNOWN_SCOPES.has(s)),
    prefix: row.prefix,
    defaultCountry: row.defaultCountry,
  };
}
