import { and, desc, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  caseContracts,
  caseLines,
  contracts,
  lines,
  subscribers,
} from "../../../db/schema";
import type { CaseStatus } from "../../domain/enums";
import { inCaseSet, type CaseSetFilter } from "../compliance-kpis/case-sets.server";
import { isUuid } from "../../domain/ids";
import { parseReference } from "../../domain/identification";
import { nameKey } from "../../domain/names";
import { normaliseReference, REFERENCE_ALPHABET } from "../../domain/reference";

const CASE_REFERENCE = new RegExp(`^RX-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

export const PAGE_SIZE = 25;

export interface CaseSearchRow {
  id: string;
  reference: string;
  status: CaseStatus;
  receivedAt: Date;
  effectiveEndDate: string;
  firstName: string;
  lastName: string;
  customerNumber: string;
  contractNumbers: string[];
}

/** Keyset cursor: the (received_at, id) of the last row shown, opaque to the browser. */
export function encodeCursor(row: { receivedAt: Date; id: string }): string {
  return Buffer.from(`${row.receivedAt.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null): { receivedAt: Date; id: string } | null {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const receivedAt = new Date(iso ?? "");
  if (Number.isNaN(receivedAt.getTime()) || !isUuid(id)) return null;
  return { receivedAt, id };
}

/**
 * What one search box means: a case reference, a customer or contract number, a line number,
 * an email address, or (anything else) part of a name, accent- and case-insensitive.
 */
function matchQuery(db: Db, q: string): SQL | undefined {
  const trimmed = q.trim();
  if (trimmed === "") return undefined;
  if (trimmed.includes("@")) {
    const email = trimmed.toLowerCase();
    return or(
      sql`lower(${cancellationCases.acknowledgmentEmail}) = ${email}`,
      inArray(
        cancellationCases.subscriberId,
        db
          .select({ id: subscribers.id })
          .from(subscribers)
          .where(sql`lower(${subscribers.email}) = ${email}`),
      ),
    );
  }
  const reference = parseReference(trimmed);
  if (reference?.kind === "phone") {
    return inArray(
      cancellationCases.id,
      db
        .select({ id: caseLines.caseId })
        .from(caseLines)
        .innerJoin(lines, eq(lines.id, caseLines.lineId))
        .where(eq(lines.phoneNumber, reference.value)),
    );
  }
  const conditions: SQL[] = [];
  // A case reference may have no digit at all (RX-DYXC-CJFF): recognised by its shape.
  const caseReference = normaliseReference(trimmed);
  if (CASE_REFERENCE.test(caseReference))
    conditions.push(eq(cancellationCases.reference, caseReference));
  if (reference && /\d/.test(reference.value)) {
    conditions.push(
      eq(cancellationCases.reference, reference.value),
      inArray(
        cancellationCases.subscriberId,
        db
          .select({ id: subscribers.id })
          .from(subscribers)
          .where(eq(subscribers.customerNumber, reference.value)),
      ),
      inArray(
        cancellationCases.id,
        db
          .select({ id: caseContracts.caseId })
          .from(caseContracts)
          .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
          .where(eq(contracts.contractNumber, reference.value)),
      ),
    );
  }
  const key = nameKey(trimmed, "");
  if (key !== "") {
    const pattern = `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      inArray(
        cancellationCases.subscriberId,
        db
          .select({ id: subscribers.id })
          .from(subscribers)
          .where(sql`${subscribers.nameKey} like ${pattern}`),
      ),
    );
  }
  return conditions.length === 0 ? sql`false` : or(...conditions);
}

export async function searchCases(
  db: Db,
  input: {
    q: string;
    status: CaseStatus | null;
    cursor: string | null;
    /** Only the cases behind one KPI figure (the compliance KPIs' links). */
    caseSet?: CaseSetFilter | null;
  },
): Promise<{ rows: CaseSearchRow[]; nextCursor: string | null }> {
  const after = decodeCursor(input.cursor);
  const where = and(
    matchQuery(db, input.q),
    input.status ? eq(cancellationCases.status, input.status) : undefined,
    input.caseSet ? inCaseSet(cancellationCases.id, input.caseSet) : undefined,
    after
      ? or(
          lt(cancellationCases.receivedAt, after.receivedAt),
          and(
            eq(cancellationCases.receivedAt, after.receivedAt),
            lt(cancellationCases.id, after.id),
          ),
        )
      : undefined,
  );
  const found = await db
    .select({
      id: cancellationCases.id,
      reference: cancellationCases.reference,
      status: cancellationCases.status,
      receivedAt: cancellationCases.receivedAt,
      effectiveEndDate: cancellationCases.effectiveEndDate,
      firstName: subscribers.firstName,
      lastName: subscribers.lastName,
      customerNumber: subscribers.customerNumber,
      contractNumbers: sql<string[]>`array(
        select ${contracts.contractNumber} from ${caseContracts}
        join ${contracts} on ${contracts.id} = ${caseContracts.contractId}
        where ${caseContracts.caseId} = ${cancellationCases.id}
        order by ${contracts.contractNumber})`,
    })
    .from(cancellationCases)
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(where)
    .orderBy(desc(cancellationCases.receivedAt), desc(cancellationCases.id))
    .limit(PAGE_SIZE + 1);
  const rows = found.slice(0, PAGE_SIZE);
  const last = rows.at(-1);
  return { rows, nextCursor: found.length > PAGE_SIZE && last ? encodeCursor(last) : null };
}
