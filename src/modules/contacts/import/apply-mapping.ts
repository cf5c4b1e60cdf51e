import { unescapeCsvCell } from "./csv-escape";
import type { ColumnTarget } from "./header-map";
import { splitGroups } from "./split-groups";

export type MappedRow = {
  phoneRaw: string;
  nombre: string | null;
  sustantivo: string | null;
  groups: string[];
  attributes: Record<string, string>;
};

const MAX_NAME = 200;
const MAX_ATTRIBUTE = 1000;

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
  const columns = Math.min(cells.length, mapping.length);
  for (let i = 0; i < columns; i++) {
    const target = mapping[i]!;
    if (target.kind === "ignore") continue;
    const value = cleanCell(cells[i]!);
    if (!value) continue;
    if (target.kind === "attribute") {
      row.attributes[target.key] = cap(value, MAX_ATTRIBUTE);
      continue;
    }
    switch (target.field) {
      case "phone":
        row.phoneRaw = value;
        break;
      case "nombre":
        row.nombre = cap(value, MAX_NAME);
        break;
      case "sustantivo":
        row.sustantivo = cap(value, MAX_NAME);
        break;
      case "groups":
        row.groups = splitGroups(value, fileDelimiter);
        break;
    }
  }
  return row;
}

/** Trimmed, with our own export's `'` formula guard undone so exported files re-import as-is. */
function cleanCell(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.charCodeAt(0) !== 0x27) return trimmed;
  return unescapeCsvCell(trimmed).trim();
}

function cap(value: string, max: number): string {
  if (value.length <= max) return value;
  // Never keep half of a surrogate pair: Postgres rejects it inside jsonb.
  const end = isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
  return value.slice(0, end).trimEnd();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
