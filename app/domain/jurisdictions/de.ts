import { addDays, addMonths, dateInZone, type IsoDate } from "../dates";
import { refundsWithDeadline, standardReturnPlan } from "./fr";
import type {
  ContractFacts,
  EndDateWindow,
  FeeComputation,
  JurisdictionPack,
  OperatorPolicy,
  TerminationType,
  WindowOptions,
} from "./types";
import {
  checkEndDateInWindow,
  isWithdrawal,
  WITHDRAWAL_LEGAL_BASIS_CODE,
  withdrawalFee,
  withdrawalWindow,
} from "./withdrawal";

// Germany, telecom (LEGAL.md "Germany"). Every number a lawyer may have to change is a named
// constant here, with its source and our confidence.

/** Notice of an ordinary termination after the minimum term (§ 309 Nr. 9 BGB, § 56 Abs. 3 TKG; high). */
export const DE_NOTICE_MONTHS = 1;
/** Notice of a termination for moving where the service is unavailable (§ 60 Abs. 2 TKG; high). */
export const DE_MOVING_NOTICE_MONTHS = 1;
/** Refund deadline (low): LEGAL.md names none; this is the portal's own line, as in France. */
export const DE_REFUND_DAYS = 10;
/** How far ahead a subscriber may schedule the end of a contract (operator convenience, not law). */
export const DE_LATEST_CHOOSABLE_MONTHS = 24;

const TIME_ZONE = "Europe/Berlin";

/** The end of the minimum term, while the contract is still inside it on `onDate`. */
function minimumTermEnd(contract: ContractFacts, onDate: IsoDate): IsoDate | null {
  if (contract.commitmentMonths === 0 || contract.tacitlyRenewed) return null;
  const end = addMonths(contract.startDate, contract.commitmentMonths);
  return end > onDate ? end : null;
}

/** The later of two dates. */
function later(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/**
 * The law's end date: an extraordinary termination takes effect on receipt (§ 314 BGB, § 57 TKG)
 * or one month later when moving (§ 60 Abs. 2 TKG); an ordinary one after one month's notice and
 * not before the minimum term of any contract ends.
 */
function legalEndDate(receiptDate: IsoDate, noticeEnd: IsoDate, options?: WindowOptions): IsoDate {
  if (options?.terminationType === "extraordinary") {
    return options.reason === "moving_uncovered" ? noticeEnd : receiptDate;
  }
  return (options?.contracts ?? []).reduce((end, contract) => {
    const termEnd = minimumTermEnd(contract, receiptDate);
    return termEnd === null ? end : later(end, termEnd);
  }, noticeEnd);
}

function deEarlyTerminationFee(
  contract: ContractFacts,
  endDate: IsoDate,
  options: { legitimateReason?: boolean; terminationType?: TerminationType } = {},
): FeeComputation {
  if (isWithdrawal(options)) return withdrawalFee(contract);
  const commitmentEndDate =
    contract.commitmentMonths > 0 ? addMonths(contract.startDate, contract.commitmentMonths) : null;
  // German law has no early-termination fee: an ordinary termination waits for the end of the
  // minimum term, an extraordinary one ends the contract without compensation. The waiver only
  // says why.
  let waiver: FeeComputation["waiver"] = "no_early_termination_fee";
  if (commitmentEndDate === null) waiver = "no_commitment";
  else if (contract.tacitlyRenewed || endDate >= commitmentEndDate) waiver = "commitment_over";
  return {
    totalCents: 0,
    currency: contract.currency,
    lines: [],
    waiver,
    remainingFeesCents: 0,
    commitmentEndDate,
  };
}

export const de: JurisdictionPack = {
  code: "DE",
  timeZone: TIME_ZONE,
  defaultLanguage: "de",
  journey: "single_page",
  terminationTypes: ["ordinary", "extraordinary"],
  // The reasons of an extraordinary termination. § 312k (2) BGB caps the fields the confirmation
  // page may ask for, so no proof is requested.
  legitimateReasons: [
    { code: "moving_uncovered", proofs: [] },
    { code: "service_failure", proofs: [] },
    { code: "contract_change", proofs: [] },
    { code: "good_cause", proofs: [] },
  ],

  endDateWindow(receivedAt: Date, policy: OperatorPolicy, options?: WindowOptions): EndDateWindow {
    if (isWithdrawal(options)) return withdrawalWindow(receivedAt, TIME_ZONE);
    const receiptDate = dateInZone(receivedAt, TIME_ZONE);
    const months =
      options?.terminationType === "extraordinary" ? DE_MOVING_NOTICE_MONTHS : DE_NOTICE_MONTHS;
    const lawNoticeEnd = addMonths(receiptDate, months);
    // An operator may shorten the notice, never lengthen it; the minimum term still applies.
    const operatorNoticeEnd =
      policy.noticeDays === undefined
        ? lawNoticeEnd
        : addDays(receiptDate, Math.max(policy.noticeDays, 0));
    const noticeEnd = operatorNoticeEnd < lawNoticeEnd ? operatorNoticeEnd : lawNoticeEnd;
    const legalLatest = legalEndDate(receiptDate, lawNoticeEnd, options);
    const earliest = legalEndDate(receiptDate, noticeEnd, options);
    return {
      receiptDate,
      earliest,
      legalLatest,
      latestChoosable: later(legalLatest, addMonths(receiptDate, DE_LATEST_CHOOSABLE_MONTHS)),
    };
  },

  checkEndDate: checkEndDateInWindow,

  earlyTerminationFee: deEarlyTerminationFee,

  refundsExpected(contract, equipment, endDate, options) {
    return refundsWithDeadline(DE_REFUND_DAYS, contract, equipment, endDate, options);
  },

  refundDueDate(_kind, clockStartedOn) {
    return addDays(clockStartedOn, DE_REFUND_DAYS);
  },

  returnPlan: standardReturnPlan,

  legalBasis: [
    {
      code: "312k-BGB",
      text: "§ 312k BGB (Kündigung von Verbraucherverträgen im elektronischen Geschäftsverkehr, Kündigungsbutton)",
    },
    {
      code: "309-9-BGB",
      text: "§ 309 Nr. 9 BGB und § 56 TKG (Mindestvertragslaufzeit und Kündigungsfrist von einem Monat)",
    },
    {
      code: "314-BGB",
      text: "§ 314 BGB, §§ 57 und 60 TKG (außerordentliche Kündigung)",
    },
    {
      code: WITHDRAWAL_LEGAL_BASIS_CODE,
      text: "§ 356a BGB n. F. und Art. 11a Richtlinie 2011/83/EU (Widerruf über eine Widerrufsfunktion)",
    },
  ],
};
