import { z } from "zod";

// The identify form (browser-safe). Error messages are i18n keys.
export const IdentifySchema = z.object({
  firstName: z.string().trim().min(1, "identify.error.firstName").max(80, "form.tooLong"),
  lastName: z.string().trim().min(1, "identify.error.lastName").max(80, "form.tooLong"),
  reference: z.string().trim().min(1, "identify.error.reference").max(40, "form.tooLong"),
  email: z.string().trim().max(254, "form.tooLong").pipe(z.email("identify.error.email")),
});

export type IdentifyValues = z.infer<typeof IdentifySchema>;
