/**
 * A readable, self-contained HTML reference of the REST API (no scripts, no external assets),
 * rendered from the same OpenAPI document that /api/v1/openapi.json serves.
 */
import { API_OPERATIONS, type ApiOperation } from "./operations";
import type { OpenApiDocument } from "./document";

type JsonSchema = Record<string, unknown>;

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Just enough Markdown for the descriptions: `code`, paragraphs. */
const prose = (s: string) =>
  s
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");

function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop()!;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${esc(String(v))}</code>`).join(" | ");
  const anyOf = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (anyOf) return anyOf.map(typeLabel).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  if (type === "array") return `array of ${typeLabel(schema.items as JsonSchema)}`;
  return esc(schema.format ? `${type} (${schema.format})` : type);
}

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.default !== undefined)
    parts.push(`default <code>${esc(JSON.stringify(schema.default))}</code>`);
  if (schema.minimum !== undefined) parts.push(`min ${esc(String(schema.minimum))}`);
  if (schema.maximum !== undefined) parts.push(`max ${esc(String(schema.maximum))}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${esc(String(schema.maxLength))} chars`);
  return parts.join(", ");
}

/** Placeholders the curl examples use, per tag. */
const EXAMPLES: Record<ApiOperation["tag"], { id: string; query: string }> = {
  Contacts: { id: "CONTACT_ID", query: "?pageSize=50&search=mar" },
  Imports: { id: "IMPORT_ID", query: "" },
  Campaigns: { id: "CAMPAIGN_ID", query: "?status=running" },
  Workspace: { id: "", query: "" },
  Stats: { id: "CAMPAIGN_ID", query: "?from=2026-11-01&to=2026-11-30" },
};

function curlExample(op: ApiOperation, base: string): string {
  const example = EXAMPLES[op.tag];
  const path = op.path.replace("{id}", example.id);
  const query = op.method === "get" && op.query ? example.query : "";
  const lines = [`curl -X ${op.method.toUpperCase()} '${base}${path}${query}'`];
  // Double quotes, so the shell expands the variable holding the key.
  lines.push(`  -H "Authorization: Bearer $SALESTRACK_API_KEY"`);
  if (op.body?.kind === "json") {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d '${JSON.stringify(op.body.example)}'`);
  } else if (op.body?.kind === "multipart") {
    for (const [name, value] of Object.entries(op.body.example))
      lines.push(`  -F '${name}=${value}'`);
  }
  return lines.join(" \\\n");
}

