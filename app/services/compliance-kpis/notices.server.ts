import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { NOTICE_STATUSES } from "../../domain/enums";
import { byDay, dayOf, type KpiBounds } from "./bounds.server";

// Notices per day: every notify click of the period, once. A click that matched a contract
// made a case at once; one that did not is an unmatched notice (a case is made later from it
// when operations match it, with source `notice_match`: counted here as the notice, not twice).

const ALL_NOTICE_STATUSES = sql.raw(NOTICE_STATUSES.map((status) => `'${status}'`).join(", "));

/** Cases received in the period, except those made from a notice (index on received_at). */
export function receivedCases(bounds: KpiBounds): SQL {
  return sql`
    select c.id as case_id, c.received_at, c.status
    from cancellation_case c
    where c.received_at >= ${bounds.start} and c.received_at < ${bounds.end}
      and c.source <> 'notice_match'`;
}

export type NoticesDay = {
  day: IsoDate | null;
  /** Notices that matched a contract at once: cases. */
  cases: number;
  /** Notices that could not be matched at once. */
  unmatched: number;
};

export async function noticesByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<NoticesDay>(sql`
    select day::text as day,
      count(*) filter (where kind = 'case')::int as cases,
      count(*) filter (where kind = 'notice')::int as unmatched
    from (
      select ${dayOf(sql`k.received_at`)} as day, 'case' as kind from (${receivedCases(bounds)}) k
      union all
      -- Every status listed: the (status, received_at) index serves the range.
      select ${dayOf(sql`n.received_at`)}, 'notice'
      from unmatched_notice n
      where n.status in (${ALL_NOTICE_STATUSES})
        and n.received_at >= ${bounds.start} and n.received_at < ${bounds.end}
    ) notices
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({ day, cases: 0, unmatched: 0 }));
}
