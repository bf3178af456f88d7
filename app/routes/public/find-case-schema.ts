import { z } from "zod";

export const FindCaseSchema = z.object({
  reference: z.string().trim().min(1, "findCase.error.reference").max(40, "form.tooLong"),
  email: z.string().trim().max(254, "form.tooLong").pipe(z.email("identify.error.email")),
});
