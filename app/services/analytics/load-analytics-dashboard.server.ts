import { sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import type { AnalyticsPeriod } from "../../domain/analytics";
import {
  reasonsByProduct,
  reasonsByRegion,
  reasonsByTenure,
  reasonsByWeek,
} from "./exit-reasons.server";
import { surveysByWeek } from "./survey-rates.server";
import { firstContactByQueue, winbackByOffer, winbackByQueue } from "./winback-results.server";

/** When the rollups were last rebuilt; null before the first refresh. */
export async function lastAnalyticsRefresh(db: Queryable): Promise<Date | null> {
  const [row] = await db.execute<{ ms: number }>(
    sql`select (extract(epoch from refreshed_at) * 1000)::float8 as ms from analytics_refresh where id = 1`,
  );
  return row ? new Date(Math.round(row.ms)) : null;
}

/** Every figure of the dashboard for one period, read from the rollups only. */
export async function loadAnalyticsDashboard(db: Queryable, period: AnalyticsPeriod) {
  const [
    refreshedAt,
    reasonsWeekly,
    byProduct,
    byTenure,
    byRegion,
    surveys,
    byQueue,
    byOffer,
    firstContact,
  ] = await Promise.all([
    lastAnalyticsRefresh(db),
    reasonsByWeek(db, period),
    reasonsByProduct(db, period),
    reasonsByTenure(db, period),
    reasonsByRegion(db, period),
    surveysByWeek(db, period),
    winbackByQueue(db, period),
    winbackByOffer(db, period),
    firstContactByQueue(db, period),
  ]);
  return {
    period,
    refreshedAt,
    reasonsWeekly,
    byProduct,
    byTenure,
    byRegion,
    surveys,
    byQueue,
    byOffer,
    firstContact,
  };
}

export type AnalyticsDashboard = Awaited<ReturnType<typeof loadAnalyticsDashboard>>;
