import type { IsoDate } from "../dates";
import type { EquipmentKind, Jurisdiction, Language } from "../enums";

// The interface every jurisdiction pack implements (FR now; DE and PT follow). Packs are pure:
// they get plain facts about a contract and return plain results, with wording as message keys
// so the UI, the letter and the emails say the same thing in every language.

export interface ContractFacts {
  monthlyPriceCents: number;
  currency: string;
  startDate: IsoDate;
  commitmentMonths: number;
  tacitlyRenewed: boolean;
  subsidisedDeviceValueCents: number;
  depositCents: number;
  prepaidThrough: IsoDate | null;
  creditBalanceCents: number;
  /** Last day of the EU withdrawal period (CRD art. 9 and 11a), when the contract has one. */
  withdrawalPeriodEnds: IsoDate | null;
}

/** How a contract ends: the journey offers the types its pack lists in `terminationTypes`. */
export type TerminationType = "ordinary" | "legitimate_reason" | "extraordinary" | "withdrawal";

/** What shapes the end date besides the receipt time. */
export interface WindowOptions {
  terminationType?: TerminationType;
  /** The reason code of a legitimate-reason or extraordinary termination. */
  reason?: string | null;
  /** The contracts being ended (Germany: ordinary termination waits for the minimum term). */
  contracts?: readonly ContractFacts[];
}

export interface EquipmentFacts {
  id: string;
  kind: EquipmentKind;
  model: string;
  mustReturn: boolean;
  nonReturnChargeCents: number;
  depositCents: number;
  currency: string;
}

export interface OperatorPolicy {
  /** Days between receipt and the earliest end date; may only be shorter than the law's. */
  noticeDays?: number;
  returnDeadlineDays: number;
  returnMethods: readonly string[];
}

export interface EndDateWindow {
  /** The calendar date of receipt in the jurisdiction's time zone. */
  receiptDate: IsoDate;
  /** Preselected: the earliest date the contract can end. */
  earliest: IsoDate;
  /** The latest date the law lets the operator take; a later date only if the subscriber asks. */
  legalLatest: IsoDate;
  /** How far ahead a subscriber may schedule the end. */
  latestChoosable: IsoDate;
}

export type EndDateCheck =
  { ok: true; endDate: IsoDate } | { ok: false; error: "before_earliest" | "too_far" | "invalid" };

/**
 * One line of a fee computation, shown to the subscriber as it is computed. For
 * `advantage_pro_rata`, `periodCents` is the whole advantage and `sharePercent` the remaining share
 * of the commitment (2 decimals).
 */
export interface FeeLine {
  /** Message key describing the line, e.g. `fee.monthsToTwelve`. */
  kind:
    | "months_to_twelve"
    | "share_after_twelve"
    | "remaining_commitment"
    /** Portugal: the quantified advantage, pro rata to the remaining commitment. */
    | "advantage_pro_rata"
    /** Portugal: 50 % (year 1) or 30 % (year 2) of the monthly fees still due. */
    | "remaining_fees_share";
  months: number;
  /** Extra days of a started month, prorated by day. */
  days: number;
  monthlyCents: number;
  /** Share of the monthly fees owed, in percent (100 = all of them). */
  sharePercent: number;
  /** The monthly fees of the period, before the share. */
  periodCents: number;
  amountCents: number;
}

export interface FeeComputation {
  totalCents: number;
  currency: string;
  lines: FeeLine[];
  /**
   * How the lines make the total: `sum` (France: every line is owed) or `lower_of` (Portugal: the
   * lower of two caps is owed). Absent means `sum`.
   */
  rule?: "sum" | "lower_of";
  /** Why there is no fee, when there is none. */
  waiver?:
    | "no_commitment"
    | "commitment_over"
    | "tacitly_renewed"
    | "legitimate_reason"
    | "withdrawal"
    | "no_early_termination_fee";
  /** The sum of every monthly fee still due until the end of the commitment (the cap). */
  remainingFeesCents: number;
  commitmentEndDate: IsoDate | null;
}

export interface RefundExpectation {
  kind: "deposit" | "advance_payment" | "credit_balance";
  amountCents: number;
  currency: string;
  /** What starts the legal clock. */
  trigger: "equipment_returned" | "last_invoice_paid";
  legalDays: number;
}

export interface ReturnPlan {
  items: EquipmentFacts[];
  deadline: IsoDate | null;
  methods: readonly string[];
  totalNonReturnChargeCents: number;
}

export interface LegitimateReason {
  code: string;
  /** Message keys of the proofs to send. */
  proofs: string[];
}

export interface JurisdictionPack {
  code: Jurisdiction;
  timeZone: string;
  defaultLanguage: Language;
  /**
   * `summary`: identify, then a summary page, then notify (France, Portugal: D215-1 to D215-3).
   * `single_page`: one confirmation page with the legal fields and the final button (Germany,
   * § 312k (2) BGB).
   */
  journey: "summary" | "single_page";
  /** The termination types the journey offers, besides the EU withdrawal (its own entry). */
  terminationTypes: readonly Exclude<TerminationType, "withdrawal">[];
  /** Reasons for a `legitimate_reason` (FR, PT: fee-free exit) or `extraordinary` (DE) termination. */
  legitimateReasons: readonly LegitimateReason[];
  endDateWindow(receivedAt: Date, policy: OperatorPolicy, options?: WindowOptions): EndDateWindow;
  checkEndDate(requested: IsoDate, window: EndDateWindow): EndDateCheck;
  earlyTerminationFee(
    contract: ContractFacts,
    endDate: IsoDate,
    options?: { legitimateReason?: boolean; terminationType?: TerminationType },
  ): FeeComputation;
  /**
   * The refunds owed; with the end date, also the advance payment for the days after it. A
   * withdrawal changes the legal deadlines (CRD art. 13).
   */
  refundsExpected(
    contract: ContractFacts,
    equipment: readonly EquipmentFacts[],
    endDate?: IsoDate,
    options?: { terminationType?: TerminationType },
  ): RefundExpectation[];
  /** The last day to pay a refund whose legal clock started on `clockStartedOn`. */
  refundDueDate(kind: RefundExpectation["kind"], clockStartedOn: IsoDate): IsoDate;
  returnPlan(
    equipment: readonly EquipmentFacts[],
    endDate: IsoDate,
    policy: OperatorPolicy,
  ): ReturnPlan;
  /** Citations of the rules applied, as printed in the letter. */
  legalBasis: readonly { code: string; text: string }[];
}
