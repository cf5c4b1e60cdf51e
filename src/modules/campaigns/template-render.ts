/**
 * `{{variable}}` and `{{variable|fallback}}` in message templates. Variables are `nombre`,
 * `sustantivo` or any contact attribute (matched case-insensitively); a blank value counts
 * as missing, so the fallback applies.
 */
const VARIABLE = /\{\{\s*([\p{L}\p{N}_.-]+)\s*(?:\|([^}]*))?\}\}/gu;

export type TemplateVariable = { name: string; fallback: string | null };
export type RenderSource = {
  nombre?: string | null;
  sustantivo?: string | null;
  attributes?: Record<string, string> | null;
};

export function templateVariables(text: string): TemplateVariable[] {
  return [...text.matchAll(VARIABLE)].map((m) => ({
    name: m[1]!.toLowerCase(),
    fallback: m[2] === undefined ? null : m[2].trim(),
  }));
}

function valueOf(source: RenderSource, name: string): string | null {
  let value: string | null | undefined;
  if (name === "nombre") value = source.nombre;
  else if (name === "sustantivo") value = source.sustantivo;
  else {
    const attrs = source.attributes ?? {};
    const key = Object.keys(attrs).find((k) => k.toLowerCase() === name);
    value = key === undefined ? null : attrs[key];
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

/** Renders `text` for one contact, or names the variables that have neither value nor fallback. */
export function renderTemplate(text: string, source: RenderSource): RenderResult {
  const missing = new Set<string>();
  const out = text.replace(VARIABLE, (_, rawName: string, fallback: string | undefined) => {
    const name = rawName.toLowerCase();
    const value = valueOf(source, name);
    if (value !== null) return value;
    if (fallback !== undefined) return fallback.trim();
    missing.add(name);
    return "";
  });
  return missing.size ? { ok: false, missing: [...missing] } : { ok: true, text: out };
}

/** Variables without a fallback: a contact lacking any of them is skipped. */
export function requiredVariables(texts: string[]): string[] {
  const names = new Set<string>();
  for (const t of texts)
    for (const v of templateVariables(t)) if (v.fallback === null) names.add(v.name);
  return [...names];
}
