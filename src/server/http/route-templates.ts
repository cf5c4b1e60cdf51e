/**
 * The app's routes as templates (`/api/v1/contacts/{id}`), read from the App Router's folders
 * at start, so metrics can label a request by the route that served it. The set is fixed by
 * the code: whatever paths clients invent, the labels stay this many.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

type Segment =
  | { kind: "static"; value: string }
  | { kind: "dynamic" }
  /** `[...x]` needs one segment or more, `[[...x]]` zero or more. */
  | { kind: "catch-all"; optional: boolean };

type Compiled = { template: string; segments: Segment[] };

const ROUTE_FILE = /^(page|route)\.(tsx?|jsx?|mdx?)$/;

/** `[id]` → `{id}`; `[...slug]` → `{slug*}`; groups, slots and private folders vanish. */
function templateSegment(folder: string): string | null | "skip-tree" {
  if (folder.startsWith("_") || folder.startsWith("(.")) return "skip-tree";
  if (folder.startsWith("(") && folder.endsWith(")")) return null;
  if (folder.startsWith("@")) return null;
  const catchAll = /^\[\[?\.\.\.(.+?)\]?\]$/.exec(folder);
  if (catchAll) return `{${catchAll[1]}*}${folder.startsWith("[[") ? "?" : ""}`;
  const dynamic = /^\[(.+)\]$/.exec(folder);
  if (dynamic) return `{${dynamic[1]}}`;
  return folder;
}

/** Every page and route handler under `appDir`, as templates; [] when the folder is absent. */
export function scanAppRoutes(appDir: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string, segments: string[]) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && ROUTE_FILE.test(entry.name)) {
        found.add(`/${segments.join("/")}`);
      } else if (entry.isDirectory()) {
        const seg = templateSegment(entry.name);
        if (seg === "skip-tree") continue;
        walk(path.join(dir, entry.name), seg === null ? segments : [...segments, seg]);
      }
    }
  };
  walk(appDir, []);
  return [...found].sort();
}

function compile(template: string): Compiled {
  const segments: Segment[] = template
    .split("/")
    .slice(1)
    .filter(Boolean)
    .map((seg) => {
      if (/^\{.+\*\}\??$/.test(seg)) return { kind: "catch-all", optional: seg.endsWith("?") };
      if (/^\{.+\}$/.test(seg)) return { kind: "dynamic" };
      return { kind: "static", value: seg };
    });
  return { template: template.replace(/\?$/, ""), segments };
}

/** Per segment: 0 static, 1 dynamic, 2 catch-all — lower wins, like Next's own resolution. */
function rank(segments: Segment[], parts: string[]): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === "catch-all") {
      const rest = parts.length - i;
      if (rest < (seg.optional ? 0 : 1)) return null;
      return [...out, 2];
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "static") {
      if (seg.value !== part) return null;
      out.push(0);
    } else {
      out.push(1);
    }
  }
  return parts.length === segments.length ? out : null;
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]!;
  }
  return a.length > b.length;
}

/** The template a pathname resolves to, or null. */
export function createTemplateMatcher(templates: string[]) {
  const compiled = templates.map(compile);
  return (pathname: string): string | null => {
    let parts: string[];
    try {
      parts = pathname
        .split("/")
        .filter(Boolean)
        .map((p) => decodeURIComponent(p));
    } catch {
      return null;
    }
    let best: { template: string; score: number[] } | null = null;
    for (const { template, segments } of compiled) {
      const score = rank(segments, parts);
      if (score && (!best || better(score, best.score))) best = { template, score };
    }
    return best?.template ?? null;
  };
}
