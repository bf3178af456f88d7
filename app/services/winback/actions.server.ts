import { and, count, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../../db/client";
import {
  cancellationCases,
  contactAttempts,
  offers,
  staffUsers,
  subscribers,
  surveyResponses,
  winbackItems,
  type WinbackItem,
} from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import {
  OPEN_WINBACK_STATUSES,
  type ContactChannel,
  type ContactOutcome,
  type WinbackStatus,
} from "../../domain/enums";
import {
  attemptRefusal,
  contactWindowState,
  isOpenItem,
  itemAfterAttempt,
  itemDeadline,
  outcomeRefusal,
  type AttemptRefusal,
  type CloseReason,
  type FinalOutcome,
  type OutcomeRefusal,
} from "../../domain/winback-policy";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { loadWinbackSettings } from "./settings.server";

export type WinbackRefusal =
  | AttemptRefusal
  | OutcomeRefusal
  | { code: "not_found" }
  | { code: "already_claimed"; by: string }
  | { code: "unknown_offer" }
  | { code: "attempts_changed"; attemptsNow: number };

export type WinbackResult<T = object> = ({ ok: true } & T) | { ok: false; refusal: WinbackRefusal };

const refuse = (refusal: WinbackRefusal) => ({ ok: false as const, refusal });

async function offerCode(tx: Queryable, offerId: string | null): Promise<string | null> {
  if (offerId === null) return null;
  const [offer] = await tx.select({ code: offers.code }).from(offers).where(eq(offers.id, offerId));
  return offer?.code ?? null;
}

/** Closes items (already locked by the caller) with one `winback.closed` event each. */
export async function closeItems(
  tx: Tx,
  items: Pick<WinbackItem, "id" | "caseId" | "offerId" | "status">[],
  input: {
    status: WinbackStatus;
    closeReason: CloseReason;
    offerId?: string | null;
    actor: Actor;
    meta: RequestMeta;
    now: Date;
  },
): Promise<string[]> {
  const open = items.filter((item) => isOpenItem(item.status));
  for (const item of open) {
    const offerId = input.offerId === undefined ? item.offerId : input.offerId;
    await tx
      .update(winbackItems)
      .set({
        status: input.status,
        closeReason: input.closeReason,
        closedAt: input.now,
        offerId,
        updatedAt: input.now,
      })
      .where(eq(winbackItems.id, item.id));
    await recordEvent(tx, {
      caseId: item.caseId,
      type: "winback.closed",
      actor: input.actor,
      meta: input.meta,
      occurredAt: input.now,
      data: {
        itemId: item.id,
        status: input.status,
        closeReason: input.closeReason,
        offerCode: await offerCode(tx, offerId),
      },
    });
  }
  return open.map((item) => item.id);
}

/** Claims an item: one agent per item, decided by the database (a conditional update). */
export async function claimWinbackItem(
  db: Db,
  input: { itemId: string; staffId: string; meta: RequestMeta; now?: Date },
): Promise<WinbackResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(winbackItems)
      .set({
        claimedBy: input.staffId,
        claimedAt: now,
        status: sql`case when ${winbackItems.status} = 'new' then 'claimed' else ${winbackItems.status} end`,
        updatedAt: now,
      })
      .where(
        and(
          eq(winbackItems.id, input.itemId),
          isNull(winbackItems.claimedBy),
          inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
          sql`not exists (select 1 from ${subscribers} where ${subscribers.id} = ${winbackItems.subscriberId} and ${subscribers.marketingSuppressed})`,
        ),
      )
      .returning();
    if (claimed) {
      await recordEvent(tx, {
        caseId: claimed.caseId,
        type: "winback.claimed",
        actor: { type: "staff", id: input.staffId },
        meta: input.meta,
        occurredAt: now,
        data: { itemId: claimed.id, action: "claimed" },
      });
      return { ok: true };
    }
    // Lost the race, or nothing to claim: say why.
    const [item] = await tx
      .select({
        status: winbackItems.status,
        claimedBy: winbackItems.claimedBy,
        claimerName: staffUsers.displayName,
        suppressed: subscribers.marketingSuppressed,
      })
      .from(winbackItems)
      .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
      .leftJoin(staffUsers, eq(staffUsers.id, winbackItems.claimedBy))
      .where(eq(winbackItems.id, input.itemId));
    if (!item) return refuse({ code: "not_found" });
    if (item.claimedBy === input.staffId) return { ok: true };
    if (item.suppressed) return refuse({ code: "suppressed" });
    if (!isOpenItem(item.status)) return refuse({ code: "closed", status: item.status });
    return refuse({ code: "already_claimed", by: item.claimerName ?? "" });
  });
}

