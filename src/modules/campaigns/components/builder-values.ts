import { z } from "zod";
import type { CampaignSchedule, CampaignTemplate } from "../campaign-definition";
import type {
  CampaignDefinitionInput,
  CampaignView,
  CreateCampaignInput,
} from "../campaigns.schema";

export type ContactSource = "csv" | "manual" | "api";
export const CONTACT_SOURCES: readonly ContactSource[] = ["csv", "manual", "api"];

export type TemplateValues = {
  kind: "text" | "whatsapp";
  body: string;
  name: string;
  language: string;
  /** Objects, not strings: `useFieldArray` needs them to track rows. */
  params: { value: string }[];
};

/** The builder's form. Messages are i18n keys under `campaigns.errors`. */
export type BuilderValues = {
  name: string;
  groupIds: string[];
  excludeGroupIds: string[];
  sources: ContactSource[];
  templates: TemplateValues[];
  botIds: string[];
  scheduleType: CampaignSchedule["type"];
  at: string;
  cron: string;
  cooloffOverride: boolean;
  cooloffDays: string;
  cooloffReason: string;
};

export const emptyTemplate = (): TemplateValues => ({
  kind: "text",
  body: "",
  name: "",
  language: "es",
  params: [],
});

function templateValues(t: CampaignTemplate): TemplateValues {
  return t.kind === "text"
    ? { ...emptyTemplate(), body: t.body }
    : {
        ...emptyTemplate(),
        kind: "whatsapp",
        name: t.name,
        language: t.language,
        params: t.params.map((value) => ({ value })),
      };
}

export function toBuilderValues(c: CampaignView | null): BuilderValues {
  return {
    name: c?.name ?? "",
    groupIds: c?.audience.groupIds ?? [],
    excludeGroupIds: c?.audience.excludeGroupIds ?? [],
    sources: c?.audience.sources ?? [],
    templates: c ? c.templates.map(templateValues) : [emptyTemplate()],
    botIds: c?.botIds ?? [],
    scheduleType: c?.schedule.type ?? "now",
    at: c?.schedule.type === "at" ? c.schedule.at : "",
    cron: c?.schedule.type === "cron" ? c.schedule.cron : "",
    cooloffOverride: c ? c.cooloffDays !== null : false,
    cooloffDays: c?.cooloffDays === null || !c ? "" : String(c.cooloffDays),
    cooloffReason: c?.cooloffReason ?? "",
  };
}

const WA_NAME = /^[a-z0-9_]{1,512}$/;
const WA_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** Whether a template is complete enough to send (and to preview). */
export function templateReady(t: TemplateValues): boolean {
  return t.kind === "text"
    ? t.body.trim().length > 0 && t.body.trim().length <= 4096
    : WA_NAME.test(t.name.trim()) &&
        WA_LANGUAGE.test(t.language.trim()) &&
        t.params.every((p) => p.value.length <= 1024);
}

export function toTemplate(t: TemplateValues): CampaignTemplate {
  return t.kind === "text"
    ? { kind: "text", body: t.body.trim() }
    : {
        kind: "whatsapp",
        name: t.name.trim(),
        language: t.language.trim(),
        params: t.params.map((p) => p.value),
      };
}

function cooloffOf(v: BuilderValues) {
  const days = Number(v.cooloffDays);
  return v.cooloffOverride && v.cooloffDays.trim() !== "" && Number.isInteger(days)
    ? { cooloffDays: days, cooloffReason: v.cooloffReason.trim() || null }
    : { cooloffDays: null, cooloffReason: null };
}

/** What `campaigns.preview` needs; null until there is something to compute. */
export function toDefinition(v: BuilderValues): CampaignDefinitionInput | null {
  const templates = v.templates.filter(templateReady).map(toTemplate);
  if (templates.length === 0 || v.botIds.length === 0) return null;
  const cooloff = cooloffOf(v);
  if (cooloff.cooloffDays !== null && !cooloff.cooloffReason) return null;
  return {
    audience: { groupIds: v.groupIds, excludeGroupIds: v.excludeGroupIds, sources: v.sources },
    templates,
    botIds: v.botIds,
    ...cooloff,
  };
}

