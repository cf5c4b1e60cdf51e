/**
 * Meta's WhatsApp Cloud API webhooks: the subscription handshake and signed event posts.
 * One callback URL serves every WhatsApp bot of every workspace, so each change in a body is
 * routed by its phone number id and accepted only for bots whose app secret signed the body.
 */
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import {
  findWhatsappInboundBots,
  listWhatsappWebhookSecrets,
  type WhatsappInboundBot,
} from "@/modules/bots/bots-routing.service";
import type { InboundMessage, StatusUpdate } from "@/modules/campaigns/status-updates.service";
import { parseJsonBody } from "./payload-helpers";
import {
  addSummaries,
  EMPTY_SUMMARY,
  recordInboundEvents,
  type InboundSummary,
} from "./record-events";
import { hubSignatureMatches, parseHubSignature, safeEqual } from "./signatures";
import { parseWhatsappPayload } from "./whatsapp-payload";

// Meta sends a number; anything outside this set is refused rather than echoed back.
const CHALLENGE = /^[A-Za-z0-9._-]{1,256}$/;

/**
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: the challenge to echo when the
 * token is one a WhatsApp bot is configured with. The request names no bot, so the token is
 * compared with every configured one, each in constant time and without stopping early.
 */
export async function verifyWhatsappSubscription({
  mode,
  verifyToken,
  challenge,
}: {
  mode: string | null;
  verifyToken: string | null;
  challenge: string | null;
}): Promise<string> {
  const refused = new AppError("FORBIDDEN", "webhook.verificationFailed");
  if (mode !== "subscribe" || !verifyToken || !challenge || !CHALLENGE.test(challenge)) {
    throw refused;
  }
  const { verifyTokens } = await listWhatsappWebhookSecrets();
  let matched = false;
  for (const token of verifyTokens) matched = safeEqual(verifyToken, token) || matched;
  if (!matched) throw refused;
  return challenge;
}

// A body that routes to no bot is checked against every configured app secret (below). The
// list is cached so such bodies cannot make each request decrypt every bot's credentials,
// and only small bodies are hashed that many times (Meta's unroutable events are small).
const APP_SECRETS_TTL_MS = 60_000;
const UNROUTED_MAX_BYTES = 64 * 1024;
let appSecretsCache: { at: number; secrets: Promise<string[]> } | null = null;

function knownAppSecrets(): Promise<string[]> {
  if (appSecretsCache && Date.now() - appSecretsCache.at < APP_SECRETS_TTL_MS) {
    return appSecretsCache.secrets;
  }
  const entry = {
    at: Date.now(),
    secrets: listWhatsappWebhookSecrets().then((s) => s.appSecrets),
  };
  entry.secrets.catch(() => {
    if (appSecretsCache === entry) appSecretsCache = null;
  });
  appSecretsCache = entry;
  return entry.secrets;
}

type WorkspaceEvents = { updates: StatusUpdate[]; messages: InboundMessage[] };

/**
 * `POST` with `X-Hub-Signature-256: sha256=<hex>` over the raw body. The body is parsed only
 * to learn which bots' secrets to try; nothing in it is acted on until the signature matches
 * one of them. Throws 401 for a missing or forged signature (no state changes).
 */
export async function receiveWhatsappWebhook({
  rawBody,
  signature,
}: {
  rawBody: Buffer;
  signature: string | undefined;
}): Promise<InboundSummary & { ignoredChanges: number }> {
  const digest = parseHubSignature(signature);
  if (!digest) {
    throw new AppError("UNAUTHORIZED", "webhook.signatureMissing", {
      params: { header: "X-Hub-Signature-256" },
    });
  }
  const changes = parseWhatsappPayload(parseJsonBody(rawBody));

  // One HMAC per distinct secret, however many bots or changes share it.
  const verdicts = new Map<string, boolean>();
  const signedWith = (secret: string) => {
    let ok = verdicts.get(secret);
    if (ok === undefined) {
      ok = hubSignatureMatches(rawBody, digest, secret);
      verdicts.set(secret, ok);
    }
    return ok;
  };

  const botsByNumber = new Map<string, WhatsappInboundBot[]>();
  const byWorkspace = new Map<string, WorkspaceEvents>();
  let ignoredChanges = 0;
  for (const change of changes) {
    let bots = botsByNumber.get(change.phoneNumberId);
    if (!bots) {
      bots = await findWhatsappInboundBots(change.phoneNumberId);
      botsByNumber.set(change.phoneNumberId, bots);
    }
    // Two workspaces may share a number (and even an app): each gets the events it can verify.
    const owners = new Set(
      bots.filter((b) => b.appSecret !== null && signedWith(b.appSecret)).map((b) => b.workspaceId),
    );
    if (owners.size === 0) ignoredChanges++;
    for (const workspaceId of owners) {
      const events = byWorkspace.get(workspaceId) ?? { updates: [], messages: [] };
      events.updates.push(...change.updates);
      events.messages.push(...change.messages);
      byWorkspace.set(workspaceId, events);
    }
  }

  if (byWorkspace.size === 0) {
    // Genuine but for no bot here (a number without a bot, an event without a number): 200,
    // or Meta would retry it for days. Anything else is forged.
    const genuine =
      rawBody.length <= UNROUTED_MAX_BYTES && (await knownAppSecrets()).some(signedWith);
    if (!genuine)
      throw new AppError("UNAUTHORIZED", "webhook.signatureInvalid", {
        params: { header: "X-Hub-Signature-256" },
      });
    logger.info({ changes: changes.length }, "whatsapp webhook for no configured bot ignored");
    return { ...EMPTY_SUMMARY, ignoredChanges };
  }

  let summary = EMPTY_SUMMARY;
  for (const [workspaceId, events] of byWorkspace) {
    summary = addSummaries(summary, await recordInboundEvents({ workspaceId, ...events }));
  }
  return { ...summary, ignoredChanges };
}
