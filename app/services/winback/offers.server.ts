import { and, asc, desc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { offers, type Offer } from "../../../db/schema";
import type { Actor, AuditEventData, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { isUuid } from "../../domain/ids";
import { WINBACK_SETTINGS_STREAM } from "./settings.server";

// The operator's win-back offer catalogue (issue #7, part 2), edited by admin. Offers are never
// deleted — contact attempts and items point at them — only deactivated: agents then no longer
// see them, the history keeps them. Each change is one transaction with its audit event on the
// retention settings' stream.

type OfferAction = AuditEventData<"winback.offer_changed">["action"];

interface ChangeInput {
  operatorId: string;
  actor: Actor;
  meta: RequestMeta;
}

/** The whole catalogue, active offers first, then by name. */
export async function listOffers(db: Queryable, operatorId: string): Promise<Offer[]> {
  return db
    .select()
    .from(offers)
    .where(eq(offers.operatorId, operatorId))
    .orderBy(desc(offers.active), asc(offers.name), asc(offers.code));
}

/** One offer of the operator, or null (also for an id that is not a UUID). */
export async function loadOffer(
  db: Queryable,
  operatorId: string,
  offerId: string,
): Promise<Offer | null> {
  if (!isUuid(offerId)) return null;
  const [offer] = await db
    .select()
    .from(offers)
    .where(and(eq(offers.id, offerId), eq(offers.operatorId, operatorId)));
  return offer ?? null;
}

async function recordOfferChange(
  tx: Queryable,
  input: ChangeInput & { action: OfferAction; before: Offer | null; after: Offer },
) {
  await recordEvent(tx, {
    stream: WINBACK_SETTINGS_STREAM,
    type: "winback.offer_changed",
    actor: input.actor,
    meta: input.meta,
    data: {
      offerId: input.after.id,
      code: input.after.code,
      action: input.action,
      name: input.after.name,
      previousName: input.before?.name ?? null,
      description: input.after.description,
      previousDescription: input.before?.description ?? null,
      active: input.after.active,
      previousActive: input.before?.active ?? null,
    },
  });
}

export type CreateOfferResult = { kind: "created"; offer: Offer } | { kind: "code_taken" };

/** Adds an active offer; a code already in the catalogue (active or not) is refused. */
export async function createOffer(
  db: Queryable,
  input: ChangeInput & { code: string; name: string; description: string },
): Promise<CreateOfferResult> {
  return db.transaction(async (tx) => {
    // The unique index decides, so two admins adding the same code at once get one offer.
    const [offer] = await tx
      .insert(offers)
      .values({
        operatorId: input.operatorId,
        code: input.code,
        name: input.name,
        description: input.description,
      })
      .onConflictDoNothing({ target: [offers.operatorId, offers.code] })
      .returning();
    if (!offer) return { kind: "code_taken" };
    await recordOfferChange(tx, { ...input, action: "created", before: null, after: offer });
    return { kind: "created", offer };
  });
}

export type ChangeOfferResult = "changed" | "unchanged" | "not_found";

/** Changes an offer's name and description (the code stays: the history refers to it). */
export async function editOffer(
  db: Queryable,
  input: ChangeInput & { offerId: string; name: string; description: string },
): Promise<ChangeOfferResult> {
  if (!isUuid(input.offerId)) return "not_found";
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.id, input.offerId), eq(offers.operatorId, input.operatorId)))
      .for("update");
    if (!before) return "not_found";
    if (before.name === input.name && before.description === input.description) return "unchanged";
    const [after] = await tx
      .update(offers)
      .set({ name: input.name, description: input.description })
      .where(eq(offers.id, before.id))
      .returning();
    await recordOfferChange(tx, { ...input, action: "edited", before, after: after! });
    return "changed";
  });
}

/** Deactivates an offer (agents no longer see it) or puts it back in the catalogue. */
export async function setOfferActive(
  db: Queryable,
  input: ChangeInput & { offerId: string; active: boolean },
): Promise<ChangeOfferResult> {
  if (!isUuid(input.offerId)) return "not_found";
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(offers)
      .where(and(eq(offers.id, input.offerId), eq(offers.operatorId, input.operatorId)))
      .for("update");
    if (!before) return "not_found";
    if (before.active === input.active) return "unchanged";
    const [after] = await tx
      .update(offers)
      .set({ active: input.active })
      .where(eq(offers.id, before.id))
      .returning();
    await recordOfferChange(tx, {
      ...input,
      action: input.active ? "reactivated" : "deactivated",
      before,
      after: after!,
    });
    return "changed";
  });
}
