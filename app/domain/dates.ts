// Legal dates are calendar dates (`YYYY-MM-DD`) in the jurisdiction's time zone; instants are
// Date objects (UTC). These helpers never use the machine's own time zone.

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: IsoDate): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (e.g. Europe/Paris). */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  // en-CA formats as YYYY-MM-DD. Formatters are costly to build: one per zone.
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    zoneFormats.set(timeZone, format);
  }
  return format.format(instant);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  return fromUtc(Date.UTC(y, m - 1, d + days));
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(y, m - 1 + months, Math.min(d, lastDay)));
}

/** Whole days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const [ay, am, ad] = parts(a);
  const [by, bm, bd] = parts(b);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / 86_400_000);
}

export function isValidIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  return fromUtc(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) === value;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, timeZone: string): [number, number, number, number, number] {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    wallClockFormats.set(timeZone, format);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(format.formatToParts(instant).find((p) => p.type === type)?.value);
  return [part("year"), part("month"), part("day"), part("hour"), part("minute")];
}

/** The wall-clock time of an instant in a time zone, as a `datetime-local` field shows it. */
export function localDateTimeInZone(instant: Date, timeZone: string): string {
  const [y, m, d, h, min] = wallClock(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${y}-${two(m)}-${two(d)}T${two(h)}:${two(min)}`;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant of a wall-clock time typed in a time zone (`2026-06-30T14:05`, a `datetime-local`
 * value), or null when it is not one. A time skipped by the spring DST change moves forward by
 * the gap; an hour repeated in autumn is read once, as the zone's offset at that time says.
 */
export function instantInZone(local: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match || !isValidIsoDate(local.slice(0, 10))) return null;
  const [, y, m, d, h, min, s] = match.map(Number) as number[];
  if (h! > 23 || min! > 59 || (s ?? 0) > 59) return null;
  const asUtc = Date.UTC(y!, m! - 1, d!, h!, min!, Number.isNaN(s) ? 0 : s);
  const offsetAt = (ms: number) => {
    const [wy, wm, wd, wh, wmin] = wallClock(new Date(ms), timeZone);
    return Date.UTC(wy, wm - 1, wd, wh, wmin) - Math.floor(ms / 60_000) * 60_000;
  };
  const firstOffset = offsetAt(asUtc);
  const secondOffset = offsetAt(asUtc - firstOffset);
  return new Date(asUtc - secondOffset);
}