function parametersTable(params: JsonSchema[]): string {
  if (params.length === 0) return "";
  const rows = params
    .map((p) => {
      const schema = p.schema as JsonSchema;
      return `<tr><td><code>${esc(String(p.name))}</code></td><td>${esc(String(p.in))}</td><td>${typeLabel(schema)}</td><td>${p.required ? "yes" : "no"}</td><td>${p.description ? prose(String(p.description)) : ""}${constraints(schema)}</td></tr>`;
    })
    .join("");
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

type OperationSpec = {
  operationId: string;
  summary: string;
  description: string;
  parameters?: JsonSchema[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, JsonSchema>;
};

function renderOperation(
  doc: OpenApiDocument,
  {
    method,
    url,
    note,
    spec,
    example,
  }: {
    method: string;
    url: string;
    note: string;
    spec: OperationSpec;
    example: string;
  },
): string {
  const body = spec.requestBody
    ? Object.entries(spec.requestBody.content)
        .map(
          ([type, c]) =>
            `<h4>Request body</h4><p><code>${esc(type)}</code>: ${typeLabel(c.schema)}</p>`,
        )
        .join("")
    : "";
  const responses = Object.entries(spec.responses)
    .map(([status, r]) => {
      const ref =
        typeof r.$ref === "string" ? doc.components.responses[r.$ref.split("/").pop()!] : r;
      const content = (ref?.content as Record<string, { schema: JsonSchema }> | undefined)?.[
        "application/json"
      ];
      return `<tr><td><code>${esc(status)}</code></td><td>${prose(String(ref?.description ?? ""))}</td><td>${content ? typeLabel(content.schema) : "—"}</td></tr>`;
    })
    .join("");
  return `<section id="${esc(spec.operationId)}" class="op">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(url)}</code></h3>
<p class="summary">${esc(spec.summary)} · ${note}</p>
${prose(spec.description)}
${parametersTable(spec.parameters ?? [])}
${body}
<h4>Responses</h4><table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${responses}</tbody></table>
<h4>Example</h4><pre>${esc(example)}</pre>
</section>`;
}

function operationSection(doc: OpenApiDocument, op: ApiOperation, base: string): string {
  return renderOperation(doc, {
    method: op.method,
    url: `/api/v1${op.path}`,
    note: `scope <code>${esc(op.scope)}</code>`,
    spec: doc.paths[op.path]![op.method] as OperationSpec,
    example: curlExample(op, base),
  });
}

/** Agents and bot events: fast-lane routes, authenticated by the bot, not by an API key. */
function fastLaneSections(doc: OpenApiDocument, origin: string, tag: string): string {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => {
      const server = (item.servers as unknown as { url: string }[] | undefined)?.[0]?.url;
      const url = `${server ?? "/api/v1"}${path}`;
      return Object.entries(item)
        .filter(([method]) => method !== "servers")
        .map(([method, raw]) => ({ method, url, spec: raw as OperationSpec & { tags: string[] } }));
    })
    .filter(({ spec }) => spec.tags.includes(tag))
    .map(({ method, url, spec }) => {
      const example = spec.requestBody?.content["application/json"] as
        { example?: unknown } | undefined;
      const json = `'${JSON.stringify(example?.example ?? {})}'`;
      const target = `${origin}${url.replace("{id}", "TASK_ID").replace("{botId}", "$BOT_ID")}`;
      const lines =
        tag === "Bot events"
          ? [
              `body=${json}; id="msg_$(date +%s%N)"; ts=$(date +%s)`,
              `key=$(printf '%s' "\${BOT_SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \\n')`,
              `sig=$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)`,
              `curl -X POST "${target}" -H 'Content-Type: application/json' \\`,
              `  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" -d "$body"`,
            ]
          : [
              `curl -X POST '${target}' -u "$BOT_ID:$BOT_SECRET" \\`,
              `  -H 'Content-Type: application/json' -d ${json}`,
            ];
      return renderOperation(doc, {
        method,
        url,
        note:
          tag === "Bot events" ? "signed with the bot's secret" : "HTTP Basic: bot id and secret",
        spec,
        example: lines.join("\n"),
      });
    })
    .join("");
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--code:#151b23;--accent:#4493f8}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,sans-serif}
main{max-width:72rem;margin:0 auto;padding:2rem 1.5rem 4rem}a{color:var(--accent)}
h1{margin:0 0 .25rem}h2{margin-top:2.5rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{margin:0 0 .25rem;font-size:1.05rem}h4{margin:1.1rem 0 .4rem;font-size:.9rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--code);border-radius:4px}
code{padding:.05rem .3rem}pre{padding:.8rem 1rem;overflow:auto;border:1px solid var(--line)}pre code{padding:0}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top}
td p{margin:0}.op{border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:1.25rem 0}
.summary{color:var(--muted);margin:.1rem 0 .6rem}.method{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;padding:.05rem .4rem;font:600 12px/1.6 ui-monospace,monospace;color:#fff}
.get{background:#1a7f37}.post{background:#0969da}.patch{background:#9a6700}.delete{background:#cf222e}
nav ul{padding-left:1.2rem}nav li{margin:.15rem 0}
`;

export function renderDocsPage(doc: OpenApiDocument, origin: string): string {
  const base = `${origin}/api/v1`;
  const toc = API_OPERATIONS.map(
    (op) =>
      `<li><a href="#${esc(op.operationId)}"><code>${op.method.toUpperCase()} ${esc(op.path)}</code></a> — ${esc(op.summary)}</li>`,
  ).join("");
  const sections = doc.tags
    .map(
      (tag) =>
        `<h2 id="tag-${esc(tag.name)}">${esc(tag.name)}</h2>${prose(tag.description)}` +
        API_OPERATIONS.filter((op) => op.tag === tag.name)
          .map((op) => operationSection(doc, op, base))
          .join("") +
        fastLaneSections(doc, origin, tag.name),
    )
    .join("");
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3><pre>${esc(JSON.stringify(schema, null, 2))}</pre></section>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(doc.info.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(doc.info.title)}</h1>
<p class="summary">Version ${esc(doc.info.version)} · OpenAPI 3.1 document: <a href="${esc(base)}/openapi.json"><code>${esc(base)}/openapi.json</code></a></p>
${prose(doc.info.description)}
<h2 id="auth">Authentication</h2>
<p>Every endpoint needs a workspace API key. Admins create keys in <em>Settings → API keys</em>; the key is shown once. The key decides the workspace; its scopes decide what it may do (403 otherwise).</p>
<pre>export SALESTRACK_API_KEY='st_…'
curl '${esc(base)}/contacts' -H "Authorization: Bearer $SALESTRACK_API_KEY"</pre>
<h2 id="errors">Errors</h2>
<p>Every error has the same JSON body. Validation errors (400) name each field in <code>fieldErrors</code>; unexpected errors (500) carry a <code>requestId</code> to quote.</p>
<pre>${esc(JSON.stringify({ error: { code: "BAD_REQUEST", key: "phone.tooShort", message: "The phone is too short", requestId: "4f1c…", fieldErrors: { phone: ["The phone is too short"] }, fieldErrorKeys: { phone: [{ key: "phone.tooShort" }] } } }, null, 2))}</pre>
<h2>Endpoints</h2><nav><ul>${toc}</ul></nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</main></body></html>`;
}
