// Cells that a spreadsheet would evaluate as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
// A phone in E.164 (`+` and digits only) is a number to a spreadsheet, never a formula that
// runs anything: it is written as is, so exported phones stay exact.
const E164 = /^\+\d{1,15}$/;

/**
 * One CSV cell: formula-looking text (other than an E.164 phone) gets a leading `'` so
 * Excel/Sheets show it as text, and the cell is quoted when it holds a delimiter (its own or
 * another common one), quote or line break.
 */
export function escapeCsvCell(value: string | null | undefined, delimiter = ","): string {
  let text = value ?? "";
  if (FORMULA_START.test(text) && !E164.test(text)) text = `'${text}`;
  // Quoted also on `,`, `;` and tab whatever the delimiter: a spreadsheet that splits on another
  // one (Excel in a Spanish locale splits on `;`) keeps the cell whole, so no part of it
  // starts a formula cell of its own.
  if (text.includes(delimiter) || /["\r\n,;\t]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** A CSV line (CRLF-terminated, as Excel expects). */
export function toCsvLine(cells: readonly (string | null | undefined)[], delimiter = ","): string {
  return cells.map((c) => escapeCsvCell(c, delimiter)).join(delimiter) + "\r\n";
}

/** Undoes the `'` guard on import, so an exported file re-imports to the same values. */
export function unescapeCsvCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1))
    ? value.slice(1)
    : value;
}

/**
 * Cells as one CSV record in `delimiter`, quoted only where needed and otherwise untouched (no
 * formula guard): how a rejected row is stored, so its cells can be read back exactly.
 */
export function toCsvRecord(cells: readonly string[], delimiter: string): string {
  return cells
    .map((c) => (c.includes(delimiter) || /["\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(delimiter);
}
