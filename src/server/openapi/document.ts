/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the routes
 * validate with (`z.toJSONSchema`): request schemas as their input type (defaults optional),
 * responses as their output type (dates as ISO strings, which is how JSON carries them).
 */
import { z } from "zod";
import { API_KEY_SCOPES } from "@/modules/apikeys/apikeys.schema";
import { campaignView, createCampaignInput } from "@/modules/campaigns/campaigns.schema";
import { contactInput, contactPatch, contactView } from "@/modules/contacts/contacts.schema";
import { importView } from "@/modules/contacts/imports.schema";
import {
  workspaceSettingsInput,
  workspaceSettingsPatch,
} from "@/modules/workspaces/workspaces.schema";
import {
  AGENT_BEARER_SCHEME,
  AGENT_SECURITY_SCHEME,
  AGENT_TAGS,
  agentPaths,
} from "./agent-operations";
import {
  byContactOutput,
  campaignReportOutput,
  currentMonthOutput,
  errorsOutput,
  monthlyOutput,
  namedCounts,
  tasksOutput,
  timelineOutput,
  totals,
} from "@/modules/stats/stats.schema";
import { API_OPERATIONS, type ApiOperation, type SchemaName } from "./operations";
import { campaignPage, contactPage, errorBody, importMapping } from "./rest-schemas";

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<SchemaName, JsonSchema>;
    responses: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
};

const importUpload = z.object({
  dryRun: z.enum(["true", "false"]).optional().describe("Only report what would happen."),
  hasHeader: z
    .enum(["true", "false"])
    .optional()
    .describe("Whether the first row is a header row; detected when omitted."),
  mapping: importMapping
    .optional()
    .describe("JSON: one target per column, in file order; detected when omitted."),
  file: z.string().describe("The CSV file; must be the last part."),
});

const OUTPUT_SCHEMAS = {
  Contact: contactView,
  ContactPage: contactPage,
  Import: importView,
  Campaign: campaignView,
  CampaignPage: campaignPage,
  StatsTotals: totals,
  StatsTimeline: timelineOutput,
  StatsNamedCounts: namedCounts,
  StatsContacts: byContactOutput,
  StatsCurrentMonth: currentMonthOutput,
  StatsMonthly: monthlyOutput,
  StatsErrors: errorsOutput,
  StatsCampaignReport: campaignReportOutput,
  StatsTasks: tasksOutput,
  WorkspaceSettings: workspaceSettingsInput,
  Error: errorBody,
};
const INPUT_SCHEMAS = {
  ContactInput: contactInput,
  ContactPatch: contactPatch,
  ImportUpload: importUpload,
  CampaignInput: createCampaignInput,
  WorkspaceSettingsPatch: workspaceSettingsPatch,
};

const REF_BASE = "#/components/schemas/";
export const schemaRef = (name: SchemaName) => ({ $ref: `${REF_BASE}${name}` });

const DATE_TIME: z.core.JSONSchema.BaseSchema = { type: "string", format: "date-time" };

const jsonSchemaOptions = {
  // Dates travel as ISO 8601 strings; anything else without a JSON form is left open.
  unrepresentable: ({ zodSchema }) =>
    zodSchema._zod.def.type === "date" ? { ...DATE_TIME } : "any",
  override: ({ jsonSchema }) => {
    // zod bounds plain ints by the safe-integer range: true, but noise in a document.
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  },
} satisfies z.core.ToJSONSchemaParams;

function componentSchemas<K extends string>(
  schemas: Record<K, z.ZodType>,
  io: "input" | "output",
): Record<K, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas) as [K, z.ZodType][])
    registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry as z.core.$ZodRegistry<{ id?: string }>, {
    ...jsonSchemaOptions,
    io,
    uri: (id) => `${REF_BASE}${id}`,
  });
  const result = {} as Record<K, JsonSchema>;
  for (const id of Object.keys(schemas) as K[]) {
    const { $schema: _s, $id: _i, ...rest } = out[id] as unknown as JsonSchema;
    result[id] = rest;
  }
  return result;
}

function inlineSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    ...jsonSchemaOptions,
    io: "input",
  }) as unknown as JsonSchema;
  const { $schema: _s, ...rest } = json;
  return rest;
}

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: "BadRequest",
    description: "Invalid input: `error.fieldErrors` names each field and what is wrong.",
  },
  401: { name: "Unauthorized", description: "Missing, malformed, unknown or revoked API key." },
  403: { name: "Forbidden", description: "The API key lacks the scope this operation requires." },
  404: { name: "NotFound", description: "No such resource in the key's workspace." },
  409: {
    name: "Conflict",
    description:
      "Conflicts with existing data (e.g. a duplicate phone number) or with the resource's state (e.g. pausing a campaign that is not running).",
  },
  413: { name: "PayloadTooLarge", description: "The upload is larger than the configured limit." },
  415: {
    name: "UnsupportedMediaType",
    description: "Not multipart/form-data, or the file is not CSV text.",
  },
  429: {
    name: "TooManyRequests",
    description:
      "Rate limited: each API key may make 600 requests a minute per server process, and a workspace may start 10 uploads at once, then one every 30 s (two at a time). Wait the seconds in `Retry-After`.",
  },
  500: {
    name: "InternalError",
    description: "Unexpected error. Quote `error.requestId` when reporting it.",
  },
  503: {
    name: "ServiceUnavailable",
    description: "The server is busy with other uploads. Wait the seconds in `Retry-After`.",
  },
};

