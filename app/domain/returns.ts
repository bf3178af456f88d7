import { addDays, daysBetween, type IsoDate } from "./dates";
import type {
  CarrierEventKind,
  ItemCondition,
  RefundStatus,
  ReturnMethod,
  ReturnStatus,
} from "./enums";

// Equipment returns and refunds (SPEC.md state machines, LEGAL.md L224-35): the transitions, the
// reminder schedule, the non-return charge and the deposit statement. Pure: "now" and "today" are
// parameters, so tests can move the clock.

export class InvalidTransition extends Error {
  override name = "InvalidTransition";
  constructor(
    readonly machine: "return" | "refund",
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: ${from} → ${to} is not allowed`);
  }
}

/**
 * return: awaiting_shipment → in_transit → received (some items) → inspected (every item back);
 * any open status → overdue → charged once the deadline passes with items missing; a charged
 * return whose missing items all come back late is inspected after all (the charges are lifted).
 * A withdrawn case cancels its return.
 */
export const RETURN_TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = {
  awaiting_shipment: ["in_transit", "received", "inspected", "overdue", "cancelled"],
  in_transit: ["received", "inspected", "overdue", "cancelled"],
  received: ["inspected", "overdue"],
  inspected: [],
  overdue: ["charged"],
  charged: ["inspected"],
  cancelled: [],
};

/** refund: scheduled → due → issued | failed → issued ; withheld (with a reason) ; cancelled. */
export const REFUND_TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  scheduled: ["due", "withheld", "cancelled"],
  due: ["issued", "failed", "withheld"],
  failed: ["issued", "withheld"],
  withheld: ["due", "scheduled"],
  issued: [],
  cancelled: [],
};

export function canMoveReturn(from: ReturnStatus, to: ReturnStatus): boolean {
  return from === to || RETURN_TRANSITIONS[from].includes(to);
}

export function assertReturnTransition(from: ReturnStatus, to: ReturnStatus): void {
  if (!canMoveReturn(from, to)) throw new InvalidTransition("return", from, to);
}

export function assertRefundTransition(from: RefundStatus, to: RefundStatus): void {
  if (from !== to && !REFUND_TRANSITIONS[from].includes(to))
    throw new InvalidTransition("refund", from, to);
}

/** Why a payment failed or a refund is held back: codes, shown translated, never free text. */
export const REFUND_FAILURE_REASONS = ["bank_rejected", "account_closed", "other"] as const;
export const REFUND_WITHHOLD_REASONS = ["unpaid_invoice", "fraud_check", "other"] as const;

/** Returns that still expect items (reminders, deadline, reception, carrier events). */
export const OPEN_RETURN_STATUSES = ["awaiting_shipment", "in_transit", "received"] as const;

export function isOpenReturn(status: ReturnStatus): boolean {
  return (OPEN_RETURN_STATUSES as readonly string[]).includes(status);
}

/** The subscriber may choose or change the method until the parcel is handed in. */
export function canChooseMethod(status: ReturnStatus): boolean {
  return status === "awaiting_shipment";
}

/** A carrier event moves a return still waiting for its parcel to "in transit"; nothing else. */
export function returnStatusAfterCarrierEvent(
  status: ReturnStatus,
  _kind: CarrierEventKind,
): ReturnStatus {
  return status === "awaiting_shipment" ? "in_transit" : status;
}

export interface ItemState {
  receivedAt: Date | null;
  chargeCents: number;
}

const isBack = (item: ItemState) => item.receivedAt !== null;

/** After items came in: every item back → inspected; some → received (or still charged). */
export function returnStatusAfterReception(
  status: ReturnStatus,
  items: readonly ItemState[],
): ReturnStatus {
  if (items.every(isBack)) return "inspected";
  if (status === "charged" || status === "overdue") return status;
  return "received";
}

/** A reception may be recorded on an open return, and on a charged one (late items lift charges). */
export function canReceive(status: ReturnStatus): boolean {
  return isOpenReturn(status) || status === "charged";
}

export type ReminderKey = "7d" | "1d";

/**
 * The reminder due today, if any: from 7 days before the deadline the "7 days" one, on the last
 * day before it the "1 day" one. A job that ran late still sends the one that applies; each is
 * sent at most once (the email's dedupe key).
 */
export function reminderDue(deadline: IsoDate, today: IsoDate): ReminderKey | null {
  const daysLeft = daysBetween(today, deadline);
  if (daysLeft < 1 || daysLeft > 7) return null;
  return daysLeft === 1 ? "1d" : "7d";
}

/** The deadline is the last day to hand the parcel in: charges apply from the next day. */
export function isPastDeadline(deadline: IsoDate, today: IsoDate): boolean {
  return today > deadline;
}

export interface DepositStatement {
  depositCents: number;
  /** Non-return charges, at most what was announced before notification. */
  chargesCents: number;
  /** Charges taken from the deposit (never more than the deposit). */
  offsetCents: number;
  /** What is paid back. */
  netCents: number;
  /** Charges beyond the deposit, invoiced separately by the operator. */
  remainingChargeCents: number;
}

export function depositStatement(depositCents: number, chargesCents: number): DepositStatement {
  const offsetCents = Math.min(depositCents, chargesCents);
  return {
    depositCents,
    chargesCents,
    offsetCents,
    netCents: depositCents - offsetCents,
    remainingChargeCents: chargesCents - offsetCents,
  };
}

/** How urgent a refund is for operations: overdue, due within 2 days, or fine. */
export type RefundUrgency = "overdue" | "soon" | "on_time" | "none";

export const REFUND_SOON_DAYS = 2;

export function refundUrgency(
  refund: { status: RefundStatus; legalDueDate: IsoDate | null },
  today: IsoDate,
): RefundUrgency {
  if (refund.legalDueDate === null) return "none";
  if (refund.status !== "due" && refund.status !== "failed") return "none";
  const daysLeft = daysBetween(today, refund.legalDueDate);
  if (daysLeft < 0) return "overdue";
  if (daysLeft <= REFUND_SOON_DAYS) return "soon";
  return "on_time";
}

export const PICKUP_DAYS_OFFERED = 10;

/**
 * Courier pick-up days the subscriber may choose: working days (Monday to Friday) from the day
 * after tomorrow, up to the deadline, at most ten.
 */
export function pickupDates(today: IsoDate, deadline: IsoDate): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let day = addDays(today, 2); day <= deadline && dates.length < PICKUP_DAYS_OFFERED;) {
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(day);
    day = addDays(day, 1);
  }
  return dates;
}

export type MethodChoice =
  | { method: Exclude<ReturnMethod, "courier_pickup"> }
  | { method: "courier_pickup"; pickupDate: IsoDate; pickupSlot: "morning" | "afternoon" };

export type ItemReceipt = { equipmentId: string; condition: ItemCondition };
