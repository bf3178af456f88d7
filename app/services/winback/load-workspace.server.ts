import { and, asc, count, desc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  caseContracts,
  contactAttempts,
  contracts,
  offers,
  staffUsers,
  subscribers,
  surveyResponses,
  winbackItems,
} from "../../../db/schema";
import type { WINBACK_QUEUES } from "../../domain/enums";
import { OPEN_WINBACK_STATUSES } from "../../domain/enums";
import { loadWinbackSettings } from "./settings.server";

export const WINBACK_VIEWS = ["open", "mine", "closed"] as const;
export type WinbackView = (typeof WINBACK_VIEWS)[number];
export type WinbackQueueFilter = (typeof WINBACK_QUEUES)[number] | "all";
export const QUEUE_PAGE_SIZE = 100;

/**
 * One view of the win-back queue: open items (highest priority, then nearest SLA, first), the
 * signed-in agent's own, or the latest closed ones. Suppressed subscribers never show as open.
 */
export async function listWinbackQueue(
  db: Db,
  input: { staffId: string; view: WinbackView; queue: WinbackQueueFilter },
) {
  const conditions = [
    input.view === "closed"
      ? notInArray(winbackItems.status, [...OPEN_WINBACK_STATUSES])
      : inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
  ];
  if (input.view !== "closed") conditions.push(eq(subscribers.marketingSuppressed, false));
  if (input.view === "mine") conditions.push(eq(winbackItems.claimedBy, input.staffId));
  if (input.queue !== "all") conditions.push(eq(winbackItems.queue, input.queue));
  return db
    .select({
      id: winbackItems.id,
      caseId: winbackItems.caseId,
      caseReference: cancellationCases.reference,
      firstName: subscribers.firstName,
      lastName: subscribers.lastName,
      queue: winbackItems.queue,
      priority: winbackItems.priority,
      status: winbackItems.status,
      slaDueAt: winbackItems.slaDueAt,
      firstContactAt: winbackItems.firstContactAt,
      createdAt: winbackItems.createdAt,
      closedAt: winbackItems.closedAt,
      closeReason: winbackItems.closeReason,
      claimedBy: winbackItems.claimedBy,
      claimerName: staffUsers.displayName,
      reason: surveyResponses.reason,
      channel: surveyResponses.contactChannel,
      window: surveyResponses.contactWindow,
      attempts: sql<number>`(select count(*)::int from ${contactAttempts} where ${contactAttempts.winbackItemId} = ${winbackItems.id})`,
    })
    .from(winbackItems)
    .innerJoin(cancellationCases, eq(cancellationCases.id, winbackItems.caseId))
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .innerJoin(surveyResponses, eq(surveyResponses.id, winbackItems.surveyResponseId))
    .leftJoin(staffUsers, eq(staffUsers.id, winbackItems.claimedBy))
    .where(and(...conditions))
    .orderBy(
      ...(input.view === "closed"
        ? [desc(winbackItems.closedAt)]
        : [desc(winbackItems.priority), asc(winbackItems.slaDueAt)]),
      asc(winbackItems.id),
    )
    .limit(QUEUE_PAGE_SIZE);
}

export type WinbackQueueRow = Awaited<ReturnType<typeof listWinbackQueue>>[number];

/** Open items per queue, unclaimed ones and those past their SLA: the queue's header. */
export async function countOpenWinback(db: Db, now: Date) {
  const rows = await db
    .select({
      queue: winbackItems.queue,
      open: count(),
      unclaimed: sql<number>`count(*) filter (where ${winbackItems.claimedBy} is null)::int`,
      overdue: sql<number>`count(*) filter (where ${winbackItems.slaDueAt} < ${now.toISOString()}::timestamptz and ${winbackItems.firstContactAt} is null)::int`,
    })
    .from(winbackItems)
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .where(
      and(
        inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
        eq(subscribers.marketingSuppressed, false),
      ),
    )
    .groupBy(winbackItems.queue);
  return rows;
}

/**
 * Everything an agent needs on one item: the case in brief (no fees, deposits or payment data),
 * the survey answer and consent, the contact details for the consented channel only, the
 * attempts so far, the offer catalogue and the policy.
 */
