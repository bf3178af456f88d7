import type { CancellationSummary } from "../domain/cancellation-summary";
import type { IsoDate } from "../domain/dates";

// Everything the termination letter prints, as plain data (built from rows by
// build-termination-letter-data.server.ts, rendered by render-termination-letter.ts).
export interface TerminationLetterData {
  language: "fr" | "en";
  jurisdiction: "FR";
  /** Pins the PDF's dates and ID: the same case renders byte-identical PDFs. */
  documentKey: string;
  operator: {
    legalName: string;
    addressLines: string[];
    registrationNumber: string;
    vatNumber: string | null;
    supportEmail: string;
    supportPhone: string | null;
    returnAddress: string;
    timeZone: string;
  };
  subscriber: {
    firstName: string;
    lastName: string;
    customerNumber: string;
    addressLines: string[];
    email: string;
  };
  caseReference: string;
  /** The legal receipt time (ISO 8601, UTC); printed to the second in `operator.timeZone`. */
  receivedAt: string;
  effectiveEndDate: IsoDate;
  terminationType: "ordinary" | "legitimate_reason" | "extraordinary" | "withdrawal";
  /** Code of the legitimate reason (see the jurisdiction pack), if any. */
  legitimateReason: string | null;
  contracts: { contractNumber: string; offerName: string; lines: string[] }[];
  /** Fees with their computation, equipment to return, refunds (as shown before notifying). */
  summary: CancellationSummary;
  legalBasis: { code: string; text: string }[];
  /** Where the subscriber follows the case (without the private token). */
  caseLookupUrl: string;
}
