import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import {
  contracts,
  equipment,
  operators,
  subscribers,
  type Contract,
  type Operator,
  type Subscriber,
} from "../../db/schema";
import type { ContractToCancel } from "../domain/cancellation-summary";
import { packFor } from "../domain/jurisdictions";
import type { JurisdictionPack, OperatorPolicy } from "../domain/jurisdictions/types";
import { linesByContract } from "./identify-subscriber.server";

export interface CancellationContext {
  operator: Operator;
  subscriber: Subscriber;
  contracts: ContractToCancel[];
  rows: Contract[];
  pack: JurisdictionPack;
  policy: OperatorPolicy;
}

export function policyOf(operator: Operator): OperatorPolicy {
  return { returnDeadlineDays: operator.returnDeadlineDays, returnMethods: operator.returnMethods };
}

/** A contract row as the rule packs see it. */
export function toContractToCancel(
  row: Contract,
  lineNumbers: string[],
  items: (typeof equipment.$inferSelect)[],
): ContractToCancel {
  return {
    id: row.id,
    contractNumber: row.contractNumber,
    offerName: row.offerName,
    category: row.category,
    lines: lineNumbers,
    facts: {
      monthlyPriceCents: row.monthlyPriceCents,
      currency: row.currency,
      startDate: row.startDate,
      commitmentMonths: row.commitmentMonths,
      tacitlyRenewed: row.tacitlyRenewed,
      subsidisedDeviceValueCents: row.subsidisedDeviceValueCents,
      depositCents: row.depositCents,
      prepaidThrough: row.prepaidThrough,
      creditBalanceCents: row.creditBalanceCents,
      withdrawalPeriodEnds: row.withdrawalPeriodEnds,
    },
    equipment: items
      .filter((item) => item.contractId === row.id)
      .map((item) => ({
        id: item.id,
        kind: item.kind,
        model: item.model,
        mustReturn: item.mustReturn,
        nonReturnChargeCents: item.nonReturnChargeCents,
        depositCents: item.depositCents,
        currency: item.currency,
      })),
  };
}

/**
 * The subscriber's chosen contracts with their lines and equipment, the operator's policy and
 * the rule pack. Contracts not belonging to the subscriber are ignored (never trusted from a form).
 */
export async function loadCancellationContext(
  db: Queryable,
  input: { subscriberId: string; contractIds: string[] },
): Promise<CancellationContext | null> {
  const [subscriber] = await db
    .select()
    .from(subscribers)
    .where(eq(subscribers.id, input.subscriberId));
  if (!subscriber || input.contractIds.length === 0) return null;
  const [operator] = await db
    .select()
    .from(operators)
    .where(eq(operators.id, subscriber.operatorId));
  const rows = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.subscriberId, subscriber.id), inArray(contracts.id, input.contractIds)))
    .orderBy(contracts.contractNumber);
  if (!operator || rows.length === 0) return null;
  const ids = rows.map((row) => row.id);
  const [lineMap, items] = await Promise.all([
    linesByContract(db, ids),
    db
      .select()
      .from(equipment)
      .where(inArray(equipment.contractId, ids))
      .orderBy(equipment.kind, equipment.model),
  ]);
  return {
    operator,
    subscriber,
    rows,
    contracts: rows.map((row) => toContractToCancel(row, lineMap.get(row.id) ?? [], items)),
    // One case follows one rule pack: the journey only groups contracts of one jurisdiction.
    pack: packFor(rows[0]!.jurisdiction),
    policy: policyOf(operator),
  };
}
