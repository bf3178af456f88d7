import { addDays, dateInZone, instantInZone, type IsoDate } from "./dates";
import type {
  ContactChannel,
  ContactOutcome,
  ContactWindow,
  WINBACK_CLOSE_REASONS,
  WinbackStatus,
} from "./enums";

// Issue #7, part 2: the limits an agent works within. Pure; "now" and the policy are parameters.

/** The operator's retention policy (operator settings, admin-editable). */
export interface WinbackPolicy {
  /** Contact attempts per item (default 2). */
  maxAttempts: number;
  /** Days an item stays open after the survey answer (default 30). */
  maxAgeDays: number;
}

export const DEFAULT_WINBACK_POLICY: WinbackPolicy = { maxAttempts: 2, maxAgeDays: 30 };

/**
 * The hours of each window the subscriber can choose, on working days only. They sit inside the
 * hours French law allows for telephone canvassing (Décret n° 2022-1313 du 13 octobre 2022, art.
 * 1: Monday to Friday, 10:00–13:00 and 14:00–20:00, never on public holidays).
 */
export const CONTACT_WINDOW_HOURS: Record<ContactWindow, readonly (readonly [number, number])[]> = {
  morning: [[10, 13]],
  afternoon: [[14, 18]],
  evening: [[18, 20]],
  any: [
    [10, 13],
    [14, 20],
  ],
};

/** Channels that interrupt: calls and texts only inside the window; an email waits for it. */
export const REAL_TIME_CHANNELS: readonly ContactChannel[] = ["phone", "sms"];

/** What an agent can record for one contact attempt, by channel. */
export const ATTEMPT_OUTCOMES: Record<ContactChannel, readonly ContactOutcome[]> = {
  phone: ["reached", "no_answer", "voicemail"],
  sms: ["sent"],
  email: ["sent"],
};

/** How an agent closes an item ("do not contact" is the suppression action, for any agent). */
export const FINAL_OUTCOMES = ["won_back", "declined", "no_answer"] as const;
export type FinalOutcome = (typeof FINAL_OUTCOMES)[number];

export type CloseReason = (typeof WINBACK_CLOSE_REASONS)[number];

function easterSunday(year: number): IsoDate {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The eleven French public holidays (Code du travail, art. L3133-1) of a year. */
export function frenchPublicHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  return [
    `${year}-01-01`,
    addDays(easter, 1), // Easter Monday
    `${year}-05-01`,
    `${year}-05-08`,
    addDays(easter, 39), // Ascension
    addDays(easter, 50), // Whit Monday
    `${year}-07-14`,
    `${year}-08-15`,
    `${year}-11-01`,
    `${year}-11-11`,
    `${year}-12-25`,
  ];
}

export function isContactDay(date: IsoDate): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !frenchPublicHolidays(Number(date.slice(0, 4))).includes(date);
}

export type WindowState =
  { open: true; closesAt: Date } | { open: false; nextOpening: Date; nextClosing: Date };

/** Whether `now` is inside the subscriber's window (in the operator's zone), else when it opens. */
export function contactWindowState(
  window: ContactWindow,
  now: Date,
  timeZone: string,
): WindowState {
  const today = dateInZone(now, timeZone);
  for (let offset = 0; offset < 15; offset += 1) {
    const day = addDays(today, offset);
    if (!isContactDay(day)) continue;
    for (const [from, to] of CONTACT_WINDOW_HOURS[window]) {
      const start = instantInZone(`${day}T${String(from).padStart(2, "0")}:00`, timeZone)!;
      const end = instantInZone(`${day}T${String(to).padStart(2, "0")}:00`, timeZone)!;
      if (now < start) return { open: false, nextOpening: start, nextClosing: end };
      if (now < end) return { open: true, closesAt: end };
    }
  }
  // Unreachable: there is always a working day within two weeks.
  throw new Error("no contact day in the next two weeks");
}

