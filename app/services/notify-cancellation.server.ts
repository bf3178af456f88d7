import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  cancellationCases,
  caseContracts,
  caseLines,
  contracts,
  documents,
  lines,
  unmatchedNotices,
} from "../../db/schema";
import type { Actor, RequestMeta } from "../audit/events";
import { recordEvent, streamForNotice } from "../audit/record-event.server";
import { deriveCaseToken } from "../auth/tokens.server";
import {
  summariseCancellation,
  type CancellationSummary,
  type EndDateChoice,
} from "../domain/cancellation-summary";
import type { Language } from "../domain/enums";
import type { TerminationType } from "../domain/jurisdictions/types";
import type { ProofType } from "../domain/proof";
import { makeReference } from "../domain/reference";
import type { AppJobCatalogue } from "../jobs/catalogue";
import type { JobQueue } from "../jobs/job-queue.server";
import { loadCancellationContext } from "./load-cancellation-context.server";
import { createReturnPlan } from "./returns/create-return-plan.server";

export interface NotifyInput {
  subscriberId: string;
  contractIds: string[];
  acknowledgmentEmail: string;
  endDate: EndDateChoice;
  /** The reason code of a legitimate-reason (FR, PT) or extraordinary (DE) termination. */
  legitimateReason: string | null;
  /**
   * Absent: `legitimate_reason` with a reason, else `ordinary`. `extraordinary` (Germany) needs a
   * reason; `withdrawal` (EU withdrawal button) needs every contract inside its withdrawal period.
   */
  terminationType?: TerminationType;
  proof: { bytes: Buffer; type: ProofType } | null;
  /** One per journey: a double click, a retry or a second tab reuse it. */
  idempotencyKey: string;
  language: Language;
  identifiedAt: Date;
  summaryShownAt: Date;
  meta: RequestMeta;
  /**
   * Set when operations match an unmatched notice: the case keeps the notice's receipt time,
   * the notice is resolved in the same transaction, and the staff member is the actor.
   */
  fromNotice?: { noticeId: string; receivedAt: Date; actor: Actor };
}

export type NotifyResult =
  | { kind: "notified"; caseId: string; reference: string; token: string; created: boolean }
  | { kind: "already_open"; reference: string; receivedAt: Date; effectiveEndDate: string }
  | { kind: "contract_unavailable" }
  /** A withdrawal asked for a contract whose withdrawal period is over (or that has none). */
  | { kind: "withdrawal_closed" }
  | { kind: "invalid_end_date"; summary: CancellationSummary }
  | { kind: "notice_resolved" };

export interface NotifyDeps {
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  secret: string;
  now?: () => Date;
}

/** Thrown inside the transaction when another staff member resolved the notice first. */
class NoticeAlreadyResolved extends Error {}

/**
 * The notify button. One transaction records the case with its legal receipt time, the audit
 * events of the journey and the follow-up jobs — or nothing at all. Contract rows are locked
 * first, so concurrent notices for one contract queue up: the first creates the case, the others
 * find it (same journey: same case and link; other journey: "already open").
 */
export async function notifyCancellation(
  deps: NotifyDeps,
  input: NotifyInput,
): Promise<NotifyResult> {
  try {
    return await notifyOnce(deps, input);
  } catch (error) {
    // Another staff member matched or rejected the notice first: nothing was written.
    if (error instanceof NoticeAlreadyResolved) return { kind: "notice_resolved" };
    // Two tabs of one journey with different contracts, or two journeys racing on one contract
    // without a common lock: the database's unique indexes decide; the loser, run again, finds
    // the winner's case.
    if (
      isUniqueViolation(error, [
        "cancellation_case_idempotency_key",
        "case_contract_one_open_case_key",
      ])
    ) {
      return notifyOnce(deps, input);
    }
    throw error;
  }
}

export function isUniqueViolation(error: unknown, constraints: string[]): boolean {
  const cause =
    (error as { cause?: { code?: string; constraint_name?: string } }).cause ??
    (error as { code?: string; constraint_name?: string });
  return cause?.code === "23505" && constraints.includes(cause.constraint_name ?? "");
}

