import { and, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "../../db/client";
import { cancellationCases, caseContracts, contracts } from "../../db/schema";
import { recordEvent } from "../audit/record-event.server";
import { assertCaseTransition } from "../domain/case-status";
import { dateInZone } from "../domain/dates";
import { packFor } from "../domain/jurisdictions";
import type { AppJobCatalogue } from "../jobs/catalogue";
import type { JobQueue } from "../jobs/job-queue.server";

/**
 * On (or after, if the portal was down that day) the end date, an open case becomes effective:
 * its contracts are terminated, the change is audited and the "ends today" email is queued.
 * Each case in its own transaction, so one bad case does not hold back the others.
 */
export async function markCasesEffective(deps: {
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  now?: () => Date;
}): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  // The latest calendar date anywhere we operate; each case is checked in its own time zone below.
  const candidates = await deps.db
    .select({ id: cancellationCases.id })
    .from(cancellationCases)
    .where(
      and(
        inArray(cancellationCases.status, ["received", "confirmed"]),
        lte(cancellationCases.effectiveEndDate, dateInZone(now, "Pacific/Kiritimati")),
      ),
    );
  let count = 0;
  for (const { id } of candidates) {
    const done = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(cancellationCases)
        .where(eq(cancellationCases.id, id))
        .for("update");
      if (!row || (row.status !== "received" && row.status !== "confirmed")) return false;
      if (row.effectiveEndDate > dateInZone(now, packFor(row.jurisdiction).timeZone)) return false;
      assertCaseTransition(row.status, "effective");
      await tx
        .update(cancellationCases)
        .set({ status: "effective", effectiveAt: now, updatedAt: now })
        .where(eq(cancellationCases.id, id));
      const ended = await tx
        .update(caseContracts)
        .set({ open: false })
        .where(and(eq(caseContracts.caseId, id), eq(caseContracts.open, true)))
        .returning({ contractId: caseContracts.contractId });
      if (ended.length > 0) {
        await tx
          .update(contracts)
          .set({ status: "terminated", updatedAt: now })
          .where(
            inArray(
              contracts.id,
              ended.map((item) => item.contractId),
            ),
          );
      }
      await recordEvent(tx, {
        caseId: id,
        type: "case.effective",
        actor: { type: "system", id: null },
        meta: { ip: null, userAgent: null },
        occurredAt: now,
        data: { reference: row.reference, effectiveEndDate: row.effectiveEndDate },
      });
      await deps.jobs.enqueue(tx, "case.send-ends-today", { caseId: id });
      return true;
    });
    if (done) count += 1;
  }
  return count;
}
