import { sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { AnalyticsPeriod, WinbackQueue } from "../../domain/analytics";
import { OPEN_WINBACK_STATUSES, WINBACK_QUEUES } from "../../domain/enums";

// Win-back results of the items created in the period, from the win-back rollups: the win-back
// rate (won back / closed items) by queue and by offer made, and the time to first contact.

const OPEN = sql.raw(OPEN_WINBACK_STATUSES.map((status) => `'${status}'`).join(", "));

export type QueueResult = {
  queue: WinbackQueue;
  items: number;
  closed: number;
  wonBack: number;
};

/** Every queue, in catalogue order (zeros for a queue without items). */
export async function winbackByQueue(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<QueueResult[]> {
  const found = await db.execute<QueueResult>(sql`
    select queue, sum(items)::int as items,
      coalesce(sum(items) filter (where status not in (${OPEN})), 0)::int as closed,
      coalesce(sum(items) filter (where status = 'won_back'), 0)::int as "wonBack"
    from winback_weekly_rollup
    where week between ${period.from} and ${period.to}
    group by queue
  `);
  const byQueue = new Map(found.map((row) => [row.queue, row]));
  return WINBACK_QUEUES.map(
    (queue) => byQueue.get(queue) ?? { queue, items: 0, closed: 0, wonBack: 0 },
  );
}

export type OfferResult = {
  /** null: items closed without an offer made. */
  offerId: string | null;
  code: string | null;
  name: string | null;
  closed: number;
  wonBack: number;
};

/** Offers with closed items, by name; "no offer made" last. */
export async function winbackByOffer(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<OfferResult[]> {
  // The offer catalogue is a handful of rows: joined for the names only.
  const rows = await db.execute<OfferResult>(sql`
    select r.offer_id as "offerId", o.code, o.name,
      sum(r.items)::int as closed,
      coalesce(sum(r.items) filter (where r.status = 'won_back'), 0)::int as "wonBack"
    from winback_weekly_rollup r
    left join offer o on o.id = r.offer_id
    where r.week between ${period.from} and ${period.to} and r.status not in (${OPEN})
    group by r.offer_id, o.code, o.name
  `);
  return [...rows].sort((a, b) =>
    a.offerId === null
      ? 1
      : b.offerId === null
        ? -1
        : (a.name ?? "").localeCompare(b.name ?? "", "fr") ||
          (a.code ?? "").localeCompare(b.code ?? ""),
  );
}

export interface FirstContactResult {
  queue: WinbackQueue;
  items: number;
  contacted: number;
  /** Median hours from creation to first contact of the contacted items; null if none. */
  medianHours: number | null;
  /** Contacted items whose first contact was on or before their SLA due time. */
  withinSla: number;
  notContacted: number;
}

/** Every queue, in catalogue order. The median is exact to the minute (percentile_cont 0.5). */
export async function firstContactByQueue(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<FirstContactResult[]> {
  const found = await db.execute<Omit<FirstContactResult, "notContacted">>(sql`
    with period as (
      select queue, first_contact_minutes as minutes, within_sla, sum(items) as n
      from winback_contact_rollup
      where week between ${period.from} and ${period.to}
      group by queue, first_contact_minutes, within_sla
    ), counts as (
      select queue, sum(n)::int as items,
        coalesce(sum(n) filter (where minutes is not null), 0)::int as contacted,
        coalesce(sum(n) filter (where within_sla), 0)::int as within_sla
      from period group by queue
    ), histogram as (
      select queue, minutes, sum(n) as n from period where minutes is not null group by queue, minutes
    ), cumulative as (
      select queue, minutes,
        sum(n) over (partition by queue order by minutes) as upto,
        sum(n) over (partition by queue) as total
      from histogram
    ), median as (
      -- The values at 0-based ranks floor((N-1)/2) and ceil((N-1)/2), averaged.
      select queue,
        (min(minutes) filter (where upto > floor((total - 1) / 2.0))
          + min(minutes) filter (where upto > ceil((total - 1) / 2.0))) / 2.0 as minutes
      from cumulative group by queue
    )
    select counts.queue, counts.items, counts.contacted, counts.within_sla as "withinSla",
      (median.minutes / 60.0)::float8 as "medianHours"
    from counts left join median using (queue)
  `);
  const byQueue = new Map(found.map((row) => [row.queue, row]));
  return WINBACK_QUEUES.map((queue) => {
    const row = byQueue.get(queue) ?? {
      queue,
      items: 0,
      contacted: 0,
      withinSla: 0,
      medianHours: null,
    };
    return { ...row, notContacted: row.items - row.contacted };
  });
}