async function notifyOnce(deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const contractIds = [...new Set(input.contractIds)].sort();
  return deps.db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: contracts.id, status: contracts.status })
      .from(contracts)
      .where(
        and(inArray(contracts.id, contractIds), eq(contracts.subscriberId, input.subscriberId)),
      )
      .orderBy(contracts.id)
      .for("update");
    if (locked.length !== contractIds.length) return { kind: "contract_unavailable" };

    const [existing] = await tx
      .select({
        id: cancellationCases.id,
        reference: cancellationCases.reference,
        idempotencyKey: cancellationCases.idempotencyKey,
      })
      .from(cancellationCases)
      .where(eq(cancellationCases.idempotencyKey, input.idempotencyKey));
    if (existing) {
      const { token } = deriveCaseToken(deps.secret, existing.idempotencyKey);
      return {
        kind: "notified",
        caseId: existing.id,
        reference: existing.reference,
        token,
        created: false,
      };
    }

    const [open] = await tx
      .select({
        reference: cancellationCases.reference,
        receivedAt: cancellationCases.receivedAt,
        effectiveEndDate: cancellationCases.effectiveEndDate,
      })
      .from(caseContracts)
      .innerJoin(cancellationCases, eq(cancellationCases.id, caseContracts.caseId))
      .where(and(inArray(caseContracts.contractId, contractIds), eq(caseContracts.open, true)));
    if (open) return { kind: "already_open", ...open };
    if (locked.some((row) => row.status !== "active")) return { kind: "contract_unavailable" };

    const context = await loadCancellationContext(tx, {
      subscriberId: input.subscriberId,
      contractIds,
    });
    if (context === null) return { kind: "contract_unavailable" };
    const receivedAt = input.fromNotice?.receivedAt ?? (deps.now ?? (() => new Date()))();
    const terminationType: TerminationType =
      input.terminationType ?? (input.legitimateReason === null ? "ordinary" : "legitimate_reason");
    const summary = summariseCancellation({
      pack: context.pack,
      policy: context.policy,
      receivedAt,
      contracts: context.contracts,
      endDate: input.endDate,
      legitimateReason: input.legitimateReason !== null,
      terminationType,
      reason: input.legitimateReason,
    });
    if (summary.endDateError) return { kind: "invalid_end_date", summary };
    // The withdrawal period is checked at the legal receipt time, in the pack's time zone.
    if (
      terminationType === "withdrawal" &&
      !context.contracts.every(
        ({ facts }) =>
          facts.withdrawalPeriodEnds !== null &&
          summary.window.receiptDate <= facts.withdrawalPeriodEnds,
      )
    )
      return { kind: "withdrawal_closed" };

    const { token, hash } = deriveCaseToken(deps.secret, input.idempotencyKey);
    const [row] = await tx
      .insert(cancellationCases)
      .values({
        operatorId: context.operator.id,
        reference: makeReference("RX"),
        subscriberId: input.subscriberId,
        jurisdiction: context.pack.code,
        language: input.language,
        receivedAt,
        requestedEndDate: input.endDate.kind === "date" ? input.endDate.date : null,
        effectiveEndDate: summary.endDate,
        terminationType,
        legitimateReason: input.legitimateReason,
        feeBreakdown: summary,
        feeTotalCents: summary.feeTotalCents,
        currency: summary.currency,
        acknowledgmentEmail: input.acknowledgmentEmail,
        accessTokenHash: hash,
        idempotencyKey: input.idempotencyKey,
        source: input.fromNotice ? "notice_match" : "journey",
      })
      .returning();
    if (!row) throw new Error("case insert returned no row");

    await tx
      .insert(caseContracts)
      .values(contractIds.map((contractId) => ({ caseId: row.id, contractId })));
    const lineRows = await tx
      .select({ id: lines.id })
      .from(lines)
      .where(inArray(lines.contractId, contractIds));
    if (lineRows.length > 0)
      await tx
        .insert(caseLines)
        .values(lineRows.map((line) => ({ caseId: row.id, lineId: line.id })));
    await tx
      .update(contracts)
      .set({ status: "cancellation_pending", updatedAt: receivedAt })
      .where(inArray(contracts.id, contractIds));

    const actor: Actor = input.fromNotice?.actor ?? { type: "subscriber", id: input.subscriberId };
    const base = { caseId: row.id, actor, meta: input.meta };
    if (input.fromNotice) {
      const resolved = await tx
        .update(unmatchedNotices)
        .set({
          status: "matched",
          matchedCaseId: row.id,
          resolvedAt: new Date(),
          resolvedBy: input.fromNotice.actor.id,
        })
        .where(
          and(
            eq(unmatchedNotices.id, input.fromNotice.noticeId),
            eq(unmatchedNotices.status, "pending"),
          ),
        )
        .returning({ id: unmatchedNotices.id });
      if (resolved.length === 0) throw new NoticeAlreadyResolved();
      await recordEvent(tx, {
        stream: streamForNotice(input.fromNotice.noticeId),
        type: "notice.matched",
        actor,
        meta: input.meta,
        data: { noticeId: input.fromNotice.noticeId, caseReference: row.reference },
      });
    } else {
      await recordEvent(tx, {
        ...base,
        type: "case.identified",
        occurredAt: input.identifiedAt,
        data: { subscriberId: input.subscriberId, contractIds },
      });
      await recordEvent(tx, {
        ...base,
        type: "case.summary_shown",
        occurredAt: input.summaryShownAt,
        data: {
          contractIds,
          earliestEndDate: summary.window.earliest,
          feeTotalCents: summary.feeTotalCents,
        },
      });
    }
    await recordEvent(tx, {
      ...base,
      type: "case.notified",
      occurredAt: receivedAt,
      data: {
        reference: row.reference,
        receivedAt: receivedAt.toISOString(),
        contractIds,
        effectiveEndDate: summary.endDate,
        terminationType: row.terminationType,
        feeTotalCents: summary.feeTotalCents,
        ...(input.fromNotice ? { noticeId: input.fromNotice.noticeId } : {}),
      },
    });
    if (input.proof) {
      const sha256 = createHash("sha256").update(input.proof.bytes).digest("hex");
      const [proof] = await tx
        .insert(documents)
        .values({
          caseId: row.id,
          kind: "proof",
          contentType: input.proof.type.contentType,
          fileName: `justificatif-${row.reference}.${input.proof.type.extension}`,
          bytes: input.proof.bytes,
          sizeBytes: input.proof.bytes.length,
          sha256,
        })
        .returning({ id: documents.id });
      await recordEvent(tx, {
        ...base,
        type: "document.created",
        occurredAt: receivedAt,
        data: { documentId: proof!.id, kind: "proof", sha256 },
      });
    }

    const plan = await createReturnPlan(tx, {
      caseId: row.id,
      jurisdiction: row.jurisdiction,
      summary,
      actor,
      meta: input.meta,
      occurredAt: receivedAt,
    });
    await deps.jobs.enqueue(tx, "case.render-letter", { caseId: row.id });
    if (plan.returnId !== null)
      await deps.jobs.enqueue(tx, "return.render-label", { caseId: row.id });
    await deps.jobs.enqueue(tx, "case.send-acknowledgment", { caseId: row.id });
    return { kind: "notified", caseId: row.id, reference: row.reference, token, created: true };
  });
}
