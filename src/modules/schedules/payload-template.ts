/** Values a task schedule's payload template may name inside its strings. */
export type TemplateVars = { slot: string; schedule: string };

/** `{{slot}}` (the occurrence, ISO 8601) and `{{schedule}}` (its name) inside strings, at any depth. */
export function renderTemplate(value: unknown, vars: TemplateVars): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\{\{\s*(slot|schedule)\s*\}\}/g,
      (_, name: keyof TemplateVars) => vars[name],
    );
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, vars)]));
  }
  return value;
}
