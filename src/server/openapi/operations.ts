/**
 * Every REST operation that API-key clients can call: route handlers take their scope and
 * schemas from here, and the OpenAPI document and the docs page are generated from it.
 */
import type { z } from "zod";
import type { ApiKeyScope } from "@/modules/apikeys/apikeys.schema";
import { createCampaignInput, listCampaignsInput } from "@/modules/campaigns/campaigns.schema";
import { contactInput, contactPatch, listContactsInput } from "@/modules/contacts/contacts.schema";
import { idParams } from "./rest-schemas";
import { WORKSPACE_API } from "./workspace-operations";
import { STATS_API } from "./stats-operations";

/** Names of the schemas under `components.schemas` (see document.ts). */
export type SchemaName =
  | "Contact"
  | "ContactInput"
  | "ContactPatch"
  | "ContactPage"
  | "Import"
  | "ImportUpload"
  | "Campaign"
  | "CampaignInput"
  | "CampaignPage"
  | "StatsTotals"
  | "StatsTimeline"
  | "StatsNamedCounts"
  | "StatsContacts"
  | "StatsCurrentMonth"
  | "StatsMonthly"
  | "StatsErrors"
  | "StatsCampaignReport"
  | "StatsTasks"
  | "WorkspaceSettings"
  | "WorkspaceSettingsPatch"
  | "Error";

export type ApiOperation = {
  operationId: string;
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI path under /api/v1, e.g. `/contacts/{id}`. */
  path: string;
  tag: "Contacts" | "Imports" | "Campaigns" | "Stats" | "Workspace";
  summary: string;
  description: string;
  scope: ApiKeyScope;
  pathParams?: z.ZodObject;
  query?: z.ZodObject;
  /** Descriptions of path/query parameters, by name. */
  paramDocs?: Record<string, string>;
  body?:
    | { kind: "json"; schema: SchemaName; zod: z.ZodType; example: unknown }
    | { kind: "multipart"; schema: SchemaName; example: Record<string, string> };
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: SchemaName };
  /** Error statuses this operation can answer besides 401, 403, 429 and 500. */
  errors: readonly (400 | 404 | 409 | 413 | 415 | 503)[];
};

const contactId = { id: "The contact's id (UUID)." };
const campaignId = { id: "The campaign's id (UUID)." };

/** Launch, pause, resume and cancel: same shape, different transition. */
function campaignControl<const Id extends string>(
  operationId: Id,
  action: "launch" | "pause" | "resume" | "cancel",
  summary: string,
  description: string,
) {
  return {
    operationId,
    method: "post",
    path: `/campaigns/{id}/${action}`,
    tag: "Campaigns",
    summary,
    description: `${description} Answers 409 when the campaign is not in a state this action applies to.`,
    scope: "campaigns:write",
    pathParams: idParams,
    paramDocs: campaignId,
    success: { status: 200, description: "The campaign in its new state.", schema: "Campaign" },
    errors: [400, 404, 409],
  } as const satisfies ApiOperation;
}

