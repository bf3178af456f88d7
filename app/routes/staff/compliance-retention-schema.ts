import { z } from "zod";
import { RETENTION_LIMITS } from "~/domain/retention";
import type { MessageKey } from "~/i18n/i18n";

// The retention policy form (admin), shared by the server and the page. Messages are
// translation keys; each field name is also its input's id, so an error links to its field.

export const RETENTION_POLICY_FIELDS = ["recordsYears", "prospectMonths"] as const;

function wholeNumber(bounds: { min: number; max: number }, message: MessageKey) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .pipe(z.int().min(bounds.min, message).max(bounds.max, message));
}

export const RetentionPolicySchema = z
  .object({
    recordsYears: wholeNumber(RETENTION_LIMITS.recordsYears, "staff.retention.error.recordsYears"),
    prospectMonths: wholeNumber(
      RETENTION_LIMITS.prospectMonths,
      "staff.retention.error.prospectMonths",
    ),
  })
  // Compared only when both are numbers (zod still runs an object's refinements after a
  // field failed): one mistake, one message.
  .refine(
    (policy) =>
      !Number.isInteger(policy.recordsYears) ||
      !Number.isInteger(policy.prospectMonths) ||
      policy.prospectMonths <= policy.recordsYears * 12,
    { path: ["prospectMonths"], message: "staff.retention.error.prospectBeyondRecords" },
  );
