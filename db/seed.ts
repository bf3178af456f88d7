import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { takeCheckpoint } from "../app/audit/checkpoints.server";
import { recordEvent } from "../app/audit/record-event.server";
import { createAuditSigner, type AuditSigner } from "../app/audit/signing.server";
import { DEVELOPMENT_SESSION_SECRET } from "../app/config/env.server";
import { hashPassword } from "../app/auth/password.server";
import { weekStart } from "../app/domain/analytics";
import { addDays, addMonths, dateInZone, type IsoDate } from "../app/domain/dates";
import type { CaseStatus } from "../app/domain/enums";
import { makeReference } from "../app/domain/reference";
import { refreshAnalytics } from "../app/services/analytics/refresh-analytics.server";
import { loadRoutingTable, loadWinbackSettings } from "../app/services/winback/settings.server";
import {
  insertCase,
  insertContract,
  insertEquipment,
  insertLine,
  insertOperator,
  insertStaffUser,
  insertSubscriber,
} from "../tests/factories";
import { seededRandom, type Random } from "../tests/factories/random";
import type { Db, Queryable } from "./client";
import {
  equipmentModelCharges,
  equipmentReturns,
  offers,
  operators,
  refunds,
  returnItems,
  unmatchedNotices,
  type Contract,
  type Operator,
} from "./schema";
import { AuditBatch } from "./seed-audit";
import {
  FIRST_NAMES,
  LAST_NAMES,
  MODEL_CHARGES,
  OFFERS,
  WINBACK_OFFERS,
  type OfferTemplate,
  type WinbackOfferCode,
} from "./seed-catalogue";
import { acknowledgmentDelayMs, seedHistory } from "./seed-history";
import { seedRetention } from "./seed-retention";
import {
  pickRegion,
  storyCalendar,
  type Leaver,
  type Place,
  type StoryCalendar,
} from "./seed-story";

// The demo data of SPEC.md: the fictional operator Nébula Télécom SAS, a dozen staff, three
// fixed subscribers (for documentation and tests), a crowd of about 200 subscribers with cases
// in every state (written through the factories, like real notices), and a year of leavers with
// their exit-survey answers and the retention team's work (db/seed-history.ts,
// db/seed-retention.ts, the story in db/seed-story.ts). All dated relative to `now`, and the
// same on every machine.

/** Printed by `npm start`; the demo accounts exist only in demo databases (never seeded into production). */
export const DEMO_STAFF_PASSWORD = "Nebula-demo-2026";

export const DEMO_STAFF = [
  { email: "agent@example.com", displayName: "Alice Agent", role: "agent" },
  { email: "ops@example.com", displayName: "Omar Opérations", role: "operations" },
  { email: "compliance@example.com", displayName: "Claire Conformité", role: "compliance" },
  { email: "admin@example.com", displayName: "Adam Admin", role: "admin" },
  { email: "agent2@example.com", displayName: "Julie Rétention", role: "agent" },
  { email: "agent3@example.com", displayName: "Hugo Rétention", role: "agent" },
  { email: "agent4@example.com", displayName: "Léa Rétention", role: "agent" },
  { email: "ops2@example.com", displayName: "Karim Entrepôt", role: "operations" },
  { email: "ops3@example.com", displayName: "Sophie Remboursements", role: "operations" },
  { email: "ops4@example.com", displayName: "Noah Entrepôt", role: "operations" },
  { email: "compliance2@example.com", displayName: "Emma Audit", role: "compliance" },
  { email: "admin2@example.com", displayName: "Paul Système", role: "admin" },
] as const;

export interface SeedResult {
  created: boolean;
  subscribers: number;
  cases: number;
  surveyAnswers: number;
  winbackItems: number;
}

/**
 * Customer numbers C-100001 to C-100003 are fixed subscribers, C-100004 to C-100200 the crowd's;
 * the year's leavers follow.
 */
const CROWD_SIZE = 200;

