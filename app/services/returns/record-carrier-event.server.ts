import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { carrierEvents, equipmentReturns } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { CarrierEventKind, ReturnStatus } from "../../domain/enums";
import { normaliseReference } from "../../domain/reference";
import { assertReturnTransition, returnStatusAfterCarrierEvent } from "../../domain/returns";
import { isUniqueViolation } from "../notify-cancellation.server";

export interface CarrierEventInput {
  /** As typed or sent: `rt-7k3m 9qpd` is found as `RT-7K3M-9QPD`. */
  returnNumber: string;
  kind: CarrierEventKind;
  occurredAt: Date;
  carrier: string | null;
  trackingNumber: string | null;
  location: string | null;
  /** The carrier's own event id; a second event with the same id is a replay. Null for staff. */
  externalId: string | null;
  source: "api" | "manual";
}

export type CarrierEventResult =
  | { kind: "recorded"; carrierEventId: string; returnNumber: string; status: ReturnStatus }
  | { kind: "unknown_return" }
  | { kind: "duplicate" }
  | { kind: "return_closed" };

/**
 * A carrier event for a return, from the carrier's API or typed by staff at reception. One
 * transaction: the event row, the return's status if the event moves it (awaiting shipment → in
 * transit), and the audit events on the case's chain — or, for a replay, nothing at all.
 * Events arriving after the parcel was received are still kept (the tracking history), without
 * changing the status; a cancelled return (withdrawn case) takes none.
 */
export async function recordCarrierEvent(
  db: Queryable,
  input: CarrierEventInput,
  actor: Actor,
  meta: RequestMeta,
): Promise<CarrierEventResult> {
  try {
    return await db.transaction(async (tx) => {
      const [found] = await tx
        .select()
        .from(equipmentReturns)
        .where(eq(equipmentReturns.returnNumber, normaliseReference(input.returnNumber)))
        .for("update");
      if (!found) return { kind: "unknown_return" };
      if (input.externalId !== null) {
        const [seen] = await tx
          .select({ id: carrierEvents.id })
          .from(carrierEvents)
          .where(eq(carrierEvents.externalId, input.externalId));
        if (seen) return { kind: "duplicate" };
      }
      if (found.status === "cancelled") return { kind: "return_closed" };

      const now = new Date();
      const [event] = await tx
        .insert(carrierEvents)
        .values({
          returnId: found.id,
          kind: input.kind,
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          occurredAt: input.occurredAt,
          source: input.source,
          externalId: input.externalId,
          location: input.location,
          createdAt: now,
        })
        .returning({ id: carrierEvents.id });
      if (!event) throw new Error("carrier event insert returned no row");

      const audit = { caseId: found.caseId, actor, meta, occurredAt: now };
      const status = returnStatusAfterCarrierEvent(found.status, input.kind);
      if (status !== found.status) {
        assertReturnTransition(found.status, status);
        await tx
          .update(equipmentReturns)
          .set({ status, updatedAt: now })
          .where(eq(equipmentReturns.id, found.id));
        await recordEvent(tx, {
          ...audit,
          type: "return.updated",
          data: { returnNumber: found.returnNumber, status, method: found.method },
        });
      }
      await recordEvent(tx, {
        ...audit,
        type: "return.carrier_event",
        data: {
          returnNumber: found.returnNumber,
          carrierEventId: event.id,
          kind: input.kind,
          source: input.source,
          occurredAt: input.occurredAt.toISOString(),
        },
      });
      return {
        kind: "recorded",
        carrierEventId: event.id,
        returnNumber: found.returnNumber,
        status,
      };
    });
  } catch (error) {
    // One event id posted at once for two different returns (the row lock only queues posts for
    // the same return): the unique index decides; the loser's transaction, rolled back, wrote
    // nothing.
    if (isUniqueViolation(error, ["carrier_event_external_key"])) return { kind: "duplicate" };
    throw error;
  }
}
