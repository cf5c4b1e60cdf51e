import { describe, expect, it } from "vitest";
import { parseWhatsappPayload } from "./whatsapp-payload";

const RECIPIENT = "0b8f3a52-6a1f-4f7e-9c1b-5c2d3e4f5a6b";

function body(value: Record<string, unknown>, phoneNumberId = "106540352242922") {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

describe("parseWhatsappPayload", () => {
  it("reads statuses: by our recipient id when Meta echoes it, else by wamid", () => {
    const [change] = parseWhatsappPayload(
      body({
        statuses: [
          {
            id: "wamid.A",
            status: "delivered",
            timestamp: "1750857384",
            recipient_id: "595981123456",
            biz_opaque_callback_data: RECIPIENT,
          },
          { id: "wamid.B", status: "read", timestamp: "1750857390", recipient_id: "1" },
          { id: "wamid.C", status: "sent", biz_opaque_callback_data: "campaign-42" },
        ],
      }),
    );
    expect(change).toEqual({
      phoneNumberId: "106540352242922",
      messages: [],
      updates: [
        { recipientId: RECIPIENT, status: "delivered", at: new Date(1750857384_000) },
        { providerMessageId: "wamid.B", status: "read", at: new Date(1750857390_000) },
        { providerMessageId: "wamid.C", status: "sent", at: undefined },
      ],
    });
  });

  it("carries the first error code of a failed status, and skips statuses it does not track", () => {
    const [change] = parseWhatsappPayload(
      body({
        statuses: [
          {
            id: "wamid.F",
            status: "failed",
            timestamp: "1750857384",
            errors: [{ code: 131026, title: "Message undeliverable" }],
          },
          { id: "wamid.G", status: "failed" },
          { id: "wamid.H", status: "deleted" },
          { id: "wamid.I", status: "played" },
          { status: "read" },
        ],
      }),
    );
    expect(change!.updates).toEqual([
      {
        providerMessageId: "wamid.F",
        status: "failed",
        code: "wa_131026",
        at: new Date(1750857384_000),
      },
      { providerMessageId: "wamid.G", status: "failed", code: "wa_failed", at: undefined },
    ]);
  });

  it("reads replies as E.164 senders with their text (typed, or a tapped button)", () => {
    const [change] = parseWhatsappPayload(
      body({
        contacts: [{ profile: { name: "Ana" }, wa_id: "595981123456" }],
        messages: [
          {
            from: "595981123456",
            id: "wamid.M1",
            timestamp: "1750857384",
            type: "text",
            text: { body: "BAJA" },
          },
          { from: "595981000111", id: "wamid.M2", type: "button", button: { text: "Stop" } },
          {
            from: "595981000222",
            id: "wamid.M3",
            type: "interactive",
            interactive: { type: "button_reply", button_reply: { id: "x", title: "No más" } },
          },
          { from: "595981000333", id: "wamid.M4", type: "image", image: { id: "1" } },
          { from: "not-a-number", type: "text", text: { body: "STOP" } },
        ],
      }),
    );
    expect(change!.messages).toEqual([
      { from: "+595981123456", text: "BAJA", providerMessageId: "wamid.M1" },
      { from: "+595981000111", text: "Stop", providerMessageId: "wamid.M2" },
      { from: "+595981000222", text: "No más", providerMessageId: "wamid.M3" },
    ]);
  });

  it("ignores other objects and changes without a phone number id", () => {
    expect(parseWhatsappPayload({ object: "page", entry: [] })).toEqual([]);
    expect(parseWhatsappPayload(null)).toEqual([]);
    expect(
      parseWhatsappPayload({
        object: "whatsapp_business_account",
        entry: [{ changes: [{ field: "account_update", value: { event: "X" } }] }],
      }),
    ).toEqual([]);
    expect(parseWhatsappPayload(body({ statuses: [] }, "../1"))).toEqual([]);
  });
});
