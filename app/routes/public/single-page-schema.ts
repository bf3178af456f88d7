import { z } from "zod";
import { IdentifySchema } from "./identify-schema";

// Germany's single confirmation page (§ 312k (2) BGB): exactly the legal fields — type of
// termination (with its reason when extraordinary), identity, contract, desired end date, email
// for the confirmation — and nothing else. Browser-safe; error messages are i18n keys.
export const SinglePageSchema = IdentifySchema.extend({
  intent: z.enum(["notify", "send_anyway"]).default("notify"),
  terminationType: z.enum(["ordinary", "extraordinary"], "singlePage.error.type"),
  reason: z.string().trim().max(40).default(""),
  endDateMode: z.enum(["earliest", "date"]).default("earliest"),
  endDate: z.string().trim().default(""),
}).superRefine((form, ctx) => {
  if (form.terminationType === "extraordinary" && form.reason === "") {
    ctx.addIssue({ code: "custom", path: ["reason"], message: "singlePage.error.reason" });
  }
  if (form.endDateMode === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(form.endDate)) {
    ctx.addIssue({ code: "custom", path: ["endDate"], message: "summary.error.endDateFormat" });
  }
});

export const SINGLE_PAGE_FIELDS = [
  "terminationType",
  "reason",
  "firstName",
  "lastName",
  "reference",
  "endDateMode",
  "endDate",
  "email",
] as const;
