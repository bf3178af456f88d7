import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween } from "../dates";
import { fr, FR_NOTICE_DAYS } from "./fr";
import { contractBuilder, instant, contractFacts } from "./pack-test-data";
import type { ContractFacts } from "./types";

const policy = { returnDeadlineDays: 30, returnMethods: ["relay_point", "post_office"] };

const contract = contractBuilder({ monthlyPriceCents: 4499, startDate: "2026-03-23" });

/** Every monthly fee from the end date to the end of the commitment, prorated by day. */
function remainingFees(facts: ContractFacts, endDate: string): number {
  const commitmentEnd = addMonths(facts.startDate, facts.commitmentMonths);
  if (endDate >= commitmentEnd) return 0;
  const days = daysBetween(endDate, commitmentEnd);
  return facts.monthlyPriceCents * Math.ceil(days / 28) + 1;
}

describe("France: end date", () => {
  it("preselects 10 days after receipt, in Paris time, also across midnight and DST changes", () => {
    // 23:30 in Paris on 24 October 2026 (UTC+2) is still the 24th; the change to winter time is that night.
    expect(fr.endDateWindow(new Date("2026-10-24T21:30:00Z"), policy)).toMatchObject({
      receiptDate: "2026-10-24",
      earliest: "2026-11-03",
    });
    // 00:30 in Paris on 1 November 2026 (UTC+1) is already the 1st although UTC still says 31 October.
    expect(fr.endDateWindow(new Date("2026-10-31T23:30:00Z"), policy)).toMatchObject({
      receiptDate: "2026-11-01",
      earliest: "2026-11-11",
    });
    // Month and year ends.
    expect(fr.endDateWindow(new Date("2026-12-25T10:00:00Z"), policy).earliest).toBe("2027-01-04");
    expect(fr.endDateWindow(new Date("2028-02-25T10:00:00Z"), policy).earliest).toBe("2028-03-06");
  });

  it("never ends before receipt nor later than the legal maximum unless the subscriber chose it", () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -5, max: 30 }),
        fc.integer({ min: -400, max: 800 }),
        (receivedAt, noticeDays, offset) => {
          const window = fr.endDateWindow(receivedAt, { ...policy, noticeDays });
          expect(window.earliest >= window.receiptDate).toBe(true);
          expect(window.earliest <= window.legalLatest).toBe(true);
          expect(daysBetween(window.receiptDate, window.legalLatest)).toBe(FR_NOTICE_DAYS);
          const requested = addDays(window.earliest, offset);
          const check = fr.checkEndDate(requested, window);
          if (check.ok) {
            expect(check.endDate >= window.earliest).toBe(true);
            expect(check.endDate >= window.receiptDate).toBe(true);
          } else {
            expect(requested < window.earliest || requested > window.latestChoosable).toBe(true);
          }
        },
      ),
    );
  });

  it("lets an operator be more favourable (shorter notice), never less", () => {
    const receivedAt = new Date("2026-11-23T10:00:00Z");
    expect(fr.endDateWindow(receivedAt, { ...policy, noticeDays: 2 }).earliest).toBe("2026-11-25");
    expect(fr.endDateWindow(receivedAt, { ...policy, noticeDays: 30 }).earliest).toBe("2026-12-03");
    expect(fr.checkEndDate("2026-12-02", fr.endDateWindow(receivedAt, policy))).toEqual({
      ok: false,
      error: "before_earliest",
    });
    expect(fr.checkEndDate("2026-02-30", fr.endDateWindow(receivedAt, policy))).toEqual({
      ok: false,
      error: "invalid",
    });
  });
});

