import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

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

/** Collapses ids in paths so label cardinality stays bounded. */
export function routeLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "/_next/*";
  return (
    pathname
      .split("/")
      .map((seg) => (/^[0-9a-f-]{16,}$/i.test(seg) || /^\d+$/.test(seg) ? ":id" : seg))
      .slice(0, 5)
      .join("/") || "/"
  );
}
