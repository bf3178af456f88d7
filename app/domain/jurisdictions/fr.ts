import { addDays, addMonths, dateInZone, daysBetween, type IsoDate } from "../dates";
import type {
  ContractFacts,
  EndDateWindow,
  EquipmentFacts,
  FeeComputation,
  FeeLine,
  JurisdictionPack,
  OperatorPolicy,
  RefundExpectation,
  ReturnPlan,
  TerminationType,
  WindowOptions,
} from "./types";
import {
  checkEndDateInWindow,
  isWithdrawal,
  WITHDRAWAL_LEGAL_BASIS_CODE,
  withdrawalFee,
  withdrawalRefunds,
  withdrawalWindow,
} from "./withdrawal";

// France, telecom (LEGAL.md "France"). Every number a lawyer may have to change is a named
// constant here, with its source and our confidence.

/** Termination takes effect at most 10 days after receipt (Code de la consommation L224-39; high). */
export const FR_NOTICE_DAYS = 10;
/**
 * Share of the monthly fees due after month 12 that remain owed (L224-28; medium). The historical
 * loi Chatel rule was 25 %; since loi 2022-1158, sources report 0 % without a subsidised device
 * and at most 20 % with one. One constant per case so that a lawyer can change either.
 */
export const FR_SHARE_AFTER_TWELVE_WITHOUT_DEVICE_PERCENT = 0;
export const FR_SHARE_AFTER_TWELVE_WITH_DEVICE_PERCENT = 20;
/** Commitments longer than this many months get the reduced early-termination fee (L224-28; high). */
export const FR_REDUCED_FEE_AFTER_MONTHS = 12;
/** Deposits: refunded ≤ 10 days after the equipment is back; advance payments ≤ 10 days after the last invoice is paid (L224-35; high). */
export const FR_REFUND_DAYS = 10;
/** How far ahead a subscriber may schedule the end of a contract (operator convenience, not law). */
export const FR_LATEST_CHOOSABLE_MONTHS = 24;

const TIME_ZONE = "Europe/Paris";

/**
 * Fees for the period [from, to): whole months, then the started month prorated by day. Shared
 * with the other packs so that every country counts a period the same way.
 */
export function periodFees(
  monthlyCents: number,
  from: IsoDate,
  to: IsoDate,
): { months: number; days: number; cents: number } {
  if (to <= from) return { months: 0, days: 0, cents: 0 };
  let months = 0;
  while (addMonths(from, months + 1) <= to) months += 1;
  const periodStart = addMonths(from, months);
  const days = daysBetween(periodStart, to);
  const daysInPeriod = daysBetween(periodStart, addMonths(from, months + 1));
  return {
    months,
    days,
    cents: monthlyCents * months + Math.round((monthlyCents * days) / daysInPeriod),
  };
}

export function feeLine(
  kind: FeeLine["kind"],
  monthlyCents: number,
  period: ReturnType<typeof periodFees>,
  sharePercent: number,
): FeeLine {
  return {
    kind,
    months: period.months,
    days: period.days,
    monthlyCents,
    sharePercent,
    periodCents: period.cents,
    amountCents: Math.round((period.cents * sharePercent) / 100),
  };
}

export function frEarlyTerminationFee(
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
  const none = (waiver: FeeComputation["waiver"], remainingFeesCents = 0): FeeComputation => ({
    totalCents: 0,
    currency,
    lines: [],
    waiver,
    remainingFeesCents,
    commitmentEndDate,
  });
  // After tacit renewal: terminable at any time, no fee (L224-40).
  if (contract.tacitlyRenewed) return none("tacitly_renewed");
  if (endDate >= commitmentEndDate) return none("commitment_over");

  const monthly = contract.monthlyPriceCents;
  const lines: FeeLine[] = [];
  if (contract.commitmentMonths <= FR_REDUCED_FEE_AFTER_MONTHS) {
    lines.push(
      feeLine(
        "remaining_commitment",
        monthly,
        periodFees(monthly, endDate, commitmentEndDate),
        100,
      ),
    );
  } else {
    const monthTwelve = addMonths(contract.startDate, FR_REDUCED_FEE_AFTER_MONTHS);
    if (endDate < monthTwelve)
      lines.push(
        feeLine("months_to_twelve", monthly, periodFees(monthly, endDate, monthTwelve), 100),
      );
    const share =
      contract.subsidisedDeviceValueCents > 0
        ? FR_SHARE_AFTER_TWELVE_WITH_DEVICE_PERCENT
        : FR_SHARE_AFTER_TWELVE_WITHOUT_DEVICE_PERCENT;
    const after = endDate > monthTwelve ? endDate : monthTwelve;
    lines.push(
      feeLine("share_after_twelve", monthly, periodFees(monthly, after, commitmentEndDate), share),
    );
  }
  // The cap: every monthly fee still due, over the same periods as the lines.
  const remainingFeesCents = lines.reduce((sum, item) => sum + item.periodCents, 0);
  const totalCents = lines.reduce((sum, item) => sum + item.amountCents, 0);
  if (options.legitimateReason || options.terminationType === "legitimate_reason")
    return { ...none("legitimate_reason", remainingFeesCents), lines };
  return { totalCents, currency, lines, remainingFeesCents, commitmentEndDate };
}

