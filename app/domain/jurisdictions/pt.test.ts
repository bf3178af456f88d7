import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween } from "../dates";
import { pt, PT_NOTICE_DAYS } from "./pt";
import { contractBuilder, instant, contractFacts } from "./pack-test-data";
import type { ContractFacts } from "./types";

const policy = { returnDeadlineDays: 30, returnMethods: ["shop", "post_office"] };

const build = contractBuilder({ monthlyPriceCents: 3000, startDate: "2026-01-15" });
/** 300,00 € of advantage: the quantified advantage Lei 16/2022 prorates. */
const contract = (overrides: Partial<ContractFacts> = {}) =>
  build({ subsidisedDeviceValueCents: 30000, ...overrides });

describe("Portugal: early-termination fee (Lei 16/2022)", () => {
  it("charges the pro-rata advantage when it is lower than 50 % of the fees still due (year 1)", () => {
    // 6 months into a 24-month commitment at 30,00 €/month with a 300,00 € advantage.
    const fee = pt.earlyTerminationFee(contract(), "2026-07-15");
    const remainingDays = daysBetween("2026-07-15", "2028-01-15");
    const commitmentDays = daysBetween("2026-01-15", "2028-01-15");
    expect([remainingDays, commitmentDays]).toEqual([549, 730]);
    const advantage = Math.round((30000 * remainingDays) / commitmentDays);
    expect(fee.rule).toBe("lower_of");
    expect(fee.lines).toEqual([
      {
        kind: "advantage_pro_rata",
        months: 18,
        days: 0,
        monthlyCents: 3000,
        sharePercent: 75.21,
        periodCents: 30000,
        amountCents: advantage,
      },
      {
        kind: "remaining_fees_share",
        months: 18,
        days: 0,
        monthlyCents: 3000,
        sharePercent: 50,
        periodCents: 54000,
        amountCents: 27000,
      },
    ]);
    expect(advantage).toBe(22562);
    expect(fee.totalCents).toBe(Math.min(advantage, 27000));
    expect(fee.remainingFeesCents).toBe(54000);
    expect(fee.commitmentEndDate).toBe("2028-01-15");
    expect(fee.waiver).toBeUndefined();
  });

  it("charges 30 % of the fees still due in year 2 when that is lower", () => {
    // 18 months into a 24-month commitment: 6 months of 30,00 € still due.
    const fee = pt.earlyTerminationFee(contract({ startDate: "2025-01-15" }), "2026-07-15");
    expect(fee.lines[1]).toMatchObject({
      kind: "remaining_fees_share",
      months: 6,
      days: 0,
      sharePercent: 30,
      periodCents: 18000,
      amountCents: 5400,
    });
    expect(fee.lines[0]!.amountCents).toBe(Math.round((30000 * 184) / 730));
    expect(fee.totalCents).toBe(5400);
  });

  it("charges nothing without an advantage, but still shows both lines", () => {
    const fee = pt.earlyTerminationFee(contract({ subsidisedDeviceValueCents: 0 }), "2026-07-15");
    expect(fee.totalCents).toBe(0);
    expect(fee.lines.map((item) => [item.kind, item.amountCents])).toEqual([
      ["advantage_pro_rata", 0],
      ["remaining_fees_share", 27000],
    ]);
  });

  it("charges nothing without a commitment, after it, after tacit renewal, for a free-exit reason or a withdrawal", () => {
    expect(pt.earlyTerminationFee(contract({ commitmentMonths: 0 }), "2026-07-15")).toMatchObject({
      totalCents: 0,
      waiver: "no_commitment",
    });
    expect(pt.earlyTerminationFee(contract(), "2028-01-15")).toMatchObject({
      totalCents: 0,
      waiver: "commitment_over",
    });
    expect(pt.earlyTerminationFee(contract({ tacitlyRenewed: true }), "2026-07-15")).toMatchObject({
      totalCents: 0,
      waiver: "tacitly_renewed",
    });
    const excused = pt.earlyTerminationFee(contract(), "2026-07-15", {
      terminationType: "legitimate_reason",
    });
    expect(excused).toMatchObject({ totalCents: 0, waiver: "legitimate_reason" });
    expect(excused.lines).toHaveLength(2);
    expect(excused.remainingFeesCents).toBe(54000);
    expect(
      pt.earlyTerminationFee(contract(), "2026-07-15", { terminationType: "withdrawal" }),
    ).toMatchObject({ totalCents: 0, waiver: "withdrawal", lines: [] });
  });

  it("is the lower of the two lines, within 50 % (year 1) or 30 % (year 2) of the fees still due", () => {
    fc.assert(
      fc.property(contractFacts, fc.integer({ min: 0, max: 800 }), (facts, offset) => {
        const endDate = addDays(facts.startDate, offset);
        const fee = pt.earlyTerminationFee(facts, endDate);
        expect(fee.totalCents).toBeGreaterThanOrEqual(0);
        const commitmentEnd = addMonths(facts.startDate, facts.commitmentMonths);
        if (facts.commitmentMonths === 0 || facts.tacitlyRenewed || endDate >= commitmentEnd) {
          expect(fee.totalCents).toBe(0);
          expect(fee.lines).toEqual([]);
          return;
        }
        const [advantage, fees] = fee.lines;
        expect(fee.rule).toBe("lower_of");
        expect(fee.totalCents).toBe(Math.min(advantage!.amountCents, fees!.amountCents));
        expect(fee.totalCents).toBeLessThanOrEqual(advantage!.amountCents);
        expect(fee.totalCents).toBeLessThanOrEqual(fees!.amountCents);
        expect(advantage!.amountCents).toBeLessThanOrEqual(facts.subsidisedDeviceValueCents);
        expect(advantage!.sharePercent).toBeLessThanOrEqual(100);
        const share = endDate < addMonths(facts.startDate, 12) ? 50 : 30;
        expect(fees!.sharePercent).toBe(share);
        expect(fee.totalCents).toBeLessThanOrEqual(
          Math.round((fee.remainingFeesCents * share) / 100),
        );
      }),
    );
  });

  it("is 0 for a free-exit reason and a withdrawal, whatever the contract", () => {
    fc.assert(
      fc.property(contractFacts, fc.integer({ min: 0, max: 800 }), (facts, offset) => {
        const endDate = addDays(facts.startDate, offset);
        expect(pt.earlyTerminationFee(facts, endDate, { legitimateReason: true }).totalCents).toBe(
          0,
        );
        expect(
          pt.earlyTerminationFee(facts, endDate, { terminationType: "withdrawal" }),
        ).toMatchObject({ totalCents: 0, waiver: "withdrawal" });
      }),
    );
  });
});

