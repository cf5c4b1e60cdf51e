import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, clientKey, forwardedHttps } from "./client-ip";
import { DEFAULT_TRUSTED_PROXIES, parseTrustedProxies } from "./trusted-proxies";

function req(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const loopbackOnly = parseTrustedProxies(DEFAULT_TRUSTED_PROXIES);
const cluster = parseTrustedProxies("127.0.0.1, 10.0.0.0/8, fd00::/8");

describe("trusted proxies", () => {
  it("parses CIDR blocks and single addresses of both families", () => {
    const list = parseTrustedProxies("10.0.0.0/8, 192.168.1.7, 2001:db8::/32, ::1");
    expect(list.contains("10.200.3.4")).toBe(true);
    expect(list.contains("11.0.0.1")).toBe(false);
    expect(list.contains("192.168.1.7")).toBe(true);
    expect(list.contains("192.168.1.8")).toBe(false);
    expect(list.contains("2001:db8:ffff::1")).toBe(true);
    expect(list.contains("2001:db9::1")).toBe(false);
    expect(list.contains("::1")).toBe(true);
    expect(list.contains("::ffff:10.1.1.1")).toBe(true);
    expect(list.contains("not-an-ip")).toBe(false);
  });

  it("trusts only loopback by default, and nobody with 'none'", () => {
    expect(loopbackOnly.contains("127.0.0.1")).toBe(true);
    expect(loopbackOnly.contains("::1")).toBe(true);
    expect(loopbackOnly.contains("10.0.0.5")).toBe(false);
    expect(loopbackOnly.contains("192.168.1.1")).toBe(false);
    expect(parseTrustedProxies("none").contains("127.0.0.1")).toBe(false);
  });

  it("names the bad entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, 10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/proxy\.internal/);
  });
});

describe("clientAddress / clientKey", () => {
  it("uses the peer address of an untrusted client and ignores its X-Forwarded-For", () => {
    expect(clientKey(req("203.0.113.7", { "x-forwarded-for": "1.2.3.4" }), loopbackOnly)).toBe(
      "203.0.113.7",
    );
    expect(clientKey(req("::ffff:203.0.113.7"), loopbackOnly)).toBe("203.0.113.7");
    // A private neighbour is not a proxy unless configured as one.
    expect(clientAddress("10.0.0.5", "6.6.6.6", loopbackOnly)).toBe("10.0.0.5");
  });

  it("behind trusted proxies, walks X-Forwarded-For from the right to the first foreign hop", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.9", loopbackOnly)).toBe("198.51.100.9");
    // The client forged "6.6.6.6"; the edge proxy (10.0.0.9) appended the real peer.
    expect(clientAddress("10.0.0.5", "6.6.6.6, 198.51.100.9, 10.0.0.9", cluster)).toBe(
      "198.51.100.9",
    );
    expect(clientAddress("172.20.0.2", "not-an-ip", cluster)).toBe("172.20.0.2");
    expect(clientAddress("10.0.0.5", "garbage, 10.0.0.7", cluster)).toBe("10.0.0.7");
    expect(clientAddress("127.0.0.1", undefined, loopbackOnly)).toBe("127.0.0.1");
  });

  it("keys IPv6 clients by their /64", () => {
    expect(clientKey(req("2001:db8:aa:bb:1:2:3:4"), loopbackOnly)).toBe("2001:db8:aa:bb::/64");
    expect(clientKey(req("2001:db8:aa:bb::99"), loopbackOnly)).toBe("2001:db8:aa:bb::/64");
    expect(clientKey(req("2001:db8::1"), loopbackOnly)).toBe("2001:db8:0:0::/64");
  });

  it("believes X-Forwarded-Proto only from a trusted proxy, and only its own (last) value", () => {
    expect(forwardedHttps(req("127.0.0.1", { "x-forwarded-proto": "https" }), loopbackOnly)).toBe(
      true,
    );
    expect(forwardedHttps(req("203.0.113.7", { "x-forwarded-proto": "https" }), loopbackOnly)).toBe(
      false,
    );
    expect(
      forwardedHttps(req("127.0.0.1", { "x-forwarded-proto": "https, http" }), loopbackOnly),
    ).toBe(false);
  });
});
