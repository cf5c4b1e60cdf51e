import { encodeErrorRef as code, errorRef } from "@/lib/error-ref";
import { hasInvisibleCharacters } from "@/lib/zod-text";
import {
  MAX_ATTRIBUTE_VALUE,
  MAX_ATTRIBUTES,
  MAX_GROUP_NAME,
  MAX_GROUPS,
  MAX_NAME,
} from "../contacts.schema";
import { unescapeCsvCell } from "./csv-escape";
import type { ColumnTarget } from "./header-map";
import { splitGroups } from "./split-groups";

export type MappedRow = {
  phoneRaw: string;
  nombre: string | null;
  sustantivo: string | null;
  groups: string[];
  attributes: Record<string, string>;
  /**
   * Why the row cannot be imported as it is: a value over the contact form's limits, as an
   * encoded error code. Rejected with this reason (never silently cut: a cut name or note is
   * wrong data nobody sees).
   */
  problem?: string;
};

/** One parsed CSV row as contact fields, following the column mapping. Runs once per row. */
export function applyMapping(
  cells: readonly string[],
  mapping: readonly ColumnTarget[],
  fileDelimiter: string,
): MappedRow {
  const row: MappedRow = {
    phoneRaw: "",
    nombre: null,
    sustantivo: null,
    groups: [],
    attributes: {},
  };
  let attributeCount = 0;
  const columns = Math.min(cells.length, mapping.length);
  for (let i = 0; i < columns; i++) {
    const target = mapping[i]!;
    if (target.kind === "ignore") continue;
    const value = cleanCell(cells[i]!);
    if (!value) continue;
    if (target.kind === "attribute") {
      if (value.length > MAX_ATTRIBUTE_VALUE) {
        row.problem ??= code(
          errorRef("import.attributeTooLong", { key: target.key, max: MAX_ATTRIBUTE_VALUE }),
        );
      }
      if (!(target.key in row.attributes)) attributeCount++;
      row.attributes[target.key] = value;
      continue;
    }
    switch (target.field) {
      case "phone":
        row.phoneRaw = value;
        break;
      case "nombre":
        if (value.length > MAX_NAME) {
          row.problem ??= code(errorRef("import.nameTooLong", { max: MAX_NAME }));
        }
        row.nombre = value;
        break;
      case "sustantivo":
        if (value.length > MAX_NAME) {
          row.problem ??= code(errorRef("import.salutationTooLong", { max: MAX_NAME }));
        }
        row.sustantivo = value;
        break;
      case "groups":
        row.groups = splitGroups(value, fileDelimiter);
        row.problem ??= groupsProblem(row.groups);
        break;
    }
  }
  if (attributeCount > MAX_ATTRIBUTES) {
    row.problem ??= code(errorRef("import.tooManyAttributes", { max: MAX_ATTRIBUTES }));
  }
  return row;
}

function groupsProblem(names: string[]): string | undefined {
  if (names.length > MAX_GROUPS) return code(errorRef("import.tooManyGroups", { max: MAX_GROUPS }));
  if (names.some((n) => n.length > MAX_GROUP_NAME)) {
    return code(errorRef("import.groupNameTooLong", { max: MAX_GROUP_NAME }));
  }
  if (names.some(hasInvisibleCharacters)) return code(errorRef("import.groupNameInvisible"));
  return undefined;
}

/** Trimmed, with our own export's `'` formula guard undone so exported files re-import as-is. */
function cleanCell(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.charCodeAt(0) !== 0x27) return trimmed;
  return unescapeCsvCell(trimmed).trim();
}