/** Gives an item back to the queue (only the agent who holds it). */
export async function releaseWinbackItem(
  db: Db,
  input: { itemId: string; staffId: string; meta: RequestMeta; now?: Date },
): Promise<WinbackResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [released] = await tx
      .update(winbackItems)
      .set({
        claimedBy: null,
        claimedAt: null,
        status: sql`case when ${winbackItems.status} = 'claimed' then 'new' else ${winbackItems.status} end`,
        updatedAt: now,
      })
      .where(
        and(
          eq(winbackItems.id, input.itemId),
          eq(winbackItems.claimedBy, input.staffId),
          inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
        ),
      )
      .returning();
    if (!released) return refuse({ code: "not_claimed_by_you" });
    await recordEvent(tx, {
      caseId: released.caseId,
      type: "winback.claimed",
      actor: { type: "staff", id: input.staffId },
      meta: input.meta,
      occurredAt: now,
      data: { itemId: released.id, action: "released" },
    });
    return { ok: true };
  });
}

/** The item, its survey's consent and the subscriber's suppression flag, locked for the change. */
async function lockItem(tx: Tx, itemId: string) {
  const [row] = await tx
    .select({
      item: winbackItems,
      channel: surveyResponses.contactChannel,
      window: surveyResponses.contactWindow,
      consent: surveyResponses.contactConsent,
      suppressed: subscribers.marketingSuppressed,
      operatorId: cancellationCases.operatorId,
    })
    .from(winbackItems)
    .innerJoin(surveyResponses, eq(surveyResponses.id, winbackItems.surveyResponseId))
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .innerJoin(cancellationCases, eq(cancellationCases.id, winbackItems.caseId))
    .where(eq(winbackItems.id, itemId))
    .for("update", { of: winbackItems });
  if (!row) return null;
  const [attempts] = await tx
    .select({ n: count() })
    .from(contactAttempts)
    .where(eq(contactAttempts.winbackItemId, itemId));
  return { ...row, attemptsSoFar: attempts?.n ?? 0 };
}

async function activeOffer(tx: Tx, operatorId: string, offerId: string | null) {
  if (offerId === null) return { ok: true as const, code: null };
  const [offer] = await tx
    .select({ code: offers.code })
    .from(offers)
    .where(and(eq(offers.id, offerId), eq(offers.operatorId, operatorId), eq(offers.active, true)));
  return offer ? { ok: true as const, code: offer.code } : { ok: false as const };
}

/**
 * Logs one contact attempt within the policy: at most N attempts, not after the item's age
 * limit, on the channel the subscriber chose, calls and texts only inside their window. An email
 * attempt sends the retention email (with the "stop contacting me" link), at the window's next
 * opening when the window is closed. At the limit, an item that reached no one closes itself.
 */
