import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { surveyResponses, winbackItems, type SurveyResponse } from "../../db/schema";
import type { RequestMeta } from "../audit/events";
import { recordEvent } from "../audit/record-event.server";
import { OPEN_WINBACK_STATUSES } from "../domain/enums";
import type { SurveyAnswer } from "../routes/public/survey-schema";
import { closeItems } from "./winback/actions.server";
import { routeSurveyToQueue } from "./winback/route-survey.server";

/**
 * The optional exit survey: one answer per case (a second submit replaces it). It never changes
 * the case. With consent, the answer is routed to a win-back queue in the same transaction;
 * answering again without consent withdraws it and closes the open item.
 */
export async function saveSurveyAnswer(
  db: Db,
  input: {
    caseId: string;
    subscriberId: string;
    answer: SurveyAnswer;
    meta: RequestMeta;
    /** The moment of the answer (tests pin it); the win-back item's age and SLA count from it. */
    now?: Date;
  },
): Promise<SurveyResponse> {
  const { answer } = input;
  const now = input.now ?? new Date();
  const values = {
    reason: answer.reason,
    details: answer.details ?? null,
    competitor: answer.competitor ?? null,
    wouldComeBack: answer.wouldComeBack ?? null,
    contactConsent: answer.contactConsent,
    contactChannel: answer.contactConsent ? answer.contactChannel! : null,
    contactWindow: answer.contactConsent ? answer.contactWindow! : null,
  };
  const actor = { type: "subscriber" as const, id: input.subscriberId };
  return db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ contactConsent: surveyResponses.contactConsent })
      .from(surveyResponses)
      .where(eq(surveyResponses.caseId, input.caseId))
      .for("update");
    const withdrawn = previous?.contactConsent === true && !answer.contactConsent;
    const [row] = await tx
      .insert(surveyResponses)
      .values({ caseId: input.caseId, ...values, createdAt: now })
      .onConflictDoUpdate({
        target: surveyResponses.caseId,
        // A withdrawal stays on record: answering again later never erases when consent was
        // withdrawn (the suppression list, not this date, is what blocks contact).
        set: withdrawn ? { ...values, consentWithdrawnAt: now } : values,
      })
      .returning();
    await recordEvent(tx, {
      caseId: input.caseId,
      type: "survey.answered",
      actor,
      meta: input.meta,
      occurredAt: now,
      data: { surveyResponseId: row!.id, contactConsent: answer.contactConsent },
    });
    if (withdrawn) {
      const open = await tx
        .select()
        .from(winbackItems)
        .where(
          and(
            eq(winbackItems.surveyResponseId, row!.id),
            inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
          ),
        )
        .for("update");
      const closed = await closeItems(tx, open, {
        status: "do_not_contact",
        closeReason: "suppressed",
        actor,
        meta: input.meta,
        now,
      });
      await recordEvent(tx, {
        caseId: input.caseId,
        type: "consent.withdrawn",
        actor,
        meta: input.meta,
        occurredAt: now,
        data: { subscriberId: input.subscriberId, via: "survey", closedItemIds: closed },
      });
    }
    await routeSurveyToQueue(tx, { survey: row!, actor, meta: input.meta, now });
    return row!;
  });
}

export async function loadSurveyAnswer(
  db: Db,
  caseId: string,
): Promise<SurveyResponse | undefined> {
  return (await db.select().from(surveyResponses).where(eq(surveyResponses.caseId, caseId)))[0];
}