export const API = {
  listContacts: {
    operationId: "listContacts",
    method: "get",
    path: "/contacts",
    tag: "Contacts",
    summary: "List contacts",
    description:
      "One page of the workspace's contacts, filtered and sorted. Without a filter, `total` is the exact number of contacts in the workspace, however many. With a filter (`search`, `groupId`, `source`, `optedOut`), `total` is exact up to 10,000 matches; beyond that it is the database planner's estimate (at least 10,001; it may be above or below the true count) and `totalIsEstimate` is true. `totalIsEstimate` is false whenever `total` is exact.",
    scope: "contacts:read",
    query: listContactsInput,
    paramDocs: {
      search:
        "Words: contacts with, for every word, a word of their name starting with it (accent- and case-insensitive; `gonz` finds `Benítez González`). A phone in any format (+595…, 0981…) matches numbers starting with it and, from 4 digits, numbers ending with it.",
      groupId: "Only members of this group.",
      source: "Only contacts that came from this source.",
      optedOut: "`only` opted-out contacts, or `exclude` them.",
      sort: "Sort column.",
      dir: "Sort direction.",
      page: "1-based page number.",
      pageSize: "Rows per page.",
    },
    success: { status: 200, description: "A page of contacts.", schema: "ContactPage" },
    errors: [400],
  },
  createContact: {
    operationId: "createContact",
    method: "post",
    path: "/contacts",
    tag: "Contacts",
    summary: "Create a contact",
    description:
      "The phone is normalised to E.164 with the workspace's default country. Groups are matched by name (case-insensitive) and created when missing. The contact's source is `api`.",
    scope: "contacts:write",
    body: {
      kind: "json",
      schema: "ContactInput",
      zod: contactInput,
      example: {
        phone: "+595981123456",
        nombre: "María",
        sustantivo: "Sra.",
        attributes: { ciudad: "Asunción" },
        groups: ["Clientes"],
      },
    },
    success: { status: 201, description: "The created contact.", schema: "Contact" },
    errors: [400, 409],
  },
  getContact: {
    operationId: "getContact",
    method: "get",
    path: "/contacts/{id}",
    tag: "Contacts",
    summary: "Get a contact",
    description: "One contact with its groups.",
    scope: "contacts:read",
    pathParams: idParams,
    paramDocs: contactId,
    success: { status: 200, description: "The contact.", schema: "Contact" },
    errors: [400, 404],
  },
  updateContact: {
    operationId: "updateContact",
    method: "patch",
    path: "/contacts/{id}",
    tag: "Contacts",
    summary: "Update a contact",
    description:
      "Only the fields sent change. `attributes` and `groups`, when sent, replace the current ones.",
    scope: "contacts:write",
    pathParams: idParams,
    paramDocs: contactId,
    body: {
      kind: "json",
      schema: "ContactPatch",
      zod: contactPatch,
      example: { nombre: "María José", groups: ["Clientes", "VIP"] },
    },
    success: { status: 200, description: "The updated contact.", schema: "Contact" },
    errors: [400, 404, 409],
  },
  deleteContact: {
    operationId: "deleteContact",
    method: "delete",
    path: "/contacts/{id}",
    tag: "Contacts",
    summary: "Delete a contact",
    description: "Deletes the contact and its group memberships.",
    scope: "contacts:write",
    pathParams: idParams,
    paramDocs: contactId,
    success: { status: 204, description: "Deleted; no body." },
    errors: [400, 404],
  },
  createImport: {
    operationId: "createImport",
    method: "post",
    path: "/contacts/imports",
    tag: "Imports",
    summary: "Import contacts from a CSV file",
    description:
      "Streams the CSV (multipart field `file`; UTF-8, Windows-1252 or UTF-16; `,` `;` or tab) into storage and queues the import. Optional text fields must come BEFORE the file part: `dryRun` (`true`/`false`), `hasHeader` (`true`/`false`) and `mapping` (JSON: one target per column; defaults to the detected mapping). Poll the returned import for progress and counts.",
    scope: "imports:write",
    body: {
      kind: "multipart",
      schema: "ImportUpload",
      example: { dryRun: "false", file: "@contacts.csv;type=text/csv" },
    },
    success: { status: 202, description: "Stored and queued.", schema: "Import" },
    errors: [400, 409, 413, 415, 503],
  },
  getImport: {
    operationId: "getImport",
    method: "get",
    path: "/contacts/imports/{id}",
    tag: "Imports",
    summary: "Get an import",
    description:
      "Status (`uploaded → queued → running → completed | failed | canceled`), counts and, while running, rate and ETA.",
    scope: "imports:write",
    pathParams: idParams,
    paramDocs: { id: "The import's id (UUID)." },
    success: { status: 200, description: "The import.", schema: "Import" },
    errors: [400, 404],
  },
  listCampaigns: {
    operationId: "listCampaigns",
    method: "get",
    path: "/campaigns",
    tag: "Campaigns",
    summary: "List campaigns",
    description:
      "One page of the workspace's campaigns, newest first, each with its outcome counters (`counts`). Runs of a recurring campaign are campaigns of their own, with `parentId` set.",
    scope: "campaigns:read",
    query: listCampaignsInput,
    paramDocs: {
      status: "Only campaigns in this status.",
      page: "1-based page number.",
      pageSize: "Rows per page.",
    },
    success: { status: 200, description: "A page of campaigns.", schema: "CampaignPage" },
    errors: [400],
  },
  createCampaign: {
    operationId: "createCampaign",
    method: "post",
    path: "/campaigns",
    tag: "Campaigns",
    summary: "Create a draft campaign",
    description:
      "Saves a draft: audience (groups to include and exclude, contact sources), templates (rotated over the audience; text with `{{variable}}` or `{{variable|fallback}}`, or a WhatsApp template), bots, schedule (`now`, `at` a wall-clock time in the workspace's time zone, or `cron`) and the auto-pause threshold. Nothing is sent until the draft is launched. Overriding the workspace's cool-off (`cooloffDays`) needs a `cooloffReason`.",
    scope: "campaigns:write",
    body: {
      kind: "json",
      schema: "CampaignInput",
      zod: createCampaignInput,
      example: {
        name: "Diciembre",
        audience: { groupIds: ["0190d5f0-0000-7000-8000-000000000001"] },
        templates: [{ kind: "text", body: "Hola {{nombre|cliente}}, tenemos novedades." }],
        botIds: ["0190d5f0-0000-7000-8000-000000000002"],
        schedule: { type: "now" },
      },
    },
    success: { status: 201, description: "The draft.", schema: "Campaign" },
    errors: [400],
  },
  getCampaign: {
    operationId: "getCampaign",
    method: "get",
    path: "/campaigns/{id}",
    tag: "Campaigns",
    summary: "Get a campaign",
    description:
      "The campaign's definition, status (`draft → scheduled → running ⇄ paused → completed | canceled | failed`; `statusReason` says why it stopped on its own, e.g. `failure_spike`) and outcome counters.",
    scope: "campaigns:read",
    pathParams: idParams,
    paramDocs: campaignId,
    success: { status: 200, description: "The campaign.", schema: "Campaign" },
    errors: [400, 404],
  },
  launchCampaign: campaignControl(
    "launchCampaign",
    "launch",
    "Launch a draft",
    "Starts a draft: `now` builds its recipients and starts sending at once; `at` schedules it; `cron` registers the recurring schedule, each firing creating a run.",
  ),
  pauseCampaign: campaignControl(
    "pauseCampaign",
    "pause",
    "Pause a running campaign",
    "No further message is sent within about a second; recipients not yet sent stay queued.",
  ),
  resumeCampaign: campaignControl(
    "resumeCampaign",
    "resume",
    "Resume a paused campaign",
    "Sending continues where it stopped; nobody already sent is sent again.",
  ),
  cancelCampaign: campaignControl(
    "cancelCampaign",
    "cancel",
    "Cancel a campaign",
    "Stops a scheduled, running or paused campaign for good: every recipient still queued becomes `canceled`, and a recurring campaign fires no more runs.",
  ),
  ...STATS_API,
  ...WORKSPACE_API,
} as const satisfies Record<string, ApiOperation>;

export const API_OPERATIONS: readonly ApiOperation[] = Object.values(API);
