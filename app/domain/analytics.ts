import { z } from "zod";
import { addDays, dateInZone, type IsoDate } from "./dates";
import type { CONTRACT_CATEGORIES, EXIT_REASONS, WINBACK_QUEUES } from "./enums";

// Retention analytics (issue #7, part 4): the vocabulary shared by the rollup queries, the
// dashboard and the CSV downloads. Pure and browser-safe.

export type ExitReason = (typeof EXIT_REASONS)[number];
export type ContractCategory = (typeof CONTRACT_CATEGORIES)[number];
export type WinbackQueue = (typeof WINBACK_QUEUES)[number];

/** Weeks start on Monday, in the operator's zone (the rollups use the same rule). */
export const ANALYTICS_TIME_ZONE = "Europe/Paris";

/** The periods the dashboard offers, in weeks (the current week included). */
export const PERIOD_WEEKS = [12, 26, 52] as const;
export type PeriodWeeks = (typeof PERIOD_WEEKS)[number];
export const DEFAULT_PERIOD_WEEKS: PeriodWeeks = 52;
/** The query parameter of the period filter (a GET form). */
export const PERIOD_PARAM = "semaines";

/** `?semaines=26` → 26; anything else (missing, "abc", "13") → the default, never an error. */
export const PeriodWeeksSchema = z.coerce
  .number()
  .pipe(z.union(PERIOD_WEEKS.map((weeks) => z.literal(weeks))))
  .catch(DEFAULT_PERIOD_WEEKS);

export function parsePeriodWeeks(searchParams: URLSearchParams): PeriodWeeks {
  return PeriodWeeksSchema.parse(searchParams.get(PERIOD_PARAM) ?? undefined);
}

export interface AnalyticsPeriod {
  weeks: PeriodWeeks;
  /** Monday of the first week. */
  from: IsoDate;
  /** Monday of the current week (the last one, still running). */
  to: IsoDate;
}

/** Monday of the week of `date` (ISO weeks). */
export function weekStart(date: IsoDate): IsoDate {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The last `weeks` weeks up to the current one, as seen in Europe/Paris at `now`. */
export function analyticsPeriod(weeks: PeriodWeeks, now: Date): AnalyticsPeriod {
  const to = weekStart(dateInZone(now, ANALYTICS_TIME_ZONE));
  return { weeks, from: addDays(to, -7 * (weeks - 1)), to };
}

/** Every Monday of the period, oldest first. */
export function weeksOf(period: AnalyticsPeriod): IsoDate[] {
  return Array.from({ length: period.weeks }, (_, index) => addDays(period.from, 7 * index));
}

/**
 * Tenure bands: months from the case's earliest contract start to its receipt. The rollup
 * stores the band's index (whole years, capped at 3).
 */
export const TENURE_BANDS = ["0-11", "12-23", "24-35", "36+"] as const;
export type TenureBand = (typeof TENURE_BANDS)[number];

export function tenureBandOf(months: number): TenureBand {
  return TENURE_BANDS[Math.min(3, Math.floor(Math.max(0, months) / 12))]!;
}

/** The charts of the dashboard, each downloadable as CSV at /staff/analyse/<slug>/csv. */
export const ANALYTICS_CHARTS = {
  reasonsByWeek: "motifs",
  reasonsByProduct: "motifs-par-produit",
  reasonsByTenure: "motifs-par-anciennete",
  reasonsByRegion: "motifs-par-region",
  surveys: "questionnaires",
  winbackByQueue: "reconquete-par-file",
  winbackByOffer: "reconquete-par-offre",
  firstContact: "premier-contact",
} as const;
export type AnalyticsChart = keyof typeof ANALYTICS_CHARTS;

export function chartFromSlug(slug: string | undefined): AnalyticsChart | null {
  const found = Object.entries(ANALYTICS_CHARTS).find(([, value]) => value === slug);
  return found ? (found[0] as AnalyticsChart) : null;
}

/**
 * One week of the surveys chart: the cases received in the week, how many have a survey answer
 * (whenever given) and how many of those agreed to be contacted. A type alias, not an
 * interface: `db.execute<T>` wants a `Record<string, unknown>`.
 */
export type SurveyWeek = {
  week: IsoDate;
  cases: number;
  answered: number;
  withConsent: number;
};

export function surveyTotals(weeks: readonly SurveyWeek[]): Omit<SurveyWeek, "week"> {
  return weeks.reduce(
    (sum, week) => ({
      cases: sum.cases + week.cases,
      answered: sum.answered + week.answered,
      withConsent: sum.withConsent + week.withConsent,
    }),
    { cases: 0, answered: 0, withConsent: 0 },
  );
}

/** `numerator / denominator`, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
