import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "~/domain/enums";
import { webhookUrlProblem } from "~/domain/webhooks";
import type { MessageKey } from "~/i18n/i18n";

// The endpoint form (create and edit), browser-safe: the server parses with it and the page
// shows its errors. http:// is allowed to the loopback interface outside production only.

const key = (k: MessageKey) => k;
export const DESCRIPTION_MAX = 200;
export const URL_MAX = 2000;

export function webhookEndpointSchema(options: { allowLoopbackHttp: boolean }) {
  return z.object({
    url: z
      .string()
      .trim()
      .min(1, key("staff.webhooks.error.urlRequired"))
      .max(URL_MAX, key("staff.webhooks.error.urlInvalid"))
      .superRefine((value, ctx) => {
        const problem = webhookUrlProblem(value, options);
        if (problem === null) return;
        ctx.addIssue({
          code: "custom",
          message: key(
            problem === "https_required"
              ? "staff.webhooks.error.httpsRequired"
              : "staff.webhooks.error.urlInvalid",
          ),
        });
      }),
    description: z
      .string()
      .trim()
      .max(DESCRIPTION_MAX, key("staff.webhooks.error.descriptionTooLong"))
      .transform((value) => (value === "" ? null : value)),
    eventTypes: z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { error: key("staff.webhooks.error.eventTypes") }))
      .min(1, key("staff.webhooks.error.eventTypes")),
  });
}

/** The form's fields as typed (to give them back with the errors). */
export function endpointFormValues(form: FormData) {
  return {
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    eventTypes: form.getAll("eventTypes").map(String),
  };
}
