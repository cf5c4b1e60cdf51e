import { isIP } from "node:net";

/**
 * Which peers may speak for a client through `X-Forwarded-For` / `X-Forwarded-Proto`: a list
 * of CIDR blocks (`10.0.0.0/8, 2001:db8::/32`) or single addresses. Only loopback by default:
 * a proxy on the same host. Private ranges are not trusted implicitly, because on a shared
 * network (a cluster, a VPC, a container bridge) any neighbour could then forge its address.
 */
export const DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128";

type Block = { family: 4 | 6; bits: bigint; prefix: number };

export type TrustedProxies = {
  contains(address: string): boolean;
  /** The list as parsed, for logs and docs. */
  readonly blocks: readonly string[];
};

/** IPv4 clients of a dual-stack socket arrive as "::ffff:1.2.3.4". */
export function normaliseAddress(address: string): string {
  return address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

function ipv4Bits(address: string): bigint {
  return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Bits(address: string): bigint {
  // An embedded IPv4 tail ("::ffff:10.0.0.1", "64:ff9b::1.2.3.4") is two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  let text = address;
  if (v4) {
    const n = ipv4Bits(v4);
    text = `${address.slice(0, -v4.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

function bitsOf(address: string): { family: 4 | 6; bits: bigint } | null {
  const family = isIP(address);
  if (family === 4) return { family, bits: ipv4Bits(address) };
  if (family === 6) return { family, bits: ipv6Bits(address) };
  return null;
}

function parseBlock(entry: string): Block {
  const [rawAddress = "", rawPrefix] = entry.split("/");
  const address = normaliseAddress(rawAddress);
  const parsed = bitsOf(address);
  if (!parsed) throw new Error(`"${entry}" is not an IP address or CIDR block`);
  const width = parsed.family === 4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? width : Number(rawPrefix);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || rawPrefix === "") {
    throw new Error(`"${entry}" has an invalid prefix length (0–${width})`);
  }
  return { family: parsed.family, bits: parsed.bits, prefix };
}

function inBlock(block: Block, family: 4 | 6, bits: bigint): boolean {
  if (block.family !== family) return false;
  const width = family === 4 ? 32 : 128;
  const shift = BigInt(width - block.prefix);
  return bits >> shift === block.bits >> shift;
}

/** Parses a comma-separated list; throws naming the bad entry. "" or "none" trusts nobody. */
export function parseTrustedProxies(list: string): TrustedProxies {
  const entries = list
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== "none");
  const blocks = entries.map(parseBlock);
  return {
    blocks: entries,
    contains(address) {
      const parsed = bitsOf(normaliseAddress(address));
      return !!parsed && blocks.some((b) => inBlock(b, parsed.family, parsed.bits));
    },
  };
}

/** For env validation: the error message, or null when the list parses. */
export function trustedProxiesError(list: string): string | null {
  try {
    parseTrustedProxies(list);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
