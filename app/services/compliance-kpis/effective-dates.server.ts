import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { byDay, legalDayOf, type KpiBounds } from "./bounds.server";

// Cases effective on the requested date: each case whose end date (`effective_end_date`, the
// date the subscriber asked for or the earliest the law allows) fell in the period and has come,
// compared with the day its effective transition happened (`effective_at`, written with the
// `case.effective` audit event), on the calendar of the case's rules. Withdrawn cases never end
// and are left out; an end date of today still running (not effective yet) is left out too.

/** Index cancellation_case_status_end_idx (status, effective_end_date): every status but withdrawn. */
export function endingCohort(bounds: KpiBounds): SQL {
  return sql`
    select c.id as case_id, c.effective_end_date as end_date,
      ${legalDayOf(sql`c.effective_at`, sql`c.jurisdiction`)} as effective_on
    from cancellation_case c
    where c.status in ('received', 'confirmed', 'effective', 'closed')
      and c.effective_end_date between ${bounds.period.from} and ${bounds.period.to}
      and (c.effective_end_date < ${bounds.today} or c.effective_at is not null)`;
}

/** The cohort's cases not effective on their end date: later, earlier, or not yet. */
export function effectiveLate(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${endingCohort(bounds)}) k
    where k.effective_on is distinct from k.end_date`;
}

export type EffectiveDay = {
  /** The end date. */
  day: IsoDate | null;
  ending: number;
  onDate: number;
  later: number;
  /** Never expected (a case ends on its date or after): shown so that it would be seen. */
  earlier: number;
  notYet: number;
};

export async function effectiveByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<EffectiveDay>(sql`
    select day::text as day,
      count(*)::int as ending,
      count(*) filter (where effective_on = day)::int as "onDate",
      count(*) filter (where effective_on > day)::int as later,
      count(*) filter (where effective_on < day)::int as earlier,
      count(*) filter (where effective_on is null)::int as "notYet"
    from (select k.end_date as day, k.effective_on from (${endingCohort(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({
    day,
    ending: 0,
    onDate: 0,
    later: 0,
    earlier: 0,
    notYet: 0,
  }));
}