/**
 * The refunds owed when each has a single national deadline (France, Germany, Portugal): deposits
 * once the equipment is back, advance payments and credit once the last invoice is paid.
 */
export function refundsWithDeadline(
  legalDays: number,
  contract: ContractFacts,
  equipment: readonly EquipmentFacts[],
  endDate?: IsoDate,
  options?: { terminationType?: TerminationType },
): RefundExpectation[] {
  const refunds: RefundExpectation[] = [];
  const deposit =
    contract.depositCents +
    equipment.filter((item) => item.mustReturn).reduce((sum, item) => sum + item.depositCents, 0);
  if (deposit > 0) {
    refunds.push({
      kind: "deposit",
      amountCents: deposit,
      currency: contract.currency,
      trigger: "equipment_returned",
      legalDays,
    });
  }
  // Months paid in advance beyond the end date come back pro rata (days of a started month
  // prorated like the fees): service runs through the end date, prepaid through `prepaidThrough`.
  if (
    endDate !== undefined &&
    contract.prepaidThrough !== null &&
    contract.prepaidThrough > endDate
  ) {
    const unused = periodFees(
      contract.monthlyPriceCents,
      addDays(endDate, 1),
      addDays(contract.prepaidThrough, 1),
    );
    if (unused.cents > 0)
      refunds.push({
        kind: "advance_payment",
        amountCents: unused.cents,
        currency: contract.currency,
        trigger: "last_invoice_paid",
        legalDays,
      });
  }
  if (contract.creditBalanceCents > 0) {
    refunds.push({
      kind: "credit_balance",
      amountCents: contract.creditBalanceCents,
      currency: contract.currency,
      trigger: "last_invoice_paid",
      legalDays,
    });
  }
  return isWithdrawal(options) ? withdrawalRefunds(refunds) : refunds;
}

/** The equipment to return (never a SIM: `mustReturn` says so), by when, how, and at what charge. */
export function standardReturnPlan(
  equipment: readonly EquipmentFacts[],
  endDate: IsoDate,
  policy: OperatorPolicy,
): ReturnPlan {
  const items = equipment.filter((item) => item.mustReturn);
  return {
    items,
    deadline: items.length > 0 ? addDays(endDate, policy.returnDeadlineDays) : null,
    methods: items.length > 0 ? policy.returnMethods : [],
    totalNonReturnChargeCents: items.reduce((sum, item) => sum + item.nonReturnChargeCents, 0),
  };
}

export const fr: JurisdictionPack = {
  code: "FR",
  timeZone: TIME_ZONE,
  defaultLanguage: "fr",
  journey: "summary",
  terminationTypes: ["ordinary", "legitimate_reason"],
  legitimateReasons: [
    { code: "moving_uncovered", proofs: ["proof.newAddress", "proof.noCoverage"] },
    { code: "job_loss", proofs: ["proof.unemployment"] },
    { code: "over_indebtedness", proofs: ["proof.overIndebtedness"] },
    { code: "long_illness", proofs: ["proof.medical"] },
    { code: "death", proofs: ["proof.deathCertificate"] },
  ],

  endDateWindow(receivedAt: Date, policy: OperatorPolicy, options?: WindowOptions): EndDateWindow {
    if (isWithdrawal(options)) return withdrawalWindow(receivedAt, TIME_ZONE);
    const receiptDate = dateInZone(receivedAt, TIME_ZONE);
    // An operator may end contracts sooner than the law requires, never later.
    const notice = Math.min(Math.max(policy.noticeDays ?? FR_NOTICE_DAYS, 0), FR_NOTICE_DAYS);
    return {
      receiptDate,
      earliest: addDays(receiptDate, notice),
      legalLatest: addDays(receiptDate, FR_NOTICE_DAYS),
      latestChoosable: addMonths(receiptDate, FR_LATEST_CHOOSABLE_MONTHS),
    };
  },

  checkEndDate: checkEndDateInWindow,

  earlyTerminationFee: frEarlyTerminationFee,

  refundsExpected(contract, equipment, endDate, options) {
    return refundsWithDeadline(FR_REFUND_DAYS, contract, equipment, endDate, options);
  },

  refundDueDate(_kind, clockStartedOn) {
    return addDays(clockStartedOn, FR_REFUND_DAYS);
  },

  returnPlan: standardReturnPlan,

  legalBasis: [
    {
      code: "L215-1-1",
      text: "Code de la consommation, art. L215-1-1 et D215-1 à D215-3 (résiliation en ligne)",
    },
    {
      code: "L224-39",
      text: "Code de la consommation, art. L224-39 (prise d'effet au plus tard 10 jours après réception)",
    },
    {
      code: "L224-28",
      text: "Code de la consommation, art. L224-28 (frais de résiliation anticipée)",
    },
    {
      code: "L224-35",
      text: "Code de la consommation, art. L224-35 (remboursements sous 10 jours)",
    },
    {
      code: WITHDRAWAL_LEGAL_BASIS_CODE,
      text: "Directive (UE) 2023/2673, art. 11 bis de la directive 2011/83/UE (rétractation en ligne)",
    },
  ],
};

export type { EquipmentFacts };
