import { sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import {
  TENURE_BANDS,
  weeksOf,
  type AnalyticsPeriod,
  type ContractCategory,
  type ExitReason,
  type TenureBand,
} from "../../domain/analytics";
import type { IsoDate } from "../../domain/dates";
import { CONTRACT_CATEGORIES, EXIT_REASONS } from "../../domain/enums";

// Exit reasons from the survey rollup (never the base tables): per week, and per product,
// tenure band and region over the period.

export type ReasonCounts = Record<ExitReason, number>;

export interface ReasonsRow<K> {
  key: K;
  counts: ReasonCounts;
  total: number;
}

export function emptyCounts(): ReasonCounts {
  return Object.fromEntries(EXIT_REASONS.map((reason) => [reason, 0])) as ReasonCounts;
}

function addRow<K>(rows: Map<K, ReasonsRow<K>>, key: K, reason: ExitReason, answers: number) {
  let row = rows.get(key);
  if (!row) {
    row = { key, counts: emptyCounts(), total: 0 };
    rows.set(key, row);
  }
  row.counts[reason] += answers;
  row.total += answers;
}

/** Answers per week and reason: every week of the period, empty ones included. */
export async function reasonsByWeek(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<ReasonsRow<IsoDate>[]> {
  const found = await db.execute<{ week: string; reason: ExitReason; answers: number }>(sql`
    select week::text as week, reason, sum(answers)::int as answers
    from survey_weekly_rollup
    where week between ${period.from} and ${period.to}
    group by week, reason
  `);
  const rows = new Map<IsoDate, ReasonsRow<IsoDate>>(
    weeksOf(period).map((week) => [week, { key: week, counts: emptyCounts(), total: 0 }]),
  );
  for (const row of found) addRow(rows, row.week, row.reason, row.answers);
  return [...rows.values()];
}

const DIMENSIONS = {
  category: sql.raw("category"),
  tenure: sql.raw("tenure_band"),
  region: sql.raw("region"),
} as const;

async function reasonsByDimension(
  db: Queryable,
  period: AnalyticsPeriod,
  dimension: keyof typeof DIMENSIONS,
) {
  const column = DIMENSIONS[dimension];
  return db.execute<{ key: string | number | null; reason: ExitReason; answers: number }>(sql`
    select ${column} as key, reason, sum(answers)::int as answers
    from survey_weekly_rollup
    where week between ${period.from} and ${period.to}
    group by ${column}, reason
  `);
}

/** Per product category, the four of them always, in catalogue order. */
export async function reasonsByProduct(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<ReasonsRow<ContractCategory>[]> {
  const rows = new Map<ContractCategory, ReasonsRow<ContractCategory>>(
    CONTRACT_CATEGORIES.map((key) => [key, { key, counts: emptyCounts(), total: 0 }]),
  );
  for (const row of await reasonsByDimension(db, period, "category"))
    addRow(rows, row.key as ContractCategory, row.reason, row.answers);
  return [...rows.values()];
}

/** Per tenure band, the four of them always, shortest tenure first. */
export async function reasonsByTenure(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<ReasonsRow<TenureBand>[]> {
  const rows = new Map<TenureBand, ReasonsRow<TenureBand>>(
    TENURE_BANDS.map((key) => [key, { key, counts: emptyCounts(), total: 0 }]),
  );
  for (const row of await reasonsByDimension(db, period, "tenure"))
    addRow(rows, TENURE_BANDS[Number(row.key)]!, row.reason, row.answers);
  return [...rows.values()];
}

/** Per region with answers, alphabetically; `null` (region unknown) last. */
export async function reasonsByRegion(
  db: Queryable,
  period: AnalyticsPeriod,
): Promise<ReasonsRow<string | null>[]> {
  const rows = new Map<string | null, ReasonsRow<string | null>>();
  for (const row of await reasonsByDimension(db, period, "region"))
    addRow(rows, row.key === null ? null : String(row.key), row.reason, row.answers);
  return [...rows.values()].sort((a, b) =>
    a.key === null ? 1 : b.key === null ? -1 : a.key.localeCompare(b.key, "fr"),
  );
}
