import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  canSearch,
  describeEntry,
  firstUnsearchable,
  pathEntries,
  type PathEntry,
} from "./embedded-access";

const postgres = { uid: 101, gid: 104 };
const dir = (p: string, mode: number, uid = 0, gid = 0): PathEntry => ({
  path: p,
  mode: 0o040000 | mode,
  uid,
  gid,
});

describe("can the postgres OS user traverse a folder", () => {
  it("uses the others' bits for a folder of someone else's", () => {
    expect(canSearch(dir("/srv", 0o755), postgres)).toBe(true);
    expect(canSearch(dir("/srv", 0o711), postgres)).toBe(true);
    expect(canSearch(dir("/root", 0o700), postgres)).toBe(false);
    expect(canSearch(dir("/srv", 0o776), postgres)).toBe(false);
  });

  it("uses only the group's bits when the folder's group is the user's", () => {
    expect(canSearch(dir("/srv", 0o750, 0, 104), postgres)).toBe(true);
    // Group without x is refused even though others have it.
    expect(canSearch(dir("/srv", 0o705, 0, 104), postgres)).toBe(false);
  });

  it("uses only the owner's bits when the user owns the folder", () => {
    expect(canSearch(dir("/var/lib/c", 0o700, 101, 104), postgres)).toBe(true);
    expect(canSearch(dir("/var/lib/c", 0o077, 101, 104), postgres)).toBe(false);
  });

  it("lets root through everything", () => {
    expect(canSearch(dir("/root", 0o700, 1000, 1000), { uid: 0, gid: 0 })).toBe(true);
  });

  it("names the first folder on the way that blocks", () => {
    const clone = [
      dir("/", 0o755),
      dir("/root", 0o700),
      dir("/root/app", 0o755),
      dir("/root/app/.data", 0o700),
    ];
    expect(firstUnsearchable(clone, postgres)?.path).toBe("/root");
    expect(describeEntry(firstUnsearchable(clone, postgres)!)).toBe("/root (mode 0700, owner 0:0)");
    const shared = [dir("/", 0o755), dir("/srv", 0o755), dir("/srv/app/.data", 0o755)];
    expect(firstUnsearchable(shared, postgres)).toBeNull();
    expect(firstUnsearchable([], postgres)).toBeNull();
  });

  it("a user yet to be created (no uid) is judged by the others' bits", () => {
    const nobody = { uid: -1, gid: -1 };
    expect(firstUnsearchable([dir("/", 0o755), dir("/tmp/x", 0o700)], nobody)?.path).toBe("/tmp/x");
  });
});

describe("the folders walked to reach a path", () => {
  const base = mkdtemp(path.join(tmpdir(), "embedded-access-"));
  afterAll(async () => rm(await base, { recursive: true, force: true }));

  it("lists every prefix, root first, and where a symlink leads", async () => {
    const root = await base;
    await mkdir(path.join(root, "real", "data"), { recursive: true });
    await symlink(path.join(root, "real"), path.join(root, "link"));
    const walked = (await pathEntries(path.join(root, "link", "data"))).map((e) => e.path);
    expect(walked[0]).toBe("/");
    expect(walked).toContain(path.join(root, "link"));
    expect(walked).toContain(path.join(root, "real"));
    expect(walked.at(-1)).toBe(path.join(root, "real", "data"));
    expect(walked.indexOf(root)).toBeLessThan(walked.indexOf(path.join(root, "link", "data")));
  });
});