async function addEquipment(
  db: Queryable,
  contract: Contract,
  items: OfferTemplate["equipment"],
  depositCents = 0,
) {
  for (const item of items) {
    await insertEquipment(db, {
      contractId: contract.id,
      kind: item.kind,
      model: item.model,
      nonReturnChargeCents: MODEL_CHARGES[item.model] ?? 0,
      depositCents: item.kind === "box" ? depositCents : 0,
    });
  }
}

async function seedFixedSubscribers(db: Db, operator: Operator, today: IsoDate) {
  const base = { operatorId: operator.id, country: "FR", language: "fr" as const };

  const camille = await insertSubscriber(db, {
    ...base,
    customerNumber: "C-100001",
    firstName: "Camille",
    lastName: "Martin",
    email: "camille.martin@example.com",
    phone: "+33123456789",
    addressLine1: "8 rue de la Roquette",
    postalCode: "75011",
    city: "Paris",
    region: "Île-de-France",
  });
  const camilleFibre = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: camille.id,
    contractNumber: "CT-2026-000101",
    offerName: "Fibre 1 Gb/s + TV",
    category: "bundle",
    monthlyPriceCents: 4499,
    startDate: addMonths(today, -8),
    commitmentMonths: 24,
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: camilleFibre.id,
    phoneNumber: "+33123456789",
  });
  // A €49 deposit on the box: the refund that comes back once the equipment is back.
  await addEquipment(
    db,
    camilleFibre,
    [
      { kind: "box", model: "Nébula Box 8" },
      { kind: "tv_decoder", model: "Nébula TV 4K" },
    ],
    4900,
  );

  const lucas = await insertSubscriber(db, {
    ...base,
    customerNumber: "C-100002",
    firstName: "Lucas",
    lastName: "Bernard",
    email: "lucas.bernard@example.com",
    phone: "+33612345678",
    addressLine1: "3 place Bellecour",
    postalCode: "69002",
    city: "Lyon",
    region: "Auvergne-Rhône-Alpes",
  });
  const lucasMobile = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: lucas.id,
    contractNumber: "CT-2025-000102",
    offerName: "Mobile 100 Go + smartphone",
    category: "mobile",
    monthlyPriceCents: 3499,
    startDate: addMonths(today, -18),
    commitmentMonths: 24,
    subsidisedDeviceValueCents: 36000,
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: lucasMobile.id,
    phoneNumber: "+33612345678",
  });
  await addEquipment(db, lucasMobile, [{ kind: "sim", model: "Nébula SIM" }]);

  const ines = await insertSubscriber(db, {
    ...base,
    customerNumber: "C-100003",
    firstName: "Inès",
    lastName: "Petit",
    email: "ines.petit@example.com",
    phone: "+33798765432",
    addressLine1: "21 quai de la Fosse",
    postalCode: "44000",
    city: "Nantes",
    region: "Pays de la Loire",
  });
  const inesFibre = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: ines.id,
    contractNumber: "CT-2023-000103",
    offerName: "Fibre 500 Mb/s",
    category: "internet",
    monthlyPriceCents: 2999,
    startDate: addMonths(today, -30),
    commitmentMonths: 12,
    tacitlyRenewed: true,
  });
  await addEquipment(db, inesFibre, [{ kind: "box", model: "Nébula Box 7" }], 4900);
  const inesMobile = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: ines.id,
    contractNumber: "CT-2024-000104",
    offerName: "Mobile 20 Go (SIM seule)",
    category: "mobile",
    monthlyPriceCents: 999,
    startDate: addMonths(today, -14),
    commitmentMonths: 0,
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: inesMobile.id,
    phoneNumber: "+33798765432",
  });
  await addEquipment(db, inesMobile, [{ kind: "sim", model: "Nébula SIM" }]);

  // Beyond France (issue #10): a contract of the Portuguese subsidiary 6 months into a 24-month
  // commitment (the fee is the lower of two caps, Lei 16/2022), a German contract past its
  // minimum term (ends one month after receipt, no fee), and a French contract still inside its
  // 14-day withdrawal period (the EU withdrawal button).
  const ana = await insertSubscriber(db, {
    operatorId: operator.id,
    country: "PT",
    language: "pt",
    customerNumber: "C-600001",
    firstName: "Ana",
    lastName: "Ferreira",
    email: "ana.ferreira@example.com",
    phone: "+351211234567",
    addressLine1: "Rua Augusta 120",
    postalCode: "1100-053",
    city: "Lisboa",
    region: "Lisboa",
  });
  const anaFibre = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: ana.id,
    contractNumber: "PT-2026-000601",
    offerName: "Fibra 500 Mb + TV",
    category: "bundle",
    jurisdiction: "PT",
    monthlyPriceCents: 3499,
    startDate: addMonths(today, -6),
    commitmentMonths: 24,
    // The quantified advantage of the commitment: installation and activation offered.
    subsidisedDeviceValueCents: 30000,
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: anaFibre.id,
    phoneNumber: "+351211234567",
  });
  await addEquipment(
    db,
    anaFibre,
    [
      { kind: "box", model: "Nébula Box 8" },
      { kind: "tv_decoder", model: "Nébula TV 4K" },
    ],
    0,
  );

  const jonas = await insertSubscriber(db, {
    operatorId: operator.id,
    country: "DE",
    language: "de",
    customerNumber: "C-700001",
    firstName: "Jonas",
    lastName: "Becker",
    email: "jonas.becker@example.com",
    phone: "+493012345678",
    addressLine1: "Torstraße 45",
    postalCode: "10119",
    city: "Berlin",
    region: "Berlin",
  });
  const jonasFibre = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: jonas.id,
    contractNumber: "DE-2024-000701",
    offerName: "Glasfaser 250",
    category: "internet",
    jurisdiction: "DE",
    monthlyPriceCents: 3999,
    startDate: addMonths(today, -30),
    commitmentMonths: 24,
    tacitlyRenewed: true,
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: jonasFibre.id,
    phoneNumber: "+493012345678",
  });
  await addEquipment(db, jonasFibre, [{ kind: "box", model: "Nébula Box 8" }], 0);

  const lea = await insertSubscriber(db, {
    ...base,
    customerNumber: "C-800001",
    firstName: "Léa",
    lastName: "Moreau",
    email: "lea.moreau@example.com",
    phone: "+33611223344",
    addressLine1: "5 rue Sainte-Catherine",
    postalCode: "33000",
    city: "Bordeaux",
    region: "Nouvelle-Aquitaine",
  });
  const leaStart = addDays(today, -5);
  const leaMobile = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: lea.id,
    contractNumber: "CT-2026-000801",
    offerName: "Mobile 50 Go",
    category: "mobile",
    monthlyPriceCents: 1499,
    startDate: leaStart,
    commitmentMonths: 12,
    withdrawalPeriodEnds: addDays(leaStart, 14),
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: leaMobile.id,
    phoneNumber: "+33611223344",
  });
  await addEquipment(db, leaMobile, [{ kind: "sim", model: "Nébula SIM" }]);
}