describe("Portugal: end date, reasons, refunds", () => {
  it("preselects 10 days after receipt in Lisbon time", () => {
    // 23:30 UTC on 31 October 2026 is 23:30 in Lisbon (winter time, UTC+0): still the 31st.
    expect(pt.endDateWindow(new Date("2026-10-31T23:30:00Z"), policy)).toMatchObject({
      receiptDate: "2026-10-31",
      earliest: "2026-11-10",
      legalLatest: "2026-11-10",
    });
    // 23:30 UTC on 30 June 2026 is already 1 July in Lisbon (summer time, UTC+1).
    expect(pt.endDateWindow(new Date("2026-06-30T23:30:00Z"), policy).receiptDate).toBe(
      "2026-07-01",
    );
  });

  it("never ends before receipt, and lets an operator shorten the notice only", () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -5, max: 30 }),
        fc.integer({ min: -400, max: 800 }),
        fc.constantFrom("ordinary" as const, "legitimate_reason" as const),
        (receivedAt, noticeDays, offset, terminationType) => {
          const window = pt.endDateWindow(
            receivedAt,
            { ...policy, noticeDays },
            { terminationType },
          );
          expect(window.earliest >= window.receiptDate).toBe(true);
          expect(window.earliest <= window.legalLatest).toBe(true);
          expect(daysBetween(window.receiptDate, window.legalLatest)).toBe(PT_NOTICE_DAYS);
          const check = pt.checkEndDate(addDays(window.earliest, offset), window);
          if (check.ok) expect(check.endDate >= window.receiptDate).toBe(true);
        },
      ),
    );
  });

  it("lists the free-exit reasons of art. 133 with their proofs", () => {
    expect(pt.legitimateReasons).toEqual([
      { code: "unemployment", proofs: ["proof.unemployment"] },
      { code: "incapacity", proofs: ["proof.medical", "proof.incomeLoss"] },
      { code: "moving_abroad", proofs: ["proof.residenceAbroad"] },
      { code: "moving_uncovered", proofs: ["proof.newAddress", "proof.noCoverage"] },
    ]);
  });

  it("states the equipment to return and its charge if not returned (ANACOM)", () => {
    const router = {
      id: "r",
      kind: "box" as const,
      model: "Router",
      mustReturn: true,
      nonReturnChargeCents: 9000,
      depositCents: 0,
      currency: "EUR",
    };
    expect(pt.returnPlan([router], "2026-07-15", policy)).toEqual({
      items: [router],
      deadline: "2026-08-14",
      methods: ["shop", "post_office"],
      totalNonReturnChargeCents: 9000,
    });
    expect(pt.refundDueDate("deposit", "2026-08-01")).toBe("2026-08-11");
  });
});
