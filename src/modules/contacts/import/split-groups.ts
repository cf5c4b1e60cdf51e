import { normaliseName } from "@/lib/zod-text";

/**
 * Group names in one cell: `|` always separates them, and `;` too unless it is the file's
 * delimiter (then it cannot be inside an unquoted cell). Each name is NFKC-normalised like
 * the form's (`ＶＩＰ` is `VIP`); case-insensitive duplicates keep the first spelling. Lengths
 * and invisible characters are checked by the caller, which rejects the row.
 */
export function splitGroups(cell: string, fileDelimiter: string): string[] {
  const splitOnSemicolon = fileDelimiter !== ";";
  const names: string[] = [];
  const seen = new Set<string>();
  // NFKC first: a full-width `｜` or `；` separates like the ASCII one it stands for.
  const normalised = cell.normalize("NFKC");
  const parts =
    normalised.includes("|") || (splitOnSemicolon && normalised.includes(";"))
      ? normalised.split(splitOnSemicolon ? /[|;]/ : "|")
      : [normalised];
  for (const part of parts) {
    const name = normaliseName(part);
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}
