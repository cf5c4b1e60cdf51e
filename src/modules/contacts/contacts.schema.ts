/**
 * Request/response schemas for contacts and groups, shared by the tRPC routers, the REST API
 * (and its OpenAPI document) and the contact form.
 */
import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { visibleName } from "@/lib/zod-text";
import { contactSource } from "./contacts.table";

export const CONTACT_SOURCES = contactSource.enumValues;
/**
 * Attribute keys: `[a-z0-9_]`, up to 40 — and no leading, trailing or doubled `_`, which a CSV
 * header would not keep (the importer folds `_`, spaces and dashes alike).
 */
export const ATTRIBUTE_KEY = /^(?=.{1,40}$)[a-z0-9]+(?:_[a-z0-9]+)*$/;
export const MAX_ATTRIBUTES = 50;
/** Field limits, shared by the form, the REST API and the CSV importer. */
export const MAX_NAME = 200;
export const MAX_ATTRIBUTE_VALUE = 1000;
export const MAX_GROUP_NAME = 80;
export const MAX_GROUPS = 50;

const optionalText = (max: number) => z.string().trim().max(max).nullish();

/**
 * A group name, NFKC-normalised (so `ＶＩＰ` is `VIP` and a decomposed `José` is `José`: the
 * unique index then sees them collide) and free of invisible characters. `|` and `;` separate
 * groups in a CSV cell and the importer allows 80 characters, so anything else would not
 * survive an export → import round trip.
 */
export const groupName = visibleName({ max: MAX_GROUP_NAME }).regex(
  /^[^|;]*$/,
  "Group names cannot contain | or ;",
);

/** Attribute keys the importer reserves for its own columns (they would not round-trip). */
export const RESERVED_ATTRIBUTE_KEYS = [
  "phone",
  "numero",
  "nombre",
  "sustantivo",
  "groups",
  "grupo",
  "opted_out_at",
] as const;
const reservedKeys = new Set<string>(RESERVED_ATTRIBUTE_KEYS);

/** An attribute key: the format, and none of the importer's own columns. */
export const attributeKey = z
  .string()
  .regex(ATTRIBUTE_KEY, errorKey("contact.attributeKeyFormat"))
  .refine((k) => !reservedKeys.has(k), errorKey("contact.attributeKeyReserved"));

export const contactAttributes = z
  .record(attributeKey, z.string().trim().max(MAX_ATTRIBUTE_VALUE))
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `At most ${MAX_ATTRIBUTES} attributes`);

export const optInEvidence = z.object({
  /** Where consent came from, e.g. "web form", "store visit 2024-05". */
  source: z.string().trim().min(1).max(100),
  // A Date (tRPC) or an ISO 8601 date-time (REST). Plain coercion took null, numbers and
  // booleans for 1970 dates (found by schemathesis); they are refused now.
  at: z
    .union([z.date(), z.iso.datetime({ offset: true })])
    .pipe(z.coerce.date())
    .optional(),
});

export const contactInput = z.object({
  phone: z.string().trim().min(1, errorKey("contact.phoneRequired")).max(40),
  nombre: optionalText(MAX_NAME),
  sustantivo: optionalText(MAX_NAME),
  attributes: contactAttributes.optional(),
  /** Group names: matched case-insensitively, created when missing. */
  groups: z.array(groupName).max(MAX_GROUPS).optional(),
  optIn: optInEvidence.optional(),
});
export type ContactInput = z.infer<typeof contactInput>;

/** Every field optional; `attributes` and `groups`, when given, replace the current ones. */
export const contactPatch = contactInput.partial();
export type ContactPatch = z.infer<typeof contactPatch>;

export const updateContactInput = contactPatch.extend({ id: z.uuid() });
export const contactIdInput = z.object({ id: z.uuid() });

export const CONTACT_SORTS = ["createdAt", "nombre", "phone"] as const;

/** Filters shared by the list and the CSV export. */
export const contactFilters = z.object({
  search: z.string().trim().max(100).optional(),
  groupId: z.uuid().optional(),
  source: z.enum(CONTACT_SOURCES).optional(),
  optedOut: z.enum(["only", "exclude"]).optional(),
  sort: z.enum(CONTACT_SORTS).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
});
export type ContactFilters = z.infer<typeof contactFilters>;

export const listContactsInput = contactFilters.extend({
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(10).max(200).default(50),
});
export type ListContactsInput = z.infer<typeof listContactsInput>;

