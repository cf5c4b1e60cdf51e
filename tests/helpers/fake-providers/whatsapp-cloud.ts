import { randomBytes } from "node:crypto";
import {
  digits,
  startFakeServer,
  type FakeProvider,
  type FakeReply,
  type FakeScript,
  type RouteRequest,
  type RouteResult,
} from "./fake-server";

/**
 * Meta's WhatsApp Cloud API send endpoint, `POST /{version}/{phone-number-id}/messages`, with
 * its documented answers: `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`
 * on success and Graph errors `{ error: { message, type, code, error_data, fbtrace_id } }`
 * otherwise. Like Meta it does not dedupe: every accepted request is a new message with a new
 * wamid; `count(recipientId)` (keyed by biz_opaque_callback_data) shows doubles.
 */

export type WhatsappCloudFakeOptions = {
  accessToken: string;
  phoneNumberId: string;
};

/** A Graph error code, or a raw reply / "drop". */
export type GraphScript = number | FakeScript;

export type WhatsappCloudFake = Omit<FakeProvider, "failNext" | "failFor"> & {
  failNext(n: number, script: GraphScript): void;
  failFor(to: string, script: GraphScript): void;
};

// HTTP statuses Graph pairs with these codes; adapters must branch on the code anyway.
function httpStatusFor(code: number): number {
  if (code === 0 || code === 190) return 401;
  if (code === 10 || code === 368 || code === 131031 || (code >= 200 && code <= 299)) return 403;
  if (code === 1 || code === 2 || code === 131000 || code === 131016 || code === 133004) return 500;
  return 400;
}

/** A Graph API error answer for `code`, shaped as Meta documents it. */
export function graphError(
  code: number,
  message = `(#${code}) error ${code}`,
  subcode?: number,
): FakeReply {
  return {
    status: httpStatusFor(code),
    body: {
      error: {
        message,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details: message },
        ...(subcode !== undefined && { error_subcode: subcode }),
        fbtrace_id: randomBytes(9).toString("base64url"),
      },
    },
  };
}

function toScript(script: GraphScript): FakeScript {
  return typeof script === "number" ? graphError(script) : script;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function invalidBody(body: unknown): string | null {
  if (!isRecord(body)) return "Request body is not JSON";
  if (body.messaging_product !== "whatsapp") return "messaging_product must be whatsapp";
  if (typeof body.to !== "string" || !/^\d{6,15}$/.test(body.to)) return "to is not a phone number";
  if (body.type === "text") {
    const text = body.text;
    if (!isRecord(text) || typeof text.body !== "string" || !text.body)
      return "text.body is required";
    return null;
  }
  if (body.type === "template") {
    const t = body.template;
    if (!isRecord(t) || typeof t.name !== "string") return "template.name is required";
    if (!isRecord(t.language) || typeof t.language.code !== "string") {
      return "template.language.code is required";
    }
    return null;
  }
  return "type is not supported";
}

export async function startWhatsappCloudFake(
  options: WhatsappCloudFakeOptions,
): Promise<WhatsappCloudFake> {
  const route = (req: RouteRequest): RouteResult => {
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(req.path);
    if (req.method !== "POST" || !match) {
      return { reject: graphError(2500, `Unknown path components: ${req.path}`) };
    }
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return { reject: graphError(190, "Invalid OAuth access token - Cannot parse access token") };
    }
    if (match[2] !== options.phoneNumberId) {
      return {
        reject: graphError(
          100,
          `Unsupported post request. Object with ID '${match[2]}' does not exist`,
          33,
        ),
      };
    }
    const problem = invalidBody(req.body);
    if (problem) return { reject: graphError(100, `(#100) Invalid parameter: ${problem}`) };

    const body = req.body as { to: string; biz_opaque_callback_data?: string };
    const wamid = `wamid.${randomBytes(24).toString("base64url")}`;
    return {
      messages: [{ id: body.biz_opaque_callback_data ?? wamid, to: body.to }],
      success: () => ({
        status: 200,
        body: {
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: digits(body.to) }],
          messages: [{ id: wamid }],
        },
      }),
    };
  };

  const server = await startFakeServer(route);
  return {
    ...server,
    failNext: (n, script) => server.failNext(n, toScript(script)),
    failFor: (to, script) => server.failFor(to, toScript(script)),
  };
}
