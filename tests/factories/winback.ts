// A win-back item as a real one is born: a notified case, its exit-survey answer with consent,
// routed by the service (routeSurveyToQueue) at `now`, which sets the SLA time from the rules.
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { surveyResponses, winbackItems, type Subscriber, type WinbackItem } from "../../db/schema";
import { addDays, addMonths, dateInZone } from "../../app/domain/dates";
import type { ContactChannel, ContactWindow, EXIT_REASONS } from "../../app/domain/enums";
import { routeSurveyToQueue } from "../../app/services/winback/route-survey.server";
import { insertCase, insertContract, insertSubscriber } from "./index";

export interface InsertWinbackItemInput {
  operatorId: string;
  channel: ContactChannel;
  window: ContactWindow;
  /** Routed to a queue by the operator's rules (price → offers by default). */
  reason?: (typeof EXIT_REASONS)[number];
  /** A subscriber of the test's (their second case makes a second item); else a new one. */
  subscriber?: Subscriber;
  subscriberValues?: Partial<Subscriber>;
  offerName?: string;
  monthlyPriceCents?: number;
  wouldComeBack?: number | null;
  details?: string | null;
  competitor?: string | null;
  /** When the survey was answered and routed (the SLA time counts from it). */
  now?: Date;
}

export async function insertWinbackItem(
  db: Db,
  input: InsertWinbackItemInput,
): Promise<{
  item: WinbackItem;
  subscriber: Subscriber;
  caseId: string;
  caseReference: string;
  /** The private link's token of the case page (`/dossier/:token`). */
  caseToken: string;
}> {
  const now = input.now ?? new Date();
  const today = dateInZone(now, "Europe/Paris");
  const subscriber =
    input.subscriber ??
    (await insertSubscriber(db, {
      operatorId: input.operatorId,
      phone: "+33612345678",
      ...input.subscriberValues,
    }));
  const contract = await insertContract(db, {
    operatorId: input.operatorId,
    subscriberId: subscriber.id,
    startDate: addMonths(today, -30),
    offerName: input.offerName ?? "Fibre 1 Gb/s",
    monthlyPriceCents: input.monthlyPriceCents ?? 3999,
  });
  const { case: row, token } = await insertCase(db, {
    operatorId: input.operatorId,
    subscriber,
    contracts: [contract],
    receivedAt: now,
    effectiveEndDate: addDays(today, 10),
  });
  const item = await db.transaction(async (tx) => {
    const [survey] = await tx
      .insert(surveyResponses)
      .values({
        caseId: row.id,
        reason: input.reason ?? "price",
        details: input.details ?? null,
        competitor: input.competitor ?? null,
        wouldComeBack: input.wouldComeBack === undefined ? 7 : input.wouldComeBack,
        contactConsent: true,
        contactChannel: input.channel,
        contactWindow: input.window,
        createdAt: now,
      })
      .returning();
    const decision = await routeSurveyToQueue(tx, {
      survey: survey!,
      actor: { type: "subscriber", id: subscriber.id },
      meta: { ip: null, userAgent: null },
      now,
    });
    if (decision.kind !== "item") throw new Error(`survey not routed: ${decision.why}`);
    const [created] = await tx
      .select()
      .from(winbackItems)
      .where(eq(winbackItems.surveyResponseId, survey!.id));
    return created!;
  });
  return { item, subscriber, caseId: row.id, caseReference: row.reference, caseToken: token };
}
