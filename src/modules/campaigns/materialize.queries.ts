/**
 * Building a campaign's recipients in one set-based statement: the audience (from contacts'
 * exported subquery) minus opted-out and suppressed phones, minus phones contacted inside
 * the cool-off, minus contacts missing a variable their template needs — each skip recorded
 * with its reason, everyone else queued in per-bot batches for the `campaign.send` jobs.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { upsertRollups } from "./rollups";

export type SkipReason = "opted_out" | "cooloff" | "unresolved_variable";

export type MaterializePlan = {
  workspaceId: string;
  campaignId: string;
  audience: SQL;
  botIds: string[];
  /** Required variables (no fallback) of each template, by template index. */
  requiredByTemplate: string[][];
  cooloffDays: number;
  batchSize: number;
};

function missing(variable: string): SQL {
  if (variable === "nombre") return sql`nullif(btrim(p.nombre), '') is null`;
  if (variable === "sustantivo") return sql`nullif(btrim(p.sustantivo), '') is null`;
  return sql`not exists (select 1 from jsonb_each_text(p.attributes) e
    where lower(e.key) = ${variable} and btrim(e.value) <> '')`;
}

function unresolved(requiredByTemplate: string[][]): SQL {
  const cases = requiredByTemplate
    .map((vars, t) =>
      vars.length ? sql`(p.tpl = ${t} and (${sql.join(vars.map(missing), sql` or `)}))` : null,
    )
    .filter((c): c is SQL => c !== null);
  return cases.length ? sql.join(cases, sql` or `) : sql`false`;
}

/** The audience, numbered, placed on bots/templates/batches and flagged with its skip reason. */
function flagged(plan: MaterializePlan): SQL {
  const nBots = plan.botIds.length;
  const nTemplates = plan.requiredByTemplate.length;
  return sql`
    numbered as (
      select a.*, (row_number() over (order by a.phone) - 1)::int as n from (${plan.audience}) a
    ),
    placed as (
      select n.*, n.n % ${nBots} as bot_idx, n.n % ${nTemplates} as tpl,
             ((n.n / ${nBots}) / ${plan.batchSize}) * ${nBots} + n.n % ${nBots} as batch
        from numbered n
    ),
    flagged as (
      select p.*, case
        when p.opted_out or s.phone is not null then 'opted_out'
        when l.phone is not null then 'cooloff'
        when ${unresolved(plan.requiredByTemplate)} then 'unresolved_variable'
      end as skip
      from placed p
      -- Joins (one row at most each: both keys are the phone), not a probe per recipient: the
      -- planner picks a hash or merge join when the audience is large.
      left join suppression s on s.workspace_id = ${plan.workspaceId} and s.phone = p.phone
      left join send_ledger l on ${plan.cooloffDays}::int > 0
        and l.workspace_id = ${plan.workspaceId} and l.phone = p.phone
        and l.last_sent_at > now() - make_interval(days => ${plan.cooloffDays}::int)
    )`;
}

export type PreviewCounts = {
  audience: number;
  skipped: Record<SkipReason, number>;
  perBot: number[];
};

export async function previewAudience(tx: Tx, plan: MaterializePlan): Promise<PreviewCounts> {
  const { rows } = await tx.execute<{
    audience: number;
    opted_out: number;
    cooloff: number;
    unresolved_variable: number;
    per_bot: number[] | null;
  }>(sql`with ${flagged(plan)},
    by_bot as (select bot_idx, count(*)::int as n from flagged where skip is null group by bot_idx)
    select (select count(*)::int from flagged) as audience,
           (select count(*)::int from flagged where skip = 'opted_out') as opted_out,
           (select count(*)::int from flagged where skip = 'cooloff') as cooloff,
           (select count(*)::int from flagged where skip = 'unresolved_variable') as unresolved_variable,
           (select array_agg(n order by bot_idx) from by_bot) as per_bot`);
  const r = rows[0]!;
  const perBot = plan.botIds.map(() => 0);
  (r.per_bot ?? []).forEach((n, i) => (perBot[i] = n));
  return {
    audience: r.audience,
    skipped: {
      opted_out: r.opted_out,
      cooloff: r.cooloff,
      unresolved_variable: r.unresolved_variable,
    },
    perBot,
  };
}

export type MaterializeResult = {
  total: number;
  queued: number;
  batches: { batch: number; botId: string }[];
};

/**
 * Inserts every recipient (safe to run twice: a second run inserts nothing), their skip
 * events and the campaign's first rollup counters, and returns the batches to send.
 */
export async function insertRecipients(tx: Tx, plan: MaterializePlan): Promise<MaterializeResult> {
  const bots = `{${plan.botIds.join(",")}}`;
  // The audience is sorted twice (one row per contact, then numbered by phone): at 200k
  // recipients the default 4 MB would spill both sorts to disk.
  await tx.execute(sql`set local work_mem = '64MB'`);
  const { rows } = await tx.execute<{
    total: number;
    queued: number;
    batches: { batch: number; botId: string }[] | null;
  }>(sql`
    with ${flagged(plan)},
    ins as (
      insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, nombre,
        sustantivo, attributes, group_id, group_name, bot_id, batch, template_index, status, error_code)
      select ${plan.workspaceId}, ${plan.campaignId}, app_uuidv7(), contact_id, phone, nombre,
        sustantivo, attributes, group_id, group_name, (${bots}::uuid[])[bot_idx + 1], batch, tpl,
        (case when skip is null then 'queued' else 'skipped' end)::recipient_status, skip
      from flagged
      -- A campaign built already gets nothing: checked once, not per row (ON CONFLICT DO
      -- NOTHING made each of 200k rows a speculative insert, ~10-25% of the statement).
      where not exists (select 1 from campaign_recipient x
                         where x.workspace_id = ${plan.workspaceId} and x.campaign_id = ${plan.campaignId})
      returning id, bot_id, group_id, status, error_code, batch
    ),
    events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code)
      select ${plan.workspaceId}, ${plan.campaignId}, id, bot_id, 'skipped', error_code
        from ins where status = 'skipped'
    ),
    counted as (select bot_id, group_id, status::text as status, 1 as n from ins),
    roll as (${upsertRollups(plan.workspaceId, plan.campaignId, "counted")})
    select (select count(*)::int from ins) as total,
           (select count(*)::int from ins where status = 'queued') as queued,
           (select json_agg(json_build_object('batch', batch, 'botId', bot_id))
              from (select distinct batch, bot_id from ins where status = 'queued') b) as batches`);
  const r = rows[0]!;
  return { total: r.total, queued: r.queued, batches: r.batches ?? [] };
}
