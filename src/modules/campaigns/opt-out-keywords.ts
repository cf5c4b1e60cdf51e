/** Accent-, case- and punctuation-insensitive form of a reply ("¡Baja!" → "BAJA", "no más" → "NO MAS"). */
export function foldReply(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** A reply opts out when, folded, it is exactly one of the workspace's keywords. */
export function isOptOutReply(text: string, keywords: readonly string[]): boolean {
  const folded = foldReply(text);
  return folded.length > 0 && keywords.some((k) => foldReply(k) === folded);
}
