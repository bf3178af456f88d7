import { z } from "zod";

// The compliance overview's two buttons. Verifying reads only (compliance and admin); signing a
// checkpoint writes one (admin only: compliance makes no changes, decision 009).
export const ComplianceActionSchema = z.object({
  intent: z.enum(["verify", "checkpoint"]),
});
export type ComplianceAction = z.infer<typeof ComplianceActionSchema>;

/** At most this many problems of each kind are listed after a verification. */
export const LISTED_PROBLEMS = 50;
