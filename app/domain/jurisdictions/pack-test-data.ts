import fc from "fast-check";
import type { ContractFacts } from "./types";

// Contract facts for the packs' tests (fr, pt, de): a builder with each pack's defaults, and the
// fast-check arbitraries their property tests draw from. Imported by tests only.

/** A contract with a 24-month commitment and nothing else, changed by `overrides`. */
export function contractBuilder(defaults: Pick<ContractFacts, "monthlyPriceCents" | "startDate">) {
  return (overrides: Partial<ContractFacts> = {}): ContractFacts => ({
    currency: "EUR",
    commitmentMonths: 24,
    tacitlyRenewed: false,
    subsidisedDeviceValueCents: 0,
    depositCents: 0,
    prepaidThrough: null,
    creditBalanceCents: 0,
    withdrawalPeriodEnds: null,
    ...defaults,
    ...overrides,
  });
}

export const instant = fc.date({
  min: new Date("2020-01-01T00:00:00Z"),
  max: new Date("2035-12-31T23:59:59Z"),
  noInvalidDate: true,
});
export const isoDate = instant.map((d) => d.toISOString().slice(0, 10));
export const contractFacts = fc.record({
  monthlyPriceCents: fc.integer({ min: 0, max: 50_000 }),
  currency: fc.constant("EUR"),
  startDate: isoDate,
  commitmentMonths: fc.integer({ min: 0, max: 24 }),
  tacitlyRenewed: fc.boolean(),
  subsidisedDeviceValueCents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120_000 })),
  depositCents: fc.integer({ min: 0, max: 10_000 }),
  prepaidThrough: fc.constant(null),
  creditBalanceCents: fc.integer({ min: 0, max: 10_000 }),
  withdrawalPeriodEnds: fc.constant(null),
});
