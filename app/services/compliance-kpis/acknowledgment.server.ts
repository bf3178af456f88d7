import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { ACK_TARGET_MS } from "../../domain/compliance-kpis";
import type { IsoDate } from "../../domain/dates";
import { byDay, dayOf, type KpiBounds } from "./bounds.server";

// Time from notify to acknowledgment email delivered: for each case notified in the period
// (the `case.notified` audit event, i.e. the legal receipt), the time until its acknowledgment
// email was accepted by the mail server (`email_message.sent_at`). Cases made from a matched
// notice are left out: their receipt is the notice's (days earlier), acknowledged by the
// notice's own email at the time.

/**
 * One row per case notified in the period: `delay_ms` is null while the acknowledgment is not
 * delivered (queued, retrying, or failed). Index audit_event_type_idx (type, occurred_at).
 */
export function acknowledgmentCohort(bounds: KpiBounds): SQL {
  return sql`
    select e.case_id, e.occurred_at as notified_at,
      extract(epoch from (m.sent_at - e.occurred_at))::float8 * 1000 as delay_ms
    from audit_event e
    join cancellation_case c on c.id = e.case_id
    left join email_message m on m.case_id = e.case_id and m.kind = 'acknowledgment'
      and m.dedupe_key = '' and m.status = 'sent'
    where e.type = 'case.notified'
      and e.occurred_at >= ${bounds.start} and e.occurred_at < ${bounds.end}
      and c.source <> 'notice_match'`;
}

/** The cohort's cases not acknowledged within the target (late, or not delivered yet). */
export function acknowledgedLate(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${acknowledgmentCohort(bounds)}) k
    where k.delay_ms is null or k.delay_ms > ${ACK_TARGET_MS}`;
}

export type AcknowledgmentDay = {
  day: IsoDate | null;
  notified: number;
  delivered: number;
  /** Delivered within ACK_TARGET_MS. */
  withinTarget: number;
  /** The distribution of the chart: ≤ 1 s, 1 s to the target, the target to 60 s, > 60 s (not delivered: the rest). */
  upTo1s: number;
  upTo5s: number;
  upTo60s: number;
  over60s: number;
  /** Median and 95th percentile of the delivered ones (continuous percentiles), in ms. */
  medianMs: number | null;
  p95Ms: number | null;
};

export async function acknowledgmentByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<AcknowledgmentDay>(sql`
    select day::text as day,
      count(*)::int as notified,
      count(delay_ms)::int as delivered,
      count(*) filter (where delay_ms <= ${ACK_TARGET_MS})::int as "withinTarget",
      count(*) filter (where delay_ms <= 1000)::int as "upTo1s",
      count(*) filter (where delay_ms > 1000 and delay_ms <= ${ACK_TARGET_MS})::int as "upTo5s",
      count(*) filter (where delay_ms > ${ACK_TARGET_MS} and delay_ms <= 60000)::int as "upTo60s",
      count(*) filter (where delay_ms > 60000)::int as "over60s",
      percentile_cont(0.5) within group (order by delay_ms) as "medianMs",
      percentile_cont(0.95) within group (order by delay_ms) as "p95Ms"
    from (select ${dayOf(sql`k.notified_at`)} as day, k.delay_ms
      from (${acknowledgmentCohort(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({
    day,
    notified: 0,
    delivered: 0,
    withinTarget: 0,
    upTo1s: 0,
    upTo5s: 0,
    upTo60s: 0,
    over60s: 0,
    medianMs: null,
    p95Ms: null,
  }));
}
