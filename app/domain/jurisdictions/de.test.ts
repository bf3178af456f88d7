import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths } from "../dates";
import { de } from "./de";
import { contractBuilder, instant, contractFacts } from "./pack-test-data";

const policy = { returnDeadlineDays: 14, returnMethods: ["post_office"] };

const contract = contractBuilder({ monthlyPriceCents: 3999, startDate: "2024-01-10" });

const receivedAt = new Date("2026-11-23T10:00:00Z");

describe("Germany: ordinary termination (§ 309 Nr. 9 BGB, § 56 TKG)", () => {
  it("ends a contract past its minimum term exactly one calendar month after receipt, in Berlin time", () => {
    const contracts = [contract()];
    expect(de.endDateWindow(receivedAt, policy, { contracts })).toEqual({
      receiptDate: "2026-11-23",
      earliest: "2026-12-23",
      legalLatest: "2026-12-23",
      latestChoosable: "2028-11-23",
    });
    // 00:30 in Berlin on 1 November 2026 (UTC+1) is already the 1st.
    expect(de.endDateWindow(new Date("2026-10-31T23:30:00Z"), policy, { contracts })).toMatchObject(
      { receiptDate: "2026-11-01", earliest: "2026-12-01" },
    );
    // A month without the receipt day ends on its last day.
    expect(de.endDateWindow(new Date("2027-01-31T12:00:00Z"), policy).earliest).toBe("2027-02-28");
    expect(de.earlyTerminationFee(contract(), "2026-12-23")).toMatchObject({
      totalCents: 0,
      lines: [],
      waiver: "commitment_over",
    });
  });

  it("waits for the end of the minimum term when it is later than one month after receipt", () => {
    const inside = contract({ startDate: "2026-03-23" });
    expect(de.endDateWindow(receivedAt, policy, { contracts: [inside] })).toMatchObject({
      earliest: "2028-03-23",
      legalLatest: "2028-03-23",
    });
    // The minimum term ends before the month's notice does: the notice wins.
    const endingSoon = contract({ startDate: "2024-12-05" });
    expect(de.endDateWindow(receivedAt, policy, { contracts: [endingSoon] }).earliest).toBe(
      "2026-12-23",
    );
    // Several contracts: the latest minimum term; a tacitly renewed contract has none.
    const renewed = contract({ startDate: "2026-06-01", tacitlyRenewed: true });
    expect(
      de.endDateWindow(receivedAt, policy, {
        contracts: [endingSoon, contract({ startDate: "2026-01-15" }), renewed],
      }).earliest,
    ).toBe("2028-01-15");
    expect(de.endDateWindow(receivedAt, policy, { contracts: [renewed] }).earliest).toBe(
      "2026-12-23",
    );
    expect(de.earlyTerminationFee(inside, "2026-12-23")).toMatchObject({
      totalCents: 0,
      waiver: "no_early_termination_fee",
    });
  });

  it("lets an operator shorten the notice, never lengthen it, and keeps the minimum term", () => {
    expect(de.endDateWindow(receivedAt, { ...policy, noticeDays: 5 })).toMatchObject({
      earliest: "2026-11-28",
      legalLatest: "2026-12-23",
    });
    expect(de.endDateWindow(receivedAt, { ...policy, noticeDays: 60 }).earliest).toBe("2026-12-23");
    const inside = contract({ startDate: "2026-03-23" });
    expect(
      de.endDateWindow(receivedAt, { ...policy, noticeDays: 0 }, { contracts: [inside] }).earliest,
    ).toBe("2028-03-23");
  });

  it("ends at the later of one month after receipt and every running minimum term", () => {
    fc.assert(
      fc.property(
        instant,
        fc.array(contractFacts, { maxLength: 3 }),
        fc.integer({ min: -400, max: 800 }),
        (at, contracts, offset) => {
          const window = de.endDateWindow(at, policy, { terminationType: "ordinary", contracts });
          const notice = addMonths(window.receiptDate, 1);
          const terms = contracts
            .filter((facts) => facts.commitmentMonths > 0 && !facts.tacitlyRenewed)
            .map((facts) => addMonths(facts.startDate, facts.commitmentMonths));
          const expected = [notice, ...terms].reduce((a, b) => (a > b ? a : b));
          expect(window.earliest).toBe(expected);
          expect(window.legalLatest).toBe(expected);
          expect(window.latestChoosable >= window.earliest).toBe(true);
          const check = de.checkEndDate(addDays(window.earliest, offset), window);
          if (check.ok) expect(check.endDate >= window.earliest).toBe(true);
        },
      ),
    );
  });
});

