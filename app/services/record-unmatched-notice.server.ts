import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { operators, unmatchedNotices, type UnmatchedNotice } from "../../db/schema";
import type { RequestMeta } from "../audit/events";
import { recordEvent, streamForNotice } from "../audit/record-event.server";
import type { Language } from "../domain/enums";
import { makeReference } from "../domain/reference";
import type { AppJobCatalogue } from "../jobs/catalogue";
import type { JobQueue } from "../jobs/job-queue.server";
import { isUniqueViolation } from "./notify-cancellation.server";

export interface UnmatchedNoticeInput {
  operatorId: string;
  firstName: string;
  lastName: string;
  reference: string;
  email: string;
  language: Language;
  idempotencyKey: string;
  meta: RequestMeta;
}

/**
 * "Send my notice anyway": a notice that could not be matched is still received, with its
 * receipt time, acknowledged, and left for operations to match. Never lost, never doubled.
 */
export async function recordUnmatchedNotice(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue>; now?: () => Date },
  input: UnmatchedNoticeInput,
): Promise<UnmatchedNotice> {
  const existing = async () =>
    (
      await deps.db
        .select()
        .from(unmatchedNotices)
        .where(eq(unmatchedNotices.idempotencyKey, input.idempotencyKey))
    )[0];
  const found = await existing();
  if (found) return found;
  try {
    return await deps.db.transaction(async (tx) => {
      const [operator] = await tx
        .select({ id: operators.id })
        .from(operators)
        .where(eq(operators.id, input.operatorId));
      if (!operator) throw new Error("operator not found");
      const receivedAt = (deps.now ?? (() => new Date()))();
      const [notice] = await tx
        .insert(unmatchedNotices)
        .values({
          operatorId: operator.id,
          reference: makeReference("NT"),
          receivedAt,
          submitted: {
            firstName: input.firstName,
            lastName: input.lastName,
            reference: input.reference,
          },
          email: input.email,
          language: input.language,
          idempotencyKey: input.idempotencyKey,
        })
        .returning();
      await recordEvent(tx, {
        stream: streamForNotice(notice!.id),
        type: "notice.received",
        actor: { type: "subscriber", id: null },
        meta: input.meta,
        occurredAt: receivedAt,
        data: { reference: notice!.reference, receivedAt: receivedAt.toISOString() },
      });
      await deps.jobs.enqueue(tx, "notice.send-acknowledgment", { noticeId: notice!.id });
      return notice!;
    });
  } catch (error) {
    if (isUniqueViolation(error, ["unmatched_notice_idempotency_key"])) {
      const winner = await existing();
      if (winner) return winner;
    }
    throw error;
  }
}

/** What the "received — we are matching it" page shows. */
export async function loadUnmatchedNotice(db: Db, noticeId: string) {
  const [notice] = await db
    .select({
      reference: unmatchedNotices.reference,
      receivedAt: unmatchedNotices.receivedAt,
      email: unmatchedNotices.email,
    })
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.id, noticeId));
  return notice;
}
