import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, type IsoDate } from "./dates";
import {
  isPseudonymousEmail,
  isPseudonymousLineNumber,
  pseudonymCode,
  pseudonymousEmail,
  pseudonymousLineNumber,
  pseudonymousName,
} from "./pseudonyms";
import {
  checkRetentionPolicy,
  DEFAULT_RETENTION_POLICY,
  lastEndDateDue,
  noticeDue,
  periodEndsOn,
  planRetention,
  relationshipEndedOn,
  type RelationshipFacts,
} from "./retention";

const PARIS = "Europe/Paris";
const policy = DEFAULT_RETENTION_POLICY;

/** A former subscriber: contracts terminated, one case effective on `endDate`. */
function ended(endDate: IsoDate, overrides: Partial<RelationshipFacts> = {}): RelationshipFacts {
  return {
    liveContracts: 0,
    openCases: 0,
    refundsOwed: 0,
    lastEffectiveEndDate: endDate,
    lastClosedAt: null,
    lastWithdrawnAt: null,
    lastContractEndedAt: new Date(`${endDate}T01:00:00Z`),
    lastSurveyAt: null,
    createdAt: new Date("2020-01-15T10:00:00Z"),
    ...overrides,
  };
}

const fresh = { pseudonymised: false, prospectDataLeft: true };

describe("when the relationship ended", () => {
  it("is the latest end among cases and contracts, in the operator's zone", () => {
    // Closed at 23:30 UTC on 31 December: already 1 January in Paris.
    const facts = ended("2026-12-04", { lastClosedAt: new Date("2026-12-31T23:30:00Z") });
    expect(relationshipEndedOn(facts, PARIS)).toBe("2027-01-01");
    expect(relationshipEndedOn(facts, "UTC")).toBe("2026-12-31");
  });

  it("counts a survey answer given after the end (a contact the person started)", () => {
    const facts = ended("2026-12-04", { lastSurveyAt: new Date("2027-02-10T09:00:00Z") });
    expect(relationshipEndedOn(facts, PARIS)).toBe("2027-02-10");
  });

  it("is the creation day for someone with no contract or case at all", () => {
    const facts = ended("2026-12-04", {
      lastEffectiveEndDate: null,
      lastContractEndedAt: null,
    });
    expect(relationshipEndedOn(facts, PARIS)).toBe("2020-01-15");
  });

  it("has not ended while a contract runs or a case is open", () => {
    expect(relationshipEndedOn(ended("2026-12-04", { liveContracts: 1 }), PARIS)).toBeNull();
    expect(relationshipEndedOn(ended("2026-12-04", { openCases: 1 }), PARIS)).toBeNull();
  });
});

describe("the plan for one subscriber", () => {
  const plan = (facts: RelationshipFacts, today: IsoDate, state = fresh) =>
    planRetention({ facts, state, policy, timeZone: PARIS, today });

  it("keeps everything the day before the prospect period is over", () => {
    expect(plan(ended("2026-12-04"), "2029-12-03")).toMatchObject({
      kind: "keep",
      reason: "not_due",
      prospectDueOn: "2029-12-04",
      recordsDueOn: "2031-12-04",
    });
  });

  it("erases the prospecting data after 3 years, the records after 5", () => {
    expect(plan(ended("2026-12-04"), "2029-12-04")).toMatchObject({
      kind: "pseudonymise",
      rule: "prospect",
    });
    expect(
      plan(ended("2026-12-04"), "2030-06-01", { pseudonymised: false, prospectDataLeft: false }),
    ).toMatchObject({ kind: "keep", reason: "not_due" });
    expect(plan(ended("2026-12-04"), "2031-12-04")).toMatchObject({
      kind: "pseudonymise",
      rule: "records",
      endedOn: "2026-12-04",
    });
  });

  it("is done once pseudonymised with nothing left", () => {
    expect(
      plan(ended("2026-12-04"), "2040-01-01", { pseudonymised: true, prospectDataLeft: false }),
    ).toMatchObject({ kind: "keep", reason: "already_done" });
  });

  it("never touches a running contract, an open case, or someone owed a refund", () => {
    expect(plan(ended("2020-01-01", { liveContracts: 1 }), "2040-01-01")).toMatchObject({
      kind: "keep",
      reason: "live_contract",
    });
    expect(plan(ended("2020-01-01", { openCases: 1 }), "2040-01-01")).toMatchObject({
      kind: "keep",
      reason: "open_case",
    });
    expect(plan(ended("2020-01-01", { refundsOwed: 1 }), "2040-01-01")).toMatchObject({
      kind: "keep",
      reason: "refund_owed",
    });
  });

  it("clamps to the month's end: ended 29 February, records due 28 February five years on", () => {
    expect(plan(ended("2028-02-29"), "2033-02-27")).toMatchObject({
      kind: "pseudonymise",
      rule: "prospect",
    });
    expect(plan(ended("2028-02-29"), "2033-02-28")).toMatchObject({
      kind: "pseudonymise",
      rule: "records",
      recordsDueOn: "2033-02-28",
    });
  });

  it("takes a rejected notice as a record, from the day it was rejected in Paris", () => {
    const resolvedAt = new Date("2026-12-31T23:30:00Z"); // 1 January 2027 in Paris
    expect(noticeDue({ resolvedAt, policy, timeZone: PARIS, today: "2031-12-31" })).toBe(false);
    expect(noticeDue({ resolvedAt, policy, timeZone: PARIS, today: "2032-01-01" })).toBe(true);
  });
});

