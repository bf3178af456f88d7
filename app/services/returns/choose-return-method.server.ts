import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cancellationCases, equipmentReturns, operators } from "../../../db/schema";
import type { RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import { dateInZone } from "../../domain/dates";
import { packFor } from "../../domain/jurisdictions";
import { canChooseMethod, pickupDates, type MethodChoice } from "../../domain/returns";

export type ChooseMethodResult =
  | { kind: "chosen" }
  | { kind: "no_return" }
  | { kind: "locked"; status: string }
  | { kind: "method_unavailable" }
  | { kind: "invalid_pickup_date" };

/**
 * The subscriber chooses (or changes) how the equipment goes back, until the parcel is handed in.
 * A courier pick-up needs one of the offered working days before the deadline and a time slot.
 */
export async function chooseReturnMethod(
  db: Db,
  input: { caseId: string; choice: MethodChoice; meta: RequestMeta; now?: Date },
): Promise<ChooseMethodResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        equipmentReturn: equipmentReturns,
        subscriberId: cancellationCases.subscriberId,
        jurisdiction: cancellationCases.jurisdiction,
        caseStatus: cancellationCases.status,
        methods: operators.returnMethods,
      })
      .from(equipmentReturns)
      .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
      .innerJoin(operators, eq(operators.id, cancellationCases.operatorId))
      .where(eq(equipmentReturns.caseId, input.caseId))
      .for("update", { of: equipmentReturns });
    if (!row) return { kind: "no_return" };
    const current = row.equipmentReturn;
    if (!canChooseMethod(current.status) || row.caseStatus === "withdrawn")
      return { kind: "locked", status: current.status };
    if (!row.methods.includes(input.choice.method)) return { kind: "method_unavailable" };
    const choice = input.choice;
    if (choice.method === "courier_pickup") {
      const today = dateInZone(now, packFor(row.jurisdiction).timeZone);
      if (!pickupDates(today, current.deadline).includes(choice.pickupDate))
        return { kind: "invalid_pickup_date" };
    }
    const pickup =
      choice.method === "courier_pickup"
        ? { pickupDate: choice.pickupDate, pickupSlot: choice.pickupSlot }
        : { pickupDate: null, pickupSlot: null };
    if (
      current.method === choice.method &&
      current.pickupDate === pickup.pickupDate &&
      current.pickupSlot === pickup.pickupSlot
    )
      return { kind: "chosen" };
    await tx
      .update(equipmentReturns)
      .set({ method: choice.method, ...pickup, updatedAt: now })
      .where(eq(equipmentReturns.id, current.id));
    await recordEvent(tx, {
      caseId: input.caseId,
      type: "return.method_chosen",
      actor: { type: "subscriber", id: row.subscriberId },
      meta: input.meta,
      occurredAt: now,
      data: {
        returnNumber: current.returnNumber,
        method: choice.method,
        ...(choice.method === "courier_pickup"
          ? { pickupDate: choice.pickupDate, pickupSlot: choice.pickupSlot }
          : {}),
      },
    });
    return { kind: "chosen" };
  });
}
