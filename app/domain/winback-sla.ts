// The win-back queue's SLA timer: the first contact is due by the item's SLA time. Pure; "now"
// is a parameter, so the server computes it once per page and every row agrees.

export type SlaState =
  /** No contact yet; the first one is due in `minutes`. */
  | { kind: "due"; minutes: number }
  /** No contact yet and the SLA time has passed `minutes` ago. */
  | { kind: "overdue"; minutes: number }
  /** First contact made, `lateMinutes` after the SLA time (0: on time). */
  | { kind: "met"; lateMinutes: number };

const MINUTE = 60_000;

export function slaState(
  item: { slaDueAt: Date; firstContactAt: Date | null },
  now: Date,
): SlaState {
  if (item.firstContactAt !== null) {
    const late = item.firstContactAt.getTime() - item.slaDueAt.getTime();
    return { kind: "met", lateMinutes: Math.max(0, Math.floor(late / MINUTE)) };
  }
  const left = item.slaDueAt.getTime() - now.getTime();
  // Rounded towards "less time left": never "due in 0 min" while the time is not up.
  if (left > 0) return { kind: "due", minutes: Math.max(1, Math.floor(left / MINUTE)) };
  return {
    kind: "overdue",
    minutes: Math.floor((now.getTime() - item.slaDueAt.getTime()) / MINUTE),
  };
}

/** A duration cut into the two largest units that matter: days and hours, or hours and minutes. */
export function durationParts(minutes: number): { days: number; hours: number; minutes: number } {
  const whole = Math.max(0, Math.floor(minutes));
  if (whole >= 24 * 60) {
    return {
      days: Math.floor(whole / (24 * 60)),
      hours: Math.floor((whole % (24 * 60)) / 60),
      minutes: 0,
    };
  }
  return { days: 0, hours: Math.floor(whole / 60), minutes: whole % 60 };
}