/** The last moment an item may be worked on. */
export function itemDeadline(createdAt: Date, policy: WinbackPolicy): Date {
  return new Date(createdAt.getTime() + policy.maxAgeDays * 86_400_000);
}

export type AttemptRefusal =
  | { code: "suppressed" }
  | { code: "attempt_limit"; max: number }
  | { code: "too_old"; days: number }
  | { code: "closed"; status: WinbackStatus }
  | { code: "not_claimed_by_you" }
  | { code: "wrong_channel"; channel: ContactChannel }
  | { code: "wrong_outcome"; channel: ContactChannel }
  | { code: "outside_window"; window: ContactWindow; nextOpening: Date };

export interface AttemptContext {
  status: WinbackStatus;
  claimedByMe: boolean;
  suppressed: boolean;
  attemptsSoFar: number;
  createdAt: Date;
  consentedChannel: ContactChannel;
  window: ContactWindow;
}

const OPEN: readonly WinbackStatus[] = ["new", "claimed", "contacted"];

export const isOpenItem = (status: WinbackStatus) => OPEN.includes(status);

/**
 * Why a contact attempt must not happen, or null. The policy's own limits come first so that the
 * agent reads the rule (e.g. "at most 2 attempts") rather than "this item is closed".
 */
export function attemptRefusal(
  item: AttemptContext,
  attempt: { channel: ContactChannel; outcome: ContactOutcome },
  policy: WinbackPolicy,
  now: Date,
  timeZone: string,
): AttemptRefusal | null {
  if (item.suppressed) return { code: "suppressed" };
  if (item.attemptsSoFar >= policy.maxAttempts)
    return { code: "attempt_limit", max: policy.maxAttempts };
  if (now >= itemDeadline(item.createdAt, policy))
    return { code: "too_old", days: policy.maxAgeDays };
  if (!isOpenItem(item.status)) return { code: "closed", status: item.status };
  if (!item.claimedByMe) return { code: "not_claimed_by_you" };
  if (attempt.channel !== item.consentedChannel)
    return { code: "wrong_channel", channel: item.consentedChannel };
  if (!ATTEMPT_OUTCOMES[attempt.channel].includes(attempt.outcome))
    return { code: "wrong_outcome", channel: attempt.channel };
  if (REAL_TIME_CHANNELS.includes(attempt.channel)) {
    const state = contactWindowState(item.window, now, timeZone);
    if (!state.open)
      return { code: "outside_window", window: item.window, nextOpening: state.nextOpening };
  }
  return null;
}

/**
 * The item after an attempt: still open ("contacted"), or closed by the attempt limit when the
 * last attempt reached no one (nothing left to decide). After a conversation at the limit the
 * agent records the outcome; if no one does, the item expires with its age.
 */
export function itemAfterAttempt(
  outcome: ContactOutcome,
  attemptsAfter: number,
  policy: WinbackPolicy,
): { status: WinbackStatus; closeReason: CloseReason | null } {
  if (attemptsAfter >= policy.maxAttempts && outcome !== "reached")
    return { status: "no_answer", closeReason: "attempt_limit" };
  return { status: "contacted", closeReason: null };
}

export type OutcomeRefusal =
  | { code: "closed"; status: WinbackStatus }
  | { code: "not_claimed_by_you" }
  | { code: "no_contact_yet" };

/** Won back and declined need a contact first; "no answer" does not. */
export function outcomeRefusal(
  item: { status: WinbackStatus; claimedByMe: boolean; attemptsSoFar: number },
  outcome: FinalOutcome,
): OutcomeRefusal | null {
  if (!isOpenItem(item.status)) return { code: "closed", status: item.status };
  if (!item.claimedByMe) return { code: "not_claimed_by_you" };
  if ((outcome === "won_back" || outcome === "declined") && item.attemptsSoFar === 0)
    return { code: "no_contact_yet" };
  return null;
}
