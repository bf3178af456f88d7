import { asc, eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import {
  cancellationCases,
  caseContracts,
  contracts,
  operators,
  subscribers,
} from "../../db/schema";
import type { CancellationSummary } from "../domain/cancellation-summary";
import { packFor } from "../domain/jurisdictions";
import { WITHDRAWAL_LEGAL_BASIS_CODE } from "../domain/jurisdictions/withdrawal";
import { isLang } from "../i18n/i18n";
import { linesByContract } from "../services/identify-subscriber.server";
import type { TerminationLetterData } from "./termination-letter-data";

function addressLines(...parts: (string | null | undefined)[]): string[] {
  return parts.filter((part): part is string => typeof part === "string" && part.trim() !== "");
}

/** The letter of a case, from its rows: what was notified, as it was shown before notifying. */
export async function buildTerminationLetterData(
  db: Queryable,
  caseId: string,
  appUrl: string,
): Promise<TerminationLetterData> {
  const [row] = await db.select().from(cancellationCases).where(eq(cancellationCases.id, caseId));
  if (!row) throw new Error(`case ${caseId} not found`);
  const [[subscriber], [operator], contractRows] = await Promise.all([
    db.select().from(subscribers).where(eq(subscribers.id, row.subscriberId)),
    db.select().from(operators).where(eq(operators.id, row.operatorId)),
    db
      .select({
        id: contracts.id,
        contractNumber: contracts.contractNumber,
        offerName: contracts.offerName,
      })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(eq(caseContracts.caseId, row.id))
      .orderBy(asc(contracts.contractNumber)),
  ]);
  if (!subscriber || !operator) throw new Error(`case ${caseId} has no subscriber or operator`);
  const lineMap = await linesByContract(
    db,
    contractRows.map((contract) => contract.id),
  );
  const pack = packFor(row.jurisdiction);
  return {
    language: isLang(row.language) ? row.language : "fr",
    jurisdiction: row.jurisdiction,
    documentKey: `${row.id}:termination_letter`,
    operator: {
      legalName: operator.legalName,
      addressLines: addressLines(
        operator.addressLine1,
        operator.addressLine2,
        `${operator.postalCode} ${operator.city}`,
      ),
      registrationNumber: operator.registrationNumber,
      vatNumber: operator.vatNumber,
      supportEmail: operator.supportEmail,
      supportPhone: operator.supportPhone,
      returnAddress: operator.returnAddress,
      timeZone: operator.timeZone,
    },
    subscriber: {
      firstName: subscriber.firstName,
      lastName: subscriber.lastName,
      customerNumber: subscriber.customerNumber,
      addressLines: addressLines(
        subscriber.addressLine1,
        [subscriber.postalCode, subscriber.city].filter(Boolean).join(" "),
      ),
      email: row.acknowledgmentEmail,
    },
    caseReference: row.reference,
    receivedAt: row.receivedAt.toISOString(),
    effectiveEndDate: row.effectiveEndDate,
    terminationType: row.terminationType,
    legitimateReason: row.legitimateReason,
    contracts: contractRows.map((contract) => ({
      contractNumber: contract.contractNumber,
      offerName: contract.offerName,
      lines: lineMap.get(contract.id) ?? [],
    })),
    summary: row.feeBreakdown as CancellationSummary,
    // The EU withdrawal's citation belongs only in a withdrawal's letter.
    legalBasis: pack.legalBasis.filter(
      (basis) => row.terminationType === "withdrawal" || basis.code !== WITHDRAWAL_LEGAL_BASIS_CODE,
    ),
    caseLookupUrl: new URL("/dossier", appUrl).toString(),
  };
}