export async function loadWinbackItem(db: Db, itemId: string) {
  const [row] = await db
    .select({
      item: winbackItems,
      claimerName: staffUsers.displayName,
      case: {
        id: cancellationCases.id,
        reference: cancellationCases.reference,
        operatorId: cancellationCases.operatorId,
        receivedAt: cancellationCases.receivedAt,
        effectiveEndDate: cancellationCases.effectiveEndDate,
        status: cancellationCases.status,
        language: cancellationCases.language,
      },
      subscriber: {
        id: subscribers.id,
        firstName: subscribers.firstName,
        lastName: subscribers.lastName,
        email: subscribers.email,
        phone: subscribers.phone,
        city: subscribers.city,
        region: subscribers.region,
        suppressed: subscribers.marketingSuppressed,
        suppressedAt: subscribers.marketingSuppressedAt,
      },
      survey: {
        reason: surveyResponses.reason,
        details: surveyResponses.details,
        competitor: surveyResponses.competitor,
        wouldComeBack: surveyResponses.wouldComeBack,
        contactConsent: surveyResponses.contactConsent,
        contactChannel: surveyResponses.contactChannel,
        contactWindow: surveyResponses.contactWindow,
        consentWithdrawnAt: surveyResponses.consentWithdrawnAt,
        answeredAt: surveyResponses.createdAt,
      },
    })
    .from(winbackItems)
    .innerJoin(cancellationCases, eq(cancellationCases.id, winbackItems.caseId))
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .innerJoin(surveyResponses, eq(surveyResponses.id, winbackItems.surveyResponseId))
    .leftJoin(staffUsers, eq(staffUsers.id, winbackItems.claimedBy))
    .where(eq(winbackItems.id, itemId));
  if (!row) return null;
  const [contractRows, attempts, catalogue, settings] = await Promise.all([
    db
      .select({
        contractNumber: contracts.contractNumber,
        offerName: contracts.offerName,
        category: contracts.category,
        monthlyPriceCents: contracts.monthlyPriceCents,
        currency: contracts.currency,
        startDate: contracts.startDate,
      })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(eq(caseContracts.caseId, row.case.id))
      .orderBy(asc(contracts.contractNumber)),
    db
      .select({
        id: contactAttempts.id,
        channel: contactAttempts.channel,
        outcome: contactAttempts.outcome,
        note: contactAttempts.note,
        attemptedAt: contactAttempts.attemptedAt,
        agentName: staffUsers.displayName,
        offerName: offers.name,
      })
      .from(contactAttempts)
      .innerJoin(staffUsers, eq(staffUsers.id, contactAttempts.staffUserId))
      .leftJoin(offers, eq(offers.id, contactAttempts.offerId))
      .where(eq(contactAttempts.winbackItemId, itemId))
      .orderBy(asc(contactAttempts.attemptedAt), asc(contactAttempts.id)),
    db
      .select({
        id: offers.id,
        code: offers.code,
        name: offers.name,
        description: offers.description,
        active: offers.active,
      })
      .from(offers)
      .where(eq(offers.operatorId, row.case.operatorId))
      .orderBy(asc(offers.name)),
    loadWinbackSettings(db, row.case.operatorId),
  ]);
  const itemOffer = catalogue.find((offer) => offer.id === row.item.offerId) ?? null;
  return {
    ...row,
    contracts: contractRows,
    attempts,
    offers: catalogue.filter((offer) => offer.active),
    itemOffer,
    settings,
  };
}

export type LoadedWinbackItem = NonNullable<Awaited<ReturnType<typeof loadWinbackItem>>>;

/** Items still unclaimed for the signed-in agent's home page. */
export async function countUnclaimedWinback(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(winbackItems)
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .where(
      and(
        eq(winbackItems.status, "new"),
        isNull(winbackItems.claimedBy),
        eq(subscribers.marketingSuppressed, false),
      ),
    );
  return row?.n ?? 0;
}

/** Open items the signed-in agent holds (for their home page). */
export async function countMyOpenWinback(db: Db, staffId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(winbackItems)
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .where(
      and(
        eq(winbackItems.claimedBy, staffId),
        inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
        eq(subscribers.marketingSuppressed, false),
      ),
    );
  return row?.n ?? 0;
}
