import { randomUUID } from "node:crypto";
import {
  digits,
  startFakeServer,
  type FakeProvider,
  type FakeReply,
  type RouteRequest,
  type RouteResult,
} from "./fake-server";

/**
 * Infobip's WhatsApp send endpoints with their documented shapes:
 * - `POST /whatsapp/1/message/text` `{ from, to, messageId, content: { text } }` →
 *   `{ to, messageCount, messageId, status: { groupId, groupName, id, name, description } }`
 * - `POST /whatsapp/1/message/template` `{ messages: [{ from, to, messageId, content:
 *   { templateName, templateData: { body: { placeholders } }, language } }] }` →
 *   `{ messages: [<same info>], bulkId }`
 * - errors `{ requestError: { serviceException: { messageId, text } } }`.
 * `Authorization: App <key>` is checked; our `messageId` is the dedupe id.
 */

export type InfobipFakeOptions = {
  apiKey: string;
  /** Registered senders; any sender is accepted when omitted. */
  senders?: string[];
};

export type InfobipFake = FakeProvider & {
  /** Answers 200 with a REJECTED status for this number (e.g. REJECTED_DESTINATION). */
  rejectFor(to: string, statusName?: string): void;
};

type Status = { groupId: number; groupName: string; id: number; name: string; description: string };

const PENDING: Status = {
  groupId: 1,
  groupName: "PENDING",
  id: 7,
  name: "PENDING_ENROUTE",
  description: "Message sent to next instance",
};

function rejected(name: string): Status {
  return { groupId: 5, groupName: "REJECTED", id: 51, name, description: `Rejected: ${name}` };
}

/** An Infobip error answer. */
export function infobipError(status: number, messageId: string, text: string): FakeReply {
  return { status, body: { requestError: { serviceException: { messageId, text } } } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type OutMessage = {
  from: string;
  to: string;
  messageId?: string;
  content: Record<string, unknown>;
};

function invalidMessage(m: unknown, template: boolean, senders?: string[]): string | null {
  if (!isRecord(m)) return "message is not an object";
  if (typeof m.from !== "string" || (senders && !senders.includes(m.from))) return "from";
  if (typeof m.to !== "string" || !/^\d{6,24}$/.test(m.to)) return "to";
  if (m.messageId !== undefined && (typeof m.messageId !== "string" || m.messageId.length > 100)) {
    return "messageId";
  }
  const c = m.content;
  if (!isRecord(c)) return "content";
  if (!template) return typeof c.text === "string" && c.text ? null : "content.text";
  if (typeof c.templateName !== "string" || typeof c.language !== "string") return "content";
  const body =
    isRecord(c.templateData) && isRecord(c.templateData.body) ? c.templateData.body : null;
  if (!body || !Array.isArray(body.placeholders)) return "content.templateData.body.placeholders";
  return null;
}

export async function startInfobipFake(options: InfobipFakeOptions): Promise<InfobipFake> {
  const rejections = new Map<string, string>();
  const info = (m: OutMessage) => ({
    to: m.to,
    messageCount: 1,
    messageId: m.messageId ?? randomUUID(),
    status: rejections.has(digits(m.to)) ? rejected(rejections.get(digits(m.to))!) : PENDING,
  });

  const route = (req: RouteRequest): RouteResult => {
    const template = req.path === "/whatsapp/1/message/template";
    if (req.method !== "POST" || (!template && req.path !== "/whatsapp/1/message/text")) {
      return { reject: infobipError(404, "NOT_FOUND", "Requested URL not found") };
    }
    if (req.headers.authorization !== `App ${options.apiKey}`) {
      return { reject: infobipError(401, "UNAUTHORIZED", "Invalid login details") };
    }
    const body = req.body;
    const list: unknown[] = template
      ? isRecord(body) && Array.isArray(body.messages)
        ? body.messages
        : []
      : [body];
    const problem =
      list.length === 0
        ? "messages"
        : list.map((m) => invalidMessage(m, template, options.senders)).find(Boolean);
    if (problem) return { reject: infobipError(400, "BAD_REQUEST", `Bad request: ${problem}`) };

    const messages = list as OutMessage[];
    const anyRejected = messages.some((m) => rejections.has(digits(m.to)));
    return {
      messages: messages.map((m) => ({ id: m.messageId ?? "", to: m.to })),
      success: () => {
        const infos = messages.map(info);
        return {
          status: 200,
          accepted: !anyRejected,
          body: template ? { messages: infos, bulkId: randomUUID() } : infos[0],
        };
      },
    };
  };

  const server = await startFakeServer(route);
  return {
    ...server,
    rejectFor(to, statusName = "REJECTED_DESTINATION") {
      rejections.set(digits(to), statusName);
    },
    reset() {
      server.reset();
      rejections.clear();
    },
  };
}
