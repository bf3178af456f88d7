import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor } from "../app/audit/events";
import { addDays, dateInZone } from "../app/domain/dates";
import type { ContactOutcome, ContactWindow, WinbackStatus } from "../app/domain/enums";
import {
  attemptRefusal,
  CONTACT_WINDOW_HOURS,
  isContactDay,
  isOpenItem,
  itemAfterAttempt,
  itemDeadline,
  outcomeRefusal,
  REAL_TIME_CHANNELS,
  type CloseReason,
  type FinalOutcome,
  type WinbackPolicy,
} from "../app/domain/winback-policy";
import {
  routeSurveyAnswer,
  type RoutingTable,
  type WinbackQueue,
} from "../app/domain/winback-routing";
import type { Random } from "../tests/factories/random";
import type { Queryable } from "./client";
import { contactAttempts, surveyResponses, winbackItems } from "./schema";
import type { AuditBatch } from "./seed-audit";
import type { WinbackOfferCode } from "./seed-catalogue";
import { bulkInsert } from "./seed-bulk";
import {
  afterWorkingHours,
  answersSurvey,
  draftSurveyAnswer,
  type Category,
  type Leaver,
  type StoryCalendar,
  workingMoment,
  zonedTime,
} from "./seed-story";

// The exit-survey answers of every leaver (crowd and history) and what the retention team made
// of them: answers with consent routed by the operator's rules (`routeSurveyAnswer`), claimed by
// the demo agents, contacted within the policy (`attemptRefusal`: at most the policy's attempts,
// calls and texts inside the subscriber's window, nothing after the item's age limit), closed by
// an outcome, the attempt limit, a "stop contacting me", or the hourly expiry. The same rows and
// audit events as the workspace's services, dated in the past.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The chance a conversation or a reply ends in a win-back, by queue. */
const WIN_CHANCE: Record<WinbackQueue, number> = {
  offers: 0.62,
  service_recovery: 0.55,
  new_address: 0.5,
  apology: 0.5,
};

const NOTES: Partial<Record<ContactOutcome, readonly string[]>> = {
  reached: [
    "Intéressé, veut comparer avec son offre actuelle",
    "Échange cordial, rappelle la concurrence",
    "A écouté la proposition jusqu'au bout",
  ],
  no_answer: ["Pas de réponse", "Ligne occupée"],
  voicemail: ["Message laissé sur la messagerie", "Messagerie pleine"],
  sent: ["Offre envoyée", "Relance avec l'offre du moment"],
};

export interface RetentionInput {
  operatorId: string;
  calendar: StoryCalendar;
  random: Random;
  audit: AuditBatch;
  routing: RoutingTable;
  policy: WinbackPolicy;
  /** The retention agents, in order of arrival (the first two worked alone before the reinforcement). */
  agents: readonly string[];
  offers: ReadonlyMap<WinbackOfferCode, string>;
  leavers: readonly Leaver[];
}

export interface RetentionResult {
  answers: number;
  items: number;
  suppressed: number;
}

/** Whole months from a contract's start to the notice (as the routing service counts them). */
function monthsBetween(start: string, end: Date): number {
  const [y, m, d] = start.split("-").map(Number) as [number, number, number];
  const months = (end.getUTCFullYear() - y) * 12 + (end.getUTCMonth() + 1 - m);
  return Math.max(0, end.getUTCDate() < d ? months - 1 : months);
}

function offerFor(random: Random, queue: WinbackQueue, category: Category): WinbackOfferCode {
  // Now and then a gesture instead of the queue's usual offer.
  if (random.chance(0.12)) return "APOLOGY-CREDIT";
  switch (queue) {
    case "offers":
      return category === "mobile" ? "MOBILE-DATA-X2" : "FIBRE-6M-HALF";
    case "service_recovery":
      return "TECH-PRIORITY";
    case "new_address":
      return "MOVE-FREE";
    case "apology":
      return "APOLOGY-CREDIT";
  }
}

