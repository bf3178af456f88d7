import { z } from "zod";
import { addDays, daysBetween, isValidIsoDate, type IsoDate } from "./dates";

// The legal-deadline KPIs of the compliance pages (issue #8, docs/decisions/010): the period,
// the KPIs and the sets of cases behind them, as the page, its CSV files and the cases list's
// filter name them. Pure and browser-safe.

/** Days start at midnight in the operator's zone (the staff pages' zone). */
export const KPI_TIME_ZONE = "Europe/Paris";

/** SPEC: the acknowledgment email is delivered ≤ 5 s after the notify click. */
export const ACK_TARGET_MS = 5_000;

/** The default period: the last 8 weeks, today included. */
export const KPI_DEFAULT_DAYS = 56;
/** The longest period: a year (a leap year's 366 days). */
export const KPI_MAX_DAYS = 366;

/** The query parameters of the period (a GET form, shared by the page, the CSV and the links). */
export const PERIOD_FROM_PARAM = "du";
export const PERIOD_TO_PARAM = "au";

/** A period of whole days, both included, in KPI_TIME_ZONE. */
export interface KpiPeriod {
  from: IsoDate;
  to: IsoDate;
}

export function defaultKpiPeriod(today: IsoDate): KpiPeriod {
  return { from: addDays(today, -(KPI_DEFAULT_DAYS - 1)), to: today };
}

/** Every day of the period, oldest first. */
export function daysOf(period: KpiPeriod): IsoDate[] {
  const count = daysBetween(period.from, period.to) + 1;
  return Array.from({ length: count }, (_, index) => addDays(period.from, index));
}

const DateField = z
  .string()
  .trim()
  .refine((value) => value === "" || isValidIsoDate(value), "staff.kpis.error.date");

/**
 * `?du=2026-10-01&au=2026-11-26`: either bound may be left empty (from: 8 weeks before the end;
 * to: today). The end is not after today, the start not after the end, and at most a year.
 */
export function kpiPeriodSchema(today: IsoDate) {
  return z
    .object({ [PERIOD_FROM_PARAM]: DateField, [PERIOD_TO_PARAM]: DateField })
    .transform((value, context): KpiPeriod => {
      const to = value[PERIOD_TO_PARAM] || today;
      const from = value[PERIOD_FROM_PARAM] || addDays(to, -(KPI_DEFAULT_DAYS - 1));
      if (to > today)
        context.addIssue({
          code: "custom",
          path: [PERIOD_TO_PARAM],
          message: "staff.kpis.error.future",
        });
      else if (from > to)
        context.addIssue({
          code: "custom",
          path: [PERIOD_FROM_PARAM],
          message: "staff.kpis.error.order",
        });
      else if (daysBetween(from, to) + 1 > KPI_MAX_DAYS)
        context.addIssue({
          code: "custom",
          path: [PERIOD_FROM_PARAM],
          message: "staff.kpis.error.tooLong",
        });
      return { from, to };
    });
}

export type PeriodErrors = Partial<
  Record<typeof PERIOD_FROM_PARAM | typeof PERIOD_TO_PARAM, string>
>;

/** The period of a URL, or the problems with what was typed (message keys by field). */
export function parseKpiPeriod(
  searchParams: URLSearchParams,
  today: IsoDate,
): { ok: true; period: KpiPeriod } | { ok: false; errors: PeriodErrors } {
  const parsed = kpiPeriodSchema(today).safeParse({
    [PERIOD_FROM_PARAM]: (searchParams.get(PERIOD_FROM_PARAM) ?? "").slice(0, 20),
    [PERIOD_TO_PARAM]: (searchParams.get(PERIOD_TO_PARAM) ?? "").slice(0, 20),
  });
  if (parsed.success) return { ok: true, period: parsed.data };
  const errors: PeriodErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === PERIOD_FROM_PARAM || field === PERIOD_TO_PARAM) && errors[field] === undefined)
      errors[field] = issue.message;
  }
  return { ok: false, errors };
}

export function periodQuery(period: KpiPeriod): string {
  return `${PERIOD_FROM_PARAM}=${period.from}&${PERIOD_TO_PARAM}=${period.to}`;
}

/** The KPIs of the page, each with its CSV at /staff/conformite/indicateurs/<slug>/csv. */
export const COMPLIANCE_KPIS = {
  notices: "avis-par-jour",
  acknowledgment: "accuse-de-reception",
  effective: "prise-d-effet",
  refunds: "remboursements",
  returns: "retours-de-materiel",
  unmatched: "demandes-a-rattacher",
  withdrawals: "retraits",
} as const;
export type ComplianceKpi = keyof typeof COMPLIANCE_KPIS;
/** The cases page's parameter naming a set of cases behind a figure. */
export const KPI_PARAM = "indicateur";

export function kpiFromSlug(slug: string | null | undefined): ComplianceKpi | null {
  const found = Object.entries(COMPLIANCE_KPIS).find(([, value]) => value === slug);
  return found ? (found[0] as ComplianceKpi) : null;
}

/**
 * The sets of cases behind the figures, listed by the cases page
 * (`/staff/dossiers?indicateur=<slug>&du=…&au=…`). Each is defined once, in SQL, beside the
 * figure it explains (app/services/compliance-kpis/), so a count and its list never disagree.
 */
export const KPI_CASE_SETS = {
  /** Cases received in the period (a notice matched later is counted with the notices). */
  received: "recus",
  /** Cases notified in the period (not from a matched notice): the acknowledgment KPI. */
  acknowledged: "accuses",
  /** …whose acknowledgment was not delivered within ACK_TARGET_MS (or not at all yet). */
  acknowledgedLate: "accuses-hors-delai",
  /** Cases whose end date fell in the period (and has come): the effective-date KPI. */
  ending: "fins-prevues",
  /** …that did not become effective on that date (later, or not yet). */
  effectiveLate: "effets-hors-date",
  /** Cases with a refund whose legal due date fell in the period (and has come). */
  refundsDue: "remboursements-echus",
  /** …paid after that date, or not paid yet. */
  refundsLate: "remboursements-hors-delai",
  /** Cases with a refund overdue now (whatever the period). */
  refundsOverdue: "remboursements-en-retard",
  /** Cases whose equipment return deadline fell in the period (and has come). */
  returnsDue: "retours-echus",
  /** …whose equipment did not all arrive by the deadline. */
  returnsLate: "retours-hors-delai",
  /** Cases created by matching a notice received in the period. */
  noticesMatched: "demandes-rattachees",
  /** Cases received in the period and withdrawn since. */
  withdrawn: "retraits",
} as const;
export type KpiCaseSet = keyof typeof KPI_CASE_SETS;

export function caseSetFromSlug(slug: string | null | undefined): KpiCaseSet | null {
  const found = Object.entries(KPI_CASE_SETS).find(([, value]) => value === slug);
  return found ? (found[0] as KpiCaseSet) : null;
}

/** Case sets that do not depend on the period (a state now). */
export const TIMELESS_CASE_SETS: readonly KpiCaseSet[] = ["refundsOverdue"];

/** The cases page listing one set: `/staff/dossiers?indicateur=…&du=…&au=…`. */
export function caseSetHref(set: KpiCaseSet, period: KpiPeriod): string {
  const slug = `${KPI_PARAM}=${KPI_CASE_SETS[set]}`;
  return TIMELESS_CASE_SETS.includes(set)
    ? `/staff/dossiers?${slug}`
    : `/staff/dossiers?${slug}&${periodQuery(period)}`;
}

/** `numerator / denominator`, or null when there is nothing to divide by. */
export function share(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
