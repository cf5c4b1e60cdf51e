import { describe, expect, it } from "vitest";
import { parseInfobipPayload } from "./infobip-payload";

const R1 = "fb469d73-d362-463f-b30f-1e959b53badc";
const R2 = "0b8f3a52-6a1f-4f7e-9c1b-5c2d3e4f5a6b";
const NO_ERROR = { id: 0, name: "NO_ERROR", groupId: 0, groupName: "OK", permanent: false };

describe("parseInfobipPayload", () => {
  it("maps delivery report groups to receipts, with the error's name on failures", () => {
    const events = parseInfobipPayload({
      results: [
        {
          messageId: R1,
          to: "41793026731",
          sentAt: "2019-04-09T16:00:58.647-0300",
          doneAt: "2019-04-09T16:01:56.494-0300",
          status: { groupId: 3, groupName: "DELIVERED", id: 5, name: "DELIVERED_TO_HANDSET" },
          error: NO_ERROR,
        },
        {
          messageId: R2,
          doneAt: "2019-04-09T16:01:56.494+0000",
          status: { groupName: "UNDELIVERABLE", name: "UNDELIVERABLE_NOT_DELIVERED" },
          error: { id: 27, name: "EC_ABSENT_SUBSCRIBER", groupName: "HANDSET_ERRORS" },
        },
        {
          messageId: "ext-1",
          status: { groupName: "EXPIRED", name: "EXPIRED_EXPIRED" },
          error: NO_ERROR,
        },
        { messageId: R1, status: { groupName: "PENDING", name: "PENDING_ENROUTE" } },
        { messageId: R1, status: { groupName: "SOMETHING_NEW" } },
      ],
    });
    expect(events.messages).toEqual([]);
    expect(events.updates).toEqual([
      { recipientId: R1, status: "delivered", at: new Date("2019-04-09T19:01:56.494Z") },
      {
        recipientId: R2,
        status: "failed",
        code: "ib_ec_absent_subscriber",
        at: new Date("2019-04-09T16:01:56.494Z"),
      },
      { providerMessageId: "ext-1", status: "failed", code: "ib_expired_expired", at: undefined },
      { recipientId: R1, status: "sent", at: undefined },
    ]);
  });

  it("turns seen reports into read receipts", () => {
    expect(
      parseInfobipPayload({
        results: [{ messageId: R1, to: "41793026731", seenAt: "2018-12-12T11:21:58.251+0000" }],
      }).updates,
    ).toEqual([{ recipientId: R1, status: "read", at: new Date("2018-12-12T11:21:58.251Z") }]);
  });

  it("reads inbound text and button replies with E.164 senders", () => {
    const events = parseInfobipPayload({
      results: [
        {
          from: "385919998888",
          to: "447860099299",
          integrationType: "WHATSAPP",
          receivedAt: "2019-07-19T11:21:27.861+0000",
          messageId: "ABEGOFl3VCQoAhAqnlmSd2FKPOaraEaS0rPQ",
          message: { type: "TEXT", text: "STOP" },
        },
        { from: "385919998889", message: { type: "BUTTON", text: "Baja", payload: "x" } },
        { from: "385919998890", message: { type: "IMAGE", url: "https://x" } },
      ],
      messageCount: 3,
      pendingMessageCount: 0,
    });
    expect(events.updates).toEqual([]);
    expect(events.messages).toEqual([
      {
        from: "+385919998888",
        text: "STOP",
        providerMessageId: "ABEGOFl3VCQoAhAqnlmSd2FKPOaraEaS0rPQ",
      },
      { from: "+385919998889", text: "Baja" },
    ]);
  });

  it("ignores bodies that are not report lists", () => {
    expect(parseInfobipPayload([])).toEqual({ updates: [], messages: [] });
    expect(parseInfobipPayload({ results: "x" })).toEqual({ updates: [], messages: [] });
  });
});
