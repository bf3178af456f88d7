import { eq, min, sql, sum } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import {
  cancellationCases,
  caseContracts,
  contracts,
  subscribers,
  winbackItems,
  type SurveyResponse,
} from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { routeSurveyAnswer, type RoutingDecision } from "../../domain/winback-routing";
import { loadRoutingTable } from "./settings.server";

/** Whole months from a contract's start to the notice. */
function monthsBetween(start: string, end: Date): number {
  const [y, m, d] = start.split("-").map(Number) as [number, number, number];
  const months = (end.getUTCFullYear() - y) * 12 + (end.getUTCMonth() + 1 - m);
  return Math.max(0, end.getUTCDate() < d ? months - 1 : months);
}

/**
 * Inside the survey transaction: a survey answer with consent becomes one win-back item (or
 * re-routes its item while nobody has claimed it). Without consent, or for a subscriber on the
 * suppression list, nothing is queued — the answer only feeds the statistics.
 */
export async function routeSurveyToQueue(
  tx: Tx,
  input: { survey: SurveyResponse; actor: Actor; meta: RequestMeta; now: Date },
): Promise<RoutingDecision> {
  const { survey } = input;
  const [row] = await tx
    .select({
      caseId: cancellationCases.id,
      operatorId: cancellationCases.operatorId,
      subscriberId: cancellationCases.subscriberId,
      receivedAt: cancellationCases.receivedAt,
      suppressed: subscribers.marketingSuppressed,
      firstStart: min(contracts.startDate),
      revenue: sum(contracts.monthlyPriceCents).mapWith(Number),
    })
    .from(cancellationCases)
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .innerJoin(caseContracts, eq(caseContracts.caseId, cancellationCases.id))
    .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
    .where(eq(cancellationCases.id, survey.caseId))
    .groupBy(cancellationCases.id, subscribers.id);
  if (!row) throw new Error(`case ${survey.caseId} not found`);
  const decision = routeSurveyAnswer(
    {
      reason: survey.reason,
      contactConsent: survey.contactConsent,
      suppressed: row.suppressed,
      tenureMonths: row.firstStart ? monthsBetween(row.firstStart, row.receivedAt) : 0,
      monthlyRevenueCents: row.revenue,
      wouldComeBack: survey.wouldComeBack,
    },
    input.now,
    await loadRoutingTable(tx, row.operatorId),
  );
  if (decision.kind === "none") return decision;
  const values = {
    queue: decision.queue,
    priority: decision.priority,
    slaDueAt: decision.slaDueAt,
  };
  // One item per survey answer; a second answer re-routes it only while it is still unclaimed.
  const [item] = await tx
    .insert(winbackItems)
    .values({
      caseId: row.caseId,
      surveyResponseId: survey.id,
      subscriberId: row.subscriberId,
      ...values,
      // The item's age (the policy's 30 days) counts from the answer.
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: winbackItems.surveyResponseId,
      set: { ...values, updatedAt: input.now },
      setWhere: sql`${winbackItems.status} = 'new'`,
    })
    .returning({ id: winbackItems.id });
  if (item) {
    await recordEvent(tx, {
      caseId: row.caseId,
      type: "winback.item_routed",
      actor: input.actor,
      meta: input.meta,
      occurredAt: input.now,
      data: { itemId: item.id, ...values, slaDueAt: decision.slaDueAt.toISOString() },
    });
  }
  return decision;
}
