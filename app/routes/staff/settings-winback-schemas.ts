import { z } from "zod";
import { EXIT_REASONS, WINBACK_QUEUES } from "~/domain/enums";
import type { ExitReason, RoutingTable } from "~/domain/winback-routing";
import type { MessageKey } from "~/i18n/i18n";

// The retention settings' forms (admin), shared by the server and the page. Messages are
// translation keys; every field name is also its input's id, so an error links to its field.

export const SLA_HOURS = { min: 1, max: 720 } as const;
export const MAX_ATTEMPTS = { min: 1, max: 10 } as const;
export const MAX_AGE_DAYS = { min: 1, max: 365 } as const;
export const OFFER_CODE_MAX = 40;
export const OFFER_NAME_MAX = 80;
export const OFFER_DESCRIPTION_MAX = 500;

/** "No win-back" in the queue select (stored as a null queue). */
export const NO_QUEUE = "none";
export const QUEUE_CHOICES = [...WINBACK_QUEUES, NO_QUEUE] as const;

export const queueField = (reason: ExitReason) => `queue_${reason}`;
export const slaField = (reason: ExitReason) => `sla_${reason}`;
export const ROUTING_FIELDS = EXIT_REASONS.flatMap((reason) => [
  queueField(reason),
  slaField(reason),
]);

/** A whole number typed in a text box ("12", " 12 "), within bounds; anything else is `message`. */
function wholeNumber(bounds: { min: number; max: number }, message: MessageKey) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, message)
    .transform(Number)
    .pipe(z.int().min(bounds.min, message).max(bounds.max, message));
}

const QueueChoiceSchema = z.enum(QUEUE_CHOICES);
const SlaHoursSchema = wholeNumber(SLA_HOURS, "staff.winbackSettings.error.slaHours");

/**
 * The routing rules form: for each exit reason a queue (or none) and, with a queue, the SLA in
 * hours. The SLA of a reason without win-back is not read (nothing is due).
 */
export const RoutingRulesSchema = z
  .record(z.string(), z.string())
  .transform((values, context): RoutingTable => {
    const table: Partial<RoutingTable> = {};
    for (const reason of EXIT_REASONS) {
      const queue = QueueChoiceSchema.safeParse(values[queueField(reason)]);
      if (!queue.success) {
        context.addIssue({
          code: "custom",
          path: [queueField(reason)],
          message: "staff.winbackSettings.error.queue",
        });
        continue;
      }
      if (queue.data === NO_QUEUE) {
        table[reason] = { queue: null, slaHours: 0 };
        continue;
      }
      const sla = SlaHoursSchema.safeParse(values[slaField(reason)] ?? "");
      if (!sla.success) {
        context.addIssue({
          code: "custom",
          path: [slaField(reason)],
          message: "staff.winbackSettings.error.slaHours",
        });
        continue;
      }
      table[reason] = { queue: queue.data, slaHours: sla.data };
    }
    return table as RoutingTable;
  });

export const WinbackPolicySchema = z.object({
  maxAttempts: wholeNumber(MAX_ATTEMPTS, "staff.winbackSettings.error.maxAttempts"),
  maxAgeDays: wholeNumber(MAX_AGE_DAYS, "staff.winbackSettings.error.maxAgeDays"),
});

const offerName = z
  .string()
  .trim()
  .min(1, "staff.winbackSettings.error.offerNameRequired")
  .max(OFFER_NAME_MAX, "staff.winbackSettings.error.offerNameTooLong");

const offerDescription = z
  .string()
  .trim()
  .min(1, "staff.winbackSettings.error.offerDescriptionRequired")
  .max(OFFER_DESCRIPTION_MAX, "staff.winbackSettings.error.offerDescriptionTooLong");

export const NewOfferSchema = z.object({
  // Typed in lower case is fine: the code is stored upper-case.
  code: z
    .string()
    .trim()
    .toUpperCase()
    .min(1, "staff.winbackSettings.error.offerCodeRequired")
    .max(OFFER_CODE_MAX, "staff.winbackSettings.error.offerCodeTooLong")
    .regex(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/, "staff.winbackSettings.error.offerCodeFormat"),
  name: offerName,
  description: offerDescription,
});

export const EditOfferSchema = z.object({ name: offerName, description: offerDescription });

export const OfferActiveSchema = z.object({
  offerId: z.uuid("staff.winbackSettings.error.offerUnknown"),
  active: z.enum(["true", "false"]).transform((value) => value === "true"),
});
