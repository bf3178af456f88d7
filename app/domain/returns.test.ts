import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween, type IsoDate } from "./dates";
import {
  CARRIER_EVENT_KINDS,
  REFUND_STATUSES,
  RETURN_STATUSES,
  type RefundStatus,
  type ReturnStatus,
} from "./enums";
import {
  assertRefundTransition,
  assertReturnTransition,
  depositStatement,
  InvalidTransition,
  pickupDates,
  PICKUP_DAYS_OFFERED,
  REFUND_TRANSITIONS,
  refundUrgency,
  reminderDue,
  RETURN_TRANSITIONS,
  returnStatusAfterCarrierEvent,
  returnStatusAfterReception,
} from "./returns";

const isoDate = fc
  .date({
    min: new Date("2000-01-01T00:00:00Z"),
    max: new Date("2099-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

const weekday = (date: IsoDate) => new Date(`${date}T12:00:00Z`).getUTCDay();

/** What an assert* call does with a pair: passes, or throws (and which error). */
function outcome(run: () => void): "allowed" | InvalidTransition {
  try {
    run();
    return "allowed";
  } catch (error) {
    if (error instanceof InvalidTransition) return error;
    throw error;
  }
}

describe("return state machine", () => {
  it("allows exactly the listed transitions (and staying put), refusing every other pair", () => {
    for (const from of RETURN_STATUSES)
      for (const to of RETURN_STATUSES) {
        const result = outcome(() => assertReturnTransition(from, to));
        if (from === to || RETURN_TRANSITIONS[from].includes(to)) {
          expect(result, `${from} → ${to}`).toBe("allowed");
        } else {
          expect(result, `${from} → ${to}`).toBeInstanceOf(InvalidTransition);
          const error = result as InvalidTransition;
          expect(error).toMatchObject({ machine: "return", from, to, name: "InvalidTransition" });
          expect(error.message).toBe(`return: ${from} → ${to} is not allowed`);
        }
      }
  });

  it("keeps the machine's shape: final states are final, a charge goes through overdue", () => {
    expect(RETURN_TRANSITIONS.inspected).toEqual([]);
    expect(RETURN_TRANSITIONS.cancelled).toEqual([]);
    expect(() => assertReturnTransition("received", "charged")).toThrow(InvalidTransition);
    expect(() => assertReturnTransition("awaiting_shipment", "charged")).toThrow(InvalidTransition);
    expect(() => assertReturnTransition("received", "cancelled")).toThrow(InvalidTransition);
    expect(() => assertReturnTransition("charged", "received")).toThrow(InvalidTransition);
    // Every listed target is a real status (no typo in the table).
    for (const targets of Object.values(RETURN_TRANSITIONS))
      for (const to of targets) expect(RETURN_STATUSES).toContain(to);
  });
});

describe("refund state machine", () => {
  it("allows exactly the listed transitions (and staying put), refusing every other pair", () => {
    for (const from of REFUND_STATUSES)
      for (const to of REFUND_STATUSES) {
        const result = outcome(() => assertRefundTransition(from, to));
        if (from === to || REFUND_TRANSITIONS[from].includes(to)) {
          expect(result, `${from} → ${to}`).toBe("allowed");
        } else {
          expect(result, `${from} → ${to}`).toBeInstanceOf(InvalidTransition);
          expect(result).toMatchObject({ machine: "refund", from, to });
        }
      }
  });

  it("never pays a refund twice nor revives a cancelled one", () => {
    for (const to of REFUND_STATUSES.filter((status) => status !== "issued"))
      expect(() => assertRefundTransition("issued", to)).toThrow(InvalidTransition);
    for (const to of REFUND_STATUSES.filter((status) => status !== "cancelled"))
      expect(() => assertRefundTransition("cancelled", to)).toThrow(InvalidTransition);
    // A scheduled refund is never paid before its clock started.
    expect(() => assertRefundTransition("scheduled", "issued")).toThrow(InvalidTransition);
    for (const targets of Object.values(REFUND_TRANSITIONS))
      for (const to of targets) expect(REFUND_STATUSES).toContain(to);
  });
});

describe("reminderDue", () => {
  const deadline = "2027-01-04";

  it("sends the 7-day reminder from 7 to 2 days left, the 1-day one on the last day", () => {
    const byDaysLeft = (daysLeft: number) => reminderDue(deadline, addDays(deadline, -daysLeft));
    for (const daysLeft of [7, 6, 5, 4, 3, 2]) expect(byDaysLeft(daysLeft)).toBe("7d");
    expect(byDaysLeft(1)).toBe("1d");
    for (const daysLeft of [0, -1, -2, -30, 8, 9, 30])
      expect(byDaysLeft(daysLeft), `${daysLeft} days left`).toBeNull();
  });

  it("counts calendar days across a month and a year end", () => {
    expect(reminderDue("2027-01-03", "2026-12-27")).toBe("7d");
    expect(reminderDue("2027-01-03", "2026-12-26")).toBeNull();
    expect(reminderDue("2027-03-01", "2027-02-28")).toBe("1d");
  });

  it("matches the number of days left for any pair of dates", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -60, max: 60 }), (today, daysLeft) => {
        const key = reminderDue(addDays(today, daysLeft), today);
        if (daysLeft === 1) expect(key).toBe("1d");
        else if (daysLeft >= 2 && daysLeft <= 7) expect(key).toBe("7d");
        else expect(key).toBeNull();
      }),
    );
  });
});

