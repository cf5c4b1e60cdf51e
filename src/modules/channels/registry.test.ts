import { describe, expect, it } from "vitest";
import { getAdapter, isServerSentKind, NoServerAdapterError } from "./registry";

describe("getAdapter", () => {
  it("returns the adapter of each server-sent kind", () => {
    for (const kind of ["sandbox", "webhook", "whatsapp_cloud", "infobip"] as const) {
      expect(isServerSentKind(kind)).toBe(true);
      expect(getAdapter(kind).kind).toBe(kind);
    }
  });

  it("only WhatsApp Cloud is unsafe to resend (Meta does not dedupe)", () => {
    expect(getAdapter("whatsapp_cloud").resendIsSafe).toBe(false);
    expect(getAdapter("webhook").resendIsSafe).toBe(true);
    expect(getAdapter("infobip").resendIsSafe).toBe(true);
    expect(getAdapter("sandbox").resendIsSafe).toBe(true);
  });

  it("refuses agent bots: their agents pull tasks", () => {
    expect(isServerSentKind("agent")).toBe(false);
    expect(() => getAdapter("agent")).toThrow(NoServerAdapterError);
    expect(() => getAdapter("agent")).toThrow(/pull tasks/);
  });
});
