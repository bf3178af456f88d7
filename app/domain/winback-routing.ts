import type { EXIT_REASONS, WINBACK_QUEUES } from "./enums";

// Issue #7, part 1: where an exit-survey answer goes. Pure: the routing table is data (the
// default below; admin-editable rules will be stored and passed in), "now" is a parameter.
// Without consent — or for a subscriber on the suppression list — nothing is created: the answer
// only feeds the statistics.

export type ExitReason = (typeof EXIT_REASONS)[number];
export type WinbackQueue = (typeof WINBACK_QUEUES)[number];

export interface RoutingRule {
  /** `null`: no win-back for this reason (e.g. the service is no longer needed). */
  queue: WinbackQueue | null;
  /** How soon the first contact is due. */
  slaHours: number;
}

export type RoutingTable = Record<ExitReason, RoutingRule>;

export const DEFAULT_ROUTING: RoutingTable = {
  price: { queue: "offers", slaHours: 48 },
  competitor: { queue: "offers", slaHours: 48 },
  outages: { queue: "service_recovery", slaHours: 24 },
  speed: { queue: "service_recovery", slaHours: 24 },
  moving: { queue: "new_address", slaHours: 72 },
  customer_service: { queue: "apology", slaHours: 24 },
  no_longer_needed: { queue: null, slaHours: 0 },
  other: { queue: null, slaHours: 0 },
};

/** Weights of the priority (0–100): long-standing, high-revenue, likely-to-return first. */
export const PRIORITY_WEIGHTS = { tenure: 30, revenue: 40, comeBack: 30 } as const;
/** Tenure counted up to five years; revenue up to €100 a month. */
export const PRIORITY_CAPS = { tenureMonths: 60, monthlyRevenueCents: 10_000 } as const;
/** A subscriber who did not answer "would you come back" counts as undecided (5 of 10). */
const UNDECIDED = 5;

export function winbackPriority(input: {
  tenureMonths: number;
  monthlyRevenueCents: number;
  wouldComeBack: number | null;
}): number {
  const share = (value: number, cap: number) => Math.min(Math.max(value, 0), cap) / cap;
  const score =
    PRIORITY_WEIGHTS.tenure * share(input.tenureMonths, PRIORITY_CAPS.tenureMonths) +
    PRIORITY_WEIGHTS.revenue * share(input.monthlyRevenueCents, PRIORITY_CAPS.monthlyRevenueCents) +
    PRIORITY_WEIGHTS.comeBack * share(input.wouldComeBack ?? UNDECIDED, 10);
  return Math.round(score);
}

export type RoutingDecision =
  | { kind: "item"; queue: WinbackQueue; priority: number; slaDueAt: Date }
  | { kind: "none"; why: "no_consent" | "suppressed" | "no_queue" };

export function routeSurveyAnswer(
  answer: {
    reason: ExitReason;
    contactConsent: boolean;
    suppressed: boolean;
    tenureMonths: number;
    monthlyRevenueCents: number;
    wouldComeBack: number | null;
  },
  now: Date,
  table: RoutingTable = DEFAULT_ROUTING,
): RoutingDecision {
  if (!answer.contactConsent) return { kind: "none", why: "no_consent" };
  if (answer.suppressed) return { kind: "none", why: "suppressed" };
  const rule = table[answer.reason];
  if (rule.queue === null) return { kind: "none", why: "no_queue" };
  return {
    kind: "item",
    queue: rule.queue,
    priority: winbackPriority(answer),
    slaDueAt: new Date(now.getTime() + rule.slaHours * 3_600_000),
  };
}
