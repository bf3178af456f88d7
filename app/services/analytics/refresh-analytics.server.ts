import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";

// Rebuilds the analytics rollups from the base tables in one transaction (the dashboard keeps
// reading the previous figures until it commits). Run every 5 minutes by the
// `analytics.refresh` job, and by the demo seed. Definitions (docs on the dashboard too):
//   - weeks start on Monday in Europe/Paris: date_trunc('week', instant at time zone 'Europe/Paris');
//   - an answer counts in the week it was given (exit reasons); a case in the week it was
//     received, with its answer if any, whenever given (share answered, consent rate);
//   - withdrawn cases and their answers are left out (those subscribers stayed);
//   - a case's product is its first contract's category, the first contract being the one that
//     started first (then the lowest contract number); its tenure is the whole months from that
//     start to the receipt date (Europe/Paris), banded 0-11, 12-23, 24-35, 36+;
//   - a win-back item counts in the week it was created; its time to first contact is kept to
//     the minute (so medians are exact to the minute); an item never contacted, open or closed,
//     has none.

/** Serialises refreshes (the job on several processes, the seed): one rebuild at a time. */
const REFRESH_LOCK = 727_002;

export interface AnalyticsRefresh {
  refreshedAt: Date;
  durationMs: number;
}

export async function refreshAnalytics(db: Db): Promise<AnalyticsRefresh> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`);
    // The figures are as of this moment (taken after waiting for any other refresh).
    const [started] = await tx.execute<{ ms: number }>(
      sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`,
    );
    const startedAt = Date.now();

    // Per case (withdrawn ones left out): week of receipt, first contract's category, tenure.
    await tx.execute(sql`
      create temporary table analytics_case_facts on commit drop as
      select distinct on (c.id)
        c.id as case_id,
        c.subscriber_id,
        date_trunc('week', c.received_at at time zone 'Europe/Paris')::date as week,
        k.category,
        least(3, greatest(0,
          (extract(year from age((c.received_at at time zone 'Europe/Paris')::date, k.start_date)) * 12
            + extract(month from age((c.received_at at time zone 'Europe/Paris')::date, k.start_date)))::int
        ) / 12)::smallint as tenure_band
      from cancellation_case c
      join case_contract cc on cc.case_id = c.id
      join contract k on k.id = cc.contract_id
      where c.status <> 'withdrawn'
      order by c.id, k.start_date, k.contract_number
    `);

    await tx.execute(sql`delete from case_weekly_rollup`);
    await tx.execute(sql`
      insert into case_weekly_rollup (week, category, cases, answered, with_consent)
      select f.week, f.category, count(*), count(s.id), count(*) filter (where s.contact_consent)
      from analytics_case_facts f
      left join survey_response s on s.case_id = f.case_id
      group by f.week, f.category
    `);

    await tx.execute(sql`delete from survey_weekly_rollup`);
    await tx.execute(sql`
      insert into survey_weekly_rollup (week, reason, category, tenure_band, region, answers)
      select date_trunc('week', s.created_at at time zone 'Europe/Paris')::date,
        s.reason, f.category, f.tenure_band, sub.region, count(*)
      from survey_response s
      join analytics_case_facts f on f.case_id = s.case_id
      join subscriber sub on sub.id = f.subscriber_id
      group by 1, 2, 3, 4, 5
    `);

    await tx.execute(sql`delete from winback_weekly_rollup`);
    await tx.execute(sql`
      insert into winback_weekly_rollup (week, queue, offer_id, status, items)
      select date_trunc('week', w.created_at at time zone 'Europe/Paris')::date,
        w.queue, w.offer_id, w.status, count(*)
      from winback_item w
      group by 1, 2, 3, 4
    `);

    await tx.execute(sql`delete from winback_contact_rollup`);
    await tx.execute(sql`
      insert into winback_contact_rollup (week, queue, first_contact_minutes, within_sla, items)
      select date_trunc('week', w.created_at at time zone 'Europe/Paris')::date,
        w.queue,
        -- greatest() skips nulls (greatest(0, null) = 0): an item never contacted keeps null.
        case when w.first_contact_at is not null
          then greatest(0, floor(extract(epoch from w.first_contact_at - w.created_at) / 60))::int
        end,
        w.first_contact_at <= w.sla_due_at,
        count(*)
      from winback_item w
      group by 1, 2, 3, 4
    `);

    const durationMs = Date.now() - startedAt;
    const refreshedAt = new Date(Math.floor(started!.ms));
    await tx.execute(sql`
      insert into analytics_refresh (id, refreshed_at, duration_ms)
      values (1, ${refreshedAt.toISOString()}, ${durationMs})
      on conflict (id) do update
        set refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms
    `);
    return { refreshedAt, durationMs };
  });
}
