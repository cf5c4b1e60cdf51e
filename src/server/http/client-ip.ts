import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/**
 * Which client a request counts against, for rate limiting.
 *
 * The peer address, unless the peer is a reverse proxy on loopback or a private network: then
 * the last `X-Forwarded-For` hop, which that proxy appended and the client cannot forge
 * (entries to its left can be). IPv6 clients are keyed by their /64, since one host usually
 * holds a whole /64 and could otherwise rotate through it.
 */
export function clientKey(req: IncomingMessage): string {
  const peer = normalise(req.socket.remoteAddress ?? "");
  let address = peer;
  if (isTrustedProxy(peer)) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",");
    const last = normalise(hops[hops.length - 1]?.trim() ?? "");
    if (isIP(last)) address = last;
  }
  return isIP(address) === 6 ? ipv6Prefix64(address) : address || "unknown";
}

function normalise(address: string): string {
  // IPv4 clients of a dual-stack socket arrive as "::ffff:1.2.3.4".
  return address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

function isTrustedProxy(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  // Loopback, and unique local addresses (fc00::/7).
  return address === "::1" || /^f[cd][0-9a-f]{2}:/.test(address);
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