// Dates from 2000 to 2060, as the rules see them.
const isoDate = fc
  .integer({ min: 0, max: 60 * 366 })
  .map((days) => addDays("2000-01-01", days) as IsoDate);

describe("properties", () => {
  it("lastEndDateDue is exactly the boundary of 'the period is over'", () => {
    fc.assert(
      fc.property(isoDate, isoDate, fc.integer({ min: 1, max: 360 }), (end, today, months) => {
        const cutoff = lastEndDateDue(today, months);
        expect(periodEndsOn(end, months) <= today).toBe(end <= cutoff);
      }),
      { numRuns: 2000 },
    );
  });

  it("once due, stays due; the records rule never comes before the prospect rule", () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 1, max: 400 }),
        (end, after, more) => {
          const today = addDays(end, after);
          const first = planRetention({
            facts: ended(end),
            state: fresh,
            policy,
            timeZone: PARIS,
            today,
          });
          const later = planRetention({
            facts: ended(end),
            state: fresh,
            policy,
            timeZone: PARIS,
            today: addDays(today, more),
          });
          if (first.kind === "pseudonymise") expect(later.kind).toBe("pseudonymise");
          if (first.kind === "pseudonymise" && first.rule === "records")
            expect(later).toMatchObject({ rule: "records" });
          if (first.kind === "pseudonymise" && first.rule === "records")
            expect(today >= addMonths(end, policy.prospectMonths)).toBe(true);
        },
      ),
    );
  });

  it("the end of the relationship is never before any end it knows of", () => {
    fc.assert(
      fc.property(
        isoDate,
        isoDate,
        fc.date({ min: new Date("2000-01-01"), max: new Date("2060-01-01"), noInvalidDate: true }),
        (end, other, closedAt) => {
          const facts = ended(end, { lastClosedAt: closedAt, lastEffectiveEndDate: other });
          const endedOn = relationshipEndedOn(facts, PARIS)!;
          expect(endedOn >= other).toBe(true);
          expect(endedOn >= addDays(closedAt.toISOString().slice(0, 10), -1)).toBe(true);
        },
      ),
    );
  });
});

describe("the policy admin may set", () => {
  it("accepts the defaults and refuses the impossible", () => {
    expect(checkRetentionPolicy(DEFAULT_RETENTION_POLICY)).toEqual([]);
    expect(checkRetentionPolicy({ recordsYears: 0, prospectMonths: 36 })).toEqual([
      "records_years",
    ]);
    expect(checkRetentionPolicy({ recordsYears: 5, prospectMonths: 0 })).toEqual([
      "prospect_months",
    ]);
    expect(checkRetentionPolicy({ recordsYears: 2, prospectMonths: 36 })).toEqual([
      "prospect_beyond_records",
    ]);
    expect(checkRetentionPolicy({ recordsYears: 2.5, prospectMonths: 12 })).toEqual([
      "records_years",
    ]);
  });
});

describe("pseudonyms", () => {
  const id = "0b7d3c1e-6a2f-4c8e-9d41-5f2a7b3c9e10";

  it("are stable, carry nothing of the person, and look like what they replace", () => {
    expect(pseudonymCode(id)).toBe(pseudonymCode(id));
    expect(pseudonymCode(id)).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(pseudonymousName(id)).toEqual({
      firstName: "Pseudonyme",
      lastName: pseudonymCode(id),
      nameKey: `pseudonyme ${pseudonymCode(id).toLowerCase()}`,
    });
    expect(pseudonymousEmail(id)).toBe(`pseudonymised+${id}@invalid.example`);
    expect(isPseudonymousEmail(pseudonymousEmail(id))).toBe(true);
    expect(isPseudonymousEmail("camille.martin@example.com")).toBe(false);
  });

  it("give line numbers in the reserved +999 range, valid for the schema, another on retry", () => {
    const number = pseudonymousLineNumber(id);
    expect(number).toMatch(/^\+[1-9][0-9]{6,14}$/);
    expect(isPseudonymousLineNumber(number)).toBe(true);
    expect(pseudonymousLineNumber(id, 1)).not.toBe(number);
    expect(isPseudonymousLineNumber("+33123456789")).toBe(false);
  });

  it("rarely collide: 10,000 subscribers get almost 10,000 different codes", () => {
    const codes = new Set<string>();
    for (let i = 0; i < 10_000; i += 1)
      codes.add(pseudonymCode(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`));
    expect(codes.size).toBeGreaterThan(9_900);
  });
});
