import { describe, expect, it } from "vitest";
import { durationParts, slaState } from "./winback-sla";

const due = new Date("2026-11-23T14:00:00Z");

describe("the SLA timer", () => {
  it("counts down to the first contact's due time", () => {
    expect(
      slaState({ slaDueAt: due, firstContactAt: null }, new Date("2026-11-23T09:00:00Z")),
    ).toEqual({ kind: "due", minutes: 300 });
    // 30 seconds left is still "due", never "due in 0 min".
    expect(
      slaState({ slaDueAt: due, firstContactAt: null }, new Date("2026-11-23T13:59:30Z")),
    ).toEqual({ kind: "due", minutes: 1 });
  });

  it("counts how late the first contact is once the time has passed", () => {
    expect(slaState({ slaDueAt: due, firstContactAt: null }, due)).toEqual({
      kind: "overdue",
      minutes: 0,
    });
    expect(
      slaState({ slaDueAt: due, firstContactAt: null }, new Date("2026-11-23T16:10:00Z")),
    ).toEqual({ kind: "overdue", minutes: 130 });
  });

  it("stops at the first contact, on time or late", () => {
    const later = new Date("2026-11-25T00:00:00Z");
    expect(
      slaState({ slaDueAt: due, firstContactAt: new Date("2026-11-23T10:00:00Z") }, later),
    ).toEqual({ kind: "met", lateMinutes: 0 });
    expect(
      slaState({ slaDueAt: due, firstContactAt: new Date("2026-11-23T15:30:00Z") }, later),
    ).toEqual({ kind: "met", lateMinutes: 90 });
  });
});

describe("durations", () => {
  it("keeps hours and minutes under a day, days and hours above", () => {
    expect(durationParts(45)).toEqual({ days: 0, hours: 0, minutes: 45 });
    expect(durationParts(5 * 60 + 50)).toEqual({ days: 0, hours: 5, minutes: 50 });
    expect(durationParts(2 * 24 * 60 + 3 * 60 + 59)).toEqual({ days: 2, hours: 3, minutes: 0 });
  });
});