/** The fixed demo subscribers above (README, SPEC "Demo data"). */
export const FIXED_SUBSCRIBERS = 6;

function caseStatusFor(random: Random, endDate: IsoDate, today: IsoDate): CaseStatus {
  if (endDate < today) return random.chance(0.6) ? "closed" : "effective";
  const roll = random.next();
  return roll < 0.5 ? "received" : roll < 0.85 ? "confirmed" : "withdrawn";
}

interface CrowdResult {
  cases: number;
  /** The cases that may get a survey answer, in the crowd's order. */
  leavers: Leaver[];
  /** Cases received per week (Monday, Europe/Paris): the history makes up the rest. */
  casesByWeek: Map<IsoDate, number>;
}

/** The draws behind a case's return progress, made before any write (see seedCrowd). */
interface ProgressDice {
  stillExpected: boolean;
  daysBeforeDeadline: number;
  daysAgo: number;
  issueAfterDays: number;
}

interface CrowdContractPlan {
  offer: OfferTemplate;
  startMonthsAgo: number;
  deposit: number;
  case: { receivedAt: Date; endDate: IsoDate; status: CaseStatus; progress: ProgressDice } | null;
}

interface CrowdSubscriberPlan {
  number: number;
  firstName: string;
  lastName: string;
  place: Place;
  addressLine1: string;
  language: "fr" | "en";
  contracts: CrowdContractPlan[];
}

