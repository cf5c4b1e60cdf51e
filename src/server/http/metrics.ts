import path from "node:path";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { createTemplateMatcher, scanAppRoutes } from "./route-templates";

type Metrics = {
  registry: Registry;
  queue: Gauge<"queue" | "state">;
  http: {
    requests: Counter<"method" | "route" | "status">;
    duration: Histogram<"method" | "route" | "status">;
  };
  jobs: { completed: Counter<"queue">; failed: Counter<"queue">; duration: Histogram<"queue"> };
};

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "salestrack_" });
  const labels = ["method", "route", "status"] as const;
  return {
    registry,
    queue: new Gauge({
      name: "salestrack_queue_jobs",
      help: "Jobs per pg-boss queue and state (read from Postgres at scrape time)",
      labelNames: ["queue", "state"],
      registers: [registry],
    }),
    http: {
      requests: new Counter({
        name: "salestrack_http_requests_total",
        help: "HTTP requests",
        labelNames: labels,
        registers: [registry],
      }),
      duration: new Histogram({
        name: "salestrack_http_request_duration_seconds",
        help: "HTTP request duration",
        labelNames: labels,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
    },
    jobs: {
      completed: new Counter({
        name: "salestrack_jobs_completed_total",
        help: "Jobs completed by this process",
        labelNames: ["queue"],
        registers: [registry],
      }),
      failed: new Counter({
        name: "salestrack_jobs_failed_total",
        help: "Job attempts that failed in this process",
        labelNames: ["queue"],
        registers: [registry],
      }),
      duration: new Histogram({
        name: "salestrack_job_duration_seconds",
        help: "Job handler duration",
        labelNames: ["queue"],
        registers: [registry],
      }),
    },
  };
}

// One registry per process, however many times bundlers load this module.
const holder = globalThis as { __salestrackMetrics?: Metrics };
const metrics = (holder.__salestrackMetrics ??= create());

export const metricsRegistry = metrics.registry;
export const httpMetrics = metrics.http;
export const jobMetrics = metrics.jobs;
export const queueGauge = metrics.queue;

/** Paths that are none of the app's routes: one label for all of them, whatever they are. */
export const UNMATCHED_ROUTE = "(unmatched)";

/**
 * tRPC procedure names, registered by the tRPC route handler when it loads: it lives in Next's
 * bundle, this module in the server's, and the names come from the app router itself.
 */
const procedures = ((
  holder as { __salestrackTrpcProcedures?: Set<string> }
).__salestrackTrpcProcedures ??= new Set<string>());

export function registerTrpcProcedures(names: Iterable<string>): void {
  for (const name of names) procedures.add(name);
}

const TRPC_PREFIX = "/api/trpc/";

/** `/api/trpc/a.b,a.b` → one known procedure's name; several → "(batch)"; else "(unknown)". */
function trpcLabel(pathname: string): string {
  let names: string[];
  try {
    names = decodeURIComponent(pathname.slice(TRPC_PREFIX.length)).split(",");
  } catch {
    names = [];
  }
  const distinct = new Set(names);
  if (distinct.size === 0 || [...distinct].some((n) => !procedures.has(n))) {
    return `${TRPC_PREFIX}(unknown)`;
  }
  return `${TRPC_PREFIX}${distinct.size === 1 ? names[0] : "(batch)"}`;
}

/**
 * Labels a request by the route template that serves it (`/api/v1/contacts/{id}`), never by
 * its raw path: a label set bounded by the code, not by what clients send.
 */
export function createRouteLabeler(templates: string[]): (pathname: string) => string {
  const match = createTemplateMatcher(templates);
  return (pathname) => {
    if (pathname.startsWith("/_next/static/")) return "/_next/static/*";
    if (pathname.startsWith("/_next/")) return "/_next/*";
    if (pathname.startsWith(TRPC_PREFIX)) return trpcLabel(pathname);
    return match(pathname) ?? UNMATCHED_ROUTE;
  };
}

let defaultLabeler: ((pathname: string) => string) | null = null;

/** The labeler for this app, its templates read from `src/app` once (the image ships it). */
export function routeLabel(pathname: string): string {
  defaultLabeler ??= createRouteLabeler(scanAppRoutes(path.resolve(process.cwd(), "src/app")));
  return defaultLabeler(pathname);
}