describe("Germany: extraordinary termination", () => {
  const inside = contract({ startDate: "2026-03-23" });

  it("ends on receipt for a service failure, a contract change or good cause, even inside the minimum term", () => {
    for (const reason of ["service_failure", "contract_change", "good_cause"]) {
      const window = de.endDateWindow(receivedAt, policy, {
        terminationType: "extraordinary",
        reason,
        contracts: [inside],
      });
      expect(window).toMatchObject({ earliest: "2026-11-23", legalLatest: "2026-11-23" });
      expect(de.checkEndDate("2026-11-23", window)).toEqual({ ok: true, endDate: "2026-11-23" });
    }
    expect(
      de.earlyTerminationFee(inside, "2026-11-23", { terminationType: "extraordinary" }),
    ).toMatchObject({ totalCents: 0, waiver: "no_early_termination_fee" });
  });

  it("ends one month after receipt when moving where the service is unavailable (§ 60 Abs. 2 TKG)", () => {
    expect(
      de.endDateWindow(receivedAt, policy, {
        terminationType: "extraordinary",
        reason: "moving_uncovered",
        contracts: [inside],
      }),
    ).toMatchObject({ earliest: "2026-12-23", legalLatest: "2026-12-23" });
  });

  it("asks for no proof (§ 312k (2) BGB caps the fields)", () => {
    expect(de.legitimateReasons.map((reason) => reason.code)).toEqual([
      "moving_uncovered",
      "service_failure",
      "contract_change",
      "good_cause",
    ]);
    for (const reason of de.legitimateReasons) expect(reason.proofs).toEqual([]);
    expect(de.terminationTypes).toEqual(["ordinary", "extraordinary"]);
    expect(de.journey).toBe("single_page");
  });
});

describe("Germany: no early-termination fee", () => {
  it("is always 0, with the reason why", () => {
    fc.assert(
      fc.property(
        contractFacts,
        fc.integer({ min: -30, max: 800 }),
        fc.constantFrom("ordinary" as const, "extraordinary" as const, "withdrawal" as const),
        (facts, offset, terminationType) => {
          const endDate = addDays(facts.startDate, offset);
          const fee = de.earlyTerminationFee(facts, endDate, { terminationType });
          expect(fee.totalCents).toBe(0);
          expect(fee.lines).toEqual([]);
          const commitmentEnd = addMonths(facts.startDate, facts.commitmentMonths);
          const expected =
            terminationType === "withdrawal"
              ? "withdrawal"
              : facts.commitmentMonths === 0
                ? "no_commitment"
                : facts.tacitlyRenewed || endDate >= commitmentEnd
                  ? "commitment_over"
                  : "no_early_termination_fee";
          expect(fee.waiver).toBe(expected);
        },
      ),
    );
  });

  it("refunds within the portal's 10 days", () => {
    expect(de.refundsExpected(contract({ creditBalanceCents: 700 }), [])).toEqual([
      {
        kind: "credit_balance",
        amountCents: 700,
        currency: "EUR",
        trigger: "last_invoice_paid",
        legalDays: 10,
      },
    ]);
    expect(de.refundDueDate("credit_balance", "2026-12-31")).toBe("2027-01-10");
  });
});
