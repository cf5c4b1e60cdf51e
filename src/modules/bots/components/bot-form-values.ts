import { z } from "zod";
import type { BOT_KINDS } from "../bot-kinds";
import type { BotView, CreateBotInput } from "../bots.schema";

/** Every kind the form can create: the senders and agents (which have no channel settings). */
export type SendingKind = (typeof BOT_KINDS)[number];

/**
 * The bot form keeps every input as typed text; `toBotInput` turns it into the router's
 * numbers and nulls. Validation messages are i18n keys under `bots.errors`, with arguments
 * after colons (`range:1:64`).
 */
export type BotFormValues = {
  name: string;
  kind: SendingKind;
  sandbox: {
    latencyMs: string;
    failureRate: string;
    deliveredAfterMs: string;
    readAfterMs: string;
  };
  webhook: { url: string };
  whatsapp_cloud: {
    phoneNumberId: string;
    apiVersion: string;
    baseUrl: string;
    accessToken: string;
    appSecret: string;
    verifyToken: string;
  };
  infobip: {
    baseUrl: string;
    sender: string;
    apiKey: string;
    webhookToken: string;
    webhookUsername: string;
    webhookPassword: string;
  };
  limits: {
    concurrency: string;
    ratePerSecond: string;
    ratePerMinute: string;
    dailyCap: string;
    dailyUniqueCap: string;
    delayMinS: string;
    delayMaxS: string;
    quietStart: string;
    quietEnd: string;
  };
};

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
const seconds = (ms: number) => (ms ? String(ms / 1000) : "");

export function toFormValues(bot: BotView | null): BotFormValues {
  const c = bot?.config ?? {};
  const kind = (bot?.kind ?? "sandbox") as SendingKind;
  const has = (k: SendingKind) => bot?.kind === k;
  return {
    name: bot?.name ?? "",
    kind,
    sandbox: {
      latencyMs: has("sandbox") ? text(c.latencyMs) : "200",
      failureRate: has("sandbox") ? text(Number(c.failureRate ?? 0) * 100) : "0",
      deliveredAfterMs: has("sandbox") ? text(c.deliveredAfterMs) : "2000",
      readAfterMs: has("sandbox") ? text(c.readAfterMs) : "5000",
    },
    webhook: { url: has("webhook") ? text(c.url) : "" },
    whatsapp_cloud: {
      phoneNumberId: has("whatsapp_cloud") ? text(c.phoneNumberId) : "",
      apiVersion: has("whatsapp_cloud") ? text(c.apiVersion) : "",
      baseUrl: has("whatsapp_cloud") ? text(c.baseUrl) : "",
      // Secrets are never sent back: blank inputs keep the stored ones.
      accessToken: "",
      appSecret: "",
      verifyToken: "",
    },
    infobip: {
      baseUrl: has("infobip") ? text(c.baseUrl) : "",
      sender: has("infobip") ? text(c.sender) : "",
      apiKey: "",
      webhookToken: "",
      webhookUsername: "",
      webhookPassword: "",
    },
    limits: {
      concurrency: String(bot?.concurrency ?? 4),
      ratePerSecond: text(bot?.ratePerSecond),
      ratePerMinute: text(bot?.ratePerMinute),
      dailyCap: text(bot?.dailyCap),
      dailyUniqueCap: text(bot?.dailyUniqueCap),
      delayMinS: seconds(bot?.delayMinMs ?? 0),
      delayMaxS: seconds(bot?.delayMaxMs ?? 0),
      quietStart: bot?.quietStart ?? "",
      quietEnd: bot?.quietEnd ?? "",
    },
  };
}

const num = (s: string): number | null => (s.trim() === "" ? null : Number(s.trim()));

type Rule = { min: number; max: number; int?: boolean; required?: boolean };