/** Statuses whose response tells the client when to come back. */
const RETRY_AFTER = new Set([429, 503]);

function parameters(op: ApiOperation): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: "path" | "query", schema: z.ZodObject | undefined) => {
    if (!schema) return;
    const json = inlineSchema(schema) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const required = where === "path" || (json.required ?? []).includes(name);
      out.push({
        name,
        in: where,
        required,
        // The API reads a blank query parameter as not sent (`?groupId=` filters nothing):
        // say so, or clients (and schemathesis) take the empty value for an invalid one.
        ...(where === "query" && !required ? { allowEmptyValue: true } : {}),
        ...(op.paramDocs?.[name] ? { description: op.paramDocs[name] } : {}),
        schema: prop,
      });
    }
  };
  add("path", op.pathParams);
  add("query", op.query);
  return out;
}

function requestBody(op: ApiOperation): JsonSchema | undefined {
  if (!op.body) return undefined;
  if (op.body.kind === "json") {
    return {
      required: true,
      content: {
        "application/json": { schema: schemaRef(op.body.schema), example: op.body.example },
      },
    };
  }
  return {
    required: true,
    content: {
      "multipart/form-data": {
        schema: schemaRef(op.body.schema),
        encoding: {
          mapping: { contentType: "application/json" },
          file: { contentType: "text/csv, text/plain, application/octet-stream" },
        },
      },
    },
  };
}

function operation(op: ApiOperation): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [op.success.status]: op.success.schema
      ? {
          description: op.success.description,
          content: { "application/json": { schema: schemaRef(op.success.schema) } },
        }
      : { description: op.success.description },
  };
  for (const status of [...op.errors, 401, 403, 429, 500].sort((a, b) => a - b)) {
    responses[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` };
  }
  const params = parameters(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description}\n\nRequires the \`${op.scope}\` scope.`,
    "x-required-scope": op.scope,
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: requestBody(op) } : {}),
    responses,
  };
}

function build(): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  Object.assign(paths, agentPaths());

  const schemas = {
    ...componentSchemas(OUTPUT_SCHEMAS, "output"),
    ...componentSchemas(INPUT_SCHEMAS, "input"),
  };
  // A file part has no JSON Schema type of its own; OpenAPI 3.1 describes it by media type.
  const upload = schemas.ImportUpload as {
    properties: Record<string, JsonSchema>;
    required?: string[];
  };
  upload.properties.file = {
    ...upload.properties.file,
    type: "string",
    contentMediaType: "text/csv",
  };

  const responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, { name, description }]) => [
      name,
      {
        description,
        ...(RETRY_AFTER.has(Number(status))
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds to wait before retrying.",
                  schema: { type: "integer", minimum: 1 },
                },
              },
            }
          : {}),
        content: { "application/json": { schema: schemaRef("Error") } },
      },
    ]),
  );

  return {
    openapi: "3.1.0",
    info: {
      title: "SalesTrack REST API",
      version: "1.0.0",
      description: [
        "Manage a workspace's contacts, CSV imports and campaigns with an API key.",
        "",
        "Create keys in Settings → API keys (admins) or with `npm run cli -- apikey create`. A key belongs to one workspace and carries scopes: " +
          API_KEY_SCOPES.map((s) => `\`${s}\``).join(", ") +
          ". Send it as `Authorization: Bearer st_…` (or `X-Api-Key: st_…`).",
        "",
        'Errors always have the shape `{ "error": { "code", "key", "params"?, "message", "requestId", "fieldErrors"?, "fieldErrorKeys"? } }`: `key` is a stable error code with `params` (translate it with your own catalog), `message` its English text.',
      ].join("\n"),
    },
    servers: [{ url: "/api/v1", description: "This SalesTrack server" }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [
      {
        name: "Contacts",
        description: "People you message: phone (E.164), name, salutation, attributes, groups.",
      },
      { name: "Imports", description: "Bulk CSV imports, processed in the background." },
      {
        name: "Campaigns",
        description:
          "Personalised messages to an audience of contacts, sent through the workspace's bots: drafts, launch, pause, resume, cancel, and progress counters.",
      },
      {
        name: "Stats",
        description:
          "The dashboard's numbers: totals, timelines, groups, bots, contacts, failures and campaign reports, in the workspace's time zone, from counters kept as messages happen.",
      },
      {
        name: "Workspace",
        description:
          "The workspace's settings: name, default country for phone numbers, time zone.",
      },
      ...AGENT_TAGS,
    ],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "st_<base62>",
          description: "A workspace API key.",
        },
        apiKeyHeader: {
          type: "apiKey",
          in: "header",
          name: "X-Api-Key",
          description: "The same key, for clients that cannot set Authorization.",
        },
        agentBasic: AGENT_SECURITY_SCHEME,
        agentBearer: AGENT_BEARER_SCHEME,
      },
    },
  };
}

let cached: OpenApiDocument | null = null;

/** Built once per process: the schemas are static. */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
