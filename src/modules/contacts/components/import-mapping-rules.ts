/** The column-mapping rules of the import preview: pure, shared by the form and its checks. */
import type { ImportDetection } from "../imports.schema";

export const CHOICES = ["phone", "nombre", "sustantivo", "groups", "attribute", "ignore"] as const;
export type Choice = (typeof CHOICES)[number];
export type Column = { choice: Choice; key: string };
export type Target = ImportDetection["mapping"][number];
export type Problem = { message: string; columns: number[] };

const ATTRIBUTE_KEY = /^[a-z0-9_]{1,40}$/;

/** "Teléfono móvil" → "telefono_movil": what the server accepts as an attribute key. */
export function foldKey(text: string, index: number): string {
  const key = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return key || `col_${index + 1}`;
}

export function columnFromTarget(target: Target | undefined): Column {
  if (!target || target.kind === "ignore") return { choice: "ignore", key: "" };
  if (target.kind === "attribute") return { choice: "attribute", key: target.key };
  return { choice: target.field, key: "" };
}

export function targetFromColumn(column: Column): Target {
  if (column.choice === "ignore") return { kind: "ignore" };
  if (column.choice === "attribute") return { kind: "attribute", key: column.key };
  return { kind: "field", field: column.choice };
}

/** Client-side checks mirroring the server's: one phone column, valid and unique keys. */
export function findProblems(
  columns: Column[],
  columnTitle: (i: number) => string,
  t: (key: string, values?: Record<string, string | number>) => string,
): Problem[] {
  const list: Problem[] = [];
  const indicesOf = (choice: Choice) => columns.flatMap((c, i) => (c.choice === choice ? [i] : []));
  const phones = indicesOf("phone");
  if (phones.length === 0) list.push({ message: t("noPhone"), columns: [] });
  if (phones.length > 1)
    list.push({ message: t("manyPhones", { count: phones.length }), columns: phones });
  for (const field of ["nombre", "sustantivo", "groups"] as const) {
    const at = indicesOf(field);
    if (at.length > 1) {
      list.push({
        message: t("duplicateField", { target: t(`target_${field}`), count: at.length }),
        columns: at,
      });
    }
  }
  const byKey = new Map<string, number[]>();
  columns.forEach((c, i) => {
    if (c.choice !== "attribute") return;
    if (!ATTRIBUTE_KEY.test(c.key)) {
      list.push({ message: t("badKey", { key: c.key, column: columnTitle(i) }), columns: [i] });
    } else byKey.set(c.key, [...(byKey.get(c.key) ?? []), i]);
  });
  for (const [key, at] of byKey) {
    if (at.length > 1) list.push({ message: t("duplicateKey", { key }), columns: at });
  }
  return list;
}
