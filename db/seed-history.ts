import { randomUUID } from "node:crypto";
import type { Actor } from "../app/audit/events";
import { deriveCaseToken, newToken } from "../app/auth/tokens.server";
import {
  summariseCancellation,
  type CancellationSummary,
} from "../app/domain/cancellation-summary";
import { addDays, addMonths, dateInZone, daysBetween, type IsoDate } from "../app/domain/dates";
import type { CaseStatus } from "../app/domain/enums";
import { packFor } from "../app/domain/jurisdictions";
import { nameKey } from "../app/domain/names";
import { makeReference } from "../app/domain/reference";
import { policyOf, toContractToCancel } from "../app/services/load-cancellation-context.server";
import type { Random } from "../tests/factories/random";
import type { Queryable } from "./client";
import {
  cancellationCases,
  caseContracts,
  contracts,
  emailMessages,
  equipment,
  equipmentReturns,
  lines,
  refunds,
  returnItems,
  subscribers,
  type Contract,
  type Equipment,
  type Operator,
} from "./schema";
import type { AuditBatch } from "./seed-audit";
import { bulkInsert } from "./seed-bulk";
import {
  FIRST_NAMES,
  LAST_NAMES,
  MODEL_CHARGES,
  OFFERS,
  type OfferTemplate,
} from "./seed-catalogue";
import {
  momentOn,
  pickRegion,
  pickTenureMonths,
  promoEffect,
  weeklyCaseTarget,
  workingMoment,
  zonedTime,
  type Leaver,
  type StoryCalendar,
} from "./seed-story";

// A year of subscribers who left, written set-based (a few statements per table rather than a
// few dozen round trips per case): each with one contract, its equipment, and a cancellation
// case in the state its dates imply — open while the end date is ahead, effective after it,
// closed once the equipment is back and the deposit paid. Rows and audit events are what the
// journey, the hourly jobs and the warehouse would have written (`insertCase`,
// `createReturnPlan`, the seed's return progress), computed by the same rules
// (`summariseCancellation`).

const DAY = 86_400_000;
const SYSTEM: Actor = { type: "system", id: null };
const MINUTE = 60_000;
/** Monday first: more notices early in the week, fewer at the weekend. */
const WEEKDAY_WEIGHTS = [1.25, 1.1, 1, 1, 0.95, 0.7, 0.6];
const STREETS = [
  "rue de la République",
  "avenue Jean Jaurès",
  "rue Victor Hugo",
  "boulevard Gambetta",
  "rue Pasteur",
  "place de la Mairie",
  "allée des Tilleuls",
  "chemin des Vignes",
];

export interface StaffIds {
  /** Warehouse staff who receive returns. */
  warehouse: readonly string[];
  /** Staff who pay refunds. */
  refunds: readonly string[];
}

interface HistoryRows {
  subscribers: (typeof subscribers.$inferInsert)[];
  emails: (typeof emailMessages.$inferInsert)[];
  contracts: (typeof contracts.$inferInsert)[];
  lines: (typeof lines.$inferInsert)[];
  equipment: (typeof equipment.$inferInsert)[];
  cases: (typeof cancellationCases.$inferInsert)[];
  caseContracts: (typeof caseContracts.$inferInsert)[];
  returns: (typeof equipmentReturns.$inferInsert)[];
  returnItems: (typeof returnItems.$inferInsert)[];
  refunds: (typeof refunds.$inferInsert)[];
}

