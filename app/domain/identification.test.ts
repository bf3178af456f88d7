import { describe, expect, it } from "vitest";
import { formatPhoneNumber, normalisePhoneNumber, parseReference } from "./identification";

describe("phone numbers as people type and read them", () => {
  it.each([
    ["01 23 45 67 89", "+33123456789"],
    ["0033 1 23 45 67 89", "+33123456789"],
    ["+33 6 12 34 56 78", "+33612345678"],
    ["211 234 567", "+351211234567"],
    ["912-345-678", "+351912345678"],
    ["+351 211 234 567", "+351211234567"],
    ["0049 30 12345678", "+493012345678"],
    ["+49 (30) 1234 5678", "+493012345678"],
  ])("reads %s as %s", (typed, e164) => {
    expect(normalisePhoneNumber(typed)).toBe(e164);
  });

  it("leaves customer and contract numbers alone", () => {
    expect(normalisePhoneNumber("C-600001")).toBeNull();
    expect(parseReference(" de-2024-000701 ")).toEqual({
      kind: "customer_or_contract",
      value: "DE-2024-000701",
    });
    // Eight digits are neither a French nor a Portuguese national number.
    expect(normalisePhoneNumber("21123456")).toBeNull();
  });

  it.each([
    ["+33123456789", "01 23 45 67 89"],
    ["+351211234567", "+351 211 234 567"],
    ["+493012345678", "+49 3012345678"],
    ["+14155550100", "+14155550100"],
  ])("shows %s as %s", (e164, shown) => {
    expect(formatPhoneNumber(e164)).toBe(shown);
  });
});
