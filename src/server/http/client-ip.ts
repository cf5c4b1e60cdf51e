import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { env } from "@/env";
import { normaliseAddress, parseTrustedProxies, type TrustedProxies } from "./trusted-proxies";

let configured: TrustedProxies | null = null;

/** `TRUSTED_PROXIES`, parsed once (env.ts has already validated it). */
export function trustedProxies(): TrustedProxies {
  configured ??= parseTrustedProxies(env.TRUSTED_PROXIES);
  return configured;
}

function headerValues(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(",") : (value ?? ""))
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * The client's address: the peer, unless the peer is a trusted proxy — then `X-Forwarded-For`
 * read from the right, skipping hops that are trusted proxies themselves. The first hop that
 * is not ours is the client; entries to its left were written by the client and can be forged.
 * A hop that is not an address stops the walk at the last address we could vouch for.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies = trustedProxies(),
): string {
  let address = normaliseAddress(peer);
  if (!trusted.contains(address)) return address;
  for (const raw of headerValues(forwardedFor).reverse()) {
    const hop = normaliseAddress(raw);
    if (!isIP(hop)) break;
    address = hop;
    if (!trusted.contains(hop)) break;
  }
  return address;
}

/**
 * Which client a request counts against, for rate limiting. IPv6 clients are keyed by their
 * /64, since one host usually holds a whole /64 and could otherwise rotate through it.
 */
export function clientKey(
  req: IncomingMessage,
  trusted: TrustedProxies = trustedProxies(),
): string {
  const address = clientAddress(
    req.socket.remoteAddress ?? "",
    req.headers["x-forwarded-for"],
    trusted,
  );
  return isIP(address) === 6 ? ipv6Prefix64(address) : address || "unknown";
}

/** Whether the client reached us over https: only a trusted proxy's word counts. */
export function forwardedHttps(
  req: IncomingMessage,
  trusted: TrustedProxies = trustedProxies(),
): boolean {
  if (!trusted.contains(req.socket.remoteAddress ?? "")) return false;
  // The nearest proxy's value is the last one; earlier ones may come from the client.
  return headerValues(req.headers["x-forwarded-proto"]).at(-1)?.toLowerCase() === "https";
}

/** "2001:db8::1" → "2001:db8:0:0::/64". */
function ipv6Prefix64(address: string): string {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
