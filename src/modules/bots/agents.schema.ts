import { isIP } from "node:net";
import { z } from "zod";
import { errorKey } from "@/lib/error-ref";

/** An address or a CIDR range (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`). */
const addressOrRange = z
  .string()
  .trim()
  .refine((v) => {
    const [address, bits, extra] = v.split("/");
    const family = isIP(address ?? "");
    if (!family || extra !== undefined) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
  }, errorKey("agent.addressOrRange"));

export const agentSettingsInput = z.object({
  id: z.uuid(),
  ipAllowlist: z.array(addressOrRange).max(50),
  /** How old (or early) a signed event's timestamp may be. */
  eventWindowSeconds: z.number().int().min(30).max(3600),
  /** How long a lease lasts without a heartbeat. */
  leaseSeconds: z.number().int().min(10).max(3600),
});
export type AgentSettingsInput = z.infer<typeof agentSettingsInput>;

export const rotateSecretInput = z.object({
  id: z.uuid(),
  /** How long the previous secret keeps working (agents switch over meanwhile). 0 = now. */
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(0),
});

export const agentSettingsView = z.object({
  ipAllowlist: z.array(z.string()),
  eventWindowSeconds: z.number(),
  leaseSeconds: z.number(),
  /** Active secrets: the current one (no expiry) and any still in their overlap. */
  secrets: z.array(z.object({ expiresAt: z.date().nullable() })),
});
