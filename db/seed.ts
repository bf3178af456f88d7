import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { recordEvent } from "../app/audit/record-event.server";
import { hashPassword } from "../app/auth/password.server";
import { addDays, addMonths, dateInZone, type IsoDate } from "../app/domain/dates";
import {
  CONTACT_CHANNELS,
  CONTACT_WINDOWS,
  EXIT_REASONS,
  type CaseStatus,
} from "../app/domain/enums";
import { makeReference } from "../app/domain/reference";
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
import type { Db } from "./client";
import {
  equipmentModelCharges,
  equipmentReturns,
  offers,
  operators,
  refunds,
  returnItems,
  surveyResponses,
  unmatchedNotices,
  type Contract,
  type Equipment,
  type Operator,
} from "./schema";

// The demo data of SPEC.md: the fictional operator Nébula Télécom SAS, about 200 subscribers
// (three of them fixed, for documentation and tests), a dozen staff, cases in every state and a
// few hundred survey answers, all dated relative to `now`, and the same on every machine.

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

const FIRST_NAMES = [
  "Léa",
  "Hugo",
  "Chloé",
  "Louis",
  "Manon",
  "Gabriel",
  "Emma",
  "Jules",
  "Zoé",
  "Arthur",
  "Jade",
  "Raphaël",
  "Louise",
  "Adam",
  "Alice",
  "Noé",
  "Lina",
  "Théo",
  "Rose",
  "Éloïse",
  "Maël",
  "Anaïs",
  "Sacha",
  "Océane",
  "François",
  "Hélène",
  "Jérôme",
  "Céline",
  "Benoît",
  "Noémie",
];
const LAST_NAMES = [
  "Dubois",
  "Durand",
  "Lefèvre",
  "Moreau",
  "Laurent",
  "Simon",
  "Michel",
  "Garcia",
  "David",
  "Bertrand",
  "Roux",
  "Vincent",
  "Fournier",
  "Morel",
  "Girard",
  "André",
  "Mercier",
  "Dupont",
  "Lambert",
  "Bonnet",
  "François",
  "Martinez",
  "Legrand",
  "Garnier",
  "Faure",
  "Rousseau",
  "Blanc",
  "Guérin",
  "Muller",
  "Henry",
];
const CITIES = [
  { city: "Paris", postalCode: "75011", region: "Île-de-France" },
  { city: "Lyon", postalCode: "69003", region: "Auvergne-Rhône-Alpes" },
  { city: "Marseille", postalCode: "13006", region: "Provence-Alpes-Côte d'Azur" },
  { city: "Toulouse", postalCode: "31000", region: "Occitanie" },
  { city: "Lille", postalCode: "59000", region: "Hauts-de-France" },
  { city: "Nantes", postalCode: "44000", region: "Pays de la Loire" },
  { city: "Strasbourg", postalCode: "67000", region: "Grand Est" },
  { city: "Rennes", postalCode: "35000", region: "Bretagne" },
];
const COMPETITORS = ["Orion Mobile", "Fibra+", "Astra Box", "Comète Télécom"];

interface OfferTemplate {
  offerName: string;
  category: Contract["category"];
  monthlyPriceCents: number;
  commitmentMonths: number;
  equipment: { kind: Equipment["kind"]; model: string }[];
}

const OFFERS: OfferTemplate[] = [
  {
    offerName: "Fibre 1 Gb/s + TV",
    category: "bundle",
    monthlyPriceCents: 4499,
    commitmentMonths: 24,
    equipment: [
      { kind: "box", model: "Nébula Box 8" },
      { kind: "tv_decoder", model: "Nébula TV 4K" },
      { kind: "remote", model: "Télécommande TV 4K" },
    ],
  },
  {
    offerName: "Fibre 500 Mb/s",
    category: "internet",
    monthlyPriceCents: 2999,
    commitmentMonths: 12,
    equipment: [{ kind: "box", model: "Nébula Box 7" }],
  },
  {
    offerName: "ADSL Essentiel",
    category: "internet",
    monthlyPriceCents: 2499,
    commitmentMonths: 0,
    equipment: [
      { kind: "box", model: "Nébula Box 6" },
      { kind: "powerline", model: "Kit CPL Nébula" },
    ],
  },
  {
    offerName: "Mobile 100 Go",
    category: "mobile",
    monthlyPriceCents: 1999,
    commitmentMonths: 0,
    equipment: [{ kind: "sim", model: "Nébula SIM" }],
  },
  {
    offerName: "Mobile 20 Go",
    category: "mobile",
    monthlyPriceCents: 999,
    commitmentMonths: 0,
    equipment: [{ kind: "sim", model: "Nébula SIM" }],
  },
];

/** Non-return charges of the operator's tariff, in cents. */
const MODEL_CHARGES: Record<string, number> = {
  "Nébula Box 8": 15000,
  "Nébula Box 7": 12000,
  "Nébula Box 6": 9000,
  "Nébula TV 4K": 10000,
  "Télécommande TV 4K": 1500,
  "Kit CPL Nébula": 4000,
  "Nébula SIM": 0,
};

export interface SeedResult {
  created: boolean;
  subscribers: number;
  cases: number;
}

async function addEquipment(
  db: Db,
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
}

function caseStatusFor(random: Random, endDate: IsoDate, today: IsoDate): CaseStatus {
  if (endDate < today) return random.chance(0.6) ? "closed" : "effective";
  const roll = random.next();
  return roll < 0.5 ? "received" : roll < 0.85 ? "confirmed" : "withdrawn";
}

