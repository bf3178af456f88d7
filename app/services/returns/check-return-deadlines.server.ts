import { and, eq, gt, inArray, isNull, max } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  carrierEvents,
  emailMessages,
  equipmentReturns,
  returnItems,
} from "../../../db/schema";
import { SYSTEM_ACTOR, NO_REQUEST } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { dateInZone } from "../../domain/dates";
import { packFor } from "../../domain/jurisdictions";
import {
  assertReturnTransition,
  isOpenReturn,
  isPastDeadline,
  reminderDue,
} from "../../domain/returns";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { settleDeposit } from "./settle-deposit.server";

export interface DeadlineRun {
  reminders: number;
  charged: number;
}

/**
 * Hourly: a reminder 7 days and 1 day before each return deadline, and once the deadline has
 * passed, the items still missing are charged — exactly once, at the amount announced before
 * notification — and offset against the deposit. A parcel the carrier took in before the deadline
 * is never charged: operations wait for it. Each return in its own transaction.
 */
export async function checkReturnDeadlines(deps: {
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  now?: Date;
}): Promise<DeadlineRun> {
  const now = deps.now ?? new Date();
  const candidates = await deps.db
    .select({ id: equipmentReturns.id })
    .from(equipmentReturns)
    .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
    .where(
      and(
        inArray(equipmentReturns.status, ["awaiting_shipment", "in_transit", "received"]),
        inArray(cancellationCases.status, ["received", "confirmed", "effective"]),
      ),
    );
  const run: DeadlineRun = { reminders: 0, charged: 0 };
  for (const { id } of candidates) {
    const outcome = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ equipmentReturn: equipmentReturns, case: cancellationCases })
        .from(equipmentReturns)
        .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
        .where(eq(equipmentReturns.id, id))
        .for("update", { of: equipmentReturns });
      if (!row) return null;
      const { equipmentReturn } = row;
      if (!isOpenReturn(equipmentReturn.status)) return null;
      const pack = packFor(row.case.jurisdiction);
      const today = dateInZone(now, pack.timeZone);

      if (!isPastDeadline(equipmentReturn.deadline, today)) {
        // A parcel on its way needs no reminder.
        if (equipmentReturn.status === "in_transit") return null;
        const key = reminderDue(equipmentReturn.deadline, today);
        if (key === null) return null;
        const [sent] = await tx
          .select({ id: emailMessages.id })
          .from(emailMessages)
          .where(
            and(
              eq(emailMessages.caseId, row.case.id),
              eq(emailMessages.kind, "return_reminder"),
              eq(emailMessages.dedupeKey, key),
            ),
          );
        if (sent) return null;
        await deps.jobs.enqueue(tx, "return.send-reminder", { caseId: row.case.id, key });
        return "reminder" as const;
      }

      // A parcel handed to the carrier after the last reception and by the deadline is on its way.
      const [lastReception] = await tx
        .select({ at: max(returnItems.receivedAt) })
        .from(returnItems)
        .where(eq(returnItems.returnId, equipmentReturn.id));
      const carried = await tx
        .select({ occurredAt: carrierEvents.occurredAt })
        .from(carrierEvents)
        .where(
          and(
            eq(carrierEvents.returnId, equipmentReturn.id),
            ...(lastReception?.at ? [gt(carrierEvents.occurredAt, lastReception.at)] : []),
          ),
        );
      if (
        carried.some(
          (event) => dateInZone(event.occurredAt, pack.timeZone) <= equipmentReturn.deadline,
        )
      )
        return null;

      const missing = await tx
        .update(returnItems)
        .set({ chargeCents: returnItems.nonReturnChargeCents })
        .where(and(eq(returnItems.returnId, equipmentReturn.id), isNull(returnItems.receivedAt)))
        .returning({ equipmentId: returnItems.equipmentId, chargeCents: returnItems.chargeCents });
      if (missing.length === 0) return null;
      const chargeCents = missing.reduce((sum, item) => sum + item.chargeCents, 0);
      const audit = { caseId: row.case.id, actor: SYSTEM_ACTOR, meta: NO_REQUEST, occurredAt: now };
      assertReturnTransition(equipmentReturn.status, "overdue");
      assertReturnTransition("overdue", "charged");
      await tx
        .update(equipmentReturns)
        .set({ status: "charged", chargedAt: now, updatedAt: now })
        .where(eq(equipmentReturns.id, equipmentReturn.id));
      for (const status of ["overdue", "charged"] as const)
        await recordEvent(tx, {
          ...audit,
          type: "return.updated",
          data: {
            returnNumber: equipmentReturn.returnNumber,
            status,
            method: equipmentReturn.method,
          },
        });
      await recordEvent(tx, {
        ...audit,
        type: "return.charged",
        data: {
          returnNumber: equipmentReturn.returnNumber,
          equipmentIds: missing.map((item) => item.equipmentId),
          chargeCents,
        },
      });
      await settleDeposit(tx, {
        caseId: row.case.id,
        jurisdiction: row.case.jurisdiction,
        actor: SYSTEM_ACTOR,
        meta: NO_REQUEST,
        now,
      });
      // An item announced without a charge costs nothing: no "non-return charge" email for it.
      if (chargeCents > 0)
        await deps.jobs.enqueue(tx, "return.send-charged", { caseId: row.case.id });
      return "charged" as const;
    });
    if (outcome === "reminder") run.reminders += 1;
    if (outcome === "charged") run.charged += 1;
  }
  return run;
}
