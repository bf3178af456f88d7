import type { CaseStatus } from "./enums";
import type { IsoDate } from "./dates";

// The case state machine (SPEC.md): a transition not in this table is refused with a clear error.
//   received → confirmed → effective → closed; withdrawn from received/confirmed, before the end date.
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  received: ["confirmed", "effective", "withdrawn"],
  confirmed: ["effective", "withdrawn"],
  effective: ["closed"],
  closed: [],
  withdrawn: [],
};

export class TransitionError extends Error {
  override name = "TransitionError";
  constructor(
    readonly from: CaseStatus,
    readonly to: CaseStatus,
  ) {
    super(`a case cannot go from ${from} to ${to}`);
  }
}

export function assertCaseTransition(from: CaseStatus, to: CaseStatus): void {
  if (!CASE_TRANSITIONS[from].includes(to)) throw new TransitionError(from, to);
}

/** Open cases still end their contracts; the others no longer do. */
export function isOpenCase(status: CaseStatus): boolean {
  return status === "received" || status === "confirmed";
}

export type WithdrawVerdict =
  { ok: true } | { ok: false; reason: "already_withdrawn" | "too_late" | "not_withdrawable" };

/** A cancellation can be withdrawn while it is open and its end date has not come (LEGAL: until the end date). */
export function canWithdraw(input: {
  status: CaseStatus;
  effectiveEndDate: IsoDate;
  today: IsoDate;
}): WithdrawVerdict {
  if (input.status === "withdrawn") return { ok: false, reason: "already_withdrawn" };
  if (!CASE_TRANSITIONS[input.status].includes("withdrawn"))
    return { ok: false, reason: "not_withdrawable" };
  if (input.today >= input.effectiveEndDate) return { ok: false, reason: "too_late" };
  return { ok: true };
}
