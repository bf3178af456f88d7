import { and, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { auditEvents, type Operator } from "../../../db/schema";
import { AuditEventSchema, type AuditEventData } from "../../audit/events";
import { addDays, dateInZone, type IsoDate } from "../../domain/dates";
import { lastEndDateDue, OUTLOOK_DAYS } from "../../domain/retention";
import { policyOf, RETENTION_RUNS_STREAM } from "./apply-retention.server";
import { subscriberFactsTable } from "./subscriber-facts.server";

// What the retention page shows: the last runs of the job (from their audit stream) and what
// falls due soon. Counts only: nothing here names anyone.

export interface RetentionRunEntry {
  occurredAt: Date;
  data: AuditEventData<"retention.applied">;
}

export async function loadRetentionRuns(
  db: Queryable,
  operatorId: string,
  limit = 10,
): Promise<RetentionRunEntry[]> {
  const rows = await db
    .select({ type: auditEvents.type, data: auditEvents.data, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.stream, RETENTION_RUNS_STREAM),
        sql`${auditEvents.data} ->> 'operatorId' = ${operatorId}`,
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  return rows.flatMap((row) => {
    const parsed = AuditEventSchema.safeParse({ type: row.type, data: row.data });
    return parsed.success && parsed.data.type === "retention.applied"
      ? [{ occurredAt: row.occurredAt, data: parsed.data.data }]
      : [];
  });
}

export interface RetentionOutlook {
  today: IsoDate;
  until: IsoDate;
  /** Due now: the next run pseudonymises them (records rule / prospecting data only). */
  dueNow: { records: number; prospect: number; notices: number };
  /** Due now but kept while the operator still owes them a refund. */
  heldBack: number;
  /** Falling due after today and by `until`. */
  upcoming: { records: number; prospect: number; notices: number };
  /** Subscribers already pseudonymised. */
  pseudonymised: number;
}

/**
 * How many subscribers fall due now and in the next 90 days under the current policy. The
 * same cut-off dates as the job (`lastEndDateDue`), so "due now" is what the next run does
 * (barring a relationship that starts again).
 */
export async function loadRetentionOutlook(
  db: Queryable,
  operator: Operator,
  now = new Date(),
): Promise<RetentionOutlook> {
  const policy = policyOf(operator);
  const today = dateInZone(now, operator.timeZone);
  const until = addDays(today, OUTLOOK_DAYS);
  const recordsMonths = policy.recordsYears * 12;
  const recordsNow = lastEndDateDue(today, recordsMonths);
  const recordsLater = lastEndDateDue(until, recordsMonths);
  const prospectNow = lastEndDateDue(today, policy.prospectMonths);
  const prospectLater = lastEndDateDue(until, policy.prospectMonths);
  const [row] = await db.execute<{
    records_now: number;
    records_later: number;
    prospect_now: number;
    prospect_later: number;
    held_back: number;
    pseudonymised: number;
  }>(sql`
    select
      count(*) filter (where not f.pseudonymised and f.ended_on <= ${recordsNow}::date
        and f.refunds_owed = 0)::int as records_now,
      count(*) filter (where not f.pseudonymised and f.ended_on > ${recordsNow}::date
        and f.ended_on <= ${recordsLater}::date)::int as records_later,
      count(*) filter (where not f.pseudonymised and f.prospect_data_left
        and f.ended_on > ${recordsNow}::date and f.ended_on <= ${prospectNow}::date
        and f.refunds_owed = 0)::int as prospect_now,
      count(*) filter (where not f.pseudonymised and f.prospect_data_left
        and f.ended_on > ${prospectNow}::date and f.ended_on <= ${prospectLater}::date
        and f.ended_on > ${recordsLater}::date)::int as prospect_later,
      count(*) filter (where f.refunds_owed > 0 and (
        (not f.pseudonymised and f.ended_on <= ${recordsNow}::date)
        or (f.prospect_data_left and f.ended_on <= ${prospectNow}::date)))::int as held_back,
      count(*) filter (where f.pseudonymised)::int as pseudonymised
    from ${subscriberFactsTable(operator.id, operator.timeZone)} f
  `);
  const [notices] = await db.execute<{ now: number; later: number }>(sql`
    select
      count(*) filter (where (n.resolved_at at time zone ${operator.timeZone})::date
        <= ${recordsNow}::date)::int as now,
      count(*) filter (where (n.resolved_at at time zone ${operator.timeZone})::date
        > ${recordsNow}::date and (n.resolved_at at time zone ${operator.timeZone})::date
        <= ${recordsLater}::date)::int as later
    from unmatched_notice n
    where n.operator_id = ${operator.id} and n.status = 'rejected' and n.pseudonymised_at is null
  `);
  return {
    today,
    until,
    dueNow: {
      records: row?.records_now ?? 0,
      prospect: row?.prospect_now ?? 0,
      notices: notices?.now ?? 0,
    },
    heldBack: row?.held_back ?? 0,
    upcoming: {
      records: row?.records_later ?? 0,
      prospect: row?.prospect_later ?? 0,
      notices: notices?.later ?? 0,
    },
    pseudonymised: row?.pseudonymised ?? 0,
  };
}
