import { describe, expect, it } from "vitest";
import {
  ANALYTICS_CHARTS,
  analyticsPeriod,
  chartFromSlug,
  parsePeriodWeeks,
  ratio,
  surveyTotals,
  tenureBandOf,
  weekStart,
  weeksOf,
} from "./analytics";

describe("weeks", () => {
  it("start on Monday", () => {
    expect(weekStart("2026-11-23")).toBe("2026-11-23"); // Monday
    expect(weekStart("2026-11-29")).toBe("2026-11-23"); // Sunday
    expect(weekStart("2027-01-01")).toBe("2026-12-28"); // across the year
  });

  it("are read in Paris: Sunday 23:30 there is still the old week, Monday 00:30 the new one", () => {
    // Sunday 29 November 23:30 in Paris (22:30 UTC).
    expect(analyticsPeriod(12, new Date("2026-11-29T22:30:00Z")).to).toBe("2026-11-23");
    // Monday 30 November 00:30 in Paris (Sunday 23:30 UTC).
    expect(analyticsPeriod(12, new Date("2026-11-29T23:30:00Z")).to).toBe("2026-11-30");
    // Summer time: Monday 00:30 in Paris is Sunday 22:30 UTC.
    expect(analyticsPeriod(12, new Date("2026-06-28T22:30:00Z")).to).toBe("2026-06-29");
  });

  it("make a period of whole weeks, the current one last", () => {
    const period = analyticsPeriod(12, new Date("2026-11-25T12:00:00Z"));
    expect(period).toEqual({ weeks: 12, from: "2026-09-07", to: "2026-11-23" });
    const weeks = weeksOf(period);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]).toBe("2026-09-07");
    expect(weeks.at(-1)).toBe("2026-11-23");
  });
});

describe("the period parameter", () => {
  it.each([
    ["semaines=26", 26],
    ["semaines=12", 12],
    ["", 52],
    ["semaines=13", 52],
    ["semaines=abc", 52],
    ["semaines=-12", 52],
  ])("?%s gives %i weeks", (query, weeks) => {
    expect(parsePeriodWeeks(new URLSearchParams(query))).toBe(weeks);
  });
});

describe("charts and figures", () => {
  it("find a chart by its URL slug, and nothing for an unknown one", () => {
    for (const [chart, slug] of Object.entries(ANALYTICS_CHARTS))
      expect(chartFromSlug(slug)).toBe(chart);
    expect(chartFromSlug("inconnu")).toBeNull();
    expect(chartFromSlug(undefined)).toBeNull();
  });

  it("band tenures by whole years, capped at three", () => {
    expect([0, 11, 12, 23, 24, 35, 36, 120, -3].map(tenureBandOf)).toEqual([
      "0-11",
      "0-11",
      "12-23",
      "12-23",
      "24-35",
      "24-35",
      "36+",
      "36+",
      "0-11",
    ]);
  });

  it("divide only by something", () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 0)).toBeNull();
  });

  it("add up the survey weeks", () => {
    expect(
      surveyTotals([
        { week: "2026-11-16", cases: 3, answered: 2, withConsent: 1 },
        { week: "2026-11-23", cases: 2, answered: 2, withConsent: 2 },
      ]),
    ).toEqual({ cases: 5, answered: 4, withConsent: 3 });
  });
});
