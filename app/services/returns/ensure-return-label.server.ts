import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  equipment,
  equipmentReturns,
  operators,
  returnItems,
  subscribers,
  type DocumentRow,
} from "../../../db/schema";
import type { ReturnLabelData } from "../../documents/return-label-data";
import {
  renderReturnLabel,
  returnLabelFileName,
  RETURN_LABEL_CONTENT_TYPE,
} from "../../documents/render-return-label";
import { ensureCaseDocument } from "../ensure-case-document.server";
import { isLang } from "../../i18n/i18n";

/** "Service retours, 4 allée des Entrepôts, 93200 Saint-Denis" → one line per part. */
export function addressLines(address: string): string[] {
  return address
    .split(/\s+—\s+|,\s*|\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export async function buildReturnLabelData(db: Db, caseId: string): Promise<ReturnLabelData> {
  const [row] = await db
    .select({
      equipmentReturn: equipmentReturns,
      case: cancellationCases,
      operator: operators,
      subscriber: subscribers,
    })
    .from(equipmentReturns)
    .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
    .innerJoin(operators, eq(operators.id, cancellationCases.operatorId))
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(eq(equipmentReturns.caseId, caseId));
  if (!row) throw new Error(`case ${caseId} has no equipment return`);
  const items = await db
    .select({ kind: equipment.kind, model: equipment.model, serial: equipment.serial })
    .from(returnItems)
    .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
    .where(eq(returnItems.returnId, row.equipmentReturn.id))
    .orderBy(asc(equipment.kind), asc(equipment.model));
  const { subscriber, operator } = row;
  return {
    jurisdiction: row.case.jurisdiction,
    language: isLang(row.case.language) ? row.case.language : "fr",
    returnNumber: row.equipmentReturn.returnNumber,
    caseReference: row.case.reference,
    createdAt: row.equipmentReturn.createdAt.toISOString(),
    deadline: row.equipmentReturn.deadline,
    operator: {
      legalName: operator.legalName,
      displayName: operator.displayName,
      registrationNumber: operator.registrationNumber,
      supportEmail: operator.supportEmail,
    },
    returnAddressLines: addressLines(operator.returnAddress),
    sender: {
      name: `${subscriber.firstName} ${subscriber.lastName}`,
      addressLines: [
        subscriber.addressLine1,
        [subscriber.postalCode, subscriber.city].filter(Boolean).join(" "),
      ].filter((line): line is string => Boolean(line)),
    },
    // A SIM card never goes back (the schema refuses one that must).
    items: items.filter((item) => item.kind !== "sim"),
  };
}

/** The return label of a case, rendered once (job or first download) and stored with its hash. */
export async function ensureReturnLabel(db: Db, caseId: string): Promise<DocumentRow> {
  return ensureCaseDocument(db, caseId, "return_label", async () => {
    const data = await buildReturnLabelData(db, caseId);
    return {
      bytes: await renderReturnLabel(data),
      contentType: RETURN_LABEL_CONTENT_TYPE,
      fileName: returnLabelFileName(data),
      language: data.language,
      createdAt: new Date(data.createdAt),
    };
  });
}
