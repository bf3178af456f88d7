import {
  ANALYTICS_TIME_ZONE,
  analyticsPeriod,
  TENURE_BANDS,
  tenureBandOf,
  type ContractCategory,
  type ExitReason,
} from "../app/domain/analytics";
import { addDays, dateInZone, daysBetween, instantInZone, type IsoDate } from "../app/domain/dates";
import type { CaseStatus, ContactChannel, ContactWindow } from "../app/domain/enums";
import { isContactDay } from "../app/domain/winback-policy";
import type { Random } from "../tests/factories/random";

// The story the demo's retention dashboard tells over its 52 weeks, as weights: what a
// retention manager at a French operator would recognise. Pure; everything is dated relative to
// the seed's `now` (calendar events, e.g. summer moves, fall on the real calendar).
//
//   - A competitor (Orion Mobile) launches a spring promotion on 15 March: price and competitor
//     reasons rise for about three months, mostly on mobile, and stay a little higher after.
//   - Two bad weeks of outages: a national fibre incident 27 weeks ago, and a storm 3 weeks ago
//     that hits Brittany, Pays de la Loire and Normandy.
//   - Moving peaks in July and August; the Christmas fortnight is quiet; January brings the
//     yearly price indexation.
//   - For the last 6 weeks the new billing system has multiplied customer-service complaints.
//     In its first days the retention queues overflowed: items waited, more of them expired.
//     For the last month (every item still open today) the team has kept up again, in office
//     hours, with the apology queue still a day or two behind (db/seed-retention.ts): the
//     queue on first start holds the last few working days' answers, about one in five past
//     its SLA. Before all that, four agents since 20 weeks ago made first contact faster than
//     two did.
//   - Short tenure leaves for price and competitors; long tenure for moving or no longer needed.
//   - Regions differ: competition in Île-de-France, price in Hauts-de-France, slow lines in
//     rural Occitanie and Nouvelle-Aquitaine, outages in the west.

export type Category = ContractCategory;
type Weights<K extends string> = Partial<Record<K, number>>;

const STORY_TIME_ZONE = ANALYTICS_TIME_ZONE;

const COMPETITORS = ["Orion Mobile", "Fibra+", "Astra Box", "Comète Télécom"] as const;
/** The competitor whose spring promotion drives the price and competitor reasons. */
const PROMO_COMPETITOR = "Orion Mobile";

export interface Place {
  city: string;
  postalCode: string;
  region: string;
}

interface RegionProfile extends Place {
  /** Share of the subscribers (roughly the population). */
  weight: number;
  reasons: Weights<ExitReason>;
  /** Hit by the storm's outages. */
  storm?: boolean;
}

const REGIONS: readonly RegionProfile[] = [
  {
    city: "Paris",
    postalCode: "75011",
    region: "Île-de-France",
    weight: 24,
    reasons: { competitor: 1.5, moving: 1.3, speed: 0.7 },
  },
  {
    city: "Lyon",
    postalCode: "69003",
    region: "Auvergne-Rhône-Alpes",
    weight: 13,
    reasons: { competitor: 1.1 },
  },
  {
    city: "Marseille",
    postalCode: "13006",
    region: "Provence-Alpes-Côte d'Azur",
    weight: 9,
    reasons: { moving: 1.3, customer_service: 1.2 },
  },
  {
    city: "Toulouse",
    postalCode: "31000",
    region: "Occitanie",
    weight: 9,
    reasons: { speed: 1.6, outages: 1.2 },
  },
  {
    city: "Lille",
    postalCode: "59000",
    region: "Hauts-de-France",
    weight: 9,
    reasons: { price: 1.5 },
  },
  {
    city: "Nantes",
    postalCode: "44000",
    region: "Pays de la Loire",
    weight: 6,
    reasons: {},
    storm: true,
  },
  {
    city: "Strasbourg",
    postalCode: "67000",
    region: "Grand Est",
    weight: 8,
    reasons: { price: 1.2, speed: 1.2 },
  },
  {
    city: "Rennes",
    postalCode: "35000",
    region: "Bretagne",
    weight: 5,
    reasons: { outages: 1.6, speed: 1.3 },
    storm: true,
  },
  {
    city: "Bordeaux",
    postalCode: "33000",
    region: "Nouvelle-Aquitaine",
    weight: 9,
    reasons: { speed: 1.4 },
  },
  {
    city: "Rouen",
    postalCode: "76000",
    region: "Normandie",
    weight: 5,
    reasons: { outages: 1.3 },
    storm: true,
  },
  {
    city: "Dijon",
    postalCode: "21000",
    region: "Bourgogne-Franche-Comté",
    weight: 4,
    reasons: { no_longer_needed: 1.3 },
  },
];

