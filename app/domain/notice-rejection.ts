// Why operations may reject an unmatched notice; the notifier gets the matching sentence
// (templates/<jurisdiction>/emails.<lang>.json, "rejectionReasons").
export const REJECTION_REASONS = [
  "no_contract_found",
  "identity_mismatch",
  "already_terminated",
  "duplicate",
  "other",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What a subscriber typed on a notice that could not be matched. */
export interface NoticeSubmitted {
  firstName?: string;
  lastName?: string;
  reference?: string;
}

/** The stored reason (`code` or `code: note`), split back into its code and the note. */
export function parseRejection(stored: string | null): { code: RejectionReason; note: string } {
  const [code, ...rest] = (stored ?? "other").split(": ");
  const known = (REJECTION_REASONS as readonly string[]).includes(code ?? "");
  return known
    ? { code: code as RejectionReason, note: rest.join(": ") }
    : { code: "other", note: stored ?? "" };
}
