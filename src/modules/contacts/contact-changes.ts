/**
 * What an edit changed, for the audit log: only the fields whose value differs, each with its
 * value before and after (phones masked; attributes by key). Pure, so it is tested alone.
 */
import { maskPhone } from "@/lib/logger";
import type { ContactRow } from "./contacts.queries";

type Values = Partial<
  Pick<ContactRow, "phone" | "nombre" | "sustantivo" | "attributes" | "optInSource" | "optInAt">
>;
export type ContactDiff = { before: Record<string, unknown>; after: Record<string, unknown> };

const sameDate = (a: Date | null | undefined, b: Date | null | undefined) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

function attributeDiff(from: Record<string, string>, to: Record<string, string>) {
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (from[key] !== to[key]) {
      before[key] = from[key] ?? null;
      after[key] = to[key] ?? null;
    }
  }
  return Object.keys(before).length ? { before, after } : null;
}

const sortedNames = (names: readonly string[]) =>
  [...new Set(names.map((n) => n.trim()))].sort((a, b) => a.localeCompare(b));

/** The changed fields of `current` given the new `values` and group names; null when none. */
export function diffContact(
  current: ContactRow,
  values: Values,
  groups?: { before: readonly string[]; after: readonly string[] },
): ContactDiff | null {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (values.phone !== undefined && values.phone !== current.phone) {
    before.phone = maskPhone(current.phone);
    after.phone = maskPhone(values.phone);
  }
  for (const field of ["nombre", "sustantivo", "optInSource"] as const) {
    if (values[field] !== undefined && values[field] !== current[field]) {
      before[field] = current[field];
      after[field] = values[field];
    }
  }
  if (values.optInAt !== undefined && !sameDate(values.optInAt, current.optInAt)) {
    before.optInAt = current.optInAt;
    after.optInAt = values.optInAt;
  }
  const attributes =
    values.attributes && attributeDiff(current.attributes ?? {}, values.attributes);
  if (attributes) {
    before.attributes = attributes.before;
    after.attributes = attributes.after;
  }
  if (groups) {
    const was = sortedNames(groups.before);
    const is = sortedNames(groups.after);
    const lower = (l: string[]) => l.map((n) => n.toLowerCase()).join("|");
    if (lower(was) !== lower(is)) {
      before.groups = was;
      after.groups = is;
    }
  }
  return Object.keys(after).length ? { before, after } : null;
}
