import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, dateInZone, daysBetween, isValidIsoDate } from "./dates";

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
