import type { IsoDate } from "../domain/dates";

// ---------------------------------------------------------------------------------------------
// Formatting in the document's language (Intl); formatters are costly to build, so they are cached.

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

export interface Formats {
  money(cents: number, currency: string): string;
  percent(value: number): string;
  /** A legal date (`YYYY-MM-DD`), printed as is. */
  date(date: IsoDate): string;
  /** The calendar day of an instant in the operator's time zone. */
  day(iso: string): string;
  /** An instant, to the second with its UTC offset, in the operator's time zone. */
  instant(iso: string): string;
  /** The same, with the date in figures, for tables: « 23/11/2026 10:15:30 UTC+1 ». */
  shortInstant(iso: string): string;
}

export function formats(locale: string, timeZone: string): Formats {
  return {
    money(cents, currency) {
      const format = numberFormat(locale, { style: "currency", currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(cents / 10 ** digits);
    },
    percent(value) {
      return numberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
        value / 100,
      );
    },
    date(date) {
      const [year, month, day] = date.split("-").map(Number);
      // A calendar date has no time zone: format its UTC midnight in UTC.
      return dateFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1)),
      );
    },
    day(iso) {
      return dateFormat(locale, { dateStyle: "long", timeZone }).format(new Date(iso));
    },
    instant(iso) {
      // shortOffset gives "UTC+1" / "GMT+1", unambiguous where "CET" is not.
      return dateFormat(locale, {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZoneName: "shortOffset",
        timeZone,
      }).format(new Date(iso));
    },
    shortInstant(iso) {
      return dateFormat(locale, {
        day: "2-digit",
        month: "2-digit",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZoneName: "shortOffset",
        timeZone,
      }).format(new Date(iso));
    },
  };
}
