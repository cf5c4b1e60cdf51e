import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientKey } from "./client-ip";

function req(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  } as unknown as IncomingMessage;
}

describe("clientKey", () => {
  it("uses the peer address of a public client and ignores its X-Forwarded-For", () => {
    expect(clientKey(req("203.0.113.7", "1.2.3.4"))).toBe("203.0.113.7");
    expect(clientKey(req("::ffff:203.0.113.7"))).toBe("203.0.113.7");
  });

  it("behind a private or loopback proxy, uses the hop the proxy appended", () => {
    expect(clientKey(req("10.0.0.5", "6.6.6.6, 198.51.100.9"))).toBe("198.51.100.9");
    expect(clientKey(req("127.0.0.1", "198.51.100.9"))).toBe("198.51.100.9");
    expect(clientKey(req("172.20.0.2", "not-an-ip"))).toBe("172.20.0.2");
    expect(clientKey(req("192.168.1.1"))).toBe("192.168.1.1");
  });

  it("keys IPv6 clients by their /64", () => {
    expect(clientKey(req("2001:db8:aa:bb:1:2:3:4"))).toBe("2001:db8:aa:bb::/64");
    expect(clientKey(req("2001:db8:aa:bb::99"))).toBe("2001:db8:aa:bb::/64");
    expect(clientKey(req("2001:db8::1"))).toBe("2001:db8:0:0::/64");
  });
});
