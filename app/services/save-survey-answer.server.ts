import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { surveyResponses, type SurveyResponse } from "../../db/schema";
import type { RequestMeta } from "../audit/events";
import { recordEvent } from "../audit/record-event.server";
import type { SurveyAnswer } from "../routes/public/survey-schema";

/**
 * The optional exit survey. It only stores the answer (one per case; a second submit replaces
 * it): it never changes the case. Routing to the win-back queue comes later.
 */
export async function saveSurveyAnswer(
  db: Db,
  input: { caseId: string; subscriberId: string; answer: SurveyAnswer; meta: RequestMeta },
): Promise<SurveyResponse> {
  const { answer } = input;
  const values = {
    reason: answer.reason,
    details: answer.details ?? null,
    competitor: answer.competitor ?? null,
    wouldComeBack: answer.wouldComeBack ?? null,
    contactConsent: answer.contactConsent,
    contactChannel: answer.contactConsent ? answer.contactChannel! : null,
    contactWindow: answer.contactConsent ? answer.contactWindow! : null,
  };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveyResponses)
      .values({ caseId: input.caseId, ...values })
      .onConflictDoUpdate({ target: surveyResponses.caseId, set: values })
      .returning();
    await recordEvent(tx, {
      caseId: input.caseId,
      type: "survey.answered",
      actor: { type: "subscriber", id: input.subscriberId },
      meta: input.meta,
      data: { surveyResponseId: row!.id, contactConsent: answer.contactConsent },
    });
    return row!;
  });
}

export async function loadSurveyAnswer(
  db: Db,
  caseId: string,
): Promise<SurveyResponse | undefined> {
  return (await db.select().from(surveyResponses).where(eq(surveyResponses.caseId, caseId)))[0];
}