async function seedCrowd(
  db: Db,
  operator: Operator,
  now: Date,
  today: IsoDate,
  random: Random,
  linkSecret?: string,
): Promise<number> {
  let cases = 0;
  for (let i = 4; i <= 200; i += 1) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const place = random.pick(CITIES);
    const subscriber = await insertSubscriber(db, {
      operatorId: operator.id,
      customerNumber: `C-${100000 + i}`,
      firstName,
      lastName,
      email: `client${100000 + i}@example.com`,
      phone: `+336${String(20000000 + i * 7919).slice(0, 8)}`,
      addressLine1: `${random.int(1, 120)} rue de la République`,
      ...place,
      language: random.chance(0.9) ? "fr" : "en",
    });
    const contractCount = random.chance(0.45) ? 2 : 1;
    for (let c = 0; c < contractCount; c += 1) {
      const offer = random.pick(OFFERS);
      const startMonthsAgo = random.int(2, 40);
      const contract = await insertContract(db, {
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
      if (offer.category !== "internet") {
        await insertLine(db, {
          operatorId: operator.id,
          contractId: contract.id,
          phoneNumber: `+33${offer.category === "mobile" ? "7" : "1"}${String(10000000 + i * 100 + c).slice(0, 8)}`,
        });
      }
      const deposit = offer.category === "internet" && random.chance(0.3) ? 4900 : 0;
      await addEquipment(db, contract, offer.equipment, deposit);

      // Most of the crowd has already left or is leaving: cases in every state.
      if (!random.chance(0.85)) continue;
      const daysAgo = random.int(0, 150);
      const receivedAt = new Date(
        now.getTime() - daysAgo * 86_400_000 - random.int(0, 86_399) * 1000,
      );
      const endDate = addDays(
        dateInZone(receivedAt, operator.timeZone),
        random.chance(0.8) ? 10 : random.int(11, 40),
      );
      const status = caseStatusFor(random, endDate, today);
      const { case: row } = await insertCase(db, {
        operatorId: operator.id,
        subscriber,
        contracts: [contract],
        receivedAt,
        effectiveEndDate: endDate,
        status,
        linkSecret,
      });
      cases += 1;
      if (status === "effective" || status === "closed")
        await seedReturnProgress(db, row.id, status, now, random);
      if (status !== "withdrawn" && random.chance(0.9)) {
        const consent = random.chance(0.35);
        const reason = random.pick(EXIT_REASONS);
        const [survey] = await db
          .insert(surveyResponses)
          .values({
            caseId: row.id,
            reason,
            competitor:
              reason === "competitor" || reason === "price" ? random.pick(COMPETITORS) : null,
            wouldComeBack: random.int(0, 10),
            contactConsent: consent,
            contactChannel: consent ? random.pick(CONTACT_CHANNELS) : null,
            contactWindow: consent ? random.pick(CONTACT_WINDOWS) : null,
            createdAt: new Date(receivedAt.getTime() + 120_000),
          })
          .returning({ id: surveyResponses.id });
        await recordEvent(db, {
          caseId: row.id,
          type: "survey.answered",
          actor: { type: "subscriber", id: subscriber.id },
          meta: { ip: null, userAgent: null },
          occurredAt: new Date(receivedAt.getTime() + 120_000),
          data: { surveyResponseId: survey!.id, contactConsent: consent },
        });
      }
    }
  }
  return cases;
}

/**
 * Cases past their end date have moved on: closed ones got everything back and their deposit
 * paid; about half of the effective ones got their equipment back (their deposit now due — some
 * of them overdue, for the refunds page), the others are still expected (the hourly deadline job
 * reminds or charges them). Written through the audit trail like real events.
 */
async function seedReturnProgress(
  db: Db,
  caseId: string,
  status: "effective" | "closed",
  now: Date,
  random: Random,
) {
  if (status === "effective" && random.chance(0.5)) return;
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
          random.int(5, 25) * 86_400_000,
        now.getTime() - random.int(1, 12) * 86_400_000,
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
  const issuedAt = new Date(`${addDays(backOn, random.int(2, 9))}T09:00:00Z`);
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
  options: { now?: Date; linkSecret?: string } = {},
): Promise<SeedResult> {
  if (await isSeeded(db)) return { created: false, subscribers: 0, cases: 0 };
  const now = options.now ?? new Date();
  const random = seededRandom(20260601);
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);

  const operator = await insertOperator(db, { slug: "nebula" });
  const today = dateInZone(now, operator.timeZone);
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
  await db.insert(offers).values([
    {
      operatorId: operator.id,
      code: "FIBRE-6M-HALF",
      name: "Fibre à moitié prix 6 mois",
      description: "La fibre 1 Gb/s à -50 % pendant 6 mois, sans engagement.",
    },
    {
      operatorId: operator.id,
      code: "MOBILE-DATA-X2",
      name: "Data doublée",
      description: "Le double de data au même prix pendant 12 mois.",
    },
    {
      operatorId: operator.id,
      code: "TECH-PRIORITY",
      name: "Technicien prioritaire",
      description: "Intervention d'un technicien sous 48 h et un mois offert.",
    },
  ]);
  // One hash per account: the same demo password, never the same hash.
  for (const staff of DEMO_STAFF) {
    await insertStaffUser(db, {
      ...staff,
      passwordHash:
        staff === DEMO_STAFF[0] ? passwordHash : await hashPassword(DEMO_STAFF_PASSWORD),
    });
  }

  await seedFixedSubscribers(db, operator, today);
  const cases = await seedCrowd(db, operator, now, today, random, options.linkSecret);
  await seedNotices(db, operator, now, random);
  await recordEvent(db, {
    stream: "system",
    type: "system.seeded",
    actor: { type: "system", id: null },
    meta: { ip: null, userAgent: null },
    data: { subscribers: 200, cases },
  });
  return { created: true, subscribers: 200, cases };
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
