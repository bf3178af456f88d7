import type { Queryable } from "../../../db/client";
import { safeFileName } from "../../documents/archival-pdf";
import type { ComplianceKpi, KpiPeriod } from "../../domain/compliance-kpis";
import type { IsoDate } from "../../domain/dates";
import { createTranslate, type Lang, type Translate } from "../../i18n/i18n";
import { CSV_BOM, csvPercent, toCsv, type CsvValue } from "../analytics/csv";
import { acknowledgmentByDay } from "./acknowledgment.server";
import { kpiBounds, type KpiBounds } from "./bounds.server";
import { effectiveByDay } from "./effective-dates.server";
import {
  acknowledgmentTable,
  effectiveTable,
  noticesTable,
  refundsTable,
  returnsTable,
  unmatchedTable,
  withdrawalsTable,
  type KpiColumn,
  type KpiTable,
} from "./kpi-tables";
import { noticesByDay } from "./notices.server";
import { refundsByDay } from "./refunds.server";
import { returnsByDay } from "./returns.server";
import { unmatchedByDay } from "./unmatched-notices.server";
import { withdrawalsByDay } from "./withdrawals.server";

// One KPI's table as CSV: the page's data table (same query, same rows: one per day, then the
// total), headers in the reader's language, days as ISO dates, numbers unformatted, shares as
// percentages with one decimal, durations in seconds (3 decimals) or hours (2 decimals).

const LOADERS: Record<ComplianceKpi, (db: Queryable, bounds: KpiBounds) => Promise<KpiTable>> = {
  notices: async (db, bounds) => noticesTable(await noticesByDay(db, bounds)),
  acknowledgment: async (db, bounds) => acknowledgmentTable(await acknowledgmentByDay(db, bounds)),
  effective: async (db, bounds) => effectiveTable(await effectiveByDay(db, bounds)),
  refunds: async (db, bounds) => refundsTable(await refundsByDay(db, bounds)),
  returns: async (db, bounds) => returnsTable(await returnsByDay(db, bounds)),
  unmatched: async (db, bounds) => unmatchedTable(await unmatchedByDay(db, bounds)),
  withdrawals: async (db, bounds) => withdrawalsTable(await withdrawalsByDay(db, bounds)),
};

const rounded = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

function csvCell(column: KpiColumn, value: number | null): CsvValue {
  if (value === null) return null;
  switch (column.unit) {
    case "count":
      return value;
    case "share":
      return csvPercent(value);
    case "seconds":
      return rounded(value, 3);
    case "hours":
      return rounded(value, 2);
  }
}

function csvHeader(t: Translate, column: KpiColumn): string {
  const label = t(column.label);
  switch (column.unit) {
    case "count":
      return label;
    case "share":
      return t("staff.kpis.csv.percent", { label });
    case "seconds":
      return t("staff.kpis.csv.seconds", { label });
    case "hours":
      return t("staff.kpis.csv.hours", { label });
  }
}

/** The CSV body of a table (with a byte order mark, for spreadsheets). */
export function kpiTableCsv(table: KpiTable, lang: Lang): string {
  const t = createTranslate(lang);
  return (
    CSV_BOM +
    toCsv(
      [t(table.dayLabel), ...table.columns.map((column) => csvHeader(t, column))],
      table.rows.map((row) => [
        row.day ?? t("staff.kpis.total"),
        ...row.values.map((value, at) => csvCell(table.columns[at]!, value)),
      ]),
    )
  );
}

/** e.g. `indicateur-remboursements_du_2026-10-06_au_2026-11-30.csv`, folded to safe ASCII. */
export function kpiCsvFileName(kpi: ComplianceKpi, period: KpiPeriod, lang: Lang): string {
  const t = createTranslate(lang);
  return safeFileName(
    t("staff.kpis.csv.fileName", {
      kpi: t(`staff.kpis.csv.name.${kpi}`),
      from: period.from,
      to: period.to,
    }),
  );
}

export async function kpiCsv(
  db: Queryable,
  input: { kpi: ComplianceKpi; period: KpiPeriod; today: IsoDate; lang: Lang },
): Promise<{ fileName: string; body: string }> {
  const table = await LOADERS[input.kpi](db, kpiBounds(input.period, input.today));
  return {
    fileName: kpiCsvFileName(input.kpi, input.period, input.lang),
    body: kpiTableCsv(table, input.lang),
  };
}
