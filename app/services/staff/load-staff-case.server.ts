import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  auditEvents,
  cancellationCases,
  caseContracts,
  contracts,
  documents,
  emailMessages,
  equipment,
  equipmentReturns,
  lines,
  refunds,
  returnItems,
  subscribers,
  surveyResponses,
  staffUsers,
} from "../../../db/schema";
import type { RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { StaffContext } from "../../auth/require-staff.server";
import { isUuid } from "../../domain/ids";

/** Everything the back office shows about one case; null when it does not exist. */
export async function loadStaffCase(db: Db, caseId: string) {
  if (!isUuid(caseId)) return null;
  const [row] = await db.select().from(cancellationCases).where(eq(cancellationCases.id, caseId));
  if (!row) return null;
  const [subscriber] = await db
    .select({
      id: subscribers.id,
      customerNumber: subscribers.customerNumber,
      firstName: subscribers.firstName,
      lastName: subscribers.lastName,
      email: subscribers.email,
      phone: subscribers.phone,
      addressLine1: subscribers.addressLine1,
      postalCode: subscribers.postalCode,
      city: subscribers.city,
      pseudonymisedAt: subscribers.pseudonymisedAt,
    })
    .from(subscribers)
    .where(eq(subscribers.id, row.subscriberId));
  const contractRows = await db
    .select({
      id: contracts.id,
      contractNumber: contracts.contractNumber,
      offerName: contracts.offerName,
      category: contracts.category,
      status: contracts.status,
      monthlyPriceCents: contracts.monthlyPriceCents,
      currency: contracts.currency,
      startDate: contracts.startDate,
      commitmentMonths: contracts.commitmentMonths,
    })
    .from(caseContracts)
    .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
    .where(eq(caseContracts.caseId, row.id))
    .orderBy(asc(contracts.contractNumber));
  const contractIds = contractRows.map((contract) => contract.id);
  const [lineRows, equipmentRows, events, documentRows, returnRows, refundRows, surveys, emails] =
    await Promise.all([
      contractIds.length === 0
        ? []
        : db
            .select({ contractId: lines.contractId, phoneNumber: lines.phoneNumber })
            .from(lines)
            .where(inArray(lines.contractId, contractIds)),
      contractIds.length === 0
        ? []
        : db
            .select({
              id: equipment.id,
              contractId: equipment.contractId,
              kind: equipment.kind,
              model: equipment.model,
              serial: equipment.serial,
              mustReturn: equipment.mustReturn,
            })
            .from(equipment)
            .where(inArray(equipment.contractId, contractIds)),
      db
        .select({
          id: auditEvents.id,
          seq: auditEvents.seq,
          type: auditEvents.type,
          actorType: auditEvents.actorType,
          actorId: auditEvents.actorId,
          actorName: staffUsers.displayName,
          occurredAt: auditEvents.occurredAt,
          ip: auditEvents.ip,
          data: auditEvents.data,
        })
        .from(auditEvents)
        .leftJoin(
          staffUsers,
          and(
            eq(auditEvents.actorType, "staff"),
            eq(sql`${staffUsers.id}::text`, auditEvents.actorId),
          ),
        )
        .where(eq(auditEvents.caseId, row.id))
        .orderBy(asc(auditEvents.seq)),
      db
        .select({
          id: documents.id,
          kind: documents.kind,
          fileName: documents.fileName,
          sizeBytes: documents.sizeBytes,
          sha256: documents.sha256,
          createdAt: documents.createdAt,
          purgedAt: documents.purgedAt,
        })
        .from(documents)
        .where(eq(documents.caseId, row.id))
        .orderBy(asc(documents.createdAt)),
      db.select().from(equipmentReturns).where(eq(equipmentReturns.caseId, row.id)),
      db.select().from(refunds).where(eq(refunds.caseId, row.id)).orderBy(asc(refunds.createdAt)),
      db.select().from(surveyResponses).where(eq(surveyResponses.caseId, row.id)),
      db
        .select({
          id: emailMessages.id,
          kind: emailMessages.kind,
          toAddress: emailMessages.toAddress,
          status: emailMessages.status,
          attempts: emailMessages.attempts,
          sentAt: emailMessages.sentAt,
        })
        .from(emailMessages)
        .where(eq(emailMessages.caseId, row.id))
        .orderBy(asc(emailMessages.createdAt)),
    ]);
  const items =
    returnRows.length === 0
      ? []
      : await db
          .select({
            id: returnItems.id,
            returnId: returnItems.returnId,
            condition: returnItems.condition,
            receivedAt: returnItems.receivedAt,
            kind: equipment.kind,
            model: equipment.model,
            serial: equipment.serial,
          })
          .from(returnItems)
          .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
          .where(
            inArray(
              returnItems.returnId,
              returnRows.map((ret) => ret.id),
            ),
          );
  return {
    case: row,
    subscriber: subscriber ?? null,
    contracts: contractRows.map((contract) => ({
      ...contract,
      lines: lineRows.filter((line) => line.contractId === contract.id).map((l) => l.phoneNumber),
      equipment: equipmentRows.filter((item) => item.contractId === contract.id),
    })),
    events,
    documents: documentRows,
    returns: returnRows.map((ret) => ({
      ...ret,
      items: items.filter((item) => item.returnId === ret.id),
    })),
    refunds: refundRows,
    survey: surveys[0] ?? null,
    emails,
  };
}

export type StaffCase = NonNullable<Awaited<ReturnType<typeof loadStaffCase>>>;

/** One stored document of a case (letter, proof, label), or null. */
export async function loadCaseDocument(db: Db, caseId: string, documentId: string) {
  if (!isUuid(caseId) || !isUuid(documentId)) return null;
  const [document] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.caseId, caseId)));
  return document ?? null;
}

/** Every staff read of a case is itself an audit event: who, when, from where, which view. */
export async function recordCaseView(
  db: Db,
  input: { caseId: string; staff: StaffContext; view: string; meta: RequestMeta },
): Promise<void> {
  await recordEvent(db, {
    caseId: input.caseId,
    type: "case.viewed",
    actor: input.staff.actor,
    meta: input.meta,
    data: { view: input.view },
  });
}
