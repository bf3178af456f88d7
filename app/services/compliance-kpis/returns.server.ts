import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { RETURN_STATUSES } from "../../domain/enums";
import { byDay, legalDayOf, type KpiBounds } from "./bounds.server";

// Returns received before the deadline: each equipment return whose deadline fell in the period
// and has come (or that is complete already), and whether every item was received at the
// warehouse by the deadline day included (the last item's `received_at`, on the calendar of the
// case's rules). Returns cancelled (the cancellation was withdrawn) are left out. A parcel
// handed to the carrier in time but received later counts as late here: this measures receipt.

const COUNTED = sql.raw(
  RETURN_STATUSES.filter((status) => status !== "cancelled")
    .map((status) => `'${status}'`)
    .join(", "),
);

/** Index equipment_return_status_deadline_idx (status, deadline): every status but cancelled. */
export function returnsDueCohort(bounds: KpiBounds): SQL {
  return sql`
    select er.id as return_id, er.case_id, er.deadline,
      bool_and(ri.received_at is not null) as complete,
      max(${legalDayOf(sql`ri.received_at`, sql`c.jurisdiction`)}) as last_received_on
    from equipment_return er
    join cancellation_case c on c.id = er.case_id
    join return_item ri on ri.return_id = er.id
    where er.status in (${COUNTED})
      and er.deadline between ${bounds.period.from} and ${bounds.period.to}
    group by er.id, er.case_id, er.deadline
    having er.deadline < ${bounds.today} or bool_and(ri.received_at is not null)`;
}

/** The cohort's returns not complete by their deadline. */
export function returnsLate(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${returnsDueCohort(bounds)}) k
    where not k.complete or k.last_received_on > k.deadline`;
}

export type ReturnsDay = {
  /** The return deadline. */
  day: IsoDate | null;
  due: number;
  onTime: number;
  late: number;
  /** Items still missing (charged, or awaited past the deadline). */
  incomplete: number;
};

export async function returnsByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<ReturnsDay>(sql`
    select day::text as day,
      count(*)::int as due,
      count(*) filter (where complete and last_received_on <= day)::int as "onTime",
      count(*) filter (where complete and last_received_on > day)::int as late,
      count(*) filter (where not complete)::int as incomplete
    from (select k.deadline as day, k.complete, k.last_received_on
      from (${returnsDueCohort(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({ day, due: 0, onTime: 0, late: 0, incomplete: 0 }));
}
