import { z } from "zod";
import { CONTACT_CHANNELS, CONTACT_WINDOWS, EXIT_REASONS } from "~/domain/enums";

// The exit survey form (browser-safe: the page and the server parse with the same schema).
// Messages are i18n keys.
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "form.tooLong")
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const SurveyAnswerSchema = z
  .object({
    reason: z.enum(EXIT_REASONS, { error: "survey.error.reason" }),
    details: optionalText(1000),
    competitor: optionalText(80),
    wouldComeBack: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value === "" ? undefined : Number(value)))
      .pipe(z.number().int().min(0).max(10).optional()),
    contactConsent: z
      .string()
      .optional()
      .transform((value) => value === "yes"),
    contactChannel: z
      .enum(CONTACT_CHANNELS)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    contactWindow: z
      .enum(CONTACT_WINDOWS)
      .optional()
      .or(z.literal("").transform(() => undefined)),
  })
  .superRefine((answer, ctx) => {
    if (answer.contactConsent && answer.contactChannel === undefined) {
      ctx.addIssue({ code: "custom", path: ["contactChannel"], message: "survey.error.channel" });
    }
    if (answer.contactConsent && answer.contactWindow === undefined) {
      ctx.addIssue({ code: "custom", path: ["contactWindow"], message: "survey.error.window" });
    }
  });

export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;