/** The export's query string: the list filters, with blank parameters meaning "not set". */
export const exportContactsQuery = z.preprocess(
  (raw) =>
    Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== "" && v != null),
    ),
  contactFilters,
);

export const contactView = z.object({
  id: z.uuid(),
  phone: z.string(),
  nombre: z.string().nullable(),
  sustantivo: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  source: z.enum(CONTACT_SOURCES),
  optInSource: z.string().nullable(),
  optInAt: z.date().nullable(),
  optedOutAt: z.date().nullable(),
  optOutReason: z.string().nullable(),
  groups: z.array(z.object({ id: z.uuid(), name: z.string() })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ContactView = z.infer<typeof contactView>;

export const contactListView = z.object({
  rows: z.array(contactView),
  /**
   * Exact when cheap — no filter (a maintained counter) or at most 10,000 matches; beyond that
   * the planner's estimate, and `totalIsEstimate` is true.
   */
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
});
export type ContactListView = z.infer<typeof contactListView>;

const reason = z.string().trim().min(3).max(200);

export const optOutInput = z.object({ id: z.uuid(), reason });
/** Re-subscribing needs a reason: it is recorded as the contact's new consent evidence. */
export const optInInput = z.object({ id: z.uuid(), reason });

export const BULK_ACTIONS = ["addToGroup", "removeFromGroup", "delete", "optOut"] as const;

/** What each action needs: a group (or a new group's name) or an opt-out reason. */
const bulkParams = {
  action: z.enum(BULK_ACTIONS),
  groupId: z.uuid().optional(),
  /** addToGroup only: a group name, created when missing (instead of groupId). */
  groupName: groupName.optional(),
  reason: reason.optional(),
};
function requireBulkParams(
  v: {
    action: (typeof BULK_ACTIONS)[number];
    groupId?: string;
    groupName?: string;
    reason?: string;
  },
  ctx: z.RefinementCtx,
) {
  if (v.action === "addToGroup" && !v.groupId && !v.groupName) {
    ctx.addIssue({
      code: "custom",
      path: ["groupId"],
      message: errorKey("contact.groupRequired"),
    });
  }
  if (v.action === "removeFromGroup" && !v.groupId) {
    ctx.addIssue({ code: "custom", path: ["groupId"], message: errorKey("contact.groupChoose") });
  }
  if (v.action === "optOut" && !v.reason) {
    ctx.addIssue({
      code: "custom",
      path: ["reason"],
      message: errorKey("contact.reasonRequired"),
    });
  }
}

export const bulkActionInput = z
  .object({ ids: z.array(z.uuid()).min(1).max(1000), ...bulkParams })
  .superRefine(requireBulkParams);
export type BulkActionInput = z.infer<typeof bulkActionInput>;
export const bulkActionResult = z.object({ affected: z.number().int() });

/** "Select all N that match": the action over the list's filters, run server-side in batches. */
export const bulkByFilterInput = z
  .object({
    filters: contactFilters.omit({ sort: true, dir: true }),
    ...bulkParams,
    /** The total the person saw (exact or estimated): the progress bar's 100%. */
    expected: z.number().int().min(0).max(100_000_000),
  })
  .superRefine(requireBulkParams);
export type BulkByFilterInput = z.infer<typeof bulkByFilterInput>;
export const bulkRunIdInput = z.object({ id: z.uuid() });

export const bulkRunView = z.object({
  id: z.uuid(),
  action: z.enum(BULK_ACTIONS),
  status: z.enum(["queued", "running", "completed", "failed"]),
  expected: z.number().int(),
  processed: z.number().int(),
  affected: z.number().int(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type BulkRunView = z.infer<typeof bulkRunView>;

// Groups --------------------------------------------------------------------------------------
export const listGroupsInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(5).max(100).default(20),
  search: z.string().trim().max(100).optional(),
});
export const groupOptionsInput = z.object({ search: z.string().trim().max(100).optional() });
export const createGroupInput = z.object({
  name: groupName,
  description: z.string().trim().max(500).nullish(),
});
export const renameGroupInput = z.object({ id: z.uuid(), name: groupName });
export const groupIdInput = z.object({ id: z.uuid() });

export const groupView = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int(),
  createdAt: z.date(),
});
export type GroupView = z.infer<typeof groupView>;