describe("depositStatement", () => {
  it("offsets the charges against the deposit, never beyond either", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (deposit, charges) => {
          const statement = depositStatement(deposit, charges);
          expect(statement.depositCents).toBe(deposit);
          expect(statement.chargesCents).toBe(charges);
          expect(statement.offsetCents).toBeLessThanOrEqual(deposit);
          expect(statement.offsetCents).toBeLessThanOrEqual(charges);
          expect(statement.netCents + statement.offsetCents).toBe(deposit);
          expect(statement.remainingChargeCents + statement.offsetCents).toBe(charges);
          for (const value of Object.values(statement)) {
            expect(Number.isInteger(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
          // Nothing is both refunded and still owed.
          expect(statement.netCents === 0 || statement.remainingChargeCents === 0).toBe(true);
        },
      ),
    );
  });

  it("gives the statements of the worked examples", () => {
    expect(depositStatement(7900, 9000)).toEqual({
      depositCents: 7900,
      chargesCents: 9000,
      offsetCents: 7900,
      netCents: 0,
      remainingChargeCents: 1100,
    });
    expect(depositStatement(7900, 3000)).toEqual({
      depositCents: 7900,
      chargesCents: 3000,
      offsetCents: 3000,
      netCents: 4900,
      remainingChargeCents: 0,
    });
    expect(depositStatement(4900, 0)).toMatchObject({ offsetCents: 0, netCents: 4900 });
    expect(depositStatement(0, 15000)).toMatchObject({
      offsetCents: 0,
      netCents: 0,
      remainingChargeCents: 15000,
    });
  });
});

describe("refundUrgency", () => {
  const today = "2026-12-30";
  const due = (legalDueDate: IsoDate | null, status: RefundStatus = "due") =>
    refundUrgency({ status, legalDueDate }, today);

  it("is overdue after the due date, soon within 2 days, on time before", () => {
    expect(due("2026-12-29")).toBe("overdue");
    expect(due("2026-11-01")).toBe("overdue");
    expect(due("2026-12-30")).toBe("soon");
    expect(due("2026-12-31")).toBe("soon");
    expect(due("2027-01-01")).toBe("soon");
    expect(due("2027-01-02")).toBe("on_time");
    expect(due("2027-02-01")).toBe("on_time");
    // A failed payment is still owed.
    expect(due("2026-12-29", "failed")).toBe("overdue");
    expect(due("2027-01-01", "failed")).toBe("soon");
  });

  it("is none without a due date or once the refund is not owed now", () => {
    for (const status of REFUND_STATUSES) expect(due(null, status)).toBe("none");
    for (const status of ["scheduled", "issued", "withheld", "cancelled"] as const) {
      expect(due("2026-12-01", status), status).toBe("none");
      expect(due("2026-12-31", status), status).toBe("none");
    }
  });

  it("follows the days left for any due or failed refund", () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: -40, max: 40 }),
        fc.constantFrom<RefundStatus>("due", "failed"),
        (day, daysLeft, status) => {
          const urgency = refundUrgency({ status, legalDueDate: addDays(day, daysLeft) }, day);
          expect(urgency).toBe(daysLeft < 0 ? "overdue" : daysLeft <= 2 ? "soon" : "on_time");
        },
      ),
    );
  });
});