function pickOffer(random: Random, calendar: StoryCalendar, date: IsoDate): OfferTemplate {
  // The competitor's promotion takes mobile subscribers above all.
  const mobile = 1 + 0.6 * promoEffect(calendar, date);
  const weights = OFFERS.map((offer) => {
    const base: Record<string, number> = {
      "Fibre 1 Gb/s + TV": 24,
      "Fibre 500 Mb/s": 24,
      "ADSL Essentiel": 9,
      "Mobile 100 Go": 18,
      "Mobile 20 Go": 15,
      "TV Essentielle": 7,
    };
    return (base[offer.offerName] ?? 5) * (offer.category === "mobile" ? mobile : 1);
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [index, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return OFFERS[index]!;
  }
  return OFFERS[OFFERS.length - 1]!;
}

/** A moment on `day` before `now` (an evening is not over yet on the current day). */
function momentBefore(random: Random, day: IsoDate, now: Date, timeZone: string): Date | null {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const moment = momentOn(random, day, timeZone);
    if (moment.getTime() < now.getTime() - 15 * MINUTE) return moment;
  }
  const start = zonedTime(day, 0, 0, timeZone).getTime();
  const latest = now.getTime() - 15 * MINUTE;
  return latest > start ? new Date(start + random.next() * (latest - start)) : null;
}

/** The notices of the year: how many a week (the story's volume, less the crowd's), and when. */
function noticeMoments(
  random: Random,
  calendar: StoryCalendar,
  crowdCasesByWeek: ReadonlyMap<IsoDate, number>,
): Date[] {
  const moments: Date[] = [];
  const { now, today, timeZone } = calendar;
  const todayStart = zonedTime(today, 0, 0, timeZone).getTime();
  const elapsedToday = (now.getTime() - todayStart) / DAY;
  for (
    let monday = calendar.firstWeek;
    monday <= calendar.currentWeek;
    monday = addDays(monday, 7)
  ) {
    const current = monday === calendar.currentWeek;
    const days = current ? daysBetween(monday, today) + 1 : 7;
    const elapsed = current ? daysBetween(monday, today) + elapsedToday : 7;
    const target = weeklyCaseTarget(calendar, monday) * (0.88 + random.next() * 0.24);
    let count = Math.round((target * elapsed) / 7) - (crowdCasesByWeek.get(monday) ?? 0);
    // The dashboard's current week is never empty, even on a Monday morning.
    if (current) count = Math.max(count, 3);
    const weights = WEEKDAY_WEIGHTS.slice(0, days);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    for (let i = 0; i < count; i += 1) {
      let roll = random.next() * total;
      let weekday = 0;
      while (weekday < days - 1 && roll >= weights[weekday]!) {
        roll -= weights[weekday]!;
        weekday += 1;
      }
      const moment = momentBefore(random, addDays(monday, weekday), now, timeZone);
      if (moment) moments.push(moment);
    }
  }
  return moments.sort((a, b) => a.getTime() - b.getTime());
}

export interface HistoryInput {
  operator: Operator;
  calendar: StoryCalendar;
  random: Random;
  audit: AuditBatch;
  staff: StaffIds;
  /** Cases the crowd already received, by Monday of their week (the history makes up the rest). */
  crowdCasesByWeek: ReadonlyMap<IsoDate, number>;
  /** Numbers customers, contracts and lines from here (after the crowd's). */
  firstNumber: number;
  linkSecret?: string;
}

/** Writes the year's leavers; returns them for the exit survey and win-back history. */
export async function seedHistory(db: Queryable, input: HistoryInput): Promise<Leaver[]> {
  const rows: HistoryRows = {
    subscribers: [],
    emails: [],
    contracts: [],
    lines: [],
    equipment: [],
    cases: [],
    caseContracts: [],
    returns: [],
    returnItems: [],
    refunds: [],
  };
  const moments = noticeMoments(input.random, input.calendar, input.crowdCasesByWeek);
  const leavers = moments.map((receivedAt, index) =>
    planLeaver(input, rows, input.firstNumber + index, receivedAt),
  );
  await bulkInsert(db, subscribers, rows.subscribers);
  await bulkInsert(db, contracts, rows.contracts);
  await bulkInsert(db, lines, rows.lines);
  await bulkInsert(db, equipment, rows.equipment);
  await bulkInsert(db, cancellationCases, rows.cases);
  await bulkInsert(db, caseContracts, rows.caseContracts);
  await bulkInsert(db, emailMessages, rows.emails);
  await bulkInsert(db, equipmentReturns, rows.returns);
  await bulkInsert(db, returnItems, rows.returnItems);
  await bulkInsert(db, refunds, rows.refunds);
  return leavers;
}

/** One leaver: the subscriber, their contract and equipment, and the case of `receivedAt`. */
function planLeaver(input: HistoryInput, rows: HistoryRows, n: number, receivedAt: Date): Leaver {
  const { operator, calendar, random } = input;
  const { now, timeZone } = calendar;
  const receiptDate = dateInZone(receivedAt, timeZone);
  const place = pickRegion(random, receiptDate, calendar);
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const offer = pickOffer(random, calendar, receiptDate);
  const tenureMonths = pickTenureMonths(random);
  const startDate = addDays(addMonths(receiptDate, -tenureMonths), -random.int(0, 27));
  const joinedAt = new Date(`${startDate}T09:00:00Z`);
  const email = `client${100000 + n}@example.com`;
  const language = random.chance(0.92) ? "fr" : "en";
  const subscriberId = randomUUID();
  rows.subscribers.push({
    id: subscriberId,
    operatorId: operator.id,
    customerNumber: `C-${100000 + n}`,
    firstName,
    lastName,
    nameKey: nameKey(firstName, lastName),
    email,
    phone: `+336${String(30000000 + n)}`,
    addressLine1: `${random.int(1, 120)} ${random.pick(STREETS)}`,
    ...place,
    language,
    createdAt: joinedAt,
    updatedAt: receivedAt,
  });
  const contract: Contract = {
    id: randomUUID(),
    operatorId: operator.id,
    subscriberId,
    contractNumber: `CT-${startDate.slice(0, 4)}-${300000 + n}`,
    externalId: null,
    offerName: offer.offerName,
    category: offer.category,
    jurisdiction: operator.jurisdiction,
    monthlyPriceCents: offer.monthlyPriceCents,
    currency: "EUR",
    startDate,
    commitmentMonths: offer.commitmentMonths,
    tacitlyRenewed: offer.commitmentMonths > 0 && tenureMonths >= offer.commitmentMonths,
    subsidisedDeviceValueCents: 0,
    depositCents: 0,
    prepaidThrough: null,
    creditBalanceCents: 0,
    withdrawalPeriodEnds: null,
    status: "active",
    createdAt: joinedAt,
    updatedAt: receivedAt,
  };
  const lineNumbers =
    offer.category === "mobile"
      ? [`+337${String(30000000 + n)}`]
      : offer.category === "bundle"
        ? [`+339${String(30000000 + n)}`]
        : [];
  const deposit = offer.category === "internet" && random.chance(0.3) ? 4900 : 0;
  const items: Equipment[] = offer.equipment.map((item, k) => ({
    id: randomUUID(),
    contractId: contract.id,
    externalId: null,
    kind: item.kind,
    model: item.model,
    serial: `SH${String(n).padStart(6, "0")}${k}`,
    mustReturn: item.kind !== "sim",
    nonReturnChargeCents: MODEL_CHARGES[item.model] ?? 0,
    depositCents: item.kind === "box" ? deposit : 0,
    currency: "EUR",
    createdAt: joinedAt,
  }));

  // The case, as the journey creates it (`insertCase`): the summary the subscriber saw.
  const endDate = addDays(receiptDate, random.chance(0.8) ? 10 : random.int(11, 40));
  const summary = {
    ...summariseCancellation({
      pack: packFor(operator.jurisdiction),
      policy: policyOf(operator),
      receivedAt,
      contracts: [toContractToCancel(contract, lineNumbers, items)],
      endDate: { kind: "date", date: endDate },
      legitimateReason: false,
    }),
    endDate,
  };
  // The hourly job makes a case effective just after midnight on its end date.
  const effectiveAt = new Date(
    zonedTime(endDate, 0, 5, timeZone).getTime() + random.int(0, 300) * 1000,
  );
  const ended = effectiveAt < now;
  const caseId = randomUUID();
  const reference = makeReference("RX");
  const idempotencyKey = `seed-${randomUUID()}`;
  const { hash } = input.linkSecret
    ? deriveCaseToken(input.linkSecret, idempotencyKey)
    : newToken();
  const subscriber: Actor = { type: "subscriber", id: subscriberId };
  input.audit.addForCase(caseId, {
    type: "case.notified",
    actor: subscriber,
    occurredAt: receivedAt,
    data: {
      reference,
      receivedAt: receivedAt.toISOString(),
      contractIds: [contract.id],
      effectiveEndDate: endDate,
      terminationType: "ordinary",
      feeTotalCents: summary.feeTotalCents,
    },
  });
  planAcknowledgment(input, rows, { caseId, n, receivedAt, email, language });
  const settledAt = planReturnPlan(input, rows, {
    caseId,
    subscriber,
    receivedAt,
    effectiveAt,
    summary,
  });

  // Open cases: the operator confirms about half of them within a day (like the factories,
  // the history's ended cases skip that step).
  const confirmedAt = new Date(receivedAt.getTime() + random.int(60, 24 * 60) * MINUTE);
  const confirmed = !ended && random.chance(0.55) && confirmedAt < now;
  if (confirmed)
    input.audit.addForCase(caseId, {
      type: "case.confirmed",
      actor: SYSTEM,
      occurredAt: confirmedAt,
      data: { reference },
    });
  if (ended)
    input.audit.addForCase(caseId, {
      type: "case.effective",
      actor: SYSTEM,
      occurredAt: effectiveAt,
      data: { reference, effectiveEndDate: endDate },
    });
  // Closed a few days after everything is settled (equipment back, deposit paid).
  const closedAt =
    ended && settledAt
      ? workingMoment(
          random,
          new Date(Math.max(settledAt.getTime(), effectiveAt.getTime()) + random.int(1, 4) * DAY),
          timeZone,
        )
      : null;
  const closed = closedAt !== null && closedAt < now;
  if (closed)
    input.audit.addForCase(caseId, {
      type: "case.closed",
      actor: SYSTEM,
      occurredAt: closedAt,
      data: { reference },
    });
  const status: CaseStatus = closed
    ? "closed"
    : ended
      ? "effective"
      : confirmed
        ? "confirmed"
        : "received";

  rows.cases.push({
    id: caseId,
    operatorId: operator.id,
    reference,
    subscriberId,
    jurisdiction: contract.jurisdiction,
    language,
    receivedAt,
    requestedEndDate: endDate,
    effectiveEndDate: endDate,
    terminationType: "ordinary",
    feeBreakdown: summary,
    feeTotalCents: summary.feeTotalCents,
    status,
    acknowledgmentEmail: email,
    accessTokenHash: hash,
    idempotencyKey,
    effectiveAt: ended ? effectiveAt : null,
    closedAt: closed ? closedAt : null,
    createdAt: receivedAt,
    updatedAt: closed ? closedAt : ended ? effectiveAt : receivedAt,
  });
  rows.contracts.push({ ...contract, status: ended ? "terminated" : "cancellation_pending" });
  for (const phoneNumber of lineNumbers)
    rows.lines.push({ operatorId: operator.id, contractId: contract.id, phoneNumber });
  rows.equipment.push(...items);
  rows.caseContracts.push({ caseId, contractId: contract.id, open: !ended });
  return {
    caseId,
    subscriberId,
    receivedAt,
    caseStatus: status,
    region: place.region,
    category: offer.category,
    firstStart: startDate,
    revenueCents: offer.monthlyPriceCents,
  };
}

/**
 * How long after the notify click the demo's acknowledgment emails reached the mail server:
 * 0.6 to 3.8 s, and one in 97 waited for an SMTP retry (20 to 90 s). Derived from the
 * subscriber's number, not drawn from the seeded random sequence, so that adding it left every
 * other figure of the demo unchanged.
 */
export function acknowledgmentDelayMs(n: number): number {
  const spread = (n * 7_919) % 1_000;
  return n % 97 === 0 ? 20_000 + spread * 70 : 600 + spread * 3.2;
}

/** The acknowledgment email, sent as the job sends it: the row and its `email.attempted` event. */
function planAcknowledgment(
  input: HistoryInput,
  rows: HistoryRows,
  ack: { caseId: string; n: number; receivedAt: Date; email: string; language: "fr" | "en" },
) {
  const emailId = randomUUID();
  const delayMs = acknowledgmentDelayMs(ack.n);
  const sentAt = new Date(ack.receivedAt.getTime() + delayMs);
  const smtpMessageId = `<${emailId}@nebula-telecom.example>`;
  // The slow ones: the first attempt timed out, the job retried.
  const retried = delayMs > 10_000;
  if (retried)
    input.audit.addForCase(ack.caseId, {
      type: "email.attempted",
      actor: SYSTEM,
      occurredAt: new Date(ack.receivedAt.getTime() + 1_500),
      data: {
        emailId,
        kind: "acknowledgment",
        attempt: 1,
        outcome: "failed",
        errorCode: "ETIMEDOUT",
      },
    });
  rows.emails.push({
    id: emailId,
    caseId: ack.caseId,
    kind: "acknowledgment",
    toAddress: ack.email,
    language: ack.language,
    status: "sent",
    attempts: retried ? 2 : 1,
    smtpMessageId,
    sentAt,
    createdAt: ack.receivedAt,
  });
  input.audit.addForCase(ack.caseId, {
    type: "email.attempted",
    actor: SYSTEM,
    occurredAt: sentAt,
    data: {
      emailId,
      kind: "acknowledgment",
      attempt: retried ? 2 : 1,
      outcome: "sent",
      smtpMessageId,
    },
  });
}

/**
 * The case's return plan (`createReturnPlan`) and what became of it: the equipment comes back
 * around the end date (always before the deadline in this history), the warehouse inspects it,
 * the deposit is paid a few days later. Returns when everything was settled, or null.
 */
function planReturnPlan(
  input: HistoryInput,
  rows: HistoryRows,
  plan: {
    caseId: string;
    subscriber: Actor;
    receivedAt: Date;
    effectiveAt: Date;
    summary: CancellationSummary;
  },
): Date | null {
  const { calendar, random, audit, staff, operator } = input;
  const { now, timeZone } = calendar;
  const { caseId, subscriber, receivedAt, summary } = plan;
  let backAt: Date | null = null;
  if (summary.returnItems.length > 0 && summary.returnDeadline !== null) {
    const returnId = randomUUID();
    const returnNumber = makeReference("RT");
    audit.addForCase(caseId, {
      type: "return.created",
      actor: subscriber,
      occurredAt: receivedAt,
      data: {
        returnNumber,
        equipmentIds: summary.returnItems.map((item) => item.id),
        deadline: summary.returnDeadline,
      },
    });
    // Sent back after the end date, received at the warehouse within the deadline.
    const candidate = workingMoment(
      random,
      new Date(plan.effectiveAt.getTime() + random.int(0, 18) * DAY),
      timeZone,
    );
    backAt = candidate < now ? candidate : null;
    const method = random.pick(operator.returnMethods);
    const receptionId = backAt ? randomUUID() : null;
    rows.returns.push({
      id: returnId,
      caseId,
      returnNumber,
      deadline: summary.returnDeadline,
      status: backAt ? "inspected" : "awaiting_shipment",
      method: backAt ? method : null,
      receivedAt: backAt,
      createdAt: receivedAt,
      updatedAt: backAt ?? receivedAt,
    });
    for (const item of summary.returnItems)
      rows.returnItems.push({
        returnId,
        equipmentId: item.id,
        nonReturnChargeCents: item.nonReturnChargeCents,
        condition: backAt ? "ok" : null,
        receivedAt: backAt,
        receptionId,
      });
    if (backAt && receptionId) {
      const warehouse: Actor = { type: "staff", id: random.pick(staff.warehouse) };
      audit.addForCase(caseId, {
        type: "return.items_received",
        actor: warehouse,
        occurredAt: backAt,
        data: {
          returnNumber,
          receptionId,
          items: summary.returnItems.map((item) => ({ equipmentId: item.id, condition: "ok" })),
        },
      });
      audit.addForCase(caseId, {
        type: "return.updated",
        actor: warehouse,
        occurredAt: backAt,
        data: { returnNumber, status: "inspected", method },
      });
    }
  }

  // Settled when the equipment is back (nothing to send back: on the end date) and every
  // refund is paid.
  const expectsEquipment = summary.returnItems.length > 0;
  let settled = !expectsEquipment || backAt !== null;
  let settledAt = backAt ?? plan.effectiveAt;
  for (const refund of summary.refunds) {
    if (refund.amountCents <= 0) continue;
    const refundId = randomUUID();
    const base = { refundId, kind: refund.kind, amountCents: refund.amountCents };
    audit.addForCase(caseId, {
      type: "refund.updated",
      actor: subscriber,
      occurredAt: receivedAt,
      data: { ...base, status: "scheduled" },
    });
    // Deposits are the history's only refunds: their clock starts when the equipment is back.
    const backOn = backAt ? dateInZone(backAt, timeZone) : null;
    const legalDueDate = backOn
      ? packFor(operator.jurisdiction).refundDueDate(refund.kind, backOn)
      : null;
    const issuedAt = backOn
      ? workingMoment(random, new Date(`${addDays(backOn, random.int(2, 8))}T07:00:00Z`), timeZone)
      : null;
    const issued = issuedAt !== null && issuedAt < now;
    rows.refunds.push({
      id: refundId,
      caseId,
      kind: refund.kind,
      amountCents: refund.amountCents,
      status: issued ? "issued" : backOn ? "due" : "scheduled",
      clockStartedOn: backOn,
      legalDueDate,
      paymentReference: issued ? `VIR-${refundId.slice(0, 8).toUpperCase()}` : null,
      issuedAt: issued ? issuedAt : null,
      createdAt: receivedAt,
      updatedAt: issued ? issuedAt : (backAt ?? receivedAt),
    });
    if (backAt && legalDueDate)
      audit.addForCase(caseId, {
        type: "refund.updated",
        actor: SYSTEM,
        occurredAt: new Date(backAt.getTime() + MINUTE),
        data: { ...base, status: "due", legalDueDate },
      });
    if (!issued || !legalDueDate) {
      settled = false;
      continue;
    }
    audit.addForCase(caseId, {
      type: "refund.updated",
      actor: { type: "staff", id: random.pick(staff.refunds) },
      occurredAt: issuedAt,
      data: { ...base, status: "issued", legalDueDate },
    });
    if (issuedAt > settledAt) settledAt = issuedAt;
  }
  return settled ? settledAt : null;
}
