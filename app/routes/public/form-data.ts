import type { z } from "zod";
import type { FieldErrors } from "~/components/form";
import type { MessageKey } from "~/i18n/i18n";

/** Field errors of a failed zod parse, as message keys (the schemas' messages are keys). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message as MessageKey;
  }
  return errors;
}

/** The text fields of a form, to give back what was typed. */
export function textValues(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, String(form.get(name) ?? "")]));
}

/** The translated "too many attempts" problem and its 429 response settings. */
export function tooManyAttempts(retryAfterSeconds: number) {
  return {
    problem: {
      key: "identify.rateLimited" as MessageKey,
      minutes: Math.ceil(retryAfterSeconds / 60),
    },
    init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  };
}