export async function logContactAttempt(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue> },
  input: {
    itemId: string;
    staffId: string;
    channel: ContactChannel;
    outcome: ContactOutcome;
    offerId: string | null;
    note: string | null;
    /**
     * How many attempts the agent saw when filling in the form. A form sent twice (a double
     * click, a resubmitted page) would otherwise log the same call twice, spend the item's
     * attempt budget and send the retention email twice: it is refused instead.
     */
    attemptsSeen?: number;
    meta: RequestMeta;
    now?: Date;
  },
): Promise<WinbackResult<{ attemptId: string; emailScheduledFor: Date | null; closed: boolean }>> {
  const now = input.now ?? new Date();
  return deps.db.transaction(async (tx) => {
    const row = await lockItem(tx, input.itemId);
    if (!row || !row.consent || !row.channel || !row.window) return refuse({ code: "not_found" });
    if (input.attemptsSeen !== undefined && input.attemptsSeen !== row.attemptsSoFar)
      return refuse({ code: "attempts_changed", attemptsNow: row.attemptsSoFar });
    const settings = await loadWinbackSettings(tx, row.operatorId);
    const refusal = attemptRefusal(
      {
        status: row.item.status,
        claimedByMe: row.item.claimedBy === input.staffId,
        suppressed: row.suppressed,
        attemptsSoFar: row.attemptsSoFar,
        createdAt: row.item.createdAt,
        consentedChannel: row.channel,
        window: row.window,
      },
      { channel: input.channel, outcome: input.outcome },
      settings,
      now,
      settings.timeZone,
    );
    if (refusal) return refuse(refusal);
    const offer = await activeOffer(tx, row.operatorId, input.offerId);
    if (!offer.ok) return refuse({ code: "unknown_offer" });

    const [attempt] = await tx
      .insert(contactAttempts)
      .values({
        winbackItemId: row.item.id,
        staffUserId: input.staffId,
        channel: input.channel,
        outcome: input.outcome,
        note: input.note,
        offerId: input.offerId,
        attemptedAt: now,
      })
      .returning({ id: contactAttempts.id });
    const next = itemAfterAttempt(input.outcome, row.attemptsSoFar + 1, settings);
    const offerId = input.offerId ?? row.item.offerId;
    await tx
      .update(winbackItems)
      .set({
        status: "contacted",
        firstContactAt: row.item.firstContactAt ?? now,
        offerId,
        updatedAt: now,
      })
      .where(eq(winbackItems.id, row.item.id));

    let emailScheduledFor: Date | null = null;
    if (input.channel === "email") {
      const window = contactWindowState(row.window, now, settings.timeZone);
      emailScheduledFor = window.open ? null : window.nextOpening;
      await deps.jobs.enqueue(
        tx,
        "winback.send-email",
        { caseId: row.item.caseId, attemptId: attempt!.id },
        emailScheduledFor ? { startAfter: emailScheduledFor } : {},
      );
    }
    const actor = { type: "staff" as const, id: input.staffId };
    await recordEvent(tx, {
      caseId: row.item.caseId,
      type: "winback.contact_logged",
      actor,
      meta: input.meta,
      occurredAt: now,
      data: {
        itemId: row.item.id,
        attemptId: attempt!.id,
        channel: input.channel,
        outcome: input.outcome,
        offerCode: offer.code,
        ...(emailScheduledFor ? { emailScheduledFor: emailScheduledFor.toISOString() } : {}),
      },
    });
    if (next.closeReason !== null) {
      await closeItems(tx, [{ ...row.item, status: "contacted", offerId }], {
        status: next.status,
        closeReason: next.closeReason,
        actor,
        meta: input.meta,
        now,
      });
    }
    return {
      ok: true,
      attemptId: attempt!.id,
      emailScheduledFor,
      closed: next.closeReason !== null,
    };
  });
}

/** The agent records how it ended: won back (with the offer accepted), declined, no answer. */
export async function recordWinbackOutcome(
  db: Db,
  input: {
    itemId: string;
    staffId: string;
    outcome: FinalOutcome;
    offerId: string | null;
    meta: RequestMeta;
    now?: Date;
  },
): Promise<WinbackResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockItem(tx, input.itemId);
    if (!row) return refuse({ code: "not_found" });
    if (row.suppressed) return refuse({ code: "suppressed" });
    const refusal = outcomeRefusal(
      {
        status: row.item.status,
        claimedByMe: row.item.claimedBy === input.staffId,
        attemptsSoFar: row.attemptsSoFar,
      },
      input.outcome,
    );
    if (refusal) return refuse(refusal);
    const offer = await activeOffer(tx, row.operatorId, input.offerId);
    if (!offer.ok) return refuse({ code: "unknown_offer" });
    await closeItems(tx, [row.item], {
      status: input.outcome,
      closeReason: "outcome",
      offerId: input.offerId ?? row.item.offerId,
      actor: { type: "staff", id: input.staffId },
      meta: input.meta,
      now,
    });
    return { ok: true };
  });
}

