import { CONTACT_SORTS, CONTACT_SOURCES } from "../contacts.schema";

export type ContactsFilters = {
  search: string;
  groupId: string | null;
  source: (typeof CONTACT_SOURCES)[number] | null;
  optedOut: "only" | "exclude" | null;
  sort: (typeof CONTACT_SORTS)[number];
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
};

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_FILTERS: ContactsFilters = {
  search: "",
  groupId: null,
  source: null,
  optedOut: null,
  sort: "createdAt",
  dir: "desc",
  page: 1,
  pageSize: 50,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | null =>
  v && (values as readonly string[]).includes(v) ? (v as T) : null;

/** The contacts page's filters from its URL (`/contacts?groupId=…`); bad values are dropped. */
export function filtersFromParams(
  params: Record<string, string | string[] | undefined>,
): ContactsFilters {
  const get = (k: string) => {
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const page = Number(get("page"));
  const pageSize = Number(get("pageSize"));
  return {
    search: (get("search") ?? "").slice(0, 100),
    groupId: UUID.test(get("groupId") ?? "") ? get("groupId")! : null,
    source: oneOf(CONTACT_SOURCES, get("source")),
    optedOut: oneOf(["only", "exclude"] as const, get("optedOut")),
    sort: oneOf(CONTACT_SORTS, get("sort")) ?? DEFAULT_FILTERS.sort,
    dir: oneOf(["asc", "desc"] as const, get("dir")) ?? DEFAULT_FILTERS.dir,
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize)
      ? pageSize
      : DEFAULT_FILTERS.pageSize,
  };
}

/** Query string of the non-default filters (the export link uses the filters only). */
export function filtersToQuery(f: ContactsFilters, { filtersOnly = false } = {}): string {
  const q = new URLSearchParams();
  if (f.search.trim()) q.set("search", f.search.trim());
  if (f.groupId) q.set("groupId", f.groupId);
  if (f.source) q.set("source", f.source);
  if (f.optedOut) q.set("optedOut", f.optedOut);
  if (!filtersOnly) {
    if (f.sort !== DEFAULT_FILTERS.sort) q.set("sort", f.sort);
    if (f.dir !== DEFAULT_FILTERS.dir) q.set("dir", f.dir);
    if (f.page !== 1) q.set("page", String(f.page));
    if (f.pageSize !== DEFAULT_FILTERS.pageSize) q.set("pageSize", String(f.pageSize));
  }
  return q.toString();
}
