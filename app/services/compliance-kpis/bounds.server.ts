import { sql, type SQL } from "drizzle-orm";
import { KPI_TIME_ZONE, daysOf, type KpiPeriod } from "../../domain/compliance-kpis";
import { addDays, instantInZone, type IsoDate } from "../../domain/dates";
import { JURISDICTIONS } from "../../domain/enums";
import { packFor } from "../../domain/jurisdictions";

// What every KPI query shares: the period as instants (for the indexes on timestamptz columns)
// and as dates (for the legal dates), today, and the time zone of each case's rules.

export interface KpiBounds {
  period: KpiPeriod;
  /** Midnight starting the first day, in KPI_TIME_ZONE: an SQL timestamptz. */
  start: SQL;
  /** Midnight ending the last day (excluded). */
  end: SQL;
  /** Today in KPI_TIME_ZONE: a deadline of today is still running. */
  today: IsoDate;
}

function midnight(date: IsoDate): Date {
  const instant = instantInZone(`${date}T00:00`, KPI_TIME_ZONE);
  if (instant === null) throw new RangeError(`not a date: ${date}`);
  return instant;
}

export function kpiBounds(period: KpiPeriod, today: IsoDate): KpiBounds {
  // ISO strings cast in SQL: postgres.js takes no Date in a raw query's parameters.
  const instant = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  return {
    period,
    start: instant(midnight(period.from)),
    end: instant(midnight(addDays(period.to, 1))),
    today,
  };
}

/**
 * A time zone name as an SQL literal: zone names are constants of the code (never user input),
 * written inline so that a grouped expression reads the same in SELECT and GROUP BY.
 */
function zoneLiteral(zone: string): SQL {
  if (!/^[A-Za-z_]+(\/[A-Za-z_]+)*$/.test(zone)) throw new Error(`bad time zone name: ${zone}`);
  return sql.raw(`'${zone}'`);
}

/** The calendar day of an instant column in KPI_TIME_ZONE, as an ISO date. */
export function dayOf(column: SQL): SQL {
  return sql`(${column} at time zone ${zoneLiteral(KPI_TIME_ZONE)})::date`;
}

/**
 * The time zone of a case's rules (its jurisdiction pack): legal dates — end date, return
 * deadline, refund due date — are calendar dates there, so an instant is compared with them
 * on that zone's calendar (as mark-cases-effective and the deadline jobs do).
 */
export function caseZone(jurisdictionColumn: SQL): SQL {
  const zones = JURISDICTIONS.flatMap((code) => {
    try {
      return [sql`when ${sql.raw(`'${code}'`)} then ${zoneLiteral(packFor(code).timeZone)}`];
    } catch {
      return []; // No rule pack yet: no case can have this jurisdiction.
    }
  });
  return sql`(case ${jurisdictionColumn} ${sql.join(zones, sql` `)} else ${zoneLiteral(KPI_TIME_ZONE)} end)`;
}

/** The calendar date of an instant column in the case's zone. */
export function legalDayOf(instantColumn: SQL, jurisdictionColumn: SQL): SQL {
  return sql`(${instantColumn} at time zone ${caseZone(jurisdictionColumn)})::date`;
}

/**
 * One row per day of the period from rows grouped by `grouping sets ((day), ())`: days without
 * a row get `empty(day)`; the row whose day is null is the period's total.
 */
export function byDay<T extends { day: IsoDate | null }>(
  period: KpiPeriod,
  rows: readonly T[],
  empty: (day: IsoDate | null) => T,
): { days: T[]; total: T } {
  const found = new Map(rows.filter((row) => row.day !== null).map((row) => [row.day, row]));
  return {
    days: daysOf(period).map((day) => found.get(day) ?? empty(day)),
    total: rows.find((row) => row.day === null) ?? empty(null),
  };
}
