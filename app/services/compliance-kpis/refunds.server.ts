import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import { byDay, legalDayOf, type KpiBounds } from "./bounds.server";

// Refunds paid within the legal 10 days (L224-35): each refund whose legal due date
// (`legal_due_date` = the day its clock started + 10 days) fell in the period and has come, and
// whether it was paid (`issued_at`, on the calendar of the case's rules) on or before that day.
// Day 10 is on time, day 11 is late. Refunds withheld with a reason, cancelled, or whose clock
// has not started are not payable and are left out; a due date of today still running (not paid
// yet) is left out too. And, whatever the period: the refunds overdue now.

/** Index refund_status_due_idx (status, legal_due_date): the payable and paid statuses. */
export function refundsDueCohort(bounds: KpiBounds): SQL {
  return sql`
    select r.id as refund_id, r.case_id, r.legal_due_date as due_date, r.status,
      ${legalDayOf(sql`r.issued_at`, sql`c.jurisdiction`)} as paid_on
    from refund r
    join cancellation_case c on c.id = r.case_id
    where r.status in ('due', 'failed', 'issued')
      and r.legal_due_date between ${bounds.period.from} and ${bounds.period.to}
      and (r.legal_due_date < ${bounds.today} or r.status = 'issued')`;
}

/** The cohort's refunds paid after their due date, or not paid (yet). */
export function refundsLate(bounds: KpiBounds): SQL {
  return sql`select k.case_id from (${refundsDueCohort(bounds)}) k
    where k.status <> 'issued' or k.paid_on > k.due_date`;
}

/** Refunds to pay whose legal due date has passed: the refunds page's overdue alarm. */
export function refundsOverdueNow(today: IsoDate): SQL {
  return sql`
    select r.id as refund_id, r.case_id, r.legal_due_date as due_date
    from refund r
    where r.status in ('due', 'failed') and r.legal_due_date < ${today}`;
}

export type RefundsDay = {
  /** The legal due date. */
  day: IsoDate | null;
  due: number;
  paidOnTime: number;
  paidLate: number;
  unpaid: number;
  /** The cases of these refunds, and of the late or unpaid ones (the links' counts). */
  cases: number;
  casesLate: number;
};

export async function refundsByDay(db: Queryable, bounds: KpiBounds) {
  const rows = await db.execute<RefundsDay>(sql`
    select day::text as day,
      count(*)::int as due,
      count(*) filter (where status = 'issued' and paid_on <= day)::int as "paidOnTime",
      count(*) filter (where status = 'issued' and paid_on > day)::int as "paidLate",
      count(*) filter (where status <> 'issued')::int as unpaid,
      count(distinct case_id)::int as cases,
      count(distinct case_id) filter (where status <> 'issued' or paid_on > day)::int as "casesLate"
    from (select k.due_date as day, k.case_id, k.status, k.paid_on
      from (${refundsDueCohort(bounds)}) k) cohort
    group by grouping sets ((day), ())
  `);
  return byDay(bounds.period, rows, (day) => ({
    day,
    due: 0,
    paidOnTime: 0,
    paidLate: 0,
    unpaid: 0,
    cases: 0,
    casesLate: 0,
  }));
}

export type OverdueRefunds = {
  refunds: number;
  cases: number;
  /** The earliest due date among them (the longest overdue), or null. */
  oldestDueDate: IsoDate | null;
};

export async function countOverdueRefunds(db: Queryable, today: IsoDate): Promise<OverdueRefunds> {
  const [row] = await db.execute<OverdueRefunds>(sql`
    select count(*)::int as refunds, count(distinct k.case_id)::int as cases,
      min(k.due_date)::text as "oldestDueDate"
    from (${refundsOverdueNow(today)}) k
  `);
  return row ?? { refunds: 0, cases: 0, oldestDueDate: null };
}
