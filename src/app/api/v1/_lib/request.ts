/**
 * Reading REST requests: query strings coerced to the types the shared schemas expect, JSON
 * bodies with a size cap. Failures throw AppError/ZodError, which `withApiKey` maps to 400.
 * Both refuse a NUL character anywhere before the schema runs (the tRPC procedures do the
 * same in their middleware): Postgres cannot store it.
 */
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { refuseNul } from "@/lib/zod-text";

const MAX_JSON_BYTES = 256 * 1024;
const jsonTooLarge = () =>
  new AppError("PAYLOAD_TOO_LARGE", "request.jsonTooLarge", {
    params: { kilobytes: MAX_JSON_BYTES / 1024 },
  });

/** The innermost type name under optional/default/nullable wrappers, e.g. "number". */
function baseType(schema: z.core.$ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.core.$ZodType };
  while (def.innerType) def = def.innerType._zod.def as typeof def;
  return def.type;
}

function coerce(raw: string, type: string): unknown {
  if (type === "number" || type === "int") return raw.trim() === "" ? raw : Number(raw);
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

/** Query parameters as the object `schema` expects; blank parameters count as not sent. */
export function readQuery<S extends z.ZodObject>(req: Request, schema: S): z.output<S> {
  const shape = schema.shape as Record<string, z.core.$ZodType>;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of new URL(req.url).searchParams) {
    const field = shape[key];
    if (!field || value === "") continue;
    raw[key] = coerce(value, baseType(field));
  }
  refuseNul(raw);
  return schema.parse(raw);
}

export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BYTES) {
    throw jsonTooLarge();
  }
  let text = "";
  if (req.body) {
    const decoder = new TextDecoder();
    let size = 0;
    for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_JSON_BYTES) {
        throw jsonTooLarge();
      }
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
  }
  if (!text.trim()) throw new AppError("BAD_REQUEST", "request.jsonMissing");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "request.jsonInvalid");
  }
  refuseNul(body);
  return schema.parse(body);
}

export const noContent = () => new Response(null, { status: 204 });
