import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { IsoDate } from "../../domain/dates";
import type { RelationshipFacts, RetentionState } from "../../domain/retention";

// What the retention rules (app/domain/retention.ts) need to know about subscribers, read in
// one pass: their contracts, cases, refunds owed and what is left of their prospecting data.
// `ended_on` repeats `relationshipEndedOn` in SQL so that candidates are picked by a date
// comparison; the domain function decides, the SQL only narrows.

export interface SubscriberFacts {
  subscriberId: string;
  facts: RelationshipFacts;
  state: RetentionState;
}

interface FactsRow extends Record<string, unknown> {
  id: string;
  pseudonymised: boolean;
  prospect_data_left: boolean;
  live_contracts: number;
  open_cases: number;
  refunds_owed: number;
  last_effective_end_date: string | null;
  created_at: string;
  last_closed_at: string | null;
  last_withdrawn_at: string | null;
  last_contract_ended_at: string | null;
  last_survey_at: string | null;
}

/** An instant as ISO 8601 UTC text (raw queries bypass drizzle's column decoders). */
const iso = (expression: SQL) =>
  sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every subscriber of the operator (or the one given) with the facts of their relationship and
 * `ended_on` (null while a contract runs or a case is open) in the operator's time zone. A
 * derived table, set-based (each table grouped once, then joined): the status page and the job
 * read the whole operator in one pass; the job's per-subscriber check reads one.
 */
export function subscriberFactsTable(
  operatorId: string,
  timeZone: string,
  subscriberId: string | null = null,
): SQL {
  const day = (instant: SQL) => sql`(${instant} at time zone ${timeZone})::date`;
  const only = (column: SQL) =>
    subscriberId === null ? sql`` : sql`and ${column} = ${subscriberId}`;
  return sql`(
    with contract_facts as (
      select c.subscriber_id,
        count(*) filter (where c.status <> 'terminated') as live_contracts,
        max(c.updated_at) filter (where c.status = 'terminated') as last_contract_ended_at
      from contract c
      where c.operator_id = ${operatorId} ${only(sql`c.subscriber_id`)}
      group by c.subscriber_id
    ),
    owed as (
      select r.case_id, count(*) as refunds
      from refund r where r.status in ('due', 'failed')
      group by r.case_id
    ),
    case_facts as (
      select k.subscriber_id,
        count(*) filter (where k.status in ('received', 'confirmed')) as open_cases,
        max(k.effective_end_date) filter (where k.status <> 'withdrawn') as last_effective_end_date,
        max(k.closed_at) as last_closed_at,
        max(k.withdrawn_at) as last_withdrawn_at,
        coalesce(sum(o.refunds), 0) as refunds_owed,
        max(sr.created_at) as last_survey_at,
        bool_or(sr.id is not null and sr.pseudonymised_at is null) as survey_left
      from cancellation_case k
      left join survey_response sr on sr.case_id = k.id
      left join owed o on o.case_id = k.id
      where k.operator_id = ${operatorId} ${only(sql`k.subscriber_id`)}
      group by k.subscriber_id
    ),
    noted as (
      select distinct w.subscriber_id
      from winback_item w
      join contact_attempt a on a.winback_item_id = w.id
      where a.note is not null ${only(sql`w.subscriber_id`)}
    )
    select s.id,
      s.pseudonymised_at is not null as pseudonymised,
      (coalesce(k.survey_left, false) or n.subscriber_id is not null) as prospect_data_left,
      coalesce(c.live_contracts, 0)::int as live_contracts,
      coalesce(k.open_cases, 0)::int as open_cases,
      coalesce(k.refunds_owed, 0)::int as refunds_owed,
      k.last_effective_end_date::text as last_effective_end_date,
      ${iso(sql`s.created_at`)} as created_at,
      ${iso(sql`k.last_closed_at`)} as last_closed_at,
      ${iso(sql`k.last_withdrawn_at`)} as last_withdrawn_at,
      ${iso(sql`c.last_contract_ended_at`)} as last_contract_ended_at,
      ${iso(sql`k.last_survey_at`)} as last_survey_at,
      case when coalesce(c.live_contracts, 0) = 0 and coalesce(k.open_cases, 0) = 0 then
        greatest(
          ${day(sql`s.created_at`)},
          k.last_effective_end_date,
          ${day(sql`k.last_closed_at`)},
          ${day(sql`k.last_withdrawn_at`)},
          ${day(sql`c.last_contract_ended_at`)},
          ${day(sql`k.last_survey_at`)})
      end as ended_on
    from subscriber s
    left join contract_facts c on c.subscriber_id = s.id
    left join case_facts k on k.subscriber_id = s.id
    left join noted n on n.subscriber_id = s.id
    where s.operator_id = ${operatorId} ${only(sql`s.id`)}
  )`;
}

const instant = (value: string | null) => (value === null ? null : new Date(value));

function toFacts(row: FactsRow): SubscriberFacts {
  return {
    subscriberId: row.id,
    state: { pseudonymised: row.pseudonymised, prospectDataLeft: row.prospect_data_left },
    facts: {
      liveContracts: row.live_contracts,
      openCases: row.open_cases,
      refundsOwed: row.refunds_owed,
      lastEffectiveEndDate: row.last_effective_end_date,
      lastClosedAt: instant(row.last_closed_at),
      lastWithdrawnAt: instant(row.last_withdrawn_at),
      lastContractEndedAt: instant(row.last_contract_ended_at),
      lastSurveyAt: instant(row.last_survey_at),
      createdAt: new Date(row.created_at),
    },
  };
}

/**
 * The subscribers that may have something due: relationship over, something left to erase, and
 * ended on or before `endedBy`. One day of slack keeps the SQL filter looser than the rule it
 * mirrors; `planRetention` decides. Only the due ones come back (after the first run, a day's
 * worth), in id order.
 */
export async function candidateSubscribers(
  db: Queryable,
  input: { operatorId: string; timeZone: string; endedBy: IsoDate },
): Promise<SubscriberFacts[]> {
  const rows = await db.execute<FactsRow>(sql`
    select * from ${subscriberFactsTable(input.operatorId, input.timeZone)} f
    where f.ended_on is not null
      and f.ended_on <= ${input.endedBy}::date + 1
      and (not f.pseudonymised or f.prospect_data_left)
    order by f.id
  `);
  return rows.map(toFacts);
}

/** The facts of one subscriber (re-read under the row lock before anything is changed). */
export async function factsOfSubscriber(
  db: Queryable,
  input: { operatorId: string; timeZone: string; subscriberId: string },
): Promise<SubscriberFacts | null> {
  const rows = await db.execute<FactsRow>(sql`
    select * from ${subscriberFactsTable(input.operatorId, input.timeZone, input.subscriberId)} f
  `);
  const [row] = rows;
  return row === undefined ? null : toFacts(row);
}
