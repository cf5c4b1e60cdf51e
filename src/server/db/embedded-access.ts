import { realpath, stat } from "node:fs/promises";
import path from "node:path";

/** A directory's permission bits and owner, as `stat` reports them. */
export type PathEntry = { path: string; mode: number; uid: number; gid: number };
/**
 * The identity a child spawned with `{ uid, gid }` runs under. libuv drops supplementary
 * groups when it switches user, so only the primary group counts.
 */
export type OsUser = { uid: number; gid: number };

/**
 * Whether `user` may traverse (search) the directory. The kernel looks at exactly one class
 * of bits: the owner's when the uid matches, else the group's when the gid matches, else
 * the others' — an owner without `x` is refused even when "other" has it. ACLs are not
 * looked at: missing one only makes us relocate a cluster that could have stayed.
 */
export function canSearch(entry: PathEntry, user: OsUser): boolean {
  if (user.uid === 0) return true;
  if (entry.uid === user.uid) return (entry.mode & 0o100) !== 0;
  if (entry.gid === user.gid) return (entry.mode & 0o010) !== 0;
  return (entry.mode & 0o001) !== 0;
}

/** The first directory `user` cannot traverse, or null when every one lets it through. */
export function firstUnsearchable(entries: readonly PathEntry[], user: OsUser): PathEntry | null {
  return entries.find((entry) => !canSearch(entry, user)) ?? null;
}

/** "0700, owner 0:0" — for the message that names the blocking folder. */
export function describeEntry(entry: PathEntry): string {
  const mode = (entry.mode & 0o777).toString(8).padStart(4, "0");
  return `${entry.path} (mode ${mode}, owner ${entry.uid}:${entry.gid})`;
}

function prefixes(target: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    out.unshift(dir);
    if (path.dirname(dir) === dir) return out;
  }
}

/**
 * Every directory the kernel walks to reach `target` (itself included), root first: the
 * prefixes of the path as written and, when a symlink is on the way, of where it leads.
 */
export async function pathEntries(target: string): Promise<PathEntry[]> {
  const real = await realpath(target).catch(() => target);
  const dirs = [...new Set([...prefixes(target), ...prefixes(real)])];
  const entries: PathEntry[] = [];
  for (const dir of dirs) {
    const st = await stat(dir).catch(() => null);
    // A missing folder is created later by root with its own modes; nothing to check yet.
    if (st) entries.push({ path: dir, mode: st.mode, uid: st.uid, gid: st.gid });
  }
  return entries;
}

/** The first directory on the way to any of `targets` that `user` cannot traverse. */
export async function firstBlockedDir(
  targets: readonly string[],
  user: OsUser,
): Promise<PathEntry | null> {
  for (const target of targets) {
    const blocked = firstUnsearchable(await pathEntries(target), user);
    if (blocked) return blocked;
  }
  return null;
}
