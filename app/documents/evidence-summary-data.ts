import type { ProofStep } from "../audit/merkle";
import type { IsoDate } from "../domain/dates";
import type { CaseStatus } from "../domain/enums";
import type { Lang } from "../i18n/i18n";

// Everything the evidence summary (summary.pdf of a case's evidence pack) prints, as plain data:
// built from the pack's snapshot by build-evidence-summary-data.ts, rendered by
// render-evidence-summary.ts. Instants are ISO 8601 strings (UTC); they print in the operator's
// time zone, to the second, with the UTC offset.

export interface EvidenceSummaryData {
  jurisdiction: string; // "FR"
  language: Lang;
  /** Pins the PDF's dates and ID: the same snapshot renders byte-identical PDFs. */
  documentKey: string;
  /** When the pack was made (the `evidence.downloaded` event): the PDF's CreationDate. */
  generatedAt: string;
  /** Who asked for the pack. */
  requestedBy: "staff" | "subscriber";
  operator: { legalName: string; timeZone: string };
  case: {
    reference: string;
    /** The hash chain of the case, `case:<uuid>`. */
    stream: string;
    receivedAt: string;
    effectiveEndDate: IsoDate;
    status: CaseStatus;
    terminationType: string;
    withdrawnAt: string | null;
    contracts: { offerName: string; contractNumber: string }[];
  };
  /** Every event of the case's chain, in sequence order. */
  events: { seq: number; occurredAt: string; type: string; actorType: string; hash: string }[];
  documents: {
    kind: string;
    /** Where the file is in the archive; null when its bytes were erased (retention). */
    path: string | null;
    createdAt: string;
    sizeBytes: number;
    sha256: string;
    purgedAt: string | null;
  }[];
  emails: {
    kind: string;
    /** Masked: `c•••@example.com`. */
    recipient: string;
    status: string;
    smtpMessageId: string | null;
    sentAt: string | null;
  }[];
  /** The last event of the chain in the pack. */
  head: { seq: number; hash: string };
  /** The checkpoint the pack's proof is against: null when none has been signed yet. */
  checkpoint: {
    id: number;
    takenAt: string;
    root: string;
    keyId: string;
    signature: string;
    /** The case's head in that checkpoint, with its inclusion proof; null: not covered yet. */
    covered: { seq: number; hash: string; proof: ProofStep[] } | null;
  } | null;
  /** Where the public keys are published (absolute URL). */
  publicKeysUrl: string;
}
