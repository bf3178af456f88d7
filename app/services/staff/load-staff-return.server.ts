import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  cancellationCases,
  carrierEvents,
  equipment,
  equipmentReturns,
  returnItems,
  subscribers,
} from "../../../db/schema";
import { normaliseReference } from "../../domain/reference";

/**
 * A return as the reception desk sees it: its case and subscriber, each item with its state
 * (expected, received and how, charged) and the carrier's tracking history. Null when no return
 * has this number (typed in any case, with or without dashes).
 */
export async function loadStaffReturn(db: Db, typedNumber: string) {
  const returnNumber = normaliseReference(typedNumber);
  const [row] = await db
    .select({
      equipmentReturn: equipmentReturns,
      case: {
        id: cancellationCases.id,
        reference: cancellationCases.reference,
        status: cancellationCases.status,
      },
      subscriber: { firstName: subscribers.firstName, lastName: subscribers.lastName },
    })
    .from(equipmentReturns)
    .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
    .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
    .where(eq(equipmentReturns.returnNumber, returnNumber));
  if (!row) return null;
  const [items, events] = await Promise.all([
    db
      .select({
        id: returnItems.id,
        equipmentId: returnItems.equipmentId,
        kind: equipment.kind,
        model: equipment.model,
        serial: equipment.serial,
        condition: returnItems.condition,
        receivedAt: returnItems.receivedAt,
        photoDocumentId: returnItems.photoDocumentId,
        nonReturnChargeCents: returnItems.nonReturnChargeCents,
        chargeCents: returnItems.chargeCents,
        currency: returnItems.currency,
      })
      .from(returnItems)
      .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
      .where(eq(returnItems.returnId, row.equipmentReturn.id))
      .orderBy(asc(equipment.kind), asc(equipment.model), asc(equipment.serial)),
    db
      .select({
        id: carrierEvents.id,
        kind: carrierEvents.kind,
        carrier: carrierEvents.carrier,
        trackingNumber: carrierEvents.trackingNumber,
        location: carrierEvents.location,
        occurredAt: carrierEvents.occurredAt,
        source: carrierEvents.source,
      })
      .from(carrierEvents)
      .where(eq(carrierEvents.returnId, row.equipmentReturn.id))
      .orderBy(asc(carrierEvents.occurredAt), asc(carrierEvents.createdAt)),
  ]);
  return { ...row, items, carrierEvents: events };
}

export type StaffReturn = NonNullable<Awaited<ReturnType<typeof loadStaffReturn>>>;
