import { describe, expect, it } from "vitest";
import { RetentionPolicySchema } from "./compliance-retention-schema";

const problems = (values: Record<string, string>) => {
  const parsed = RetentionPolicySchema.safeParse(values);
  return parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path[0], issue.message]);
};

describe("the retention policy form", () => {
  it("reads whole numbers as people type them", () => {
    expect(RetentionPolicySchema.parse({ recordsYears: " 5 ", prospectMonths: "36" })).toEqual({
      recordsYears: 5,
      prospectMonths: 36,
    });
  });

  it("says what is wrong, once, on the field that is wrong", () => {
    expect(problems({ recordsYears: "abc", prospectMonths: "36" })).toEqual([
      ["recordsYears", "staff.retention.error.recordsYears"],
    ]);
    expect(problems({ recordsYears: "0", prospectMonths: "0" })).toEqual([
      ["recordsYears", "staff.retention.error.recordsYears"],
      ["prospectMonths", "staff.retention.error.prospectMonths"],
    ]);
    expect(problems({ recordsYears: "31", prospectMonths: "2.5" })).toEqual([
      ["recordsYears", "staff.retention.error.recordsYears"],
      ["prospectMonths", "staff.retention.error.prospectMonths"],
    ]);
    expect(problems({ recordsYears: "2", prospectMonths: "36" })).toEqual([
      ["prospectMonths", "staff.retention.error.prospectBeyondRecords"],
    ]);
  });
});
