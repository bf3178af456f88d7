import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_WINBACK_POLICY,
  attemptRefusal,
  contactWindowState,
  frenchPublicHolidays,
  isContactDay,
  itemAfterAttempt,
  outcomeRefusal,
  type AttemptContext,
} from "./winback-policy";

const PARIS = "Europe/Paris";
// Monday 23 November 2026, 15:00 in Paris (UTC+1).
const MONDAY_3PM = new Date("2026-11-23T14:00:00Z");

const item: AttemptContext = {
  status: "claimed",
  claimedByMe: true,
  suppressed: false,
  attemptsSoFar: 0,
  createdAt: new Date("2026-11-20T09:00:00Z"),
  consentedChannel: "phone",
  window: "afternoon",
};
const call = { channel: "phone" as const, outcome: "no_answer" as const };

describe("contact windows", () => {
  it("knows the French public holidays, Easter-based ones included", () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      "2026-01-01",
      "2026-04-06",
      "2026-05-01",
      "2026-05-08",
      "2026-05-14",
      "2026-05-25",
      "2026-07-14",
      "2026-08-15",
      "2026-11-01",
      "2026-11-11",
      "2026-12-25",
    ]);
    expect(isContactDay("2026-11-23")).toBe(true); // a Monday
    expect(isContactDay("2026-11-21")).toBe(false); // a Saturday
    expect(isContactDay("2026-11-11")).toBe(false); // Armistice, a Wednesday
  });

  it("is open inside the window and says when it closes", () => {
    expect(contactWindowState("afternoon", MONDAY_3PM, PARIS)).toEqual({
      open: true,
      closesAt: new Date("2026-11-23T17:00:00Z"),
    });
  });

  it("points to the next opening on a working day, skipping weekends and holidays", () => {
    // Friday 24 December 2027 after 17:00 → the 25th is a holiday → Monday 27th, 10:00.
    expect(contactWindowState("morning", new Date("2027-12-24T17:30:00Z"), PARIS)).toMatchObject({
      open: false,
      nextOpening: new Date("2027-12-27T09:00:00Z"),
    });
    // Between the two ranges of "any": lunch break.
    expect(contactWindowState("any", new Date("2026-11-23T12:30:00Z"), PARIS)).toMatchObject({
      open: false,
      nextOpening: new Date("2026-11-23T13:00:00Z"),
    });
  });

  it("follows summer time: 10:00 in Paris is 08:00 UTC in July", () => {
    expect(contactWindowState("morning", new Date("2026-07-15T07:00:00Z"), PARIS)).toMatchObject({
      open: false,
      nextOpening: new Date("2026-07-15T08:00:00Z"),
    });
  });

  it("never reports an opening in the past or on a day without contact", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2025-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }),
        fc.constantFrom("morning", "afternoon", "evening", "any" as const),
        (now, window) => {
          const state = contactWindowState(window, now, PARIS);
          if (state.open) return state.closesAt > now;
          const day = new Intl.DateTimeFormat("en-CA", { timeZone: PARIS }).format(
            state.nextOpening,
          );
          return state.nextOpening > now && isContactDay(day);
        },
      ),
    );
  });
});

describe("contact attempts", () => {
  it("allows a call in the window by the agent who claimed the item", () => {
    expect(attemptRefusal(item, call, DEFAULT_WINBACK_POLICY, MONDAY_3PM, PARIS)).toBeNull();
  });

  it("refuses the third attempt with the policy's limit, even though the item is closed", () => {
    expect(
      attemptRefusal(
        { ...item, attemptsSoFar: 2, status: "no_answer" },
        call,
        DEFAULT_WINBACK_POLICY,
        MONDAY_3PM,
        PARIS,
      ),
    ).toEqual({ code: "attempt_limit", max: 2 });
  });

  it("refuses after 30 days, outside the window, on another channel, or by another agent", () => {
    const policy = DEFAULT_WINBACK_POLICY;
    const old = { ...item, createdAt: new Date("2026-10-20T09:00:00Z") };
    expect(attemptRefusal(old, call, policy, MONDAY_3PM, PARIS)).toEqual({
      code: "too_old",
      days: 30,
    });
    expect(
      attemptRefusal(item, call, policy, new Date("2026-11-23T09:00:00Z"), PARIS),
    ).toMatchObject({ code: "outside_window", nextOpening: new Date("2026-11-23T13:00:00Z") });
    expect(
      attemptRefusal(item, { channel: "email", outcome: "sent" }, policy, MONDAY_3PM, PARIS),
    ).toEqual({ code: "wrong_channel", channel: "phone" });
    expect(
      attemptRefusal({ ...item, claimedByMe: false }, call, policy, MONDAY_3PM, PARIS),
    ).toEqual({ code: "not_claimed_by_you" });
    expect(attemptRefusal({ ...item, suppressed: true }, call, policy, MONDAY_3PM, PARIS)).toEqual({
      code: "suppressed",
    });
  });

  it("lets an email go at night (it waits for the window) but not a call", () => {
    const night = new Date("2026-11-23T22:00:00Z");
    const byEmail = { ...item, consentedChannel: "email" as const };
    expect(
      attemptRefusal(
        byEmail,
        { channel: "email", outcome: "sent" },
        DEFAULT_WINBACK_POLICY,
        night,
        PARIS,
      ),
    ).toBeNull();
    expect(attemptRefusal(item, call, DEFAULT_WINBACK_POLICY, night, PARIS)).toMatchObject({
      code: "outside_window",
    });
  });

  it("closes the item at the limit unless the last attempt reached the subscriber", () => {
    const policy = DEFAULT_WINBACK_POLICY;
    expect(itemAfterAttempt("no_answer", 1, policy)).toEqual({
      status: "contacted",
      closeReason: null,
    });
    expect(itemAfterAttempt("voicemail", 2, policy)).toEqual({
      status: "no_answer",
      closeReason: "attempt_limit",
    });
    expect(itemAfterAttempt("reached", 2, policy)).toEqual({
      status: "contacted",
      closeReason: null,
    });
  });

  it("needs a contact before 'won back' or 'declined'", () => {
    const open = { status: "claimed" as const, claimedByMe: true, attemptsSoFar: 0 };
    expect(outcomeRefusal(open, "won_back")).toEqual({ code: "no_contact_yet" });
    expect(outcomeRefusal(open, "no_answer")).toBeNull();
    expect(outcomeRefusal({ ...open, attemptsSoFar: 1 }, "won_back")).toBeNull();
    expect(outcomeRefusal({ ...open, status: "won_back" }, "declined")).toEqual({
      code: "closed",
      status: "won_back",
    });
  });
});
