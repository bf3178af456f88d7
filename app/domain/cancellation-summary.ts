import type { IsoDate } from "./dates";
import type {
  ContractFacts,
  EndDateCheck,
  EndDateWindow,
  EquipmentFacts,
  FeeComputation,
  JurisdictionPack,
  OperatorPolicy,
  RefundExpectation,
  TerminationType,
} from "./jurisdictions/types";

// Everything the subscriber must see before notifying (LEGAL.md, "The portal's own line" 4),
// computed the same way for the summary page, the notice itself and the letter.

export interface ContractToCancel {
  id: string;
  contractNumber: string;
  offerName: string;
  category: string;
  lines: string[];
  facts: ContractFacts;
  equipment: EquipmentFacts[];
}

export type EndDateChoice = { kind: "earliest" } | { kind: "date"; date: IsoDate };

export interface SummaryInput {
  pack: JurisdictionPack;
  policy: OperatorPolicy;
  /** The receipt time: now on the summary page, the click on the notify button for the notice. */
  receivedAt: Date;
  contracts: ContractToCancel[];
  endDate: EndDateChoice;
  legitimateReason: boolean;
  /** Absent: `legitimate_reason` when `legitimateReason` is set, else `ordinary`. */
  terminationType?: TerminationType;
  /** The reason code of a legitimate-reason or extraordinary termination. */
  reason?: string | null;
}

export interface ContractSummary {
  id: string;
  contractNumber: string;
  offerName: string;
  category: string;
  lines: string[];
  monthlyPriceCents: number;
  currency: string;
  fee: FeeComputation;
  returnItems: ReturnItemSummary[];
  refunds: RefundExpectation[];
}

export interface ReturnItemSummary {
  id: string;
  kind: string;
  model: string;
  nonReturnChargeCents: number;
}

export interface CancellationSummary {
  window: EndDateWindow;
  endDate: IsoDate;
  /** Set when the date asked for cannot be used; `endDate` is then the earliest. */
  endDateError?: Exclude<EndDateCheck, { ok: true }>["error"];
  contracts: ContractSummary[];
  feeTotalCents: number;
  currency: string;
  returnItems: ReturnItemSummary[];
  returnDeadline: IsoDate | null;
  returnMethods: readonly string[];
  nonReturnChargeTotalCents: number;
  refunds: RefundExpectation[];
}

function itemSummary(item: EquipmentFacts): ReturnItemSummary {
  return {
    id: item.id,
    kind: item.kind,
    model: item.model,
    nonReturnChargeCents: item.nonReturnChargeCents,
  };
}

export function summariseCancellation(input: SummaryInput): CancellationSummary {
  const { pack, policy } = input;
  const terminationType =
    input.terminationType ?? (input.legitimateReason ? "legitimate_reason" : "ordinary");
  const window = pack.endDateWindow(input.receivedAt, policy, {
    terminationType,
    reason: input.reason ?? null,
    contracts: input.contracts.map((contract) => contract.facts),
  });
  let endDate = window.earliest;
  let endDateError: CancellationSummary["endDateError"];
  if (input.endDate.kind === "date") {
    const check = pack.checkEndDate(input.endDate.date, window);
    if (check.ok) endDate = check.endDate;
    else endDateError = check.error;
  }

  const contracts = input.contracts.map((contract) => ({
    id: contract.id,
    contractNumber: contract.contractNumber,
    offerName: contract.offerName,
    category: contract.category,
    lines: contract.lines,
    monthlyPriceCents: contract.facts.monthlyPriceCents,
    currency: contract.facts.currency,
    fee: pack.earlyTerminationFee(contract.facts, endDate, {
      legitimateReason: input.legitimateReason,
      terminationType,
    }),
    returnItems: pack.returnPlan(contract.equipment, endDate, policy).items.map(itemSummary),
    refunds: pack.refundsExpected(contract.facts, contract.equipment, endDate),
  }));
  const plan = pack.returnPlan(
    input.contracts.flatMap((contract) => contract.equipment),
    endDate,
    policy,
  );

  return {
    window,
    endDate,
    ...(endDateError ? { endDateError } : {}),
    contracts,
    feeTotalCents: contracts.reduce((sum, contract) => sum + contract.fee.totalCents, 0),
    currency: input.contracts[0]?.facts.currency ?? "EUR",
    returnItems: plan.items.map(itemSummary),
    returnDeadline: plan.deadline,
    returnMethods: plan.methods,
    nonReturnChargeTotalCents: plan.totalNonReturnChargeCents,
    refunds: contracts.flatMap((contract) => contract.refunds),
  };
}
