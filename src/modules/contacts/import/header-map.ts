import { RESERVED_ATTRIBUTE_KEYS } from "../contacts.schema";

export type Field = "phone" | "nombre" | "sustantivo" | "groups";

export type ColumnTarget =
  { kind: "field"; field: Field } | { kind: "attribute"; key: string } | { kind: "ignore" };

/** One target per column, in file order. */
export type ColumnMapping = ColumnTarget[];

// Written folded (see foldHeader): lowercase, no accents, single spaces.
// prettier-ignore
const SYNONYMS: Record<Field, string[]> = {
  phone: [
    "numero", "nro", "num", "telefono", "tel", "celular", "cel", "movil", "whatsapp",
    "phone", "phone number", "mobile", "cell", "msisdn", "number",
    "numero de telefono", "numero telefono", "nro de telefono", "numero de celular",
    "telefono celular", "telefono movil", "numero whatsapp", "mobile number", "cell phone",
  ],
  nombre: [
    "nombre", "nombres", "nombre completo", "name", "full name", "first name", "contacto",
    "contact", "nombre y apellido", "contact name",
  ],
  sustantivo: ["sustantivo", "tratamiento", "saludo", "titulo", "salutation", "title", "honorific"],
  groups: [
    "grupo", "grupos", "group", "groups", "lista", "list", "segmento", "segment",
    "etiqueta", "etiquetas", "tag", "tags",
  ],
};

const FIELD_BY_HEADER = new Map<string, Field>(
  (Object.keys(SYNONYMS) as Field[]).flatMap((field) =>
    SYNONYMS[field].map((h) => [h, field] as const),
  ),
);

// Matches the attribute key rule of the import options schema.
const MAX_KEY_LENGTH = 40;
const PHONE_DIGITS = 7;

/** A header as people mean it: `  Teléfono_Móvil ` and `telefono-movil` are the same column. */
export function foldHeader(s: string): string {
  return s
    .replace(/\uFEFF/g, "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s_.\-]+/g, " ")
    .trim();
}

export function fieldForHeader(header: string): Field | null {
  return FIELD_BY_HEADER.get(foldHeader(header)) ?? null;
}

/**
 * Whether the first row names columns rather than holding a contact: some cell is a known
 * header and none carries a phone number (legacy files have no header row).
 */
export function isHeaderRow(cells: string[]): boolean {
  return cells.some((c) => fieldForHeader(c) !== null) && !cells.some(looksLikePhone);
}

function looksLikePhone(cell: string): boolean {
  let digits = 0;
  for (let i = 0; i < cell.length; i++) {
    const code = cell.charCodeAt(i);
    if (code >= 48 && code <= 57 && ++digits >= PHONE_DIGITS) return true;
  }
  return false;
}

// Our export's bookkeeping columns, and the two the rejected-rows file adds (reason-text.ts).
const EXPORT_ONLY_HEADERS = new Set([
  "opted out at",
  "source",
  "fuente",
  "origen",
  "fila rechazada",
  "motivo rechazo",
  "rejected row",
  "rejection reason",
]);

/**
 * Known headers map to their field (the first column wins); everything else with a name
 * becomes an attribute keyed by its folded name, so `{{ciudad}}` works in templates.
 */
export function mapHeaders(headers: string[]): ColumnMapping {
  const taken = new Set<Field>();
  // Field names are reserved so a second `Nombre` column cannot shadow `{{nombre}}`, and so are
  // the export's own column names (a second `Número` column becomes `numero_2`).
  const usedKeys = new Set<string>([...Object.keys(SYNONYMS), ...RESERVED_ATTRIBUTE_KEYS]);
  return headers.map((header, i): ColumnTarget => {
    const folded = foldHeader(header);
    // Our own export's bookkeeping columns are not data to import back.
    if (!folded || EXPORT_ONLY_HEADERS.has(folded)) return { kind: "ignore" };
    const field = FIELD_BY_HEADER.get(folded);
    if (field && !taken.has(field)) {
      taken.add(field);
      return { kind: "field", field };
    }
    return { kind: "attribute", key: uniqueKey(attributeKey(folded, i), usedKeys) };
  });
}

function attributeKey(folded: string, index: number): string {
  const key = folded
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_KEY_LENGTH)
    .replace(/_+$/, "");
  return key || `col_${index + 1}`;
}

function uniqueKey(key: string, used: Set<string>): string {
  let candidate = key;
  for (let n = 2; used.has(candidate); n++) {
    const suffix = `_${n}`;
    candidate = key.slice(0, MAX_KEY_LENGTH - suffix.length) + suffix;
  }
  used.add(candidate);
  return candidate;
}

/** Headerless legacy layout: `numero,sustantivo,nombre,grupo`. */
export const LEGACY_MAPPING: readonly ColumnTarget[] = Object.freeze([
  { kind: "field", field: "phone" },
  { kind: "field", field: "sustantivo" },
  { kind: "field", field: "nombre" },
  { kind: "field", field: "groups" },
]);

/** The legacy layout for a file of `columns` columns; extra ones become `col_5`, `col_6`… */
export function legacyMapping(columns: number): ColumnMapping {
  const mapping = LEGACY_MAPPING.slice(0, Math.max(columns, 1));
  for (let i = mapping.length; i < columns; i++)
    mapping.push({ kind: "attribute", key: `col_${i + 1}` });
  return mapping;
}

export function hasPhoneColumn(mapping: readonly ColumnTarget[]): boolean {
  return mapping.some((t) => t.kind === "field" && t.field === "phone");
}
