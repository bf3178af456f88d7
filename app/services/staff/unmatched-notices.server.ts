import { and, asc, count, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  contracts,
  lines,
  staffUsers,
  subscribers,
  unmatchedNotices,
  type UnmatchedNotice,
} from "../../../db/schema";
import type { RequestMeta } from "../../audit/events";
import { recordEvent, streamForNotice } from "../../audit/record-event.server";
import type { StaffContext } from "../../auth/require-staff.server";
import { isUuid } from "../../domain/ids";
import { parseReference } from "../../domain/identification";
import { nameKey } from "../../domain/names";
import type { RejectionReason } from "../../domain/notice-rejection";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { notifyCancellation, type NotifyResult } from "../notify-cancellation.server";

export async function listNotices(db: Db, status: UnmatchedNotice["status"]) {
  return db
    .select({
      id: unmatchedNotices.id,
      reference: unmatchedNotices.reference,
      receivedAt: unmatchedNotices.receivedAt,
      submitted: unmatchedNotices.submitted,
      status: unmatchedNotices.status,
      resolvedAt: unmatchedNotices.resolvedAt,
    })
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.status, status))
    .orderBy(
      status === "pending"
        ? asc(unmatchedNotices.receivedAt)
        : sql`${unmatchedNotices.resolvedAt} desc`,
    )
    .limit(200);
}

export async function countPendingNotices(db: Db): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.status, "pending"));
  return row?.count ?? 0;
}

export async function loadNotice(db: Db, noticeId: string) {
  if (!isUuid(noticeId)) return null;
  const [row] = await db
    .select({
      notice: unmatchedNotices,
      resolvedByName: staffUsers.displayName,
      caseReference: cancellationCases.reference,
    })
    .from(unmatchedNotices)
    .leftJoin(staffUsers, eq(staffUsers.id, unmatchedNotices.resolvedBy))
    .leftJoin(cancellationCases, eq(cancellationCases.id, unmatchedNotices.matchedCaseId))
    .where(eq(unmatchedNotices.id, noticeId));
  return row ?? null;
}

/**
 * Subscribers who may have sent the notice: the reference typed (customer, contract or line
 * number), the name typed, or what operations searched for; with their contracts still active.
 */
export async function findCandidates(db: Db, operatorId: string, queries: string[]) {
  const conditions = [];
  for (const query of queries.map((q) => q.trim()).filter(Boolean)) {
    const reference = parseReference(query);
    if (reference?.kind === "phone") {
      conditions.push(
        inArray(
          subscribers.id,
          db
            .select({ id: contracts.subscriberId })
            .from(lines)
            .innerJoin(contracts, eq(contracts.id, lines.contractId))
            .where(eq(lines.phoneNumber, reference.value)),
        ),
      );
    } else if (reference) {
      conditions.push(
        eq(subscribers.customerNumber, reference.value),
        inArray(
          subscribers.id,
          db
            .select({ id: contracts.subscriberId })
            .from(contracts)
            .where(eq(contracts.contractNumber, reference.value)),
        ),
      );
    }
    const key = nameKey(query, "");
    if (key.length >= 3) conditions.push(eq(subscribers.nameKey, key));
  }
  if (conditions.length === 0) return [];
  const people = await db
    .select({
      id: subscribers.id,
      customerNumber: subscribers.customerNumber,
      firstName: subscribers.firstName,
      lastName: subscribers.lastName,
      city: subscribers.city,
    })
    .from(subscribers)
    .where(and(eq(subscribers.operatorId, operatorId), or(...conditions)))
    .orderBy(asc(subscribers.lastName), asc(subscribers.firstName))
    .limit(20);
  if (people.length === 0) return [];
  const contractRows = await db
    .select({
      id: contracts.id,
      subscriberId: contracts.subscriberId,
      contractNumber: contracts.contractNumber,
      offerName: contracts.offerName,
      status: contracts.status,
    })
    .from(contracts)
    .where(
      and(
        inArray(
          contracts.subscriberId,
          people.map((person) => person.id),
        ),
        ne(contracts.status, "terminated"),
      ),
    )
    .orderBy(asc(contracts.contractNumber));
  return people.map((person) => ({
    ...person,
    contracts: contractRows.filter((contract) => contract.subscriberId === person.id),
  }));
}

export async function recordNoticeView(
  db: Db,
  input: { noticeId: string; staff: StaffContext; meta: RequestMeta },
): Promise<void> {
  await recordEvent(db, {
    stream: streamForNotice(input.noticeId),
    type: "notice.viewed",
    actor: input.staff.actor,
    meta: input.meta,
    data: { noticeId: input.noticeId },
  });
}

/**
 * Matches a notice to contracts of one subscriber: the normal case flow (letter, acknowledgment
 * email) runs, with the notice's original receipt time. A second click finds the same case.
 */
export async function matchNotice(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue>; secret: string },
  input: {
    noticeId: string;
    subscriberId: string;
    contractIds: string[];
    staff: StaffContext;
    meta: RequestMeta;
  },
): Promise<NotifyResult | { kind: "not_found" }> {
  const [notice] = await deps.db
    .select()
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.id, input.noticeId));
  if (!notice) return { kind: "not_found" };
  const idempotencyKey = `notice-match:${notice.id}`;
  if (notice.status !== "pending" && notice.matchedCaseId === null)
    return { kind: "notice_resolved" };
  return notifyCancellation(deps, {
    subscriberId: input.subscriberId,
    contractIds: input.contractIds,
    acknowledgmentEmail: notice.email,
    endDate: { kind: "earliest" },
    legitimateReason: null,
    proof: null,
    idempotencyKey,
    language: notice.language,
    identifiedAt: notice.receivedAt,
    summaryShownAt: notice.receivedAt,
    meta: input.meta,
    fromNotice: { noticeId: notice.id, receivedAt: notice.receivedAt, actor: input.staff.actor },
  });
}

/** Rejects a notice; the reason (a code, plus an optional note) is emailed to the notifier. */
export async function rejectNotice(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue> },
  input: {
    noticeId: string;
    reason: RejectionReason;
    note: string | null;
    staff: StaffContext;
    meta: RequestMeta;
  },
): Promise<"rejected" | "already_resolved" | "not_found"> {
  return deps.db.transaction(async (tx) => {
    const [notice] = await tx
      .select({ id: unmatchedNotices.id, status: unmatchedNotices.status })
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, input.noticeId))
      .for("update");
    if (!notice) return "not_found";
    if (notice.status !== "pending") return "already_resolved";
    await tx
      .update(unmatchedNotices)
      .set({
        status: "rejected",
        rejectionReason: input.note ? `${input.reason}: ${input.note}` : input.reason,
        resolvedAt: new Date(),
        resolvedBy: input.staff.staff.id,
      })
      .where(eq(unmatchedNotices.id, notice.id));
    await recordEvent(tx, {
      stream: streamForNotice(notice.id),
      type: "notice.rejected",
      actor: input.staff.actor,
      meta: input.meta,
      data: { noticeId: notice.id, reasonCode: input.reason },
    });
    await deps.jobs.enqueue(tx, "notice.send-rejection", { noticeId: notice.id });
    return "rejected";
  });
}
