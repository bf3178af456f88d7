import type { CancellationSummary } from "../domain/cancellation-summary";
import type { IsoDate } from "../domain/dates";
import type { Jurisdiction } from "../domain/enums";
import type { TerminationType } from "../domain/jurisdictions/types";
import type { Lang } from "../i18n/i18n";

// Everything the termination letter prints, as plain data (built from rows by
// build-termination-letter-data.server.ts, rendered by render-termination-letter.ts).
export interface TerminationLetterData {
  /** The subscriber's language; the jurisdiction's language is only the default. */
  language: Lang;
  /** Picks the legal wording: templates/<jurisdiction>/termination-letter.<language>.json. */
  jurisdiction: Jurisdiction;
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
  terminationType: TerminationType;
  /** Code of the legitimate (or extraordinary) reason (see the jurisdiction pack), if any. */
  legitimateReason: string | null;
  contracts: { contractNumber: string; offerName: string; lines: string[] }[];
  /** Fees with their computation, equipment to return, refunds (as shown before notifying). */
  summary: CancellationSummary;
  legalBasis: { code: string; text: string }[];
  /** Where the subscriber follows the case (without the private token). */
  caseLookupUrl: string;
}