describe("France: early-termination fee", () => {
  it("charges the months up to month 12 and 0 % of the rest without a subsidised device (Camille, 8 months in)", () => {
    const fee = fr.earlyTerminationFee(contract(), "2026-12-03");
    expect(fee.lines).toEqual([
      expect.objectContaining({ kind: "months_to_twelve", months: 3, days: 20, sharePercent: 100 }),
      expect.objectContaining({
        kind: "share_after_twelve",
        months: 12,
        days: 0,
        sharePercent: 0,
        amountCents: 0,
      }),
    ]);
    // 3 December → 3 March is 3 months; 3 → 23 March is 20 days of the 31-day month that starts then.
    expect(fee.lines[0]!.amountCents).toBe(3 * 4499 + Math.round((4499 * 20) / 31));
    expect(fee.totalCents).toBe(fee.lines[0]!.amountCents);
    expect(fee.commitmentEndDate).toBe("2028-03-23");
  });

  it("charges only the device share after month 12 (Lucas, 18 months in, subsidised phone)", () => {
    const lucas = contract({
      startDate: "2025-05-23",
      monthlyPriceCents: 3499,
      subsidisedDeviceValueCents: 36000,
    });
    const fee = fr.earlyTerminationFee(lucas, "2026-12-03");
    expect(fee.lines).toHaveLength(1);
    expect(fee.lines[0]).toMatchObject({
      kind: "share_after_twelve",
      sharePercent: 20,
      months: 5,
      days: 20,
    });
    expect(fee.totalCents).toBe(Math.round((fee.lines[0]!.periodCents * 20) / 100));
    expect(fee.totalCents).toBeGreaterThan(0);
  });

  it("charges nothing out of commitment, after tacit renewal, or for a legitimate reason", () => {
    expect(fr.earlyTerminationFee(contract({ commitmentMonths: 0 }), "2026-12-03")).toMatchObject({
      totalCents: 0,
      waiver: "no_commitment",
    });
    expect(
      fr.earlyTerminationFee(
        contract({ startDate: "2023-05-23", commitmentMonths: 12, tacitlyRenewed: true }),
        "2026-12-03",
      ),
    ).toMatchObject({ totalCents: 0, waiver: "tacitly_renewed" });
    expect(
      fr.earlyTerminationFee(contract({ startDate: "2024-01-10" }), "2026-12-03"),
    ).toMatchObject({ totalCents: 0, waiver: "commitment_over" });
    const excused = fr.earlyTerminationFee(contract(), "2026-12-03", { legitimateReason: true });
    expect(excused).toMatchObject({ totalCents: 0, waiver: "legitimate_reason" });
    expect(excused.remainingFeesCents).toBeGreaterThan(0);
  });

  it("is never negative and never above the monthly fees still due", () => {
    fc.assert(
      fc.property(
        contractFacts,
        fc.integer({ min: -30, max: 800 }),
        fc.boolean(),
        (facts, offset, legitimateReason) => {
          const endDate = addDays(facts.startDate, offset);
          const fee = fr.earlyTerminationFee(facts, endDate, { legitimateReason });
          expect(fee.totalCents).toBeGreaterThanOrEqual(0);
          expect(fee.totalCents).toBeLessThanOrEqual(fee.remainingFeesCents);
          expect(fee.remainingFeesCents).toBeLessThanOrEqual(remainingFees(facts, endDate));
          expect(fee.totalCents).toBe(
            fee.waiver ? 0 : fee.lines.reduce((sum, item) => sum + item.amountCents, 0),
          );
          for (const item of fee.lines) {
            expect(item.amountCents).toBeGreaterThanOrEqual(0);
            expect(item.amountCents).toBeLessThanOrEqual(item.periodCents);
          }
        },
      ),
    );
  });

  it("falls as the end date moves later", () => {
    fc.assert(
      fc.property(
        contractFacts,
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 60 }),
        (facts, offset, later) => {
          const endDate = addDays(facts.startDate, offset);
          const sooner = fr.earlyTerminationFee(facts, endDate).totalCents;
          const laterFee = fr.earlyTerminationFee(facts, addDays(endDate, later)).totalCents;
          expect(laterFee).toBeLessThanOrEqual(sooner + 1); // 1 cent: rounding of two prorated periods
        },
      ),
    );
  });
});

describe("France: refunds and equipment", () => {
  const box = {
    id: "b",
    kind: "box" as const,
    model: "Nébula Box 7",
    mustReturn: true,
    nonReturnChargeCents: 12000,
    depositCents: 4900,
    currency: "EUR",
  };
  const sim = {
    id: "s",
    kind: "sim" as const,
    model: "SIM",
    mustReturn: false,
    nonReturnChargeCents: 0,
    depositCents: 0,
    currency: "EUR",
  };

  it("expects the deposit back 10 days after the equipment, and a credit 10 days after the last invoice", () => {
    expect(fr.refundsExpected(contract({ creditBalanceCents: 1250 }), [box, sim])).toEqual([
      {
        kind: "deposit",
        amountCents: 4900,
        currency: "EUR",
        trigger: "equipment_returned",
        legalDays: 10,
      },
      {
        kind: "credit_balance",
        amountCents: 1250,
        currency: "EUR",
        trigger: "last_invoice_paid",
        legalDays: 10,
      },
    ]);
    expect(fr.refundsExpected(contract(), [sim])).toEqual([]);
  });

  it("lists what to return, by when, how, and the charge if not returned; a SIM never", () => {
    expect(fr.returnPlan([box, sim], "2026-12-03", policy)).toEqual({
      items: [box],
      deadline: "2027-01-02",
      methods: ["relay_point", "post_office"],
      totalNonReturnChargeCents: 12000,
    });
    expect(fr.returnPlan([sim], "2026-12-03", policy)).toMatchObject({
      items: [],
      deadline: null,
      methods: [],
    });
  });
});

describe("France: EU withdrawal", () => {
  it("ends a withdrawn contract on the receipt date, in Paris time, with no fee", () => {
    // 00:30 in Paris on 1 November 2026 is already the 1st.
    const window = fr.endDateWindow(new Date("2026-10-31T23:30:00Z"), policy, {
      terminationType: "withdrawal",
    });
    expect(window).toEqual({
      receiptDate: "2026-11-01",
      earliest: "2026-11-01",
      legalLatest: "2026-11-01",
      latestChoosable: "2026-11-01",
    });
    expect(fr.checkEndDate("2026-11-01", window)).toEqual({ ok: true, endDate: "2026-11-01" });
    expect(fr.checkEndDate("2026-11-02", window)).toEqual({ ok: false, error: "too_far" });
    expect(fr.checkEndDate("2026-10-31", window)).toEqual({ ok: false, error: "before_earliest" });
    const fee = fr.earlyTerminationFee(contract({ startDate: "2026-10-25" }), "2026-11-01", {
      terminationType: "withdrawal",
    });
    expect(fee).toMatchObject({ totalCents: 0, waiver: "withdrawal", lines: [] });
  });

  it("refunds advance payments and credit within 14 days (CRD art. 13), deposits as usual", () => {
    const facts = contract({
      startDate: "2026-10-25",
      prepaidThrough: "2026-11-24",
      creditBalanceCents: 500,
      depositCents: 4900,
    });
    const refunds = fr.refundsExpected(facts, [], "2026-11-01", { terminationType: "withdrawal" });
    expect(refunds.map((refund) => [refund.kind, refund.legalDays])).toEqual([
      ["deposit", 10],
      ["advance_payment", 14],
      ["credit_balance", 14],
    ]);
    expect(fr.refundsExpected(facts, [], "2026-11-01").map((refund) => refund.legalDays)).toEqual([
      10, 10, 10,
    ]);
  });
});
