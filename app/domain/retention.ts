import { addDays, addMonths, dateInZone, type IsoDate } from "./dates";

// Data retention (GDPR, LEGAL.md "Personal data"): how long the portal keeps a former
// subscriber's personal data once the relationship has ended, and what goes when.
//
//   - The prospect rule (CNIL: at most 3 years after the relationship ends): what only served
//     to win the person back — the free text of the exit survey and the agents' notes of their
//     calls — is erased after `prospectMonths`.
//   - The records rule (the limitation period, 5 years in France): identity, contact details,
//     the documents' contents and the notices are pseudonymised after `recordsYears`. What
//     stays is what proves the operator's obligations were met without naming anyone: dates,
//     amounts, codes, contract and customer numbers, the documents' SHA-256, the audit trail.
//
// Never erased by either rule: an objection to direct marketing (the suppression flag and its
// date, the consent withdrawals). It must be kept to be honoured — erasing it would let the
// person be prospected again if their data came back from the operator's own systems.
//
// Every date here is a calendar date in the operator's time zone; instants are converted with
// `dateInZone`, so a case closed at 00:30 in Paris on 1 January counts as closed on 1 January.

export interface RetentionPolicy {
  /** Contract and audit records: identity, contact data, documents (years). */
  recordsYears: number;
  /** Prospecting data: survey free text, contact notes (months). */
  prospectMonths: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { recordsYears: 5, prospectMonths: 36 };

/**
 * What admin may choose. Prospecting data never outlive the records (the records rule erases
 * them anyway), so `prospectMonths` ≤ `recordsYears` × 12 is checked by the form as well.
 */
export const RETENTION_LIMITS = {
  recordsYears: { min: 1, max: 30 },
  prospectMonths: { min: 1, max: 120 },
} as const;

export type RetentionRule = "prospect" | "records";

/** How far ahead the status page counts what falls due. */
export const OUTLOOK_DAYS = 90;

/** The kinds of personal data each rule erases or pseudonymises (audit event, status page). */
export const PROSPECT_CATEGORIES = ["survey_text", "contact_notes"] as const;
export const RECORDS_CATEGORIES = [
  "identity",
  "contact_details",
  "acknowledgment_emails",
  "line_numbers",
  "document_contents",
  "email_addresses",
  "notices",
] as const;
export const RETENTION_CATEGORIES = [...PROSPECT_CATEGORIES, ...RECORDS_CATEGORIES] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

/** What the database knows about one subscriber's relationship with the operator. */
export interface RelationshipFacts {
  /** Contracts still running (active, or with a cancellation pending). */
  liveContracts: number;
  /** Cases not yet effective (received, confirmed): the notice is still being carried out. */
  openCases: number;
  /** Refunds the operator still owes (due, or a payment that failed): a live claim. */
  refundsOwed: number;
  /** The latest effective end date of a case that was not withdrawn (a legal date). */
  lastEffectiveEndDate: IsoDate | null;
  /** The latest instants of: a case closed, a case withdrawn, a contract terminated. */
  lastClosedAt: Date | null;
  lastWithdrawnAt: Date | null;
  lastContractEndedAt: Date | null;
  /** The latest exit-survey answer: a contact the person started themselves (CNIL). */
  lastSurveyAt: Date | null;
  /** When the subscriber was created: the floor for someone with no contract or case at all. */
  createdAt: Date;
}

/**
 * The day the relationship ended: the latest of every end we know of, in the operator's zone.
 * Null while it goes on (a running contract or an open case).
 */
export function relationshipEndedOn(facts: RelationshipFacts, timeZone: string): IsoDate | null {
  if (facts.liveContracts > 0 || facts.openCases > 0) return null;
  const dates: IsoDate[] = [dateInZone(facts.createdAt, timeZone)];
  if (facts.lastEffectiveEndDate !== null) dates.push(facts.lastEffectiveEndDate);
  for (const instant of [
    facts.lastClosedAt,
    facts.lastWithdrawnAt,
    facts.lastContractEndedAt,
    facts.lastSurveyAt,
  ]) {
    if (instant !== null) dates.push(dateInZone(instant, timeZone));
  }
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

/** The day a period of `months` that started on `endedOn` is over (clamped to month ends). */
export function periodEndsOn(endedOn: IsoDate, months: number): IsoDate {
  return addMonths(endedOn, months);
}

export function prospectDueOn(endedOn: IsoDate, policy: RetentionPolicy): IsoDate {
  return periodEndsOn(endedOn, policy.prospectMonths);
}

export function recordsDueOn(endedOn: IsoDate, policy: RetentionPolicy): IsoDate {
  return periodEndsOn(endedOn, policy.recordsYears * 12);
}

/**
 * The latest end date whose period of `months` is over on `today`: `periodEndsOn(d, months) ≤
 * today` exactly when `d ≤ lastEndDateDue(today, months)` (month-end clamping makes several end
 * dates share one due date, hence the walk forward). Lets SQL select candidates by a plain date
 * comparison that agrees with the rule.
 */
export function lastEndDateDue(today: IsoDate, months: number): IsoDate {
  let candidate = addMonths(today, -months);
  // addMonths(today, -months) is due; at most 3 following days (29–31 → 28) may be due too.
  while (periodEndsOn(addDays(candidate, 1), months) <= today) candidate = addDays(candidate, 1);
  return candidate;
}

export interface RetentionState {
  /** The records rule already ran (subscriber.pseudonymised_at). */
  pseudonymised: boolean;
  /** Survey answers not yet cleared, or contact notes left. */
  prospectDataLeft: boolean;
}

export type KeepReason = "live_contract" | "open_case" | "refund_owed" | "not_due" | "already_done";

export type RetentionPlan =
  | {
      kind: "keep";
      reason: KeepReason;
      endedOn: IsoDate | null;
      prospectDueOn: IsoDate | null;
      recordsDueOn: IsoDate | null;
    }
  | {
      kind: "pseudonymise";
      /** "records" also erases the prospecting data left, in the same transaction. */
      rule: RetentionRule;
      endedOn: IsoDate;
      prospectDueOn: IsoDate;
      recordsDueOn: IsoDate;
    };

/** What the retention job does with one subscriber on `today` (a date in the operator's zone). */
export function planRetention(input: {
  facts: RelationshipFacts;
  state: RetentionState;
  policy: RetentionPolicy;
  timeZone: string;
  today: IsoDate;
}): RetentionPlan {
  const { facts, state, policy, today } = input;
  const keep = (reason: KeepReason, endedOn: IsoDate | null = null): RetentionPlan => ({
    kind: "keep",
    reason,
    endedOn,
    prospectDueOn: endedOn === null ? null : prospectDueOn(endedOn, policy),
    recordsDueOn: endedOn === null ? null : recordsDueOn(endedOn, policy),
  });
  if (facts.liveContracts > 0) return keep("live_contract");
  if (facts.openCases > 0) return keep("open_case");
  const endedOn = relationshipEndedOn(facts, input.timeZone)!;
  if (state.pseudonymised && !state.prospectDataLeft) return keep("already_done", endedOn);
  const dates = {
    endedOn,
    prospectDueOn: prospectDueOn(endedOn, policy),
    recordsDueOn: recordsDueOn(endedOn, policy),
  };
  const recordsDue = !state.pseudonymised && dates.recordsDueOn <= today;
  const prospectDue = state.prospectDataLeft && dates.prospectDueOn <= today;
  if (!recordsDue && !prospectDue) return keep("not_due", endedOn);
  // Money still owed to the person is a live claim: their data stay until it is settled.
  if (facts.refundsOwed > 0) return keep("refund_owed", endedOn);
  return { kind: "pseudonymise", rule: recordsDue ? "records" : "prospect", ...dates };
}

/** A rejected notice (no subscriber behind it) is a record: kept for the records period. */
export function noticeDue(input: {
  resolvedAt: Date;
  policy: RetentionPolicy;
  timeZone: string;
  today: IsoDate;
}): boolean {
  return recordsDueOn(dateInZone(input.resolvedAt, input.timeZone), input.policy) <= input.today;
}

/** The earlier of the two periods: the horizon before which nothing at all is due. */
export function shortestPeriodMonths(policy: RetentionPolicy): number {
  return Math.min(policy.prospectMonths, policy.recordsYears * 12);
}

export type PolicyProblem = "records_years" | "prospect_months" | "prospect_beyond_records";

/** Checks a policy admin typed; the form shows the problems next to their fields. */
export function checkRetentionPolicy(policy: RetentionPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const within = (value: number, bounds: { min: number; max: number }) =>
    Number.isInteger(value) && value >= bounds.min && value <= bounds.max;
  if (!within(policy.recordsYears, RETENTION_LIMITS.recordsYears)) problems.push("records_years");
  if (!within(policy.prospectMonths, RETENTION_LIMITS.prospectMonths))
    problems.push("prospect_months");
  else if (problems.length === 0 && policy.prospectMonths > policy.recordsYears * 12)
    problems.push("prospect_beyond_records");
  return problems;
}
