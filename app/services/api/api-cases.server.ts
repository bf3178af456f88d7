import { and, asc, eq, gt, gte, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import {
  auditEvents,
  cancellationCases,
  caseContracts,
  contracts,
  refunds,
  subscribers,
} from "../../../db/schema";
import type { CaseStatus } from "../../domain/enums";

// The cases of the integration API (GET /api/v1/cases…): what the BSS already knows about its
// subscribers (customer number, external ids), the case's dates, status and refunds — never the
// free text typed in the journey. Pages are keyset-paginated on (updated_at, id).

export interface ApiCase {
  reference: string;
  status: CaseStatus;
  source: (typeof cancellationCases.$inferSelect)["source"];
  terminationType: (typeof cancellationCases.$inferSelect)["terminationType"];
  language: string;
  receivedAt: string;
  requestedEndDate: string | null;
  effectiveEndDate: string;
  feeTotalCents: number;
  currency: string;
  withdrawnAt: string | null;
  effectiveAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  subscriber: { customerNumber: string; externalId: string | null };
  contracts: { contractNumber: string; externalId: string | null; open: boolean }[];
  refunds: {
    kind: (typeof refunds.$inferSelect)["kind"];
    status: (typeof refunds.$inferSelect)["status"];
    amountCents: number;
    offsetCents: number;
    currency: string;
    legalDueDate: string | null;
    paymentReference: string | null;
    issuedAt: string | null;
  }[];
}

/** A page position: the last case's updated_at to the microsecond (as text) and its id. */
export interface CaseCursor {
  u: string;
  i: string;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());
const UPDATED_AT_TEXT = sql<string>`to_char(${cancellationCases.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function toApiCases(
  db: Queryable,
  rows: {
    c: typeof cancellationCases.$inferSelect;
    customerNumber: string;
    externalId: string | null;
  }[],
): Promise<ApiCase[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.c.id);
  const [contractRows, refundRows] = await Promise.all([
    db
      .select({
        caseId: caseContracts.caseId,
        contractNumber: contracts.contractNumber,
        externalId: contracts.externalId,
        open: caseContracts.open,
      })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(inArray(caseContracts.caseId, ids))
      .orderBy(asc(contracts.contractNumber)),
    db.select().from(refunds).where(inArray(refunds.caseId, ids)).orderBy(asc(refunds.kind)),
  ]);
  return rows.map(({ c, customerNumber, externalId }) => ({
    reference: c.reference,
    status: c.status,
    source: c.source,
    terminationType: c.terminationType,
    language: c.language,
    receivedAt: c.receivedAt.toISOString(),
    requestedEndDate: c.requestedEndDate,
    effectiveEndDate: c.effectiveEndDate,
    feeTotalCents: c.feeTotalCents,
    currency: c.currency,
    withdrawnAt: iso(c.withdrawnAt),
    effectiveAt: iso(c.effectiveAt),
    closedAt: iso(c.closedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    subscriber: { customerNumber, externalId },
    contracts: contractRows
      .filter((row) => row.caseId === c.id)
      .map(({ contractNumber, externalId: contractExternalId, open }) => ({
        contractNumber,
        externalId: contractExternalId,
        open,
      })),
    refunds: refundRows
      .filter((row) => row.caseId === c.id)
      .map((row) => ({
        kind: row.kind,
        status: row.status,
        amountCents: row.amountCents,
        offsetCents: row.offsetCents,
        currency: row.currency,
        legalDueDate: row.legalDueDate,
        paymentReference: row.paymentReference,
        issuedAt: iso(row.issuedAt),
      })),
  }));
}

const caseColumns = {
  c: cancellationCases,
  customerNumber: subscribers.customerNumber,
  externalId: subscribers.externalId,
};

export async function listApiCases(
  db: Queryable,
  input: {
    operatorId: string;
    limit: number;
    cursor: CaseCursor | null;
    status?: CaseStatus;
    updatedSince?: Date;
  },
): Promise<{ cases: ApiCase[]; next: CaseCursor | null }> {
  const conditions: SQL[] = [eq(cancellationCases.operatorId, input.operatorId)];
  if (input.status) conditions.push(eq(cancellationCases.status, input.status));
  if (input.updatedSince) conditions.push(gte(cancellationCases.updatedAt, input.updatedSince));
  if (input.cursor) {
    const after = sql`${input.cursor.u}::timestamptz`;
    conditions.push(
      or(
        gt(cancellationCases.updatedAt, after),
        and(eq(cancellationCases.updatedAt, after), gt(cancellationCases.id, input.cursor.i)),
      )!,
    );
  }
  const rows = await db
    .select({ ...caseColumns, updatedAtText: UPDATED_AT_TEXT })
    .from(cancellationCases)
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(and(...conditions))
    .orderBy(asc(cancellationCases.updatedAt), asc(cancellationCases.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    cases: await toApiCases(db, page),
    next:
      rows.length > input.limit && last !== undefined
        ? { u: last.updatedAtText, i: last.c.id }
        : null,
  };
}

export async function loadApiCase(
  db: Queryable,
  operatorId: string,
  reference: string,
): Promise<{ id: string; json: ApiCase } | null> {
  const rows = await db
    .select(caseColumns)
    .from(cancellationCases)
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(
      and(
        eq(cancellationCases.operatorId, operatorId),
        eq(cancellationCases.reference, reference.trim().toUpperCase()),
      ),
    );
  const [json] = await toApiCases(db, rows);
  return json === undefined ? null : { id: rows[0]!.c.id, json };
}

export async function listApiCaseEvents(
  db: Queryable,
  input: { caseId: string; limit: number; afterSeq: number },
) {
  const rows = await db
    .select({
      seq: auditEvents.seq,
      type: auditEvents.type,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      data: auditEvents.data,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.caseId, input.caseId),
        eq(auditEvents.stream, `case:${input.caseId}`),
        gt(auditEvents.seq, input.afterSeq),
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    events: page.map((row) => ({
      seq: row.seq,
      type: row.type,
      occurredAt: row.occurredAt.toISOString(),
      actorType: row.actorType,
      data: row.data as Record<string, unknown>,
    })),
    nextSeq: rows.length > input.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}
