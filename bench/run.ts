/**
 * `npm run bench -- <name>`: runs one benchmark. Benchmarks are run by hand, print their
 * figures with a baseline measured in the same run, and end with one JSON line. Only the
 * files listed here are benchmarks; the others in bench/ are their helpers (fixtures, the
 * benchmark database, baseline workers) and must not be run on their own.
 */
const BENCHMARKS: Record<string, string> = {
  import: "1M-row CSV through upload + pg-boss job vs psql \\copy (BENCH_ROWS, BENCH_EXISTING)",
  "cold-start": "`npm start` until /api/ready vs a bare node:http process",
  dispatch: "200k-recipient campaign sent by two workers vs job-per-message and the SQL floor",
  pacing:
    "one bot at 10 msg/s across three workers: most arrivals in any 1 s window, total in 60 s",
  dashboard:
    "stats procedures ×200 at 100k and BENCH_EVENTS (10M) events vs GROUP BY over raw events",
  lease:
    "20 agents pulling 50k tasks over the agent API: leases/s, double leases, vs a plain SKIP LOCKED claim",
  realtime:
    "commit → SSE arrival of 1,000 log lines at 200 Logs-page subscribers vs a bare LISTEN → SSE relay",
  logs: "Logs page history (logs.list) at 100k and BENCH_LOGS (10M) lines: p50/p95 per filter, vs OFFSET",
  webhooks:
    "signed TASK_LOG events on the fast lane (ingest process) for 30 s vs a bare node:http + INSERT",
};

const name = process.argv[2];
if (!name || !Object.hasOwn(BENCHMARKS, name)) {
  const width = Math.max(...Object.keys(BENCHMARKS).map((n) => n.length));
  console.error(
    [
      name ? `unknown benchmark "${name}"` : "no benchmark named",
      "",
      "usage: npm run bench -- <name>",
      "",
      ...Object.entries(BENCHMARKS).map(([n, what]) => `  ${n.padEnd(width)}  ${what}`),
    ].join("\n"),
  );
  process.exit(2);
}
void import(`./${name}.ts`);

export {};