/** When an item is claimed, after its answer. */
type ClaimTiming =
  /** This many SLAs after the answer (from, to), at the next working moment. */
  | { slas: readonly [number, number] }
  /**
   * This many working hours after the answer (from, to): a team that works its queue in office
   * hours, so the weekend's answers wait for Monday morning. An item that would miss its SLA is
   * taken first, within the first working hour and a half (`urgentFirst`), unless it was set
   * aside (hard to reach, waiting for a colleague's answer), which happens by `setAside.chance`.
   */
  | {
      workingHours: readonly [number, number];
      urgentFirst: boolean;
      setAside: { chance: number; workingHours: readonly [number, number] };
    };

interface Pace {
  team: readonly string[];
  /** The chance an item is claimed at all before it expires. */
  worked: number;
  claim: ClaimTiming;
  /** The chance the first call follows the claim within the hour (else within these hours). */
  sameDayCall: number;
  firstCallWithinHours: number;
}

/** Working hours from the answer to the claim, by queue, since the team caught up. */
const CAUGHT_UP_CLAIM_HOURS: Record<WinbackQueue, readonly [number, number]> = {
  offers: [1, 12],
  service_recovery: [0.5, 6],
  new_address: [2, 18],
  // The billing trouble's apologies: a day or two behind, often past their 24-hour SLA.
  apology: [12, 32],
};

/**
 * How fast the team works, by period: before the reinforcement two agents, slower, letting more
 * items expire; then four; in the first weeks of the billing trouble the queues overflow and the
 * team keeps up with the offers and apologies first; for the last month (every item still open
 * today) it has caught up: each item is taken within a working day or so, the most urgent first,
 * except the apologies, still behind, and a few set aside.
 */
function paceFor(
  calendar: StoryCalendar,
  date: string,
  queue: WinbackQueue,
  agents: readonly string[],
): Pace {
  if (date >= calendar.queuesCaughtUpOn)
    return {
      team: agents,
      worked: 1,
      claim: {
        workingHours: CAUGHT_UP_CLAIM_HOURS[queue],
        urgentFirst: queue !== "apology",
        setAside: { chance: 0.1, workingHours: [18, 45] },
      },
      sameDayCall: 0.9,
      firstCallWithinHours: 20,
    };
  if (date >= calendar.billingTroubleFrom) {
    const worked = { offers: 0.5, apology: 0.35, service_recovery: 0.22, new_address: 0.22 }[queue];
    return {
      team: agents,
      worked,
      claim: { slas: [0.3, 3] },
      sameDayCall: 0.4,
      firstCallWithinHours: 72,
    };
  }
  if (date >= calendar.teamReinforcedOn)
    return {
      team: agents,
      worked: 0.88,
      claim: { slas: [0.05, 0.45] },
      sameDayCall: 0.8,
      firstCallWithinHours: 20,
    };
  return {
    team: agents.slice(0, 2),
    worked: 0.72,
    claim: { slas: [0.2, 1] },
    sameDayCall: 0.6,
    firstCallWithinHours: 30,
  };
}

/** When the team claims an item, by the pace of its period. */
function plannedClaim(random: Random, pace: Pace, item: ItemRow, timeZone: string): Date {
  const createdAt = item.createdAt!;
  const { claim } = pace;
  if ("slas" in claim) {
    const [fastest, slowest] = claim.slas;
    const slaHours = (item.slaDueAt.getTime() - createdAt.getTime()) / HOUR;
    const delay = slaHours * (fastest + random.next() * (slowest - fastest));
    return workingMoment(random, new Date(createdAt.getTime() + delay * HOUR), timeZone);
  }
  const setAside = random.chance(claim.setAside.chance);
  const [fastest, slowest] = setAside ? claim.setAside.workingHours : claim.workingHours;
  const draw = random.next();
  const planned = afterWorkingHours(createdAt, fastest + draw * (slowest - fastest), timeZone);
  if (claim.urgentFirst && !setAside && planned > item.slaDueAt)
    return afterWorkingHours(createdAt, draw * 1.5, timeZone);
  return planned;
}

