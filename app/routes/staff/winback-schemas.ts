import { z } from "zod";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, WINBACK_QUEUES } from "~/domain/enums";
import { ATTEMPT_OUTCOMES, FINAL_OUTCOMES } from "~/domain/winback-policy";

// The win-back workspace's forms and filters (browser-safe: the pages and the server parse with
// the same schemas). Messages are i18n keys (app/i18n/messages/staff.*.ts).

/** The queue list's tabs (`?statut=`) and its queue filter (`?file=`). */
export const WINBACK_TABS = ["open", "mine", "closed"] as const;
export type WinbackTab = (typeof WINBACK_TABS)[number];
export const WINBACK_QUEUE_FILTERS = ["all", ...WINBACK_QUEUES] as const;

export const NOTE_MAX = 1000;

/** An optional offer from the catalogue: empty means "no offer". */
const optionalOffer = z.union([
  z.literal("").transform(() => null),
  z.uuid("staff.winback.error.offer"),
]);

/** One contact attempt: the consented channel, an outcome that fits it, an offer, a note. */
export const ContactAttemptSchema = z
  .object({
    channel: z.enum(CONTACT_CHANNELS, { error: "staff.winback.error.channel" }),
    outcome: z.enum(CONTACT_OUTCOMES, { error: "staff.winback.error.outcome" }),
    offerId: optionalOffer,
    note: z
      .string()
      .trim()
      .max(NOTE_MAX, "staff.winback.error.noteTooLong")
      .transform((value) => (value === "" ? null : value)),
    /** Attempts shown when the form was filled in: a form sent twice is recognised. */
    attemptsSeen: z
      .string({ error: "staff.winback.error.staleForm" })
      .regex(/^\d{1,4}$/, "staff.winback.error.staleForm")
      .transform(Number),
  })
  .refine((attempt) => ATTEMPT_OUTCOMES[attempt.channel].includes(attempt.outcome), {
    path: ["outcome"],
    message: "staff.winback.error.outcome",
  });

/** How the item ends: won back (with the offer accepted), declined, or no answer. */
export const WinbackOutcomeSchema = z.object({
  finalOutcome: z.enum(FINAL_OUTCOMES, { error: "staff.winback.error.finalOutcome" }),
  acceptedOfferId: optionalOffer,
});

/** "Asked not to be contacted": only with the explicit confirmation of the second step. */
export const SuppressSchema = z.object({
  confirm: z.literal("yes", { error: "staff.winback.error.confirmSuppress" }),
});