/**
 * "Stop contacting me" (from the email link, or an agent on the subscriber's behalf): the
 * subscriber goes on the suppression list, every open item of theirs closes at once, and their
 * consents are marked withdrawn. Idempotent: a second click changes nothing.
 */
export async function suppressSubscriber(
  db: Db,
  input: {
    subscriberId: string;
    via: "email_link" | "agent";
    actor: Actor;
    meta: RequestMeta;
    now?: Date;
  },
): Promise<{ alreadySuppressed: boolean; closedItemIds: string[] }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [subscriber] = await tx
      .select({ suppressed: subscribers.marketingSuppressed })
      .from(subscribers)
      .where(eq(subscribers.id, input.subscriberId))
      .for("update");
    if (!subscriber) throw new Error(`subscriber ${input.subscriberId} not found`);
    if (subscriber.suppressed) return { alreadySuppressed: true, closedItemIds: [] };
    await tx
      .update(subscribers)
      .set({ marketingSuppressed: true, marketingSuppressedAt: now, updatedAt: now })
      .where(eq(subscribers.id, input.subscriberId));
    const surveys = await tx
      .update(surveyResponses)
      .set({ consentWithdrawnAt: now })
      .where(
        and(
          eq(surveyResponses.contactConsent, true),
          isNull(surveyResponses.consentWithdrawnAt),
          inArray(
            surveyResponses.caseId,
            tx
              .select({ id: cancellationCases.id })
              .from(cancellationCases)
              .where(eq(cancellationCases.subscriberId, input.subscriberId)),
          ),
        ),
      )
      .returning({ caseId: surveyResponses.caseId });
    const open = await tx
      .select()
      .from(winbackItems)
      .where(
        and(
          eq(winbackItems.subscriberId, input.subscriberId),
          inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
        ),
      )
      .for("update");
    const closedItemIds = await closeItems(tx, open, {
      status: "do_not_contact",
      closeReason: "suppressed",
      actor: input.actor,
      meta: input.meta,
      now,
    });
    // One consent event per case whose survey carried a consent (the chain of each case says it).
    const caseIds = [...new Set(surveys.map((survey) => survey.caseId))];
    const data = { subscriberId: input.subscriberId, via: input.via, closedItemIds };
    if (caseIds.length === 0) {
      await recordEvent(tx, {
        stream: `subscriber:${input.subscriberId}`,
        type: "consent.withdrawn",
        actor: input.actor,
        meta: input.meta,
        occurredAt: now,
        data,
      });
    }
    for (const caseId of caseIds) {
      await recordEvent(tx, {
        caseId,
        type: "consent.withdrawn",
        actor: input.actor,
        meta: input.meta,
        occurredAt: now,
        data,
      });
    }
    return { alreadySuppressed: false, closedItemIds };
  });
}

/** Hourly: items older than the policy allows close themselves ("expired"). */
export async function expireWinbackItems(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ item: winbackItems, days: sql<number>`o.winback_max_age_days` })
      .from(winbackItems)
      .innerJoin(cancellationCases, eq(cancellationCases.id, winbackItems.caseId))
      .innerJoin(sql`operator o`, sql`o.id = ${cancellationCases.operatorId}`)
      .where(
        and(
          inArray(winbackItems.status, [...OPEN_WINBACK_STATUSES]),
          lte(
            winbackItems.createdAt,
            sql`${now.toISOString()}::timestamptz - make_interval(days => o.winback_max_age_days)`,
          ),
        ),
      )
      .for("update", { of: winbackItems, skipLocked: true });
    const items = due.filter(
      ({ item, days }) => itemDeadline(item.createdAt, { maxAttempts: 0, maxAgeDays: days }) <= now,
    );
    const closed = await closeItems(
      tx,
      items.map(({ item }) => item),
      {
        status: "expired",
        closeReason: "expired",
        actor: { type: "system", id: null },
        meta: { ip: null, userAgent: null },
        now,
      },
    );
    return closed.length;
  });
}
