import { addMonths, dateInZone, isValidIsoDate, type IsoDate } from "../dates";
import type {
  ContractFacts,
  EndDateCheck,
  EndDateWindow,
  FeeComputation,
  RefundExpectation,
  TerminationType,
} from "./types";

// The EU withdrawal (Directive (EU) 2023/2673, CRD art. 11a, from 19 June 2026), shared by every
// pack: a contract still inside its withdrawal period ends on receipt of the withdrawal, with no
// fee, and payments come back within the CRD's own deadline rather than the national one.

/** Payments are refunded within 14 days of the withdrawal (CRD art. 13 (1); high). */
export const EU_WITHDRAWAL_REFUND_DAYS = 14;

/**
 * The code of the withdrawal citation in every pack's `legalBasis`, so that a letter about an
 * ordinary termination can leave it out.
 */
export const WITHDRAWAL_LEGAL_BASIS_CODE = "CRD-11a";

/** The refunds CRD art. 13 covers; a deposit keeps the pack's clock (it waits for the equipment). */
const WITHDRAWAL_REFUND_KINDS: readonly RefundExpectation["kind"][] = [
  "advance_payment",
  "credit_balance",
];

/** Whether the contract can still be withdrawn from on `onDate` (the last day is included). */
export function isWithdrawalOpen(facts: ContractFacts, onDate: IsoDate): boolean {
  return facts.withdrawalPeriodEnds !== null && onDate <= facts.withdrawalPeriodEnds;
}

export function isWithdrawal(options?: { terminationType?: TerminationType }): boolean {
  return options?.terminationType === "withdrawal";
}

/** A withdrawn contract ends on the receipt date: no other date can be chosen. */
export function withdrawalWindow(receivedAt: Date, timeZone: string): EndDateWindow {
  const receiptDate = dateInZone(receivedAt, timeZone);
  return {
    receiptDate,
    earliest: receiptDate,
    legalLatest: receiptDate,
    latestChoosable: receiptDate,
  };
}

/**
 * The end-date check every pack shares. A withdrawal window has earliest = latestChoosable, so
 * this accepts only the receipt date there without knowing the termination type.
 */
export function checkEndDateInWindow(requested: IsoDate, window: EndDateWindow): EndDateCheck {
  if (!isValidIsoDate(requested)) return { ok: false, error: "invalid" };
  if (requested < window.earliest) return { ok: false, error: "before_earliest" };
  if (requested > window.latestChoosable) return { ok: false, error: "too_far" };
  return { ok: true, endDate: requested };
}

/** No fee on withdrawal, whatever the commitment (CRD art. 14 (5)). */
export function withdrawalFee(contract: ContractFacts): FeeComputation {
  return {
    totalCents: 0,
    currency: contract.currency,
    lines: [],
    waiver: "withdrawal",
    remainingFeesCents: 0,
    commitmentEndDate:
      contract.commitmentMonths > 0
        ? addMonths(contract.startDate, contract.commitmentMonths)
        : null,
  };
}

/** The pack's refunds, with the CRD deadline for the payments art. 13 covers. */
export function withdrawalRefunds(refunds: readonly RefundExpectation[]): RefundExpectation[] {
  return refunds.map((refund) =>
    WITHDRAWAL_REFUND_KINDS.includes(refund.kind)
      ? { ...refund, legalDays: EU_WITHDRAWAL_REFUND_DAYS }
      : refund,
  );
}