/**
 * Whether `at` is inside the subscriber's window, else when it next opens: what
 * `contactWindowState` answers (the attempts are still checked with it, by `attemptRefusal`),
 * with the faster time-zone lookups of the seed.
 */
function windowAt(
  window: ContactWindow,
  at: Date,
  timeZone: string,
): { open: true } | { open: false; nextOpening: Date; nextClosing: Date } {
  const today = dateInZone(at, timeZone);
  for (let offset = 0; offset < 15; offset += 1) {
    const day = addDays(today, offset);
    if (!isContactDay(day)) continue;
    for (const [from, to] of CONTACT_WINDOW_HOURS[window]) {
      const opening = zonedTime(day, from, 0, timeZone);
      const closing = zonedTime(day, to, 0, timeZone);
      if (at < opening) return { open: false, nextOpening: opening, nextClosing: closing };
      if (at < closing) return { open: true };
    }
  }
  throw new Error("unreachable: there is a contact day within two weeks");
}

/**
 * Alice's morning: at least this many claims, at most that many, and the share of open items
 * past their SLA she brings the queue down to.
 */
const ALICE_MORNING_CLAIMS = 3;
const ALICE_MORNING_MAX = 10;
const MORNING_TARGET = 0.2;

/** 9:10 on the latest working day (Monday to Friday, not a public holiday) before `now`. */
function latestWorkingMorning(now: Date, timeZone: string): Date {
  const today = dateInZone(now, timeZone);
  for (let offset = 0; offset < 10; offset += 1) {
    const day = addDays(today, -offset);
    if (!isContactDay(day)) continue;
    const morning = zonedTime(day, 9, 10, timeZone);
    if (morning.getTime() < now.getTime() - 10 * MINUTE) return morning;
  }
  throw new Error("unreachable: there is a working day within ten days");
}

/** The hourly expiry job (at :35) closes an item in the first run after its deadline. */
function expiryRun(deadline: Date): Date {
  const hour = Math.floor(deadline.getTime() / HOUR) * HOUR + 35 * MINUTE;
  return new Date(hour > deadline.getTime() ? hour : hour + HOUR);
}

/** What the simulation shares while it works through the year's answers. */
interface Desk {
  input: RetentionInput;
  codeOf: ReadonlyMap<string, WinbackOfferCode>;
  attempts: (typeof contactAttempts.$inferInsert)[];
  suppressions: { subscriberId: string; at: Date }[];
}

type ItemRow = typeof winbackItems.$inferInsert & { id: string; status: WinbackStatus };

/** One item to work, with what its simulation needs. */
interface Work {
  leaver: Leaver;
  survey: SurveyRow;
  item: ItemRow;
  queue: WinbackQueue;
  pace: Pace;
  mayStop: boolean;
  /** Claimed by this agent at this moment, instead of at the pace's. */
  claim?: { at: Date; agentId: string };
}

