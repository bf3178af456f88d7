import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import {
  auditEvents,
  cancellationCases,
  caseContracts,
  contracts,
  documents,
  operators,
  subscribers,
  type CancellationCase,
} from "../../db/schema";
import { deriveCaseToken, hashToken } from "../auth/tokens.server";
import type { CancellationSummary } from "../domain/cancellation-summary";
import { canWithdraw } from "../domain/case-status";
import { dateInZone } from "../domain/dates";
import { packFor } from "../domain/jurisdictions";
import { normaliseReference } from "../domain/reference";

export interface SubscriberCaseView {
  case: Pick<
    CancellationCase,
    | "id"
    | "reference"
    | "status"
    | "receivedAt"
    | "effectiveEndDate"
    | "terminationType"
    | "legitimateReason"
    | "acknowledgmentEmail"
    | "withdrawnAt"
    | "language"
    | "subscriberId"
    | "jurisdiction"
  >;
  timeZone: string;
  summary: CancellationSummary;
  contracts: { contractNumber: string; offerName: string }[];
  timeline: { type: string; occurredAt: Date }[];
  documents: { id: string; kind: string; fileName: string; purgedAt: Date | null }[];
  /** When the retention job pseudonymised the subscriber's personal data (issue #8), or null. */
  pseudonymisedAt: Date | null;
  withdrawable: ReturnType<typeof canWithdraw>;
  operatorSupportEmail: string;
}

/** What the private case page shows: the case behind a link token, or null (an unknown link). */
export async function loadCaseByToken(
  db: Queryable,
  token: string,
  now = new Date(),
): Promise<SubscriberCaseView | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select()
    .from(cancellationCases)
    .where(eq(cancellationCases.accessTokenHash, hashToken(token)));
  if (!row) return null;
  return viewOf(db, row, now);
}

export async function loadCaseById(
  db: Queryable,
  caseId: string,
  now = new Date(),
): Promise<SubscriberCaseView | null> {
  const [row] = await db.select().from(cancellationCases).where(eq(cancellationCases.id, caseId));
  return row ? viewOf(db, row, now) : null;
}

async function viewOf(
  db: Queryable,
  row: CancellationCase,
  now: Date,
): Promise<SubscriberCaseView> {
  const pack = packFor(row.jurisdiction);
  const [contractRows, events, docs, [operator], [subscriber]] = await Promise.all([
    db
      .select({ contractNumber: contracts.contractNumber, offerName: contracts.offerName })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(eq(caseContracts.caseId, row.id))
      .orderBy(asc(contracts.contractNumber)),
    db
      .select({ type: auditEvents.type, occurredAt: auditEvents.occurredAt })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.caseId, row.id),
          // Reads (a staff view, a download of the evidence pack) are not steps of the case.
          sql`${auditEvents.type} not in ('case.viewed', 'email.attempted', 'evidence.downloaded')`,
          // The retention team's own work (routing, claims, attempts) is not the subscriber's
          // timeline; their consent and its withdrawal are.
          sql`${auditEvents.type} not like 'winback.%'`,
        ),
      )
      .orderBy(asc(auditEvents.seq)),
    db
      .select({
        id: documents.id,
        kind: documents.kind,
        fileName: documents.fileName,
        purgedAt: documents.purgedAt,
      })
      .from(documents)
      .where(eq(documents.caseId, row.id))
      .orderBy(asc(documents.createdAt)),
    db
      .select({ supportEmail: operators.supportEmail })
      .from(operators)
      .where(eq(operators.id, row.operatorId)),
    db
      .select({ pseudonymisedAt: subscribers.pseudonymisedAt })
      .from(subscribers)
      .where(eq(subscribers.id, row.subscriberId)),
  ]);
  return {
    case: row,
    timeZone: pack.timeZone,
    summary: row.feeBreakdown as CancellationSummary,
    contracts: contractRows,
    timeline: events,
    documents: docs,
    pseudonymisedAt: subscriber?.pseudonymisedAt ?? null,
    withdrawable: canWithdraw({
      status: row.status,
      effectiveEndDate: row.effectiveEndDate,
      today: dateInZone(now, pack.timeZone),
    }),
    operatorSupportEmail: operator?.supportEmail ?? "",
  };
}

/** Find-my-case: the reference and the acknowledgment email give back the private link. */
export async function findCaseLink(
  db: Queryable,
  secret: string,
  input: { reference: string; email: string },
): Promise<string | null> {
  const [row] = await db
    .select({
      idempotencyKey: cancellationCases.idempotencyKey,
      accessTokenHash: cancellationCases.accessTokenHash,
    })
    .from(cancellationCases)
    .where(
      and(
        eq(cancellationCases.reference, normaliseReference(input.reference)),
        sql`lower(${cancellationCases.acknowledgmentEmail}) = ${input.email.trim().toLowerCase()}`,
      ),
    );
  if (!row) return null;
  const { token, hash } = deriveCaseToken(secret, row.idempotencyKey);
  // Cases created another way (seeded, imported) have links we cannot derive.
  return hash === row.accessTokenHash ? token : null;
}