const BASE_REASONS: Record<ExitReason, number> = {
  price: 15,
  competitor: 8,
  outages: 8,
  speed: 10,
  moving: 16,
  customer_service: 11,
  no_longer_needed: 11,
  other: 5,
};

const CATEGORY_REASONS: Record<Category, Weights<ExitReason>> = {
  mobile: { price: 1.3, competitor: 1.4, outages: 0.4, speed: 0.5, moving: 0.3 },
  internet: { outages: 1.4, speed: 1.7, moving: 1.4 },
  bundle: { moving: 1.4, customer_service: 1.2, price: 1.1 },
  tv: { no_longer_needed: 1.8, price: 1.2, speed: 0.2 },
};

/** By tenure band (0–11, 12–23, 24–35, 36+ months). */
const TENURE_REASONS: readonly Weights<ExitReason>[] = [
  { price: 1.5, competitor: 1.4, moving: 0.6, no_longer_needed: 0.5, customer_service: 1.2 },
  { price: 1.2, competitor: 1.2, no_longer_needed: 0.8 },
  { speed: 1.2, outages: 1.1 },
  { moving: 1.8, no_longer_needed: 2.0, price: 0.6, competitor: 0.6 },
];

/** Share of a subscriber's answers who agree to be contacted, by reason (≈ 35 % overall). */
const CONSENT_BY_REASON: Record<ExitReason, number> = {
  price: 0.42,
  competitor: 0.38,
  outages: 0.36,
  speed: 0.36,
  moving: 0.42,
  customer_service: 0.36,
  no_longer_needed: 0.15,
  other: 0.2,
};

/** Mean "would you come back" score (0–10), by reason. */
const COME_BACK_BY_REASON: Record<ExitReason, number> = {
  price: 6,
  competitor: 5,
  outages: 4,
  speed: 4,
  moving: 7,
  customer_service: 3,
  no_longer_needed: 5,
  other: 5,
};

/** What some subscribers typed in the free-text field (canned, no personal data). */
const DETAILS: Record<ExitReason, readonly string[]> = {
  price: ["Trop cher depuis la hausse de janvier", "Mon offre promo est terminée"],
  competitor: ["Offre à 9,99 € chez la concurrence", "Mon conjoint est chez un autre opérateur"],
  outages: ["Coupures tous les soirs", "Trois jours sans internet après l'orage"],
  speed: ["Débit très faible le soir", "Pas de fibre dans ma rue"],
  moving: ["Je pars à l'étranger", "Le nouveau logement est déjà équipé"],
  customer_service: ["Facture erronée deux mois de suite", "Une heure d'attente au téléphone"],
  no_longer_needed: ["Je n'utilise plus la box", "J'ai pris un forfait professionnel"],
  other: ["Décès du titulaire", "Raisons personnelles"],
};

const offsets = new Map<string, number>();

/**
 * The instant of a wall-clock time (hours 0–1 and 4–23) in a time zone: `instantInZone`, with
 * the zone's offset looked up once per day and half of the night, because the history asks for
 * tens of thousands of them.
 */
