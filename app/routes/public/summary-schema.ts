import { z } from "zod";

// The summary form (browser-safe). Error messages are i18n keys.
export const SummaryFormSchema = z
  .object({
    intent: z.enum(["update", "notify"]).default("notify"),
    contractIds: z.array(z.uuid()).min(1, "summary.error.contracts"),
    endDateMode: z.enum(["earliest", "date"]).default("earliest"),
    endDate: z.string().trim().default(""),
    terminationType: z.enum(["ordinary", "legitimate_reason"]).default("ordinary"),
    legitimateReason: z.string().trim().max(40).default(""),
    email: z.string().trim().max(254, "form.tooLong").pipe(z.email("identify.error.email")),
    /** What the page showed when the button was pressed: a change means "show me again". */
    shownEndDate: z.string().default(""),
    shownType: z.string().default(""),
  })
  .superRefine((form, ctx) => {
    if (form.endDateMode === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(form.endDate)) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "summary.error.endDateFormat" });
    }
    if (form.terminationType === "legitimate_reason" && form.legitimateReason === "") {
      ctx.addIssue({ code: "custom", path: ["legitimateReason"], message: "summary.error.reason" });
    }
  });

export type SummaryForm = z.infer<typeof SummaryFormSchema>;

/** The form as a plain object for zod (checkboxes repeat their name). */
export function summaryFormInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of [
    "intent",
    "endDateMode",
    "endDate",
    "terminationType",
    "legitimateReason",
    "email",
    "shownEndDate",
    "shownType",
  ]) {
    const value = form.get(key);
    if (typeof value === "string") input[key] = value;
  }
  input.contractIds = form
    .getAll("contractIds")
    .filter((value): value is string => typeof value === "string");
  return input;
}
