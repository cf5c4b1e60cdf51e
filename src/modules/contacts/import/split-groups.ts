const MAX_GROUP_NAME = 80;

/**
 * Group names in one cell: `|` always separates them, and `;` too unless it is the file's
 * delimiter (then it cannot be inside an unquoted cell). Case-insensitive duplicates keep
 * the first spelling.
 */
export function splitGroups(cell: string, fileDelimiter: string): string[] {
  const splitOnSemicolon = fileDelimiter !== ";";
  if (!cell.includes("|") && !(splitOnSemicolon && cell.includes(";"))) {
    const name = capName(cell.trim());
    return name ? [name] : [];
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const part of cell.split(splitOnSemicolon ? /[|;]/ : "|")) {
    const name = capName(part.trim());
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

function capName(name: string): string {
  if (name.length <= MAX_GROUP_NAME) return name;
  // Never keep half of a surrogate pair (an emoji cut in two).
  const code = name.charCodeAt(MAX_GROUP_NAME - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? MAX_GROUP_NAME - 1 : MAX_GROUP_NAME;
  return name.slice(0, end).trimEnd();
}
