import { share, type ComplianceKpi } from "../../domain/compliance-kpis";
import type { IsoDate } from "../../domain/dates";
import type { StaffMessageKey } from "../../i18n/messages/staff.fr";
import type { ComplianceKpis } from "./load-compliance-kpis.server";

// The table of each KPI: one row per day of the period and a total row, the same for the page
// (its data table, formatted in the reader's language) and the CSV download (raw numbers), so
// that the file always matches the page. Pure and browser-safe.

export type KpiUnit = "count" | "share" | "seconds" | "hours";

export interface KpiColumn {
  label: StaffMessageKey;
  unit: KpiUnit;
}

export interface KpiTable {
  /** The heading of the first column: which day a row is (receipt, end date, due date …). */
  dayLabel: StaffMessageKey;
  columns: KpiColumn[];
  /** One row per day, then the total (day null). Shares are ratios (0 to 1), null if 0/0. */
  rows: { day: IsoDate | null; values: (number | null)[] }[];
}

const count = (label: StaffMessageKey): KpiColumn => ({ label, unit: "count" });
const ratio = (label: StaffMessageKey): KpiColumn => ({ label, unit: "share" });

function table<T extends { day: IsoDate | null }>(
  dayLabel: StaffMessageKey,
  columns: KpiColumn[],
  data: { days: T[]; total: T },
  values: (row: T) => (number | null)[],
): KpiTable {
  return {
    dayLabel,
    columns,
    rows: [...data.days, data.total].map((row) => ({ day: row.day, values: values(row) })),
  };
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

export function noticesTable(data: ComplianceKpis["notices"]): KpiTable {
  return table(
    "staff.kpis.col.receivedOn",
    [
      count("staff.kpis.col.notices"),
      count("staff.kpis.col.noticeCases"),
      count("staff.kpis.col.noticeUnmatched"),
    ],
    data,
    (row) => [row.cases + row.unmatched, row.cases, row.unmatched],
  );
}

export function acknowledgmentTable(data: ComplianceKpis["acknowledgment"]): KpiTable {
  return table(
    "staff.kpis.col.notifiedOn",
    [
      count("staff.kpis.col.notified"),
      count("staff.kpis.col.delivered"),
      count("staff.kpis.col.withinTarget"),
      ratio("staff.kpis.col.withinTargetShare"),
      { label: "staff.kpis.col.median", unit: "seconds" },
      { label: "staff.kpis.col.p95", unit: "seconds" },
    ],
    data,
    (row) => [
      row.notified,
      row.delivered,
      row.withinTarget,
      share(row.withinTarget, row.notified),
      seconds(row.medianMs),
      seconds(row.p95Ms),
    ],
  );
}

export function effectiveTable(data: ComplianceKpis["effective"]): KpiTable {
  return table(
    "staff.kpis.col.endDate",
    [
      count("staff.kpis.col.ending"),
      count("staff.kpis.col.onDate"),
      ratio("staff.kpis.col.onDateShare"),
      count("staff.kpis.col.later"),
      count("staff.kpis.col.earlier"),
      count("staff.kpis.col.notYet"),
    ],
    data,
    (row) => [
      row.ending,
      row.onDate,
      share(row.onDate, row.ending),
      row.later,
      row.earlier,
      row.notYet,
    ],
  );
}

export function refundsTable(data: ComplianceKpis["refunds"]): KpiTable {
  return table(
    "staff.kpis.col.dueDate",
    [
      count("staff.kpis.col.refundsDue"),
      count("staff.kpis.col.paidOnTime"),
      ratio("staff.kpis.col.paidOnTimeShare"),
      count("staff.kpis.col.paidLate"),
      count("staff.kpis.col.unpaid"),
    ],
    data,
    (row) => [row.due, row.paidOnTime, share(row.paidOnTime, row.due), row.paidLate, row.unpaid],
  );
}

export function returnsTable(data: ComplianceKpis["returns"]): KpiTable {
  return table(
    "staff.kpis.col.deadline",
    [
      count("staff.kpis.col.returnsDue"),
      count("staff.kpis.col.onTime"),
      ratio("staff.kpis.col.onTimeShare"),
      count("staff.kpis.col.late"),
      count("staff.kpis.col.incomplete"),
    ],
    data,
    (row) => [row.due, row.onTime, share(row.onTime, row.due), row.late, row.incomplete],
  );
}

export function unmatchedTable(data: ComplianceKpis["unmatched"]): KpiTable {
  return table(
    "staff.kpis.col.receivedOn",
    [
      count("staff.kpis.col.unmatchedReceived"),
      count("staff.kpis.col.matched"),
      count("staff.kpis.col.rejected"),
      count("staff.kpis.col.pending"),
      { label: "staff.kpis.col.medianToMatch", unit: "hours" },
    ],
    data,
    (row) => [row.received, row.matched, row.rejected, row.pending, row.medianHoursToMatch],
  );
}

export function withdrawalsTable(data: ComplianceKpis["withdrawals"]): KpiTable {
  return table(
    "staff.kpis.col.receivedOn",
    [
      count("staff.kpis.col.cases"),
      count("staff.kpis.col.withdrawn"),
      ratio("staff.kpis.col.withdrawnShare"),
    ],
    data,
    (row) => [row.cases, row.withdrawn, share(row.withdrawn, row.cases)],
  );
}

/** The table of one KPI of the page's data. */
export function kpiTable(kpi: ComplianceKpi, data: ComplianceKpis): KpiTable {
  switch (kpi) {
    case "notices":
      return noticesTable(data.notices);
    case "acknowledgment":
      return acknowledgmentTable(data.acknowledgment);
    case "effective":
      return effectiveTable(data.effective);
    case "refunds":
      return refundsTable(data.refunds);
    case "returns":
      return returnsTable(data.returns);
    case "unmatched":
      return unmatchedTable(data.unmatched);
    case "withdrawals":
      return withdrawalsTable(data.withdrawals);
  }
}
