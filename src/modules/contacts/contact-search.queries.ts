/**
 * A search term as SQL, in two equivalent forms (drizzle/0012_contact_search.sql):
 *  - candidates: contact ids read from an index under row-level security — btree ranges over
 *    contact_search_token (word prefixes; phone endings as reversed digits) and over
 *    contact.phone (phone prefixes). May repeat an id; may hold contacts that fail other words.
 *  - row condition: the same rule checked on a contact row, for walking a sort index when
 *    many contacts match (and for the export's keyset pages).
 * A contact matches iff it is among the candidates and passes the row condition.
 */
import { sql, type SQL } from "drizzle-orm";
import type { SearchTerm } from "./contact-search";
import { contactSearchTokens, contacts } from "./contacts.table";

// Byte order ("C"): U+10FFFF sorts after any character that can follow a prefix.
const MAX_CHAR = sql`chr(1114111)`;

const reversedSuffix = (digits: string) => `+${[...digits].reverse().join("")}`;

function tokenRange(workspaceId: string, low: SQL): SQL {
  return sql`select ${contactSearchTokens.contactId} as id from ${contactSearchTokens}
    where ${contactSearchTokens.workspaceId} = ${workspaceId}
      and ${contactSearchTokens.token} >= ${low} and ${contactSearchTokens.token} < ${low} || ${MAX_CHAR}`;
}

function phoneRanges(prefixes: string[]): SQL {
  return sql.join(
    prefixes.map(
      (p) => sql`(${contacts.phone} >= ${p} and ${contacts.phone} < ${p} || ${MAX_CHAR})`,
    ),
    sql` or `,
  );
}

/** The longest word: likely the rarest, so the fewest candidates. */
export const candidateWord = (words: string[]) =>
  words.reduce((a, b) => (b.length > a.length ? b : a));

/** Contacts with a word starting with `word` (ids may repeat). */
export const wordCandidates = (workspaceId: string, word: string) =>
  tokenRange(workspaceId, sql`st_fold(${word})`);

/** Ids to start from: the longest word's tokens, or the phone's prefixes and ending. */
export function searchCandidates(workspaceId: string, term: SearchTerm): SQL {
  if (term.kind === "words") {
    if (term.words.length === 0) return sql`select null::uuid as id where false`;
    return wordCandidates(workspaceId, candidateWord(term.words));
  }
  const byPrefix = sql`select ${contacts.id} as id from ${contacts}
    where ${contacts.workspaceId} = ${workspaceId} and (${phoneRanges(term.prefixes)})`;
  if (!term.suffix) return byPrefix;
  return sql`${byPrefix} union all ${tokenRange(workspaceId, sql`${reversedSuffix(term.suffix)}`)}`;
}

/**
 * The rule on one row. A word matches where it starts a word of name_key (= st_fold(nombre)):
 * at the start or after a character that is not a letter or digit — the tokens' split. Words
 * hold only letters and digits (contact-search.ts), so they are literal in the pattern.
 */
export function searchRowCondition(term: SearchTerm): SQL {
  if (term.kind === "words") {
    if (term.words.length === 0) return sql`false`;
    return sql.join(
      term.words.map((w) => sql`${contacts.nameKey} ~ ('(^|[^[:alnum:]])' || st_fold(${w}))`),
      sql` and `,
    );
  }
  const ranges = phoneRanges(term.prefixes);
  if (!term.suffix) return sql`(${ranges})`;
  return sql`(${ranges} or right(${contacts.phone}, ${term.suffix.length}) = ${term.suffix})`;
}
