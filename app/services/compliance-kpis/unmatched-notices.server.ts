import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { NOTICE_STATUSES } from "../../domain/enums";
import { byDay, dayOf, type KpiBounds } from "./bounds.server";

// Unmatched notices and their time to match: each notice received in the period that could not
// be matched to a contract at once, what operations did with it (matched to a case, rejected, or
// still pending) and, for the matched ones, the time from its receipt to the match
// (`resolved_at`). And, whatever the period: the notices pending now.

const ALL_NOTICE_STATUSES = sql.raw(NOTICE_STATUSES.map((status) => `'${status}'`).join(", "));

/** Index unmatched_notice_status_idx (status, received_at): every status listed. */
export function unmatchedCohort(bounds: KpiBounds): SQL {
  return sql`
    select n.id as notice_id, n.received_at, n.status, n.matched_case_id as case_id,
      extract(epoch from (n.resolved_at - n.received_at))::float8 / 3600 as hours_to_resolve
    from unmatched_notice n
    where n.status in (${ALL_NOTICE_STATUSES})
      and n.received_at >= ${bounds.start} and n.received_at < ${bounds.end}`;
}

/** The cases made by matching the period's notices. */
export function noticesMatched(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${unmatchedCohort(bounds)}) k where k.status = 'matched'`;
}

export type UnmatchedDay = {
  /** The day the notice was received. */
  day: IsoDate | null;
  received: number;
  matched: number;
  rejected: number;
  pending: number;
  /** Median hours from receipt to match, of the matched ones. */
  medianHoursToMatch: number | null;
};

export async function unmatchedByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<UnmatchedDay>(sql`
    select day::text as day,
      count(*)::int as received,
      count(*) filter (where status = 'matched')::int as matched,
      count(*) filter (where status = 'rejected')::int as rejected,
      count(*) filter (where status = 'pending')::int as pending,
      percentile_cont(0.5) within group (order by hours_to_resolve)
        filter (where status = 'matched') as "medianHoursToMatch"
    from (select ${dayOf(sql`k.received_at`)} as day, k.status, k.hours_to_resolve
      from (${unmatchedCohort(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({
    day,
    received: 0,
    matched: 0,
    rejected: 0,
    pending: 0,
    medianHoursToMatch: null,
  }));
}

export type PendingNotices = {
  notices: number;
  /** When the oldest pending notice was received (ISO instant), or null. */
  oldestReceivedAt: string | null;
};

export async function countPendingNoticesNow(db: Queryable): Promise<PendingNotices> {
  const [row] = await db.execute<{ notices: number; oldest: Date | string | null }>(sql`
    select count(*)::int as notices, min(received_at) as oldest
    from unmatched_notice where status = 'pending'
  `);
  const oldest = row?.oldest ?? null;
  return {
    notices: row?.notices ?? 0,
    oldestReceivedAt: oldest === null ? null : new Date(oldest).toISOString(),
  };
}