export function zonedTime(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  const early = hour < 4;
  const key = `${timeZone}|${date}|${early}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const probe = `${date}T${early ? "01" : "12"}:00`;
    offset = Date.parse(`${probe}:00Z`) - instantInZone(probe, timeZone)!.getTime();
    offsets.set(key, offset);
  }
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour, minute) - offset);
}

/**
 * Soon after `after` in working hours (9:00–18:00 on a working day): within the next hour and a
 * half, or early on the next working day.
 */
export function workingMoment(random: Random, after: Date, timeZone = STORY_TIME_ZONE): Date {
  const day = dateInZone(after, timeZone);
  for (let offset = 0; offset < 14; offset += 1) {
    const candidate = addDays(day, offset);
    if (!isContactDay(candidate)) continue;
    const opening = zonedTime(candidate, 9, 0, timeZone);
    const from = after > opening ? after : opening;
    if (from < zonedTime(candidate, 18, 0, timeZone))
      return new Date(from.getTime() + random.int(5, 90) * 60_000);
  }
  throw new Error("unreachable: there is a working day within two weeks");
}

/**
 * `hours` of working time (9:00–18:00 on working days) after `from`: how long an item waits
 * for an agent when the team works its queue in office hours.
 */
export function afterWorkingHours(from: Date, hours: number, timeZone = STORY_TIME_ZONE): Date {
  let left = hours * 3_600_000;
  let cursor = from;
  const day = dateInZone(from, timeZone);
  for (let offset = 0; offset < 60; offset += 1) {
    const candidate = addDays(day, offset);
    if (!isContactDay(candidate)) continue;
    const opening = zonedTime(candidate, 9, 0, timeZone);
    const closing = zonedTime(candidate, 18, 0, timeZone);
    if (cursor < opening) cursor = opening;
    if (cursor >= closing) continue;
    const available = closing.getTime() - cursor.getTime();
    if (left <= available) return new Date(cursor.getTime() + left);
    left -= available;
  }
  throw new Error("unreachable: sixty days hold enough working hours");
}

export interface StoryCalendar {
  timeZone: string;
  now: Date;
  today: IsoDate;
  /** Monday of the dashboard's first week (52 weeks, the current one included). */
  firstWeek: IsoDate;
  /** Monday of the current week. */
  currentWeek: IsoDate;
  promoStart: IsoDate;
  /** Mondays of the two bad weeks: the national incident, then the storm. */
  incidentWeek: IsoDate;
  stormWeek: IsoDate;
  /** First day of the billing-system trouble (customer-service complaints, overflowing queues). */
  billingTroubleFrom: IsoDate;
  /**
   * Since this day the team keeps up again with the billing trouble's queues: a day more than the
   * policy's 30 days, so that every item the overflow left waiting has expired by now.
   */
  queuesCaughtUpOn: IsoDate;
  /** Since this day four agents work the queues instead of two (faster first contact). */
  teamReinforcedOn: IsoDate;
}

export function storyCalendar(now: Date): StoryCalendar {
  const period = analyticsPeriod(52, now);
  const today = dateInZone(now, STORY_TIME_ZONE);
  const year = Number(today.slice(0, 4));
  const marchThisYear = `${year}-03-15`;
  return {
    timeZone: STORY_TIME_ZONE,
    now,
    today,
    firstWeek: period.from,
    currentWeek: period.to,
    promoStart: marchThisYear <= today ? marchThisYear : `${year - 1}-03-15`,
    incidentWeek: addDays(period.to, -7 * 27),
    stormWeek: addDays(period.to, -7 * 3),
    billingTroubleFrom: addDays(today, -42),
    queuesCaughtUpOn: addDays(today, -31),
    teamReinforcedOn: addDays(period.to, -7 * 20),
  };
}

/** The promotion's pull: full for seven weeks, then fading to 0.3 (the competitor keeps its prices). */
export function promoEffect(calendar: StoryCalendar, date: IsoDate): number {
  const days = daysBetween(calendar.promoStart, date);
  if (days < 0) return 0;
  if (days < 49) return 1;
  if (days < 112) return 1 - (0.7 * (days - 49)) / 63;
  return 0.3;
}

function inWeek(date: IsoDate, monday: IsoDate, weeks = 1): boolean {
  return date >= monday && date < addDays(monday, 7 * weeks);
}

function isSummer(date: IsoDate): boolean {
  const monthDay = date.slice(5);
  return monthDay >= "07-01" && monthDay <= "08-31";
}

function isNearSummer(date: IsoDate): boolean {
  const monthDay = date.slice(5);
  return (monthDay >= "06-15" && monthDay < "07-01") || (monthDay > "08-31" && monthDay <= "09-20");
}

function isChristmas(date: IsoDate): boolean {
  const monthDay = date.slice(5);
  return monthDay >= "12-20" || monthDay <= "01-03";
}

/** Cases a week, before the seasons, the events and some noise (about 80 a week on average). */
const BASE_CASES_PER_WEEK = 70;

export function weeklyCaseTarget(calendar: StoryCalendar, monday: IsoDate): number {
  const mid = addDays(monday, 3);
  let factor = 1;
  if (isSummer(mid)) factor *= 1.25;
  else if (isNearSummer(mid)) factor *= 1.1;
  if (isChristmas(mid)) factor *= 0.6;
  if (mid.slice(5, 7) === "01") factor *= 1.15;
  if (mid.slice(5, 7) === "09") factor *= 1.1;
  factor *= 1 + 0.35 * promoEffect(calendar, mid);
  if (monday === calendar.incidentWeek || monday === calendar.stormWeek) factor *= 1.5;
  if (monday === addDays(calendar.incidentWeek, 7) || monday === addDays(calendar.stormWeek, 7))
    factor *= 1.15;
  if (mid >= calendar.billingTroubleFrom) factor *= 1.15;
  return BASE_CASES_PER_WEEK * factor;
}

function pickWeighted<K extends string>(random: Random, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

export function pickRegion(random: Random, date: IsoDate, calendar: StoryCalendar): Place {
  const storm = inWeek(date, calendar.stormWeek);
  const index = pickWeighted(
    random,
    Object.fromEntries(
      REGIONS.map((region, i) => [String(i), region.weight * (storm && region.storm ? 3 : 1)]),
    ),
  );
  const { city, postalCode, region } = REGIONS[Number(index)]!;
  return { city, postalCode, region };
}

/** Months a leaving subscriber had been with the operator (the first contract's age). */
export function pickTenureMonths(random: Random): number {
  const roll = random.next();
  if (roll < 0.32) return random.int(1, 11);
  if (roll < 0.58) return random.int(12, 23);
  if (roll < 0.75) return random.int(24, 35);
  return random.int(36, 96);
}

/** Weights of the hours 08:00 to 23:00: lunch time and evenings. */
const HOUR_WEIGHTS = [3, 5, 6, 6, 8, 8, 6, 6, 6, 7, 9, 10, 10, 9, 5, 2];

function pickIndex(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [index, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return index;
  }
  return weights.length - 1;
}

/** A moment of a day on which subscribers cancel (evenings and lunch time, in Paris). */
export function momentOn(random: Random, date: IsoDate, timeZone = STORY_TIME_ZONE): Date {
  const hour = 8 + pickIndex(random, HOUR_WEIGHTS);
  const instant = zonedTime(date, hour, random.int(0, 59), timeZone);
  return new Date(instant.getTime() + random.int(0, 59) * 1000);
}

/** A case whose subscriber may answer the exit survey (crowd and history alike). */
export interface Leaver {
  caseId: string;
  subscriberId: string;
  receivedAt: Date;
  caseStatus: CaseStatus;
  region: string | null;
  /** The category of the case's first contract (the one that started first). */
  category: Category;
  /** The start of the case's first contract: the tenure counts from it. */
  firstStart: IsoDate;
  /** Monthly price of the case's contracts together. */
  revenueCents: number;
}

export interface ExitContext {
  /** The receipt date (Europe/Paris). */
  date: IsoDate;
  tenureMonths: number;
  region: string | null;
  category: Category;
}

function reasonWeights(calendar: StoryCalendar, context: ExitContext): Record<ExitReason, number> {
  const weights = { ...BASE_REASONS };
  const scale = (factors: Weights<ExitReason>) => {
    for (const [reason, factor] of Object.entries(factors) as [ExitReason, number][])
      weights[reason] *= factor;
  };
  scale(CATEGORY_REASONS[context.category]);
  scale(TENURE_REASONS[TENURE_BANDS.indexOf(tenureBandOf(context.tenureMonths))]!);
  const region = REGIONS.find((profile) => profile.region === context.region);
  if (region) scale(region.reasons);

  const promo = promoEffect(calendar, context.date);
  const mobileBoost = context.category === "mobile" ? 1.5 : 1;
  scale({ price: 1 + 0.6 * promo * mobileBoost, competitor: 1 + 1.2 * promo * mobileBoost });
  if (context.date.slice(5, 7) === "01") scale({ price: 1.35 });
  if (isSummer(context.date)) scale({ moving: 2.3 });
  else if (isNearSummer(context.date)) scale({ moving: 1.5 });
  const wired = context.category !== "mobile";
  if (inWeek(context.date, calendar.incidentWeek) && wired) scale({ outages: 7, speed: 1.4 });
  if (inWeek(context.date, addDays(calendar.incidentWeek, 7)) && wired) scale({ outages: 2.5 });
  if (inWeek(context.date, calendar.stormWeek, 2) && wired) {
    const hit = region?.storm === true;
    const first = inWeek(context.date, calendar.stormWeek);
    scale({ outages: hit ? (first ? 12 : 4) : first ? 1.6 : 1.2 });
  }
  if (context.date >= calendar.billingTroubleFrom) scale({ customer_service: 2.8 });
  return weights;
}

export interface SurveyDraft {
  reason: ExitReason;
  details: string | null;
  competitor: string | null;
  wouldComeBack: number | null;
  contactConsent: boolean;
  contactChannel: ContactChannel | null;
  contactWindow: ContactWindow | null;
  /** Minutes after the notice (the survey follows the acknowledgment page). */
  minutesAfterNotice: number;
}

/** About two subscribers in three answer the optional survey; slightly fewer in summer. */
export function answersSurvey(random: Random, date: IsoDate): boolean {
  return random.chance(isSummer(date) ? 0.6 : 0.66);
}

export function draftSurveyAnswer(
  random: Random,
  calendar: StoryCalendar,
  context: ExitContext,
): SurveyDraft {
  const reason = pickWeighted(random, reasonWeights(calendar, context));
  const consent = random.chance(CONSENT_BY_REASON[reason]);
  const promo = promoEffect(calendar, context.date);
  const competitor =
    reason === "competitor" || (reason === "price" && random.chance(0.5))
      ? random.chance(0.25 + 0.5 * promo)
        ? PROMO_COMPETITOR
        : random.pick(COMPETITORS)
      : null;
  const score = COME_BACK_BY_REASON[reason] + random.int(-3, 3);
  return {
    reason,
    details: random.chance(0.25) ? random.pick(DETAILS[reason]) : null,
    competitor,
    wouldComeBack: random.chance(0.9) ? Math.min(10, Math.max(0, score)) : null,
    contactConsent: consent,
    contactChannel: consent
      ? pickWeighted<ContactChannel>(random, { phone: 45, email: 35, sms: 20 })
      : null,
    contactWindow: consent
      ? pickWeighted<ContactWindow>(random, { any: 35, evening: 25, morning: 20, afternoon: 20 })
      : null,
    minutesAfterNotice: random.int(1, 8),
  };
}
