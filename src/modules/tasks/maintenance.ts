/**
 * Upkeep of the append-only tables (owner connection: partitions are DDL). Dropping a month
 * of logs is one statement however many rows it held — why `log` is partitioned.
 */
import { sql } from "drizzle-orm";
import { purgeEventReceipts } from "@/modules/bots/agents.service";
import { systemDb } from "@/server/db/client";

const PARTITIONED = ["task_event", "log"] as const;

/** `log_2026_01` → first day of the month after it (when its rows all passed). */
function partitionEnd(name: string): Date | null {
  const match = /_(\d{4})_(\d{2})$/.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)) : null;
}

export async function runTasksMaintenance({
  logRetentionDays,
  now = new Date(),
}: {
  logRetentionDays: number;
  now?: Date;
}) {
  const db = systemDb();
  for (const parent of PARTITIONED) {
    await db.execute(
      sql`select app_ensure_monthly_partitions(${parent}, ${now}::date, (${now}::date + interval '3 months')::date)`,
    );
  }
  const cutoff = now.getTime() - logRetentionDays * 86_400_000;
  const { rows } = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
     where p.relname in ('log', 'task_event') and c.relname ~ '_\\d{4}_\\d{2}$'`);
  const dropped: string[] = [];
  for (const { name } of rows) {
    const end = partitionEnd(name);
    if (end && end.getTime() < cutoff) {
      await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
      dropped.push(name);
    }
  }
  return { dropped, receiptsPurged: await purgeEventReceipts(now.getTime()) };
}