/** Runs `work` on every item, a few at a time (the database works while Node prepares). */
async function eachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * The crowd: subscribers with one or two contracts, most of them with a case in any state,
 * written through the factories like real notices. Every random draw is made first, in order,
 * so that the writes can run a few at a time and the data stay the same on every machine.
 */
async function seedCrowd(
  db: Db,
  operator: Operator,
  calendar: StoryCalendar,
  random: Random,
  linkSecret?: string,
): Promise<CrowdResult> {
  const { now, today } = calendar;
  const plans: CrowdSubscriberPlan[] = [];
  for (let i = 4; i <= CROWD_SIZE; i += 1) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const place = pickRegion(random, today, calendar);
    const plan: CrowdSubscriberPlan = {
      number: i,
      firstName,
      lastName,
      place,
      addressLine1: `${random.int(1, 120)} rue de la République`,
      language: random.chance(0.9) ? "fr" : "en",
      contracts: [],
    };
    const contractCount = random.chance(0.45) ? 2 : 1;
    for (let c = 0; c < contractCount; c += 1) {
      const offer = random.pick(OFFERS);
      const startMonthsAgo = random.int(2, 40);
      const deposit = offer.category === "internet" && random.chance(0.3) ? 4900 : 0;
      const contract: CrowdContractPlan = { offer, startMonthsAgo, deposit, case: null };
      plan.contracts.push(contract);
      // Most of the crowd has already left or is leaving: cases in every state, received at
      // least a month after the contract started.
      if (!random.chance(0.85)) continue;
      const daysAgo = random.int(0, Math.min(150, (startMonthsAgo - 1) * 30));
      const receivedAt = new Date(
        now.getTime() - daysAgo * 86_400_000 - random.int(0, 86_399) * 1000,
      );
      const endDate = addDays(
        dateInZone(receivedAt, operator.timeZone),
        random.chance(0.8) ? 10 : random.int(11, 40),
      );
      const status = caseStatusFor(random, endDate, today);
      const progress: ProgressDice = {
        stillExpected: random.chance(0.5),
        daysBeforeDeadline: random.int(5, 25),
        daysAgo: random.int(1, 12),
        issueAfterDays: random.int(2, 9),
      };
      contract.case = { receivedAt, endDate, status, progress };
    }
    plans.push(plan);
  }

  const leaversOf: Leaver[][] = plans.map(() => []);
  // One transaction per subscriber: a commit (and its WAL flush) per subscriber, not per row.
  await eachConcurrently(plans, 6, async (plan, index) =>
    db.transaction(async (tx) => {
      const i = plan.number;
      const subscriber = await insertSubscriber(tx, {
        operatorId: operator.id,
        customerNumber: `C-${100000 + i}`,
        firstName: plan.firstName,
        lastName: plan.lastName,
        email: `client${100000 + i}@example.com`,
        phone: `+336${String(20000000 + i * 7919).slice(0, 8)}`,
        addressLine1: plan.addressLine1,
        ...plan.place,
        language: plan.language,
      });
      for (const [c, planned] of plan.contracts.entries()) {
        const { offer, startMonthsAgo } = planned;
        const contract = await insertContract(tx, {
          operatorId: operator.id,
          subscriberId: subscriber.id,
          contractNumber: `CT-${2026 - Math.floor(startMonthsAgo / 12)}-${200000 + i * 10 + c}`,
          offerName: offer.offerName,
          category: offer.category,
          monthlyPriceCents: offer.monthlyPriceCents,
          startDate: addMonths(today, -startMonthsAgo),
          commitmentMonths: offer.commitmentMonths,
          tacitlyRenewed: offer.commitmentMonths > 0 && startMonthsAgo > offer.commitmentMonths,
        });
        if (offer.category === "mobile" || offer.category === "bundle") {
          await insertLine(tx, {
            operatorId: operator.id,
            contractId: contract.id,
            phoneNumber: `+33${offer.category === "mobile" ? "7" : "1"}${String(10000000 + i * 100 + c).slice(0, 8)}`,
          });
        }
        await addEquipment(tx, contract, offer.equipment, planned.deposit);
        if (planned.case === null) continue;
        const { receivedAt, endDate, status, progress } = planned.case;
        const { case: row } = await insertCase(tx, {
          operatorId: operator.id,
          subscriber,
          contracts: [contract],
          receivedAt,
          effectiveEndDate: endDate,
          status,
          linkSecret,
          acknowledgedAfterMs: acknowledgmentDelayMs(i),
        });
        if (status === "effective" || status === "closed")
          await seedReturnProgress(tx, row.id, status, now, progress);
        leaversOf[index]!.push({
          caseId: row.id,
          subscriberId: subscriber.id,
          receivedAt,
          caseStatus: status,
          region: plan.place.region,
          category: offer.category,
          firstStart: contract.startDate,
          revenueCents: offer.monthlyPriceCents,
        });
      }
    }),
  );

  const leavers = leaversOf.flat();
  const casesByWeek = new Map<IsoDate, number>();
  for (const leaver of leavers) {
    const week = weekStart(dateInZone(leaver.receivedAt, calendar.timeZone));
    casesByWeek.set(week, (casesByWeek.get(week) ?? 0) + 1);
  }
  return { cases: leavers.length, leavers, casesByWeek };
}

