import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXIT_REASONS } from "./enums";
import { DEFAULT_ROUTING, routeSurveyAnswer, winbackPriority } from "./winback-routing";

const NOW = new Date("2026-11-23T10:00:00Z");
const base = {
  reason: "price" as const,
  contactConsent: true,
  suppressed: false,
  tenureMonths: 24,
  monthlyRevenueCents: 4499,
  wouldComeBack: 7,
};

describe("win-back routing", () => {
  it("sends a consenting 'price' answer to the offers queue with its SLA", () => {
    expect(routeSurveyAnswer(base, NOW)).toEqual({
      kind: "item",
      queue: "offers",
      priority: winbackPriority(base),
      slaDueAt: new Date("2026-11-25T10:00:00Z"),
    });
  });

  it("routes each reason as the table says", () => {
    expect(routeSurveyAnswer({ ...base, reason: "outages" }, NOW)).toMatchObject({
      queue: "service_recovery",
    });
    expect(routeSurveyAnswer({ ...base, reason: "moving" }, NOW)).toMatchObject({
      queue: "new_address",
    });
    expect(routeSurveyAnswer({ ...base, reason: "customer_service" }, NOW)).toMatchObject({
      queue: "apology",
    });
    expect(routeSurveyAnswer({ ...base, reason: "no_longer_needed" }, NOW)).toEqual({
      kind: "none",
      why: "no_queue",
    });
  });

  it("never creates an item without consent, or for a suppressed subscriber", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXIT_REASONS),
        fc.boolean(),
        fc.boolean(),
        (reason, consent, suppressed) => {
          const decision = routeSurveyAnswer(
            { ...base, reason, contactConsent: consent, suppressed },
            NOW,
          );
          if (!consent || suppressed) expect(decision.kind).toBe("none");
          else expect(decision.kind).toBe(DEFAULT_ROUTING[reason].queue ? "item" : "none");
        },
      ),
    );
  });

  it("keeps the priority between 0 and 100 and never lowers it when an input grows", () => {
    const input = fc.record({
      tenureMonths: fc.integer({ min: -5, max: 400 }),
      monthlyRevenueCents: fc.integer({ min: 0, max: 100_000 }),
      wouldComeBack: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    });
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 50 }), (value, more) => {
        const priority = winbackPriority(value);
        expect(priority).toBeGreaterThanOrEqual(0);
        expect(priority).toBeLessThanOrEqual(100);
        expect(
          winbackPriority({ ...value, tenureMonths: value.tenureMonths + more }),
        ).toBeGreaterThanOrEqual(priority);
        expect(
          winbackPriority({
            ...value,
            monthlyRevenueCents: value.monthlyRevenueCents + more * 100,
          }),
        ).toBeGreaterThanOrEqual(priority);
        if (value.wouldComeBack !== null)
          expect(
            winbackPriority({ ...value, wouldComeBack: Math.min(10, value.wouldComeBack + 1) }),
          ).toBeGreaterThanOrEqual(priority);
      }),
    );
    expect(
      winbackPriority({ tenureMonths: 60, monthlyRevenueCents: 10_000, wouldComeBack: 10 }),
    ).toBe(100);
    expect(winbackPriority({ tenureMonths: 0, monthlyRevenueCents: 0, wouldComeBack: 0 })).toBe(0);
  });
});