export async function seedRetention(
  db: Queryable,
  input: RetentionInput,
): Promise<RetentionResult> {
  const { calendar, random, audit, policy } = input;
  const { now, timeZone } = calendar;
  const desk: Desk = {
    input,
    codeOf: new Map([...input.offers].map(([code, id]) => [id, code])),
    attempts: [],
    suppressions: [],
  };
  const casesBySubscriber = new Map<string, number>();
  for (const { subscriberId } of input.leavers)
    casesBySubscriber.set(subscriberId, (casesBySubscriber.get(subscriberId) ?? 0) + 1);

  const surveys: (typeof surveyResponses.$inferInsert)[] = [];
  const items: ItemRow[] = [];
  const works: Work[] = [];
  const leavers = [...input.leavers].sort(
    (a, b) => a.receivedAt.getTime() - b.receivedAt.getTime(),
  );
  for (const leaver of leavers) {
    if (leaver.caseStatus === "withdrawn") continue;
    const date = dateInZone(leaver.receivedAt, timeZone);
    if (!answersSurvey(random, date)) continue;
    const tenureMonths = monthsBetween(leaver.firstStart, leaver.receivedAt);
    const draft = draftSurveyAnswer(random, calendar, {
      date,
      tenureMonths,
      region: leaver.region,
      category: leaver.category,
    });
    const answeredAt = new Date(leaver.receivedAt.getTime() + draft.minutesAfterNotice * MINUTE);
    if (answeredAt >= now) continue;
    const survey: SurveyRow = {
      id: randomUUID(),
      caseId: leaver.caseId,
      reason: draft.reason,
      details: draft.details,
      competitor: draft.competitor,
      wouldComeBack: draft.wouldComeBack,
      contactConsent: draft.contactConsent,
      contactChannel: draft.contactChannel,
      contactWindow: draft.contactWindow,
      createdAt: answeredAt,
    };
    surveys.push(survey);
    const subscriber: Actor = { type: "subscriber", id: leaver.subscriberId };
    audit.addForCase(leaver.caseId, {
      type: "survey.answered",
      actor: subscriber,
      occurredAt: answeredAt,
      data: { surveyResponseId: survey.id, contactConsent: draft.contactConsent },
    });

    // Routed as the survey's transaction routes it (`routeSurveyToQueue`).
    const decision = routeSurveyAnswer(
      {
        reason: draft.reason,
        contactConsent: draft.contactConsent,
        suppressed: false,
        tenureMonths,
        monthlyRevenueCents: leaver.revenueCents,
        wouldComeBack: draft.wouldComeBack,
      },
      answeredAt,
      input.routing,
    );
    if (decision.kind === "none") continue;
    const item: ItemRow = {
      id: randomUUID(),
      caseId: leaver.caseId,
      surveyResponseId: survey.id,
      subscriberId: leaver.subscriberId,
      queue: decision.queue,
      priority: decision.priority,
      status: "new",
      slaDueAt: decision.slaDueAt,
      createdAt: answeredAt,
      updatedAt: answeredAt,
    };
    items.push(item);
    audit.addForCase(leaver.caseId, {
      type: "winback.item_routed",
      actor: subscriber,
      occurredAt: answeredAt,
      data: {
        itemId: item.id,
        queue: decision.queue,
        priority: decision.priority,
        slaDueAt: decision.slaDueAt.toISOString(),
      },
    });
    const work: Work = {
      leaver,
      survey,
      item,
      queue: decision.queue,
      pace: paceFor(calendar, date, decision.queue, input.agents),
      // A subscriber with a single case may ask not to be contacted again (with several, one
      // "stop" would close several items at once: kept out of the demo for simplicity).
      mayStop: casesBySubscriber.get(leaver.subscriberId) === 1,
    };
    works.push(work);
    workItem(desk, work);
  }

  // Alice's desk (agent@example.com, the senior agent): on the latest working morning she takes
  // the waiting items already past their SLA, the most overdue first (emails go out at once,
  // calls and texts wait for the subscriber's window), until about four open items in five are
  // within their SLA; then, if she holds fewer than three, the next ones due, to call later.
  const alice = input.agents[0]!;
  const morning = latestWorkingMorning(now, timeZone);
  const waiting = works
    .filter(
      ({ item }) =>
        item.status === "new" &&
        item.createdAt! < morning &&
        itemDeadline(item.createdAt!, policy) > now,
    )
    .sort((a, b) => a.item.slaDueAt.getTime() - b.item.slaDueAt.getTime());
  const openItems = () => items.filter((item) => isOpenItem(item.status));
  const pastSla = () =>
    openItems().filter((item) => item.firstContactAt == null && item.slaDueAt < now).length;
  const late = waiting.filter(({ item }) => item.slaDueAt < now);
  const onTime = waiting.filter(({ item }) => item.slaDueAt >= now);
  let claims = 0;
  const take = (work: Work) => {
    const at = new Date(morning.getTime() + claims * 3 * MINUTE);
    if (at >= now) return false;
    workItem(desk, { ...work, claim: { at, agentId: alice } });
    claims += 1;
    return true;
  };
  for (const work of late) {
    if (pastSla() <= MORNING_TARGET * openItems().length || claims >= ALICE_MORNING_MAX) break;
    if (!take(work)) break;
  }
  for (const work of onTime) if (claims >= ALICE_MORNING_CLAIMS || !take(work)) break;

  await bulkInsert(db, surveyResponses, surveys);
  await bulkInsert(db, winbackItems, items);
  await bulkInsert(db, contactAttempts, desk.attempts);
  if (desk.suppressions.length > 0)
    await db.execute(sql`
      update subscriber as s
      set marketing_suppressed = true, marketing_suppressed_at = v.at, updated_at = v.at
      from (values ${sql.join(
        desk.suppressions.map(
          (row) => sql`(${row.subscriberId}::uuid, ${row.at.toISOString()}::timestamptz)`,
        ),
        sql`, `,
      )}) as v(id, at)
      where s.id = v.id
    `);
  return { answers: surveys.length, items: items.length, suppressed: desk.suppressions.length };
}