/** The i18n key for a numeric text that breaks `rule`, or null when it is fine. */
function numberError(value: string, rule: Rule): string | null {
  const n = num(value);
  if (n === null) return rule.required ? "required" : null;
  if (!Number.isFinite(n)) return "number";
  if (rule.int && !Number.isInteger(n)) return "integer";
  if (n < rule.min || n > rule.max) return `range:${rule.min}:${rule.max}`;
  return null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Infobip echoes the token in the webhook URL's query string: no characters that need encoding. */
export const WEBHOOK_TOKEN = /^[A-Za-z0-9_-]{24,128}$/;
export const INFOBIP_INBOUND = ["webhookToken", "webhookUsername", "webhookPassword"] as const;

/** The i18n key for a typed secret of `min`–`max` characters (blank = keep), or null. */
const lengthError = (value: string, min: number, max: number, key: string) => {
  const n = value.trim().length;
  return n > 0 && (n < min || n > max) ? key : null;
};
const HTTP_URL = /^https?:\/\/[^\s/]+/i;

/**
 * Client-side checks mirroring the server's (which stay the authority). `stored` names the
 * credentials the bot already holds (`BotView.credentialsSet`): Infobip's webhook settings are
 * all three or none, counting the stored ones.
 */
export function botFormSchema(editing: boolean, stored: readonly string[] = []) {
  return z.custom<BotFormValues>().superRefine((v, ctx) => {
    const issue = (path: string, message: string | null) =>
      message && ctx.addIssue({ code: "custom", path: path.split("."), message });
    const name = v.name.trim();
    issue("name", name.length < 2 ? "nameShort" : name.length > 80 ? "nameLong" : null);

    if (v.kind === "sandbox") {
      const s = v.sandbox;
      issue("sandbox.latencyMs", numberError(s.latencyMs, { min: 0, max: 60_000, int: true }));
      issue("sandbox.failureRate", numberError(s.failureRate, { min: 0, max: 100 }));
      issue(
        "sandbox.deliveredAfterMs",
        numberError(s.deliveredAfterMs, { min: 0, max: 86_400_000, int: true }),
      );
      const readErr = numberError(s.readAfterMs, { min: 0, max: 86_400_000, int: true });
      const delivered = num(s.deliveredAfterMs);
      const read = num(s.readAfterMs);
      issue(
        "sandbox.readAfterMs",
        readErr ??
          (read !== null && delivered === null
            ? "readNeedsDelivered"
            : read !== null && delivered !== null && read < delivered
              ? "readBeforeDelivered"
              : null),
      );
    } else if (v.kind === "webhook") {
      issue("webhook.url", HTTP_URL.test(v.webhook.url.trim()) ? null : "url");
    } else if (v.kind === "whatsapp_cloud") {
      const w = v.whatsapp_cloud;
      issue(
        "whatsapp_cloud.phoneNumberId",
        /^\d{5,30}$/.test(w.phoneNumberId.trim()) ? null : "phoneNumberId",
      );
      issue(
        "whatsapp_cloud.apiVersion",
        !w.apiVersion.trim() || /^v\d+\.\d+$/.test(w.apiVersion.trim()) ? null : "apiVersion",
      );
      issue(
        "whatsapp_cloud.baseUrl",
        !w.baseUrl.trim() || HTTP_URL.test(w.baseUrl.trim()) ? null : "url",
      );
      issue("whatsapp_cloud.accessToken", !editing && !w.accessToken.trim() ? "required" : null);
      issue("whatsapp_cloud.appSecret", lengthError(w.appSecret, 16, 256, "appSecretFormat"));
      issue("whatsapp_cloud.verifyToken", lengthError(w.verifyToken, 8, 256, "verifyTokenFormat"));
    } else if (v.kind === "infobip") {
      const i = v.infobip;
      issue("infobip.baseUrl", i.baseUrl.trim() ? null : "required");
      issue("infobip.sender", /^\+?\d{6,15}$/.test(i.sender.trim()) ? null : "sender");
      issue("infobip.apiKey", !editing && !i.apiKey.trim() ? "required" : null);
      const token = i.webhookToken.trim();
      issue(
        "infobip.webhookToken",
        token && !WEBHOOK_TOKEN.test(token) ? "webhookTokenFormat" : null,
      );
      issue("infobip.webhookUsername", lengthError(i.webhookUsername, 1, 255, "webhookUsername"));
      issue(
        "infobip.webhookPassword",
        i.webhookPassword && (i.webhookPassword.length < 12 || i.webhookPassword.length > 255)
          ? "webhookPasswordFormat"
          : null,
      );
      const present = INFOBIP_INBOUND.filter((f) => i[f].trim() || stored.includes(f));
      if (present.length > 0) {
        for (const f of INFOBIP_INBOUND) {
          if (!present.includes(f)) issue(`infobip.${f}`, "requiredForInbound");
        }
      }
    }

    const l = v.limits;
    issue(
      "limits.concurrency",
      numberError(l.concurrency, { min: 1, max: 64, int: true, required: true }),
    );
    issue("limits.ratePerSecond", numberError(l.ratePerSecond, { min: 0.01, max: 1000 }));
    issue("limits.ratePerMinute", numberError(l.ratePerMinute, { min: 1, max: 60_000, int: true }));
    issue("limits.dailyCap", numberError(l.dailyCap, { min: 1, max: 10_000_000, int: true }));
    issue(
      "limits.dailyUniqueCap",
      numberError(l.dailyUniqueCap, { min: 1, max: 10_000_000, int: true }),
    );
    issue("limits.delayMinS", numberError(l.delayMinS, { min: 0, max: 600 }));
    const maxErr = numberError(l.delayMaxS, { min: 0, max: 600 });
    issue(
      "limits.delayMaxS",
      maxErr ?? ((num(l.delayMaxS) ?? 0) < (num(l.delayMinS) ?? 0) ? "delayOrder" : null),
    );
    for (const k of ["quietStart", "quietEnd"] as const) {
      issue(`limits.${k}`, l[k] && !HHMM.test(l[k]) ? "time" : null);
    }
    if (!l.quietStart !== !l.quietEnd)
      issue(l.quietStart ? "limits.quietEnd" : "limits.quietStart", "quietBoth");
  });
}

const orNull = (s: string) => num(s);
const ms = (s: string) => Math.round((num(s) ?? 0) * 1000);
const blankToUndefined = (s: string) => (s.trim() ? s.trim() : undefined);

/** Only the secrets typed in this time (the server keeps the others); undefined when none. */
function typedSecrets(values: Record<string, string>): Record<string, string> | undefined {
  const typed = Object.entries(values).filter(([, value]) => value !== "");
  return typed.length ? Object.fromEntries(typed) : undefined;
}

/** The router's input (without `kind` and `id`, which create and update add). */
export function toBotInput(v: BotFormValues): Omit<CreateBotInput, "kind"> {
  let config: Record<string, unknown> = {};
  let credentials: Record<string, string> | undefined;
  if (v.kind === "sandbox") {
    config = {
      latencyMs: num(v.sandbox.latencyMs) ?? 0,
      failureRate: (num(v.sandbox.failureRate) ?? 0) / 100,
      deliveredAfterMs: orNull(v.sandbox.deliveredAfterMs),
      readAfterMs: orNull(v.sandbox.readAfterMs),
    };
  } else if (v.kind === "webhook") {
    config = { url: v.webhook.url.trim() };
  } else if (v.kind === "whatsapp_cloud") {
    const w = v.whatsapp_cloud;
    config = {
      phoneNumberId: w.phoneNumberId.trim(),
      apiVersion: blankToUndefined(w.apiVersion),
      baseUrl: blankToUndefined(w.baseUrl),
    };
    credentials = typedSecrets({
      accessToken: w.accessToken.trim(),
      appSecret: w.appSecret.trim(),
      verifyToken: w.verifyToken.trim(),
    });
  } else {
    const i = v.infobip;
    config = { baseUrl: i.baseUrl.trim(), sender: i.sender.trim() };
    credentials = typedSecrets({
      apiKey: i.apiKey.trim(),
      webhookToken: i.webhookToken.trim(),
      webhookUsername: i.webhookUsername.trim(),
      // A password is taken as typed: spaces may be part of it.
      webhookPassword: i.webhookPassword,
    });
  }
  const l = v.limits;
  return {
    name: v.name.trim(),
    config,
    credentials,
    concurrency: num(l.concurrency) ?? 4,
    ratePerSecond: orNull(l.ratePerSecond),
    ratePerMinute: orNull(l.ratePerMinute),
    dailyCap: orNull(l.dailyCap),
    dailyUniqueCap: orNull(l.dailyUniqueCap),
    delayMinMs: ms(l.delayMinS),
    delayMaxMs: ms(l.delayMaxS),
    quietStart: l.quietStart || null,
    quietEnd: l.quietEnd || null,
  };
}

/** Server error codes of channel settings that have their own form message. */
const SERVER_KEYS: Record<string, string> = {
  "bot.readNeedsDelivered": "readNeedsDelivered",
  "bot.readBeforeDelivered": "readBeforeDelivered",
  "bot.appSecretFormat": "appSecretFormat",
  "bot.webhookTokenFormat": "webhookTokenFormat",
  "bot.requiredForInbound": "requiredForInbound",
};

/**
 * Server field paths (`config.url`, `delayMaxMs`) with their error code (`bot.nameTaken`) →
 * the form's path, with a translatable key.
 */
export function formFieldOf(
  kind: SendingKind,
  serverPath: string,
  message: string,
): { path: string; message: string } | null {
  const [head, field] = serverPath.split(".");
  if (head === "name") {
    return { path: "name", message: message === "bot.nameTaken" ? "nameTaken" : "invalid" };
  }
  if ((head === "config" || head === "credentials") && field) {
    const key =
      field === "url" || field === "baseUrl"
        ? "url"
        : field === "phoneNumberId" || field === "apiVersion" || field === "sender"
          ? field
          : (SERVER_KEYS[message] ?? (/required/i.test(message) ? "required" : "invalid"));
    const path = kind === "infobip" && field === "baseUrl" ? "infobip.baseUrl" : `${kind}.${field}`;
    return { path, message: key };
  }
  const limitPaths: Record<string, string> = {
    delayMinMs: "limits.delayMinS",
    delayMaxMs: "limits.delayMaxS",
  };
  if (head && head in limitPaths)
    return { path: limitPaths[head]!, message: head === "delayMaxMs" ? "delayOrder" : "invalid" };
  if (
    head &&
    ["concurrency", "ratePerSecond", "ratePerMinute", "dailyCap", "dailyUniqueCap"].includes(head)
  ) {
    return { path: `limits.${head}`, message: "invalid" };
  }
  if (head === "quietStart" || head === "quietEnd") {
    return {
      path: `limits.${head}`,
      message: message === "bot.quietHoursIncomplete" ? "quietBoth" : "time",
    };
  }
  return null;
}