export function toSchedule(v: BuilderValues): CampaignSchedule {
  if (v.scheduleType === "at") return { type: "at", at: v.at };
  if (v.scheduleType === "cron") return { type: "cron", cron: v.cron.trim() };
  return { type: "now" };
}

export function toCampaignInput(v: BuilderValues): CreateCampaignInput {
  return {
    name: v.name.trim(),
    audience: { groupIds: v.groupIds, excludeGroupIds: v.excludeGroupIds, sources: v.sources },
    templates: v.templates.map(toTemplate),
    botIds: v.botIds,
    schedule: toSchedule(v),
    ...cooloffOf(v),
    failureRate: 20,
    failureWindow: 50,
  };
}

/** Client checks mirroring the server's (which stay the authority). */
export const builderSchema = z.custom<BuilderValues>().superRefine((v, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  const name = v.name.trim();
  if (name.length < 2) issue(["name"], "nameShort");
  else if (name.length > 120) issue(["name"], "nameLong");
  if (v.templates.length === 0) issue(["templates", "root"], "templatesMin");
  v.templates.forEach((t, i) => {
    if (t.kind === "text") {
      if (!t.body.trim()) issue(["templates", i, "body"], "bodyRequired");
      else if (t.body.trim().length > 4096) issue(["templates", i, "body"], "bodyLong");
    } else {
      if (!WA_NAME.test(t.name.trim())) issue(["templates", i, "name"], "waName");
      if (!WA_LANGUAGE.test(t.language.trim())) issue(["templates", i, "language"], "waLanguage");
      t.params.forEach(
        (p, j) =>
          p.value.length > 1024 && issue(["templates", i, "params", j, "value"], "paramLong"),
      );
    }
  });
  if (v.botIds.length === 0) issue(["botIds"], "botsMin");
  if (v.scheduleType === "at" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.at)) issue(["at"], "at");
  if (v.scheduleType === "cron" && v.cron.trim().split(/\s+/).length < 5) issue(["cron"], "cron");
  if (v.cooloffOverride) {
    const days = Number(v.cooloffDays);
    if (v.cooloffDays.trim() === "" || !Number.isInteger(days) || days < 0 || days > 365) {
      issue(["cooloffDays"], "cooloffDays");
    }
    if (!v.cooloffReason.trim()) issue(["cooloffReason"], "cooloffReason");
  }
});

/**
 * A server field path (`templates.0.body`, `schedule.cron`) with its error code → the form's
 * path, with a message key.
 */
export function builderFieldOf(
  path: string,
  message: string,
): { path: string; message: string } | null {
  const parts = path.split(".");
  if (path === "name") return { path, message: "invalid" };
  if (path === "botIds")
    return { path, message: message === "campaign.botRequired" ? "botsMin" : "invalid" };
  if (path === "cooloffReason") return { path, message: "cooloffReason" };
  if (path === "cooloffDays") return { path, message: "cooloffDays" };
  if (path === "schedule.at")
    return { path: "at", message: message === "campaign.scheduledInPast" ? "atPast" : "at" };
  if (path === "schedule.cron") return { path: "cron", message: "cron" };
  if (parts[0] === "templates" && parts.length === 1)
    return { path: "templates.root", message: "templatesMin" };
  if (parts[0] === "templates" && parts[2]) {
    const field = parts[2];
    const key =
      field === "body"
        ? "bodyRequired"
        : field === "name"
          ? "waName"
          : field === "language"
            ? "waLanguage"
            : "invalid";
    return { path: `templates.${parts[1]}.${field === "params" ? "name" : field}`, message: key };
  }
  return null;
}