type SurveyRow = typeof surveyResponses.$inferInsert & { id: string };

function catalogueId(desk: Desk, code: WinbackOfferCode): string {
  const id = desk.input.offers.get(code);
  if (id === undefined) throw new Error(`the offer ${code} is not in the catalogue`);
  return id;
}

/**
 * One item's life until `now`: claimed (or left to expire), contacted on the consented channel
 * within the policy, then an outcome, the attempt limit, a "stop contacting me", or the expiry.
 * Each step is checked with the workspace's own rules and audited as the services audit it.
 */
function workItem(desk: Desk, work: Work): void {
  const { calendar, random, audit, policy } = desk.input;
  const { now, timeZone } = calendar;
  const { leaver, survey, item, pace } = work;
  const caseId = leaver.caseId;
  const createdAt = item.createdAt!;
  const channel = survey.contactChannel!;
  const window = survey.contactWindow!;
  const deadline = itemDeadline(createdAt, policy);
  const offerCode = (offerId: string | null | undefined) =>
    offerId ? (desk.codeOf.get(offerId) ?? null) : null;

  const close = (status: WinbackStatus, closeReason: CloseReason, at: Date, actor: Actor) => {
    Object.assign(item, { status, closeReason, closedAt: at, updatedAt: at });
    audit.addForCase(caseId, {
      type: "winback.closed",
      actor,
      occurredAt: at,
      data: { itemId: item.id, status, closeReason, offerCode: offerCode(item.offerId) },
    });
  };
  const expireIfDue = () => {
    const run = expiryRun(deadline);
    if (item.closedAt === undefined && run < now)
      close("expired", "expired", run, { type: "system", id: null });
  };
  // As `suppressSubscriber`: the item closes, the consent is withdrawn, both audited.
  const suppress = (at: Date, via: "agent" | "email_link", actor: Actor) => {
    close("do_not_contact", "suppressed", at, actor);
    survey.consentWithdrawnAt = at;
    desk.suppressions.push({ subscriberId: leaver.subscriberId, at });
    audit.addForCase(caseId, {
      type: "consent.withdrawn",
      actor,
      occurredAt: at,
      data: { subscriberId: leaver.subscriberId, via, closedItemIds: [item.id] },
    });
  };

  let claimedAt: Date;
  let agentId: string;
  if (work.claim) ({ at: claimedAt, agentId } = work.claim);
  else {
    if (!random.chance(pace.worked)) return expireIfDue();
    claimedAt = plannedClaim(random, pace, item, timeZone);
    if (claimedAt >= now || claimedAt >= deadline) return expireIfDue();
    // Alice (agent@), the senior agent, takes a double share.
    agentId = random.pick([pace.team[0]!, ...pace.team]);
  }
  const agent: Actor = { type: "staff", id: agentId };
  Object.assign(item, { status: "claimed", claimedBy: agentId, claimedAt, updatedAt: claimedAt });
  audit.addForCase(caseId, {
    type: "winback.claimed",
    actor: agent,
    occurredAt: claimedAt,
    data: { itemId: item.id, action: "claimed" },
  });

  let previous = claimedAt;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    // Agents claim in the morning and call over the day or the next one (later when the
    // queues overflow); a second attempt waits a few days. Calls and texts wait for the window.
    let at =
      attempt === 1
        ? random.chance(pace.sameDayCall)
          ? new Date(claimedAt.getTime() + random.int(5, 60) * MINUTE)
          : workingMoment(
              random,
              new Date(claimedAt.getTime() + random.int(16, pace.firstCallWithinHours) * HOUR),
              timeZone,
            )
        : workingMoment(random, new Date(previous.getTime() + random.int(2, 5) * DAY), timeZone);
    const state = windowAt(window, at, timeZone);
    if (REAL_TIME_CHANNELS.includes(channel) && !state.open) {
      const span = state.nextClosing.getTime() - state.nextOpening.getTime();
      at = new Date(state.nextOpening.getTime() + random.next() * (span - 10 * MINUTE));
    }
    if (at >= now) break;
    const outcome: ContactOutcome =
      channel === "phone"
        ? random.chance(0.55)
          ? "reached"
          : random.chance(0.6)
            ? "no_answer"
            : "voicemail"
        : "sent";
    const refusal = attemptRefusal(
      {
        status: item.status,
        claimedByMe: true,
        suppressed: false,
        attemptsSoFar: attempt - 1,
        createdAt,
        consentedChannel: channel,
        window,
      },
      { channel, outcome },
      policy,
      at,
      timeZone,
    );
    if (refusal) break;
    // An offer is made in every conversation and every text or email.
    const offerId =
      outcome === "reached" || outcome === "sent"
        ? catalogueId(desk, offerFor(random, work.queue, leaver.category))
        : null;
    const attemptId = randomUUID();
    const notes = NOTES[outcome];
    desk.attempts.push({
      id: attemptId,
      winbackItemId: item.id,
      staffUserId: agentId,
      channel,
      outcome,
      note: notes && random.chance(0.4) ? random.pick(notes) : null,
      offerId,
      attemptedAt: at,
    });
    // An email outside the window waits for its opening (the send job's start time).
    const scheduled = channel === "email" && !state.open ? state.nextOpening : null;
    const sentAt = scheduled ?? at;
    audit.addForCase(caseId, {
      type: "winback.contact_logged",
      actor: agent,
      occurredAt: at,
      data: {
        itemId: item.id,
        attemptId,
        channel,
        outcome,
        offerCode: offerCode(offerId),
        ...(scheduled ? { emailScheduledFor: scheduled.toISOString() } : {}),
      },
    });
    Object.assign(item, {
      status: "contacted",
      firstContactAt: item.firstContactAt ?? at,
      offerId: offerId ?? item.offerId ?? null,
      updatedAt: at,
    });
    previous = at;
    const next = itemAfterAttempt(outcome, attempt, policy);
    if (next.closeReason !== null) {
      close(next.status, next.closeReason, at, agent);
      break;
    }

    // A conversation, or a reply to the text or email, ends with an outcome.
    if (outcome === "reached" || (outcome === "sent" && random.chance(0.4))) {
      const decidedAt =
        outcome === "reached"
          ? new Date(at.getTime() + random.int(3, 15) * MINUTE)
          : workingMoment(random, new Date(sentAt.getTime() + random.int(3, 72) * HOUR), timeZone);
      if (decidedAt >= now || decidedAt >= deadline) break;
      if (work.mayStop && random.chance(0.05)) {
        suppress(decidedAt, "agent", agent);
        break;
      }
      const final: FinalOutcome = random.chance(WIN_CHANCE[work.queue]) ? "won_back" : "declined";
      if (outcomeRefusal({ status: item.status, claimedByMe: true, attemptsSoFar: attempt }, final))
        break;
      close(final, "outcome", decidedAt, agent);
      break;
    }
    // The "stop contacting me" link of the retention email.
    if (channel === "email" && work.mayStop && random.chance(0.06)) {
      const clickedAt = new Date(sentAt.getTime() + random.int(10, 36 * 60) * MINUTE);
      if (clickedAt >= now || clickedAt >= deadline) break;
      suppress(clickedAt, "email_link", { type: "subscriber", id: leaver.subscriberId });
      break;
    }
  }
  expireIfDue();
}
