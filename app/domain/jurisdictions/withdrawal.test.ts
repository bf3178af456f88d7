import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateInZone } from "../dates";
import { PACKS } from "./index";
import type { ContractFacts } from "./types";
import {
  EU_WITHDRAWAL_REFUND_DAYS,
  isWithdrawalOpen,
  WITHDRAWAL_LEGAL_BASIS_CODE,
} from "./withdrawal";

const policy = { returnDeadlineDays: 30, returnMethods: ["post_office"], noticeDays: 3 };

function contract(overrides: Partial<ContractFacts> = {}): ContractFacts {
  return {
    monthlyPriceCents: 2999,
    currency: "EUR",
    startDate: "2026-11-20",
    commitmentMonths: 24,
    tacitlyRenewed: false,
    subsidisedDeviceValueCents: 30000,
    depositCents: 0,
    prepaidThrough: "2026-12-19",
    creditBalanceCents: 300,
    withdrawalPeriodEnds: "2026-12-04",
    ...overrides,
  };
}

const instant = fc.date({
  min: new Date("2026-06-19T00:00:00Z"),
  max: new Date("2035-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const contractFacts = fc.record({
  monthlyPriceCents: fc.integer({ min: 0, max: 50_000 }),
  currency: fc.constant("EUR"),
  startDate: instant.map((d) => d.toISOString().slice(0, 10)),
  commitmentMonths: fc.integer({ min: 0, max: 24 }),
  tacitlyRenewed: fc.boolean(),
  subsidisedDeviceValueCents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120_000 })),
  depositCents: fc.integer({ min: 0, max: 10_000 }),
  prepaidThrough: fc.constant(null),
  creditBalanceCents: fc.integer({ min: 0, max: 10_000 }),
  withdrawalPeriodEnds: fc.constant(null),
});

describe("EU withdrawal: the period", () => {
  it("is open until its last day included, closed the day after", () => {
    const facts = contract();
    expect(isWithdrawalOpen(facts, "2026-11-20")).toBe(true);
    expect(isWithdrawalOpen(facts, "2026-12-04")).toBe(true);
    expect(isWithdrawalOpen(facts, "2026-12-05")).toBe(false);
    expect(isWithdrawalOpen(contract({ withdrawalPeriodEnds: null }), "2026-11-20")).toBe(false);
  });
});

describe.each(PACKS.map((pack) => [pack.code, pack] as const))(
  "EU withdrawal in the %s pack",
  (_code, pack) => {
    it("ends a withdrawn contract on the receipt date, whatever the notice or minimum term", () => {
      fc.assert(
        fc.property(
          instant,
          contractFacts,
          fc.integer({ min: -30, max: 30 }),
          (at, facts, offset) => {
            const window = pack.endDateWindow(at, policy, {
              terminationType: "withdrawal",
              contracts: [facts],
            });
            const receiptDate = dateInZone(at, pack.timeZone);
            expect(window).toEqual({
              receiptDate,
              earliest: receiptDate,
              legalLatest: receiptDate,
              latestChoosable: receiptDate,
            });
            const requested = addDays(receiptDate, offset);
            expect(pack.checkEndDate(requested, window).ok).toBe(offset === 0);
            const fee = pack.earlyTerminationFee(facts, receiptDate, {
              terminationType: "withdrawal",
            });
            expect(fee).toMatchObject({ totalCents: 0, waiver: "withdrawal", lines: [] });
          },
        ),
      );
    });

    it("refunds advance payments and credit within 14 days (CRD art. 13)", () => {
      const refunds = pack.refundsExpected(contract(), [], "2026-11-25", {
        terminationType: "withdrawal",
      });
      expect(refunds.map((refund) => [refund.kind, refund.legalDays])).toEqual([
        ["advance_payment", EU_WITHDRAWAL_REFUND_DAYS],
        ["credit_balance", EU_WITHDRAWAL_REFUND_DAYS],
      ]);
    });

    it("cites the withdrawal rule", () => {
      expect(pack.legalBasis.map((basis) => basis.code)).toContain(WITHDRAWAL_LEGAL_BASIS_CODE);
    });
  },
);
