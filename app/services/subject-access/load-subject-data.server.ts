import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import {
  auditEvents,
  cancellationCases,
  carrierEvents,
  caseContracts,
  caseLines,
  contactAttempts,
  contracts,
  documents,
  emailMessages,
  equipment,
  equipmentReturns,
  lines,
  offers,
  operators,
  refunds,
  returnItems,
  subscribers,
  surveyResponses,
  unmatchedNotices,
  winbackItems,
  type AuditEventRow,
  type UnmatchedNotice,
} from "../../../db/schema";
import { streamForCase, streamForNotice } from "../../audit/record-event.server";

// Everything the portal holds on one subscriber (GDPR art. 15), read in one REPEATABLE READ
// transaction so that the files of the export agree with each other: the subscriber's record,
// contracts (lines, equipment), cancellation cases (returns, refunds), the notices they sent,
// survey answers, win-back work (with the agents' notes), emails, documents, consents, and the
// audit events of their chains (which hold their IP address and browser).

export function streamForSubscriber(subscriberId: string): string {
  return `subscriber:${subscriberId}`;
}

async function load(tx: Queryable, subscriberId: string) {
  const [subscriber] = await tx.select().from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!subscriber) return null;
  const [[operator], contractRows, caseRows, winbackRows] = await Promise.all([
    tx
      .select({ legalName: operators.legalName, timeZone: operators.timeZone })
      .from(operators)
      .where(eq(operators.id, subscriber.operatorId)),
    tx
      .select()
      .from(contracts)
      .where(eq(contracts.subscriberId, subscriber.id))
      .orderBy(asc(contracts.contractNumber)),
    tx
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.subscriberId, subscriber.id))
      .orderBy(asc(cancellationCases.receivedAt), asc(cancellationCases.id)),
    tx
      .select({ item: winbackItems, offerCode: offers.code, offerName: offers.name })
      .from(winbackItems)
      .leftJoin(offers, eq(offers.id, winbackItems.offerId))
      .where(eq(winbackItems.subscriberId, subscriber.id))
      .orderBy(asc(winbackItems.createdAt), asc(winbackItems.id)),
  ]);
  const contractIds = contractRows.map((row) => row.id);
  const caseIds = caseRows.map((row) => row.id);
  const itemIds = winbackRows.map((row) => row.item.id);
  // The addresses the subscriber is known by: a notice sent from one of them is theirs.
  const addresses = [
    ...new Set(
      [subscriber.email, ...caseRows.map((row) => row.acknowledgmentEmail)].map((address) =>
        address.trim().toLowerCase(),
      ),
    ),
  ];
  const notices: UnmatchedNotice[] = await tx
    .select()
    .from(unmatchedNotices)
    .where(
      or(
        caseIds.length > 0 ? inArray(unmatchedNotices.matchedCaseId, caseIds) : undefined,
        and(
          eq(unmatchedNotices.operatorId, subscriber.operatorId),
          inArray(sql`lower(${unmatchedNotices.email})`, addresses),
        ),
      ),
    )
    .orderBy(asc(unmatchedNotices.receivedAt), asc(unmatchedNotices.id));
  const noticeIds = notices.map((notice) => notice.id);
  const none = Promise.resolve([]);
  const [
    lineRows,
    equipmentRows,
    caseContractRows,
    caseLineRows,
    returnRows,
    refundRows,
    surveyRows,
    attemptRows,
    emailRows,
    documentRows,
  ] = await Promise.all([
    contractIds.length === 0
      ? none
      : tx.select().from(lines).where(inArray(lines.contractId, contractIds)),
    contractIds.length === 0
      ? none
      : tx.select().from(equipment).where(inArray(equipment.contractId, contractIds)),
    caseIds.length === 0
      ? none
      : tx.select().from(caseContracts).where(inArray(caseContracts.caseId, caseIds)),
    caseIds.length === 0
      ? none
      : tx
          .select({ caseId: caseLines.caseId, phoneNumber: lines.phoneNumber })
          .from(caseLines)
          .innerJoin(lines, eq(lines.id, caseLines.lineId))
          .where(inArray(caseLines.caseId, caseIds)),
    caseIds.length === 0
      ? none
      : tx.select().from(equipmentReturns).where(inArray(equipmentReturns.caseId, caseIds)),
    caseIds.length === 0
      ? none
      : tx
          .select()
          .from(refunds)
          .where(inArray(refunds.caseId, caseIds))
          .orderBy(asc(refunds.createdAt)),
    caseIds.length === 0
      ? none
      : tx.select().from(surveyResponses).where(inArray(surveyResponses.caseId, caseIds)),
    itemIds.length === 0
      ? none
      : tx
          .select({ attempt: contactAttempts, offerCode: offers.code })
          .from(contactAttempts)
          .leftJoin(offers, eq(offers.id, contactAttempts.offerId))
          .where(inArray(contactAttempts.winbackItemId, itemIds))
          .orderBy(asc(contactAttempts.attemptedAt), asc(contactAttempts.id)),
    caseIds.length === 0 && noticeIds.length === 0
      ? none
      : tx
          .select()
          .from(emailMessages)
          .where(
            or(
              caseIds.length > 0 ? inArray(emailMessages.caseId, caseIds) : undefined,
              noticeIds.length > 0 ? inArray(emailMessages.noticeId, noticeIds) : undefined,
            ),
          )
          .orderBy(asc(emailMessages.createdAt), asc(emailMessages.id)),
    caseIds.length === 0 && noticeIds.length === 0
      ? none
      : tx
          .select()
          .from(documents)
          .where(
            or(
              caseIds.length > 0 ? inArray(documents.caseId, caseIds) : undefined,
              noticeIds.length > 0 ? inArray(documents.noticeId, noticeIds) : undefined,
            ),
          )
          .orderBy(asc(documents.createdAt), asc(documents.id)),
  ]);
  const returnIds = returnRows.map((row) => row.id);
  const [itemRows, carrierRows] = await Promise.all([
    returnIds.length === 0
      ? none
      : tx.select().from(returnItems).where(inArray(returnItems.returnId, returnIds)),
    returnIds.length === 0
      ? none
      : tx
          .select()
          .from(carrierEvents)
          .where(inArray(carrierEvents.returnId, returnIds))
          .orderBy(asc(carrierEvents.occurredAt)),
  ]);
  const streams = [
    streamForSubscriber(subscriber.id),
    ...caseIds.map(streamForCase),
    ...noticeIds.map(streamForNotice),
  ];
  const events: AuditEventRow[] = await tx
    .select()
    .from(auditEvents)
    .where(inArray(auditEvents.stream, streams))
    .orderBy(asc(auditEvents.stream), asc(auditEvents.seq));
  return {
    subscriber,
    operator: operator ?? null,
    contracts: contractRows,
    lines: lineRows,
    equipment: equipmentRows,
    cases: caseRows,
    caseContracts: caseContractRows,
    caseLines: caseLineRows,
    returns: returnRows,
    returnItems: itemRows,
    carrierEvents: carrierRows,
    refunds: refundRows,
    notices,
    surveys: surveyRows,
    winback: winbackRows,
    attempts: attemptRows,
    emails: emailRows,
    documents: documentRows,
    events,
  };
}

export type SubjectData = NonNullable<Awaited<ReturnType<typeof load>>>;

/** Everything held on the subscriber, or null when there is no such subscriber. */
export function loadSubjectData(db: Db, subscriberId: string): Promise<SubjectData | null> {
  return db.transaction((tx) => load(tx, subscriberId), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}