/**
 * Cases past their end date have moved on: closed ones got everything back and their deposit
 * paid; about half of the effective ones got their equipment back (their deposit now due — some
 * of them overdue, for the refunds page), the others are still expected (the hourly deadline job
 * reminds or charges them). Written through the audit trail like real events.
 */
async function seedReturnProgress(
  db: Queryable,
  caseId: string,
  status: "effective" | "closed",
  now: Date,
  dice: ProgressDice,
) {
  if (status === "effective" && dice.stillExpected) return;
  const [equipmentReturn] = await db
    .select()
    .from(equipmentReturns)
    .where(eq(equipmentReturns.caseId, caseId));
  const system = { type: "system" as const, id: null };
  const meta = { ip: null, userAgent: null };
  const ops = { type: "staff" as const, id: null };
  let backOn: IsoDate | null = null;
  if (equipmentReturn) {
    const receivedAt = new Date(
      Math.min(
        new Date(`${equipmentReturn.deadline}T10:00:00Z`).getTime() -
          dice.daysBeforeDeadline * 86_400_000,
        now.getTime() - dice.daysAgo * 86_400_000,
      ),
    );
    backOn = dateInZone(receivedAt, "Europe/Paris");
    const receptionId = randomUUID();
    const items = await db
      .update(returnItems)
      .set({ condition: "ok", receivedAt, receptionId })
      .where(eq(returnItems.returnId, equipmentReturn.id))
      .returning({ equipmentId: returnItems.equipmentId });
    await db
      .update(equipmentReturns)
      .set({ status: "inspected", method: "relay_point", receivedAt, updatedAt: receivedAt })
      .where(eq(equipmentReturns.id, equipmentReturn.id));
    await recordEvent(db, {
      caseId,
      type: "return.items_received",
      actor: ops,
      meta,
      occurredAt: receivedAt,
      data: {
        returnNumber: equipmentReturn.returnNumber,
        receptionId,
        items: items.map((item) => ({ equipmentId: item.equipmentId, condition: "ok" as const })),
      },
    });
    await recordEvent(db, {
      caseId,
      type: "return.updated",
      actor: ops,
      meta,
      occurredAt: receivedAt,
      data: {
        returnNumber: equipmentReturn.returnNumber,
        status: "inspected",
        method: "relay_point",
      },
    });
  }
  const [deposit] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, caseId), eq(refunds.kind, "deposit")));
  if (!deposit || backOn === null) return;
  const legalDueDate = addDays(backOn, 10);
  const issued = status === "closed";
  // Paid a few days after the equipment came back (and never in the future).
  const issuedAt = new Date(
    Math.min(
      new Date(`${addDays(backOn, dice.issueAfterDays)}T09:00:00Z`).getTime(),
      now.getTime() - 3_600_000,
    ),
  );
  await db
    .update(refunds)
    .set({
      status: issued ? "issued" : "due",
      clockStartedOn: backOn,
      legalDueDate,
      paymentReference: issued ? `VIR-${deposit.id.slice(0, 8).toUpperCase()}` : null,
      issuedAt: issued ? issuedAt : null,
    })
    .where(eq(refunds.id, deposit.id));
  for (const step of issued ? (["due", "issued"] as const) : (["due"] as const))
    await recordEvent(db, {
      caseId,
      type: "refund.updated",
      actor: step === "issued" ? ops : system,
      meta,
      occurredAt: step === "issued" ? issuedAt : new Date(`${backOn}T12:00:00Z`),
      data: {
        refundId: deposit.id,
        kind: "deposit",
        status: step,
        amountCents: deposit.amountCents,
        legalDueDate,
      },
    });
}

