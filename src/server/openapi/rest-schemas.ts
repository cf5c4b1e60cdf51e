/**
 * The REST API's own request/response shapes, built from the module schemas so the routes,
 * the validation and the OpenAPI document cannot drift apart.
 */
import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { APP_ERROR_CODES } from "@/lib/errors";
import { campaignView } from "@/modules/campaigns/campaigns.schema";
import { contactView } from "@/modules/contacts/contacts.schema";
import { columnTarget, importMode, type ImportOptions } from "@/modules/contacts/imports.schema";

export const idParams = z.object({ id: z.uuid() });

const errorParams = z.record(z.string(), z.union([z.string(), z.number()]));
const errorRef = z.object({ key: z.string(), params: errorParams.optional() });

export const errorBody = z.object({
  error: z.object({
    /** The kind of refusal; the HTTP status says the same. */
    code: z.enum(Object.keys(APP_ERROR_CODES) as [keyof typeof APP_ERROR_CODES]),
    /** The stable error code, e.g. `contact.phoneTaken` (messages/<locale>/errors.json). */
    key: z.string(),
    /** The values the code's message needs, e.g. `{ "country": "PY" }`. */
    params: errorParams.optional(),
    /** The English text of `key`. */
    message: z.string(),
    requestId: z.string().optional(),
    /** Field path → English messages, e.g. `{ "phone": ["The phone is too short"] }`. */
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
    /** The same as codes, e.g. `{ "phone": [{ "key": "phone.tooShort" }] }`. */
    fieldErrorKeys: z.record(z.string(), z.array(errorRef)).optional(),
  }),
});

export const contactPage = z.object({
  data: z.array(contactView),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Exact up to 10,000; beyond that `totalIsEstimate` is true. */
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
});

export const campaignPage = z.object({
  data: z.array(campaignView),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});

export const importMapping = z.array(columnTarget).max(200);

const booleanText = z.enum(["true", "false"]).transform((v) => v === "true");

/** A multipart text field holding JSON, validated after parsing. */
const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: errorKey("input.notJson") });
    return z.NEVER;
  }
});

/** The text fields of the import upload (sent before the `file` part), as import options. */
export const importUploadFields = z
  .object({
    dryRun: booleanText.optional(),
    hasHeader: booleanText.optional(),
    mapping: jsonText.pipe(importMapping).optional(),
    /** What the import may change on existing contacts (default `upsert`). */
    mode: importMode.optional(),
  })
  .transform((f): ImportOptions => ({
    dryRun: f.dryRun ?? false,
    hasHeader: f.hasHeader,
    mapping: f.mapping,
    mode: f.mode,
  }));
