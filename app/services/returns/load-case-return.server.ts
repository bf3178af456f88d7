import { asc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import {
  carrierEvents,
  equipment,
  equipmentReturns,
  operators,
  refunds,
  returnItems,
  cancellationCases,
} from "../../../db/schema";
import { dateInZone, type IsoDate } from "../../domain/dates";
import type { ReturnMethod } from "../../domain/enums";
import { packFor } from "../../domain/jurisdictions";
import { canChooseMethod, depositStatement, pickupDates } from "../../domain/returns";

export interface CaseReturnView {
  returnNumber: string;
  status: string;
  deadline: IsoDate;
  method: ReturnMethod | null;
  pickupDate: IsoDate | null;
  pickupSlot: string | null;
  methods: ReturnMethod[];
  canChooseMethod: boolean;
  pickupDates: IsoDate[];
  returnAddress: string;
  items: {
    equipmentId: string;
    kind: string;
    model: string;
    serial: string | null;
    condition: string | null;
    receivedAt: string | null;
    chargeCents: number;
    nonReturnChargeCents: number;
    currency: string;
  }[];
  carrierEvents: {
    kind: string;
    occurredAt: string;
    carrier: string | null;
    location: string | null;
  }[];
}

export interface CaseRefundView {
  id: string;
  kind: string;
  status: string;
  amountCents: number;
  offsetCents: number;
  netCents: number;
  /** Charges above the deposit, invoiced separately. */
  remainingChargeCents: number;
  currency: string;
  legalDueDate: IsoDate | null;
  clockStartedOn: IsoDate | null;
  issuedAt: string | null;
  paymentReference: string | null;
}

/** What the subscriber sees of the return and refunds on the case page (JSON-serialisable). */
export async function loadCaseReturnAndRefunds(
  db: Queryable,
  caseId: string,
  now = new Date(),
): Promise<{ equipmentReturn: CaseReturnView | null; refunds: CaseRefundView[] }> {
  const [row] = await db
    .select({
      equipmentReturn: equipmentReturns,
      methods: operators.returnMethods,
      returnAddress: operators.returnAddress,
      jurisdiction: cancellationCases.jurisdiction,
      caseStatus: cancellationCases.status,
    })
    .from(cancellationCases)
    .innerJoin(operators, eq(operators.id, cancellationCases.operatorId))
    .leftJoin(equipmentReturns, eq(equipmentReturns.caseId, cancellationCases.id))
    .where(eq(cancellationCases.id, caseId));
  const refundRows = await db
    .select()
    .from(refunds)
    .where(eq(refunds.caseId, caseId))
    .orderBy(asc(refunds.kind));
  const ret = row?.equipmentReturn ?? null;
  const items = ret
    ? await db
        .select({
          equipmentId: returnItems.equipmentId,
          kind: equipment.kind,
          model: equipment.model,
          serial: equipment.serial,
          condition: returnItems.condition,
          receivedAt: returnItems.receivedAt,
          chargeCents: returnItems.chargeCents,
          nonReturnChargeCents: returnItems.nonReturnChargeCents,
          currency: returnItems.currency,
        })
        .from(returnItems)
        .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
        .where(eq(returnItems.returnId, ret.id))
        .orderBy(asc(equipment.kind), asc(equipment.model))
    : [];
  const events = ret
    ? await db
        .select()
        .from(carrierEvents)
        .where(eq(carrierEvents.returnId, ret.id))
        .orderBy(asc(carrierEvents.occurredAt))
    : [];
  const totalCharges = items.reduce((sum, item) => sum + item.chargeCents, 0);
  const today = row ? dateInZone(now, packFor(row.jurisdiction).timeZone) : null;
  return {
    equipmentReturn:
      ret && row && today
        ? {
            returnNumber: ret.returnNumber,
            status: ret.status,
            deadline: ret.deadline,
            method: ret.method,
            pickupDate: ret.pickupDate,
            pickupSlot: ret.pickupSlot,
            methods: row.methods,
            canChooseMethod: canChooseMethod(ret.status) && row.caseStatus !== "withdrawn",
            pickupDates: pickupDates(today, ret.deadline),
            returnAddress: row.returnAddress,
            items: items.map((item) => ({
              ...item,
              receivedAt: item.receivedAt?.toISOString() ?? null,
            })),
            carrierEvents: events.map((event) => ({
              kind: event.kind,
              occurredAt: event.occurredAt.toISOString(),
              carrier: event.carrier,
              location: event.location,
            })),
          }
        : null,
    refunds: refundRows.map((refund) => {
      const statement =
        refund.kind === "deposit"
          ? depositStatement(refund.amountCents, totalCharges)
          : depositStatement(refund.amountCents, 0);
      return {
        id: refund.id,
        kind: refund.kind,
        status: refund.status,
        amountCents: refund.amountCents,
        offsetCents: refund.offsetCents,
        netCents: refund.amountCents - refund.offsetCents,
        remainingChargeCents: refund.kind === "deposit" ? statement.remainingChargeCents : 0,
        currency: refund.currency,
        legalDueDate: refund.legalDueDate,
        clockStartedOn: refund.clockStartedOn,
        issuedAt: refund.issuedAt?.toISOString() ?? null,
        paymentReference: refund.paymentReference,
      };
    }),
  };
}
