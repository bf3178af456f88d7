import type { Queryable } from "../../../db/client";
import { safeFileName } from "../../documents/archival-pdf";
import { ratio, type AnalyticsChart, type AnalyticsPeriod } from "../../domain/analytics";
import { addDays } from "../../domain/dates";
import { EXIT_REASONS } from "../../domain/enums";
import { createTranslate, type Lang, type Translate } from "../../i18n/i18n";
import { CSV_BOM, csvPercent, toCsv, type CsvValue } from "./csv";
import {
  reasonsByProduct,
  reasonsByRegion,
  reasonsByTenure,
  reasonsByWeek,
  type ReasonsRow,
} from "./exit-reasons.server";
import { surveysByWeek } from "./survey-rates.server";
import { firstContactByQueue, winbackByOffer, winbackByQueue } from "./winback-results.server";

// One chart's figures as CSV, for a spreadsheet: headers and labels in the reader's language
// (the dashboard's words), one row per week or per group in the dashboard's order, weeks as ISO
// dates (the Monday), numbers unformatted, ratios as percentages with one decimal (empty when
// there is nothing to divide by). Same queries as the dashboard, so the file matches the chart.

function reasonHeader(t: Translate): string[] {
  return [
    ...EXIT_REASONS.map((reason) => t(`staff.analytics.reason.${reason}`)),
    t("staff.analytics.col.total"),
  ];
}

function reasonCells<K>(row: ReasonsRow<K>): CsvValue[] {
  return [...EXIT_REASONS.map((reason) => row.counts[reason]), row.total];
}

const percent = (t: Translate, label: string) => t("staff.analytics.csv.percent", { label });

async function csvRows(
  db: Queryable,
  chart: AnalyticsChart,
  period: AnalyticsPeriod,
  t: Translate,
): Promise<{ header: string[]; rows: CsvValue[][] }> {
  switch (chart) {
    case "reasonsByWeek":
      return {
        header: [t("staff.analytics.col.week"), ...reasonHeader(t)],
        rows: (await reasonsByWeek(db, period)).map((row) => [row.key, ...reasonCells(row)]),
      };
    case "reasonsByProduct":
      return {
        header: [t("staff.analytics.col.product"), ...reasonHeader(t)],
        rows: (await reasonsByProduct(db, period)).map((row) => [
          t(`staff.analytics.category.${row.key}`),
          ...reasonCells(row),
        ]),
      };
    case "reasonsByTenure":
      return {
        header: [t("staff.analytics.col.tenure"), ...reasonHeader(t)],
        rows: (await reasonsByTenure(db, period)).map((row) => [
          t(`staff.analytics.tenure.${row.key}`),
          ...reasonCells(row),
        ]),
      };
    case "reasonsByRegion":
      return {
        header: [t("staff.analytics.col.region"), ...reasonHeader(t)],
        rows: (await reasonsByRegion(db, period)).map((row) => [
          row.key ?? t("staff.analytics.regionUnknown"),
          ...reasonCells(row),
        ]),
      };
    case "surveys":
      return {
        header: [
          t("staff.analytics.col.week"),
          t("staff.analytics.col.cases"),
          t("staff.analytics.col.answered"),
          percent(t, t("staff.analytics.col.shareAnswered")),
          t("staff.analytics.col.withConsent"),
          percent(t, t("staff.analytics.col.consentRate")),
        ],
        rows: (await surveysByWeek(db, period)).map((row) => [
          row.week,
          row.cases,
          row.answered,
          csvPercent(ratio(row.answered, row.cases)),
          row.withConsent,
          csvPercent(ratio(row.withConsent, row.answered)),
        ]),
      };
    case "winbackByQueue":
      return {
        header: [
          t("staff.analytics.col.queue"),
          t("staff.analytics.col.items"),
          t("staff.analytics.col.closed"),
          t("staff.analytics.col.wonBack"),
          percent(t, t("staff.analytics.col.rate")),
        ],
        rows: (await winbackByQueue(db, period)).map((row) => [
          t(`staff.analytics.queue.${row.queue}`),
          row.items,
          row.closed,
          row.wonBack,
          csvPercent(ratio(row.wonBack, row.closed)),
        ]),
      };
    case "winbackByOffer":
      return {
        header: [
          t("staff.analytics.col.offer"),
          t("staff.analytics.col.offerCode"),
          t("staff.analytics.col.closed"),
          t("staff.analytics.col.wonBack"),
          percent(t, t("staff.analytics.col.rate")),
        ],
        rows: (await winbackByOffer(db, period)).map((row) => [
          row.offerId === null ? t("staff.analytics.noOffer") : (row.name ?? row.code),
          row.offerId === null ? null : row.code,
          row.closed,
          row.wonBack,
          csvPercent(ratio(row.wonBack, row.closed)),
        ]),
      };
    case "firstContact":
      return {
        header: [
          t("staff.analytics.col.queue"),
          t("staff.analytics.col.items"),
          t("staff.analytics.col.contacted"),
          t("staff.analytics.csv.hours", { label: t("staff.analytics.col.medianDelay") }),
          t("staff.analytics.col.withinSla"),
          percent(t, t("staff.analytics.col.withinSlaShare")),
          t("staff.analytics.col.notContacted"),
        ],
        rows: (await firstContactByQueue(db, period)).map((row) => [
          t(`staff.analytics.queue.${row.queue}`),
          row.items,
          row.contacted,
          row.medianHours === null ? null : Math.round(row.medianHours * 100) / 100,
          row.withinSla,
          csvPercent(ratio(row.withinSla, row.contacted)),
          row.notContacted,
        ]),
      };
  }
}

/** e.g. `motifs-par-semaine_du_2025-12-08_au_2026-12-06.csv`, folded to safe ASCII. */
export function chartCsvFileName(chart: AnalyticsChart, period: AnalyticsPeriod, lang: Lang) {
  const t = createTranslate(lang);
  return safeFileName(
    t("staff.analytics.csv.fileName", {
      chart: t(`staff.analytics.csv.name.${chart}`),
      from: period.from,
      // The Sunday ending the current week.
      to: addDays(period.to, 6),
    }),
  );
}

export async function chartCsv(
  db: Queryable,
  input: { chart: AnalyticsChart; period: AnalyticsPeriod; lang: Lang },
): Promise<{ fileName: string; body: string }> {
  const { header, rows } = await csvRows(
    db,
    input.chart,
    input.period,
    createTranslate(input.lang),
  );
  return {
    fileName: chartCsvFileName(input.chart, input.period, input.lang),
    body: CSV_BOM + toCsv(header, rows),
  };
}