async function seedNotices(db: Db, operator: Operator, now: Date, random: Random) {
  const typos = [
    { firstName: "Jean", lastName: "Dupond", reference: "C-10O042" },
    { firstName: "Marie", lastName: "Lefebvre", reference: "CT-2024-00017" },
    { firstName: "Sam", lastName: "Nguyen", reference: "06 99 99 99 99" },
    { firstName: "Yasmine", lastName: "Haddad", reference: "C-999999" },
    { firstName: "Pierre", lastName: "Roussel", reference: "C-1000O7" },
  ];
  for (const [index, typed] of typos.entries()) {
    const receivedAt = new Date(now.getTime() - random.int(1, 96) * 3_600_000);
    const rejected = index >= 3;
    const [notice] = await db
      .insert(unmatchedNotices)
      .values({
        operatorId: operator.id,
        reference: makeReference("NT"),
        receivedAt,
        submitted: typed,
        email: `avis${index + 1}@example.com`,
        language: "fr",
        status: rejected ? "rejected" : "pending",
        rejectionReason: rejected ? "no_contract_found" : null,
        resolvedAt: rejected ? new Date(receivedAt.getTime() + 3_600_000) : null,
        idempotencyKey: `seed-notice-${index}`,
      })
      .returning();
    await recordEvent(db, {
      stream: `notice:${notice!.id}`,
      type: "notice.received",
      actor: { type: "subscriber", id: null },
      meta: { ip: null, userAgent: null },
      occurredAt: receivedAt,
      data: { reference: notice!.reference, receivedAt: receivedAt.toISOString() },
    });
  }
}

export async function isSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(operators).where(eq(operators.slug, "nebula"));
  return (row?.n ?? 0) > 0;
}

