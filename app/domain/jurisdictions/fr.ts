import {
  addDays,
  addMonths,
  dateInZone,
  daysBetween,
  isValidIsoDate,
  type IsoDate,
} from "../dates";
import type {
  ContractFacts,
  EndDateWindow,
  EquipmentFacts,
  FeeComputation,
  FeeLine,
  JurisdictionPack,
  OperatorPolicy,
  RefundExpectation,
} from "./types";

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

/** Fees for the period [from, to): whole months, then the started month prorated by day. */
function periodFees(
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

function line(
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
  options: { legitimateReason?: boolean } = {},
): FeeComputation {
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
      line("remaining_commitment", monthly, periodFees(monthly, endDate, commitmentEndDate), 100),
    );
  } else {
    const monthTwelve = addMonths(contract.startDate, FR_REDUCED_FEE_AFTER_MONTHS);
    if (endDate < monthTwelve)
      lines.push(line("months_to_twelve", monthly, periodFees(monthly, endDate, monthTwelve), 100));
    const share =
      contract.subsidisedDeviceValueCents > 0
        ? FR_SHARE_AFTER_TWELVE_WITH_DEVICE_PERCENT
        : FR_SHARE_AFTER_TWELVE_WITHOUT_DEVICE_PERCENT;
    const after = endDate > monthTwelve ? endDate : monthTwelve;
    lines.push(
      line("share_after_twelve", monthly, periodFees(monthly, after, commitmentEndDate), share),
    );
  }
  // The cap: every monthly fee still due, over the same periods as the lines.
  const remainingFeesCents = lines.reduce((sum, item) => sum + item.periodCents, 0);
  const totalCents = lines.reduce((sum, item) => sum + item.amountCents, 0);
  if (options.legitimateReason) return { ...none("legitimate_reason", remainingFeesCents), lines };
  return { totalCents, currency, lines, remainingFeesCents, commitmentEndDate };
}

export const fr: JurisdictionPack = {
  code: "FR",
  timeZone: TIME_ZONE,
  defaultLanguage: "fr",
  legitimateReasons: [
    { code: "moving_uncovered", proofs: ["proof.newAddress", "proof.noCoverage"] },
    { code: "job_loss", proofs: ["proof.unemployment"] },
    { code: "over_indebtedness", proofs: ["proof.overIndebtedness"] },
    { code: "long_illness", proofs: ["proof.medical"] },
    { code: "death", proofs: ["proof.deathCertificate"] },
  ],

  endDateWindow(receivedAt: Date, policy: OperatorPolicy): EndDateWindow {
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

  checkEndDate(requested, window) {
    if (!isValidIsoDate(requested)) return { ok: false, error: "invalid" };
    if (requested < window.earliest) return { ok: false, error: "before_earliest" };
    if (requested > window.latestChoosable) return { ok: false, error: "too_far" };
    return { ok: true, endDate: requested };
  },

  earlyTerminationFee: frEarlyTerminationFee,

  refundsExpected(contract, equipment, endDate): RefundExpectation[] {
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
        legalDays: FR_REFUND_DAYS,
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
          legalDays: FR_REFUND_DAYS,
        });
    }
    if (contract.creditBalanceCents > 0) {
      refunds.push({
        kind: "credit_balance",
        amountCents: contract.creditBalanceCents,
        currency: contract.currency,
        trigger: "last_invoice_paid",
        legalDays: FR_REFUND_DAYS,
      });
    }
    return refunds;
  },

  refundDueDate(_kind, clockStartedOn) {
    return addDays(clockStartedOn, FR_REFUND_DAYS);
  },

  returnPlan(equipment, endDate, policy) {
    const items = equipment.filter((item) => item.mustReturn);
    return {
      items,
      deadline: items.length > 0 ? addDays(endDate, policy.returnDeadlineDays) : null,
      methods: items.length > 0 ? policy.returnMethods : [],
      totalNonReturnChargeCents: items.reduce((sum, item) => sum + item.nonReturnChargeCents, 0),
    };
  },

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
  ],
};

export type { EquipmentFacts };