describe("pickupDates", () => {
  it("offers working days from the day after tomorrow, across a month end", () => {
    // Wednesday 28 January 2026: the first offer is Friday 30, then the next week.
    expect(pickupDates("2026-01-28", "2026-03-31")).toEqual([
      "2026-01-30",
      "2026-02-02",
      "2026-02-03",
      "2026-02-04",
      "2026-02-05",
      "2026-02-06",
      "2026-02-09",
      "2026-02-10",
      "2026-02-11",
      "2026-02-12",
    ]);
    // Across a year end, stopped by the deadline (a Sunday).
    expect(pickupDates("2026-12-28", "2027-01-03")).toEqual([
      "2026-12-30",
      "2026-12-31",
      "2027-01-01",
    ]);
  });

  it("offers nothing when the deadline is too close", () => {
    expect(pickupDates("2026-12-28", "2026-12-29")).toEqual([]);
    expect(pickupDates("2026-12-28", "2026-12-01")).toEqual([]);
    // Friday: the day after tomorrow is a Sunday.
    expect(pickupDates("2027-01-01", "2027-01-03")).toEqual([]);
  });

  it("never offers a weekend, a day too soon, a day after the deadline, or more than ten", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -5, max: 60 }), (today, span) => {
        const deadline = addDays(today, span);
        const dates = pickupDates(today, deadline);
        expect(dates.length).toBeLessThanOrEqual(PICKUP_DAYS_OFFERED);
        for (const date of dates) {
          expect([0, 6]).not.toContain(weekday(date));
          expect(daysBetween(today, date)).toBeGreaterThanOrEqual(2);
          expect(date <= deadline).toBe(true);
        }
        expect([...dates].sort()).toEqual(dates);
        expect(new Set(dates).size).toBe(dates.length);
        // No working day skipped between the first offer and the last.
        let working = 0;
        for (let day = addDays(today, 2); day <= deadline; day = addDays(day, 1))
          if (![0, 6].includes(weekday(day))) working += 1;
        expect(dates.length).toBe(Math.min(working, PICKUP_DAYS_OFFERED));
      }),
    );
  });
});

describe("returnStatusAfterReception", () => {
  const back = { receivedAt: new Date("2026-12-10T09:00:00Z"), chargeCents: 0 };
  const missing = { receivedAt: null, chargeCents: 0 };
  const charged = { receivedAt: null, chargeCents: 9000 };

  it("is inspected once every item is back, whatever the status before", () => {
    for (const status of RETURN_STATUSES)
      expect(returnStatusAfterReception(status, [back, { ...back, chargeCents: 0 }])).toBe(
        "inspected",
      );
  });

  it("is received while some items are missing, but a charged or overdue return stays so", () => {
    for (const status of ["awaiting_shipment", "in_transit", "received"] as const)
      expect(returnStatusAfterReception(status, [back, missing])).toBe("received");
    expect(returnStatusAfterReception("charged", [back, charged])).toBe("charged");
    expect(returnStatusAfterReception("overdue", [back, missing])).toBe("overdue");
  });

  it("gives a status the machine allows from an open or charged return", () => {
    const statuses: ReturnStatus[] = ["awaiting_shipment", "in_transit", "received", "charged"];
    for (const status of statuses)
      for (const items of [[back], [back, missing], [back, charged]]) {
        const after = returnStatusAfterReception(status, items);
        expect(() => assertReturnTransition(status, after), `${status} → ${after}`).not.toThrow();
      }
  });
});

describe("returnStatusAfterCarrierEvent", () => {
  it("moves a return waiting for its parcel to in transit, whatever the event", () => {
    for (const kind of CARRIER_EVENT_KINDS)
      expect(returnStatusAfterCarrierEvent("awaiting_shipment", kind)).toBe("in_transit");
  });

  it("leaves any other status as it is", () => {
    for (const status of RETURN_STATUSES.filter((value) => value !== "awaiting_shipment"))
      for (const kind of CARRIER_EVENT_KINDS)
        expect(returnStatusAfterCarrierEvent(status, kind)).toBe(status);
  });
});
