import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cancellationCases, documents, equipmentReturns, returnItems } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { ItemCondition } from "../../domain/enums";
import type { ProofType } from "../../domain/proof";
import {
  assertReturnTransition,
  canReceive,
  returnStatusAfterReception,
} from "../../domain/returns";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { settleDeposit } from "./settle-deposit.server";

export interface ItemReceptionInput {
  equipmentId: string;
  condition: ItemCondition;
  photo: { bytes: Buffer; type: ProofType } | null;
}

export type ReceiveResult =
  | { kind: "received"; receptionId: string; receivedCount: number; status: string }
  | { kind: "return_closed"; status: string }
  | { kind: "unknown_item"; equipmentId: string }
  | { kind: "already_received"; equipmentId: string };

/**
 * The warehouse's reception of one parcel: each ticked item with its condition (ok, damaged — or
 * missing from the parcel, which leaves it expected) and an optional photo. One transaction: the
 * items, the photos as documents, the return's status, the deposit's clock, the audit events and
 * the itemised receipt email (one per reception) — or nothing. Items that come back after they
 * were charged lift their charge.
 */
export async function receiveItems(
  deps: { db: Db; jobs: JobQueue<AppJobCatalogue> },
  input: {
    returnId: string;
    items: ItemReceptionInput[];
    actor: Actor;
    meta: RequestMeta;
    now?: Date;
  },
): Promise<ReceiveResult> {
  const now = input.now ?? new Date();
  // One line per device: the same device ticked twice counts once.
  const items = input.items.filter(
    (item, index) =>
      input.items.findIndex((other) => other.equipmentId === item.equipmentId) === index,
  );
  return deps.db.transaction(async (tx) => {
    const [equipmentReturn] = await tx
      .select()
      .from(equipmentReturns)
      .where(eq(equipmentReturns.id, input.returnId))
      .for("update");
    if (!equipmentReturn) throw new Error(`return ${input.returnId} not found`);
    if (!canReceive(equipmentReturn.status))
      return { kind: "return_closed", status: equipmentReturn.status };
    const [caseRow] = await tx
      .select({
        id: cancellationCases.id,
        reference: cancellationCases.reference,
        jurisdiction: cancellationCases.jurisdiction,
      })
      .from(cancellationCases)
      .where(eq(cancellationCases.id, equipmentReturn.caseId));
    if (!caseRow) throw new Error(`case of return ${input.returnId} not found`);
    const rows = await tx
      .select()
      .from(returnItems)
      .where(eq(returnItems.returnId, equipmentReturn.id));
    for (const item of items) {
      const row = rows.find((candidate) => candidate.equipmentId === item.equipmentId);
      if (!row) return { kind: "unknown_item", equipmentId: item.equipmentId };
      if (row.receivedAt !== null)
        return { kind: "already_received", equipmentId: item.equipmentId };
    }

    const audit = { caseId: caseRow.id, actor: input.actor, meta: input.meta, occurredAt: now };
    const receptionId = randomUUID();
    const recorded: { equipmentId: string; condition: ItemCondition; photoDocumentId?: string }[] =
      [];
    for (const item of items) {
      let photoDocumentId: string | undefined;
      if (item.photo) {
        const sha256 = createHash("sha256").update(item.photo.bytes).digest("hex");
        const [photo] = await tx
          .insert(documents)
          .values({
            caseId: caseRow.id,
            kind: "item_photo",
            contentType: item.photo.type.contentType,
            fileName: `photo-${equipmentReturn.returnNumber}-${recorded.length + 1}.${item.photo.type.extension}`,
            bytes: item.photo.bytes,
            sizeBytes: item.photo.bytes.length,
            sha256,
            createdAt: now,
          })
          .returning({ id: documents.id });
        photoDocumentId = photo!.id;
        await recordEvent(tx, {
          ...audit,
          type: "document.created",
          data: { documentId: photoDocumentId, kind: "item_photo", sha256 },
        });
      }
      const received = item.condition !== "missing";
      await tx
        .update(returnItems)
        .set({
          condition: item.condition,
          receivedAt: received ? now : null,
          receptionId: received ? receptionId : null,
          ...(received ? { chargeCents: 0 } : {}),
          ...(photoDocumentId ? { photoDocumentId } : {}),
        })
        .where(eq(returnItems.id, rows.find((row) => row.equipmentId === item.equipmentId)!.id));
      recorded.push({
        equipmentId: item.equipmentId,
        condition: item.condition,
        ...(photoDocumentId ? { photoDocumentId } : {}),
      });
    }
    const receivedCount = recorded.filter((item) => item.condition !== "missing").length;

    let status = equipmentReturn.status;
    if (receivedCount > 0) {
      const after = await tx
        .select({ receivedAt: returnItems.receivedAt, chargeCents: returnItems.chargeCents })
        .from(returnItems)
        .where(eq(returnItems.returnId, equipmentReturn.id));
      status = returnStatusAfterReception(equipmentReturn.status, after);
    }
    if (status !== equipmentReturn.status) assertReturnTransition(equipmentReturn.status, status);
    await tx
      .update(equipmentReturns)
      .set({
        status,
        receivedAt:
          receivedCount > 0 ? (equipmentReturn.receivedAt ?? now) : equipmentReturn.receivedAt,
        updatedAt: now,
      })
      .where(eq(equipmentReturns.id, equipmentReturn.id));
    await recordEvent(tx, {
      ...audit,
      type: "return.items_received",
      data: { returnNumber: equipmentReturn.returnNumber, receptionId, items: recorded },
    });
    if (status !== equipmentReturn.status)
      await recordEvent(tx, {
        ...audit,
        type: "return.updated",
        data: {
          returnNumber: equipmentReturn.returnNumber,
          status,
          method: equipmentReturn.method,
        },
      });
    if (receivedCount > 0) {
      await settleDeposit(tx, {
        caseId: caseRow.id,
        jurisdiction: caseRow.jurisdiction,
        actor: input.actor,
        meta: input.meta,
        now,
      });
      await deps.jobs.enqueue(tx, "return.send-receipt", { caseId: caseRow.id, receptionId });
    }
    return { kind: "received", receptionId, receivedCount, status };
  });
}