/** Creates the demo data in an empty database; does nothing if they are already there. */
export async function seedDemoData(
  db: Db,
  options: {
    now?: Date;
    linkSecret?: string;
    /**
     * `false` leaves out the year of history and the retention team's work (the bulk of the
     * seed): tests that only need the fixed subscribers and the crowd seed in a second.
     */
    history?: boolean;
    /**
     * `false` (with `history: false`) also leaves out the crowd of 200 subscribers: only the
     * fixed demo subscribers, the notices and the staff — for tests that need Camille, Lucas and
     * Inès alone, in a fraction of a second.
     */
    crowd?: boolean;
    /** Signs the first audit checkpoint; default: the key derived from `linkSecret`. */
    signer?: AuditSigner;
  } = {},
): Promise<SeedResult> {
  if (await isSeeded(db))
    return { created: false, subscribers: 0, cases: 0, surveyAnswers: 0, winbackItems: 0 };
  const now = options.now ?? new Date();
  const random = seededRandom(20260601);
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);

  const operator = await insertOperator(db, { slug: "nebula" });
  const calendar = storyCalendar(now);
  await db.insert(equipmentModelCharges).values(
    Object.entries(MODEL_CHARGES).map(([model, chargeCents]) => ({
      operatorId: operator.id,
      model,
      chargeCents,
      kind:
        OFFERS.flatMap((offer) => offer.equipment).find((item) => item.model === model)?.kind ??
        "other",
    })),
  );
  const catalogue = await db
    .insert(offers)
    .values(WINBACK_OFFERS.map((offer) => ({ operatorId: operator.id, ...offer })))
    .returning({ id: offers.id, code: offers.code });
  // One hash per account: the same demo password, never the same hash.
  const staffIds = new Map<string, string>();
  for (const staff of DEMO_STAFF) {
    const row = await insertStaffUser(db, {
      ...staff,
      passwordHash:
        staff === DEMO_STAFF[0] ? passwordHash : await hashPassword(DEMO_STAFF_PASSWORD),
    });
    staffIds.set(staff.email, row.id);
  }
  const staffId = (email: (typeof DEMO_STAFF)[number]["email"]) => staffIds.get(email)!;

  await seedFixedSubscribers(db, operator, calendar.today);
  const crowd: CrowdResult =
    options.crowd === false && options.history === false
      ? { cases: 0, leavers: [], casesByWeek: new Map() }
      : await seedCrowd(db, operator, calendar, random, options.linkSecret);
  await seedNotices(db, operator, now, random);

  // The year of history and the retention team's work: set-based, in one transaction, with
  // their audit events chained in batches (db/seed-audit.ts).
  const history = await (options.history === false
    ? { cases: 0, answers: 0, items: 0 }
    : db.transaction(async (tx) => {
        const audit = new AuditBatch();
        const leavers = await seedHistory(tx, {
          operator,
          calendar,
          random,
          audit,
          staff: {
            warehouse: [staffId("ops2@example.com"), staffId("ops4@example.com")],
            refunds: [staffId("ops3@example.com")],
          },
          crowdCasesByWeek: crowd.casesByWeek,
          firstNumber: CROWD_SIZE + 1,
          linkSecret: options.linkSecret,
        });
        const retention = await seedRetention(tx, {
          operatorId: operator.id,
          calendar,
          random,
          audit,
          routing: await loadRoutingTable(tx, operator.id),
          policy: await loadWinbackSettings(tx, operator.id),
          agents: [
            staffId("agent@example.com"),
            staffId("agent2@example.com"),
            staffId("agent3@example.com"),
            staffId("agent4@example.com"),
          ],
          offers: new Map(catalogue.map((offer) => [offer.code as WinbackOfferCode, offer.id])),
          leavers: [...crowd.leavers, ...leavers],
        });
        await audit.flush(tx);
        return { cases: leavers.length, ...retention };
      }));

  const subscribers =
    FIXED_SUBSCRIBERS +
    (crowd.cases === 0 && options.crowd === false ? 0 : CROWD_SIZE - 3) +
    history.cases;
  const cases = crowd.cases + history.cases;
  await recordEvent(db, {
    stream: "system",
    type: "system.seeded",
    actor: { type: "system", id: null },
    meta: { ip: null, userAgent: null },
    data: { subscribers, cases },
  });
  // The dashboard has figures at once, before the job's first 5-minute run.
  await refreshAnalytics(db);
  // The demo's trail starts signed: a first checkpoint over every chain (decision 009).
  await takeCheckpoint(
    db,
    options.signer ??
      createAuditSigner({ sessionSecret: options.linkSecret ?? DEVELOPMENT_SESSION_SECRET }),
    now,
  );
  return {
    created: true,
    subscribers,
    cases,
    surveyAnswers: history.answers,
    winbackItems: history.items,
  };
}

/** Empties every application table (not pg-boss's) — for `npm run db:seed` and tests. */
export async function truncateAppTables(db: Db): Promise<void> {
  const rows = await db.execute<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  if (rows.length === 0) return;
  const list = rows.map((row) => `"public"."${row.tablename}"`).join(", ");
  await db.execute(sql.raw(`truncate ${list} restart identity cascade`));
}
