import { addDays, addMonths, dateInZone, daysBetween, type IsoDate } from "../dates";
import { feeLine, periodFees, refundsWithDeadline, standardReturnPlan } from "./fr";
import type {
  ContractFacts,
  EndDateWindow,
  FeeComputation,
  FeeLine,
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

// Portugal, electronic communications (LEGAL.md "Portugal", Lei n.º 16/2022). Every number a
// lawyer may have to change is a named constant here, with its source and our confidence.

/**
 * Days between receipt and the end date (low). LEGAL.md names no statutory notice period for
 * Portugal: this is the portal's own line, the French figure, pending a lawyer's check.
 */
export const PT_NOTICE_DAYS = 10;
/** Share of the monthly fees still due that caps the fee in year 1 of the commitment (Lei 16/2022; high). */
export const PT_FEE_SHARE_YEAR_ONE_PERCENT = 50;
/**
 * Same cap from year 2 on (Lei 16/2022; high). Commitments are capped at 24 months (EECC art. 105),
 * so a later year should not occur; if it does, the year-2 share applies.
 */
export const PT_FEE_SHARE_YEAR_TWO_PERCENT = 30;
/** Length of a commitment year for the cap above. */
export const PT_COMMITMENT_YEAR_MONTHS = 12;
/** Refund deadline (low): LEGAL.md names none; this is the portal's own promise, as in France. */
export const PT_REFUND_DAYS = 10;
/** How far ahead a subscriber may schedule the end of a contract (operator convenience, not law). */
export const PT_LATEST_CHOOSABLE_MONTHS = 24;

const TIME_ZONE = "Europe/Lisbon";

/**
 * Lei 16/2022: ending a commitment early costs the LOWER of (a) the quantified advantage pro rata
 * to the remaining commitment and (b) 50 % (year 1) or 30 % (year 2) of the monthly fees still due.
 */
export function ptEarlyTerminationFee(
  contract: ContractFacts,
  endDate: IsoDate,
  options: { legitimateReason?: boolean; terminationType?: TerminationType } = {},
): FeeComputation {
  if (isWithdrawal(options)) return withdrawalFee(contract);
  const currency = contract.currency;
  if (contract.commitmentMonths === 0) {
    return {
      totalCents: 0,
      currency,
      lines: [],
      waiver: "no_commitment",
      remainingFeesCents: 0,
      commitmentEndDate: null,
    };
  }
  const commitmentEndDate = addMonths(contract.startDate, contract.commitmentMonths);
  const none = (waiver: FeeComputation["waiver"]): FeeComputation => ({
    totalCents: 0,
    currency,
    lines: [],
    waiver,
    remainingFeesCents: 0,
    commitmentEndDate,
  });
  if (contract.tacitlyRenewed) return none("tacitly_renewed");
  if (endDate >= commitmentEndDate) return none("commitment_over");

  // An end date before the start (never chosen by the journey) counts as the whole commitment,
  // so that the pro-rata share never exceeds 100 %.
  const from = endDate < contract.startDate ? contract.startDate : endDate;
  const monthly = contract.monthlyPriceCents;
  const remaining = periodFees(monthly, from, commitmentEndDate);

  // (a) The contract facts carry one quantified advantage: the subsidised device. Other
  // advantages (installation, discounts) would add to it once the contract records them.
  const advantage = contract.subsidisedDeviceValueCents;
  const remainingDays = daysBetween(from, commitmentEndDate);
  const commitmentDays = daysBetween(contract.startDate, commitmentEndDate);
  const advantageLine: FeeLine = {
    kind: "advantage_pro_rata",
    months: remaining.months,
    days: remaining.days,
    monthlyCents: monthly,
    sharePercent: Math.round((remainingDays / commitmentDays) * 100 * 100) / 100,
    periodCents: advantage,
    amountCents: Math.round((advantage * remainingDays) / commitmentDays),
  };

  // (b) The year of the commitment the end date falls in sets the share.
  const yearOneEnds = addMonths(contract.startDate, PT_COMMITMENT_YEAR_MONTHS);
  const share = from < yearOneEnds ? PT_FEE_SHARE_YEAR_ONE_PERCENT : PT_FEE_SHARE_YEAR_TWO_PERCENT;
  const feesLine = feeLine("remaining_fees_share", monthly, remaining, share);

  const lines = [advantageLine, feesLine];
  const computation: FeeComputation = {
    totalCents: Math.min(advantageLine.amountCents, feesLine.amountCents),
    currency,
    lines,
    rule: "lower_of",
    remainingFeesCents: remaining.cents,
    commitmentEndDate,
  };
  // Lei 16/2022 art. 133: the free-exit reasons waive the fee; the lines show what is waived.
  if (options.legitimateReason || options.terminationType === "legitimate_reason")
    return { ...computation, totalCents: 0, waiver: "legitimate_reason" };
  return computation;
}

export const pt: JurisdictionPack = {
  code: "PT",
  timeZone: TIME_ZONE,
  defaultLanguage: "pt",
  journey: "summary",
  terminationTypes: ["ordinary", "legitimate_reason"],
  // Lei 16/2022 art. 133 (medium): the reasons and the proofs the subscriber sends.
  legitimateReasons: [
    { code: "unemployment", proofs: ["proof.unemployment"] },
    // Incapacity for more than 60 days with a loss of income of at least 20 %.
    { code: "incapacity", proofs: ["proof.medical", "proof.incomeLoss"] },
    { code: "moving_abroad", proofs: ["proof.residenceAbroad"] },
    { code: "moving_uncovered", proofs: ["proof.newAddress", "proof.noCoverage"] },
  ],

  endDateWindow(receivedAt: Date, policy: OperatorPolicy, options?: WindowOptions): EndDateWindow {
    if (isWithdrawal(options)) return withdrawalWindow(receivedAt, TIME_ZONE);
    const receiptDate = dateInZone(receivedAt, TIME_ZONE);
    // An operator may end contracts sooner than the portal's line, never later.
    const notice = Math.min(Math.max(policy.noticeDays ?? PT_NOTICE_DAYS, 0), PT_NOTICE_DAYS);
    return {
      receiptDate,
      earliest: addDays(receiptDate, notice),
      legalLatest: addDays(receiptDate, PT_NOTICE_DAYS),
      latestChoosable: addMonths(receiptDate, PT_LATEST_CHOOSABLE_MONTHS),
    };
  },

  checkEndDate: checkEndDateInWindow,

  earlyTerminationFee: ptEarlyTerminationFee,

  refundsExpected(contract, equipment, endDate, options) {
    return refundsWithDeadline(PT_REFUND_DAYS, contract, equipment, endDate, options);
  },

  refundDueDate(_kind, clockStartedOn) {
    return addDays(clockStartedOn, PT_REFUND_DAYS);
  },

  // ANACOM: state the equipment to return and the charge if it is not returned.
  returnPlan: standardReturnPlan,

  legalBasis: [
    {
      code: "L16-2022",
      text: "Lei n.º 16/2022, de 16 de agosto (encargos pela cessação antecipada do contrato durante o período de fidelização)",
    },
    {
      code: "L16-2022-133",
      text: "Lei n.º 16/2022, de 16 de agosto, art. 133.º (cessação do contrato sem encargos)",
    },
    {
      code: "L16-2022-138",
      text: "Lei n.º 16/2022, de 16 de agosto, art. 138.º, e Portaria n.º 284/2022 (formulário de denúncia do contrato)",
    },
    {
      code: WITHDRAWAL_LEGAL_BASIS_CODE,
      text: "Diretiva (UE) 2023/2673, art. 11.º-A da Diretiva 2011/83/UE (exercício do direito de livre resolução)",
    },
  ],
};
