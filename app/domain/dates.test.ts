import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  dateInZone,
  daysBetween,
  instantInZone,
  isValidIsoDate,
  localDateTimeInZone,
} from "./dates";

const isoDate = fc
  .date({
    min: new Date("2000-01-01T00:00:00Z"),
    max: new Date("2099-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

describe("legal dates", () => {
  it("reads the calendar date of an instant in Paris, across midnight and DST changes", () => {
    expect(dateInZone(new Date("2026-11-23T22:59:59Z"), "Europe/Paris")).toBe("2026-11-23");
    expect(dateInZone(new Date("2026-11-23T23:00:00Z"), "Europe/Paris")).toBe("2026-11-24");
    // Summer time: UTC+2.
    expect(dateInZone(new Date("2026-06-30T21:59:59Z"), "Europe/Paris")).toBe("2026-06-30");
    expect(dateInZone(new Date("2026-06-30T22:00:00Z"), "Europe/Paris")).toBe("2026-07-01");
    // The nights of the changes (29 March and 25 October 2026).
    expect(dateInZone(new Date("2026-03-29T00:30:00Z"), "Europe/Paris")).toBe("2026-03-29");
    expect(dateInZone(new Date("2026-10-24T22:30:00Z"), "Europe/Paris")).toBe("2026-10-25");
  });

  it("adds months clamping to the end of shorter months", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-11-23", -8)).toBe("2026-03-23");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-15");
  });

  it("keeps addDays and daysBetween consistent", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -4000, max: 4000 }), (date, days) => {
        const later = addDays(date, days);
        expect(isValidIsoDate(later)).toBe(true);
        expect(daysBetween(date, later)).toBe(days);
      }),
    );
  });

  it("never lands addMonths outside the target month", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -60, max: 60 }), (date, months) => {
        const result = addMonths(date, months);
        const [y, m] = date.split("-").map(Number) as [number, number];
        const target = y * 12 + (m - 1) + months;
        expect(Number(result.slice(0, 4)) * 12 + Number(result.slice(5, 7)) - 1).toBe(target);
        expect(Number(result.slice(8))).toBeLessThanOrEqual(Number(date.slice(8)));
      }),
    );
  });

  it("rejects impossible dates", () => {
    expect(isValidIsoDate("2026-02-30")).toBe(false);
    expect(isValidIsoDate("2026-13-01")).toBe(false);
    expect(isValidIsoDate("23/11/2026")).toBe(false);
    expect(() => addDays("2026/11/23", 1)).toThrow(RangeError);
  });
});

describe("wall-clock times typed in a zone (datetime-local)", () => {
  it("reads a Paris time as the instant it names, in winter and in summer", () => {
    expect(instantInZone("2026-01-15T09:30", "Europe/Paris")?.toISOString()).toBe(
      "2026-01-15T08:30:00.000Z",
    );
    expect(instantInZone("2026-06-30T14:05", "Europe/Paris")?.toISOString()).toBe(
      "2026-06-30T12:05:00.000Z",
    );
    expect(instantInZone("2026-06-30T14:05:30", "Europe/Paris")?.toISOString()).toBe(
      "2026-06-30T12:05:30.000Z",
    );
    // Just before the autumn change, still summer time.
    expect(instantInZone("2026-10-25T01:30", "Europe/Paris")?.toISOString()).toBe(
      "2026-10-24T23:30:00.000Z",
    );
    // A time skipped in spring moves forward by the gap (02:30 → 03:30 summer time).
    expect(instantInZone("2026-03-29T02:30", "Europe/Paris")?.toISOString()).toBe(
      "2026-03-29T01:30:00.000Z",
    );
  });

  it("refuses what is not a date and time", () => {
    for (const value of ["", "2026-02-30T10:00", "2026-06-30 14:05", "2026-06-30T24:00", "x"])
      expect(instantInZone(value, "Europe/Paris"), value).toBeNull();
  });

  it("shows an instant back as the field's value, round trip included", () => {
    expect(localDateTimeInZone(new Date("2026-06-30T12:05:59Z"), "Europe/Paris")).toBe(
      "2026-06-30T14:05",
    );
    expect(localDateTimeInZone(new Date("2026-12-31T23:00:00Z"), "Europe/Paris")).toBe(
      "2027-01-01T00:00",
    );
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (instant) => {
          const minute = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
          const local = localDateTimeInZone(minute, "Europe/Paris");
          const back = instantInZone(local, "Europe/Paris");
          // The repeated autumn hour reads back one hour off; every other minute exactly.
          expect(localDateTimeInZone(back!, "Europe/Paris")).toBe(local);
        },
      ),
    );
  });
});
