import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAllStreams } from "../../app/audit/verify-chain.server";
import { verifyPassword } from "../../app/auth/password.server";
import { analyticsPeriod } from "../../app/domain/analytics";
import { addDays } from "../../app/domain/dates";
import { CASE_STATUSES, OPEN_WINBACK_STATUSES } from "../../app/domain/enums";
import {
  contactWindowState,
  itemDeadline,
  REAL_TIME_CHANNELS,
} from "../../app/domain/winback-policy";
import { DEFAULT_ROUTING } from "../../app/domain/winback-routing";
import { lastAnalyticsRefresh } from "../../app/services/analytics/load-analytics-dashboard.server";
import { ensureTerminationLetter } from "../../app/services/ensure-termination-letter.server";
import { findCaseLink, loadCaseByToken } from "../../app/services/load-subscriber-case.server";
import { loadWinbackSettings } from "../../app/services/winback/settings.server";
import { DEMO_STAFF, DEMO_STAFF_PASSWORD, seedDemoData, truncateAppTables } from "../../db/seed";
import { storyCalendar } from "../../db/seed-story";
import {
  auditEvents,
  cancellationCases,
  contactAttempts,
  contracts,
  equipment,
  equipmentReturns,
  lines,
  operators,
  refunds,
  staffUsers,
  subscribers,
  surveyResponses,
  unmatchedNotices,
  winbackItems,
} from "../../db/schema";
import { createDatabaseClient, type DatabaseClient, type Db } from "../../db/client";
import { setupOwnDatabase } from "../setup/test-db";

// One database for the file, seeded by the first test and read by the others: a full seed
// (a year of history) takes a while, and every test reads the same demo data.
const database = setupOwnDatabase("seed", { from: "migrated" });
let client: DatabaseClient;
let db: Db;
beforeAll(() => {
  client = createDatabaseClient(database.url(), { max: 8 });
  db = client.db;
});
afterAll(async () => {
  await client.close();
});
const NOW = new Date("2026-11-23T09:30:00Z");
const SECRET = "seed-link-secret-0123456789-abcdefgh";

async function counts() {
  const tables = {
    subscribers,
    contracts,
    cancellationCases,
    surveyResponses,
    staffUsers,
    unmatchedNotices,
    winbackItems,
    contactAttempts,
    auditEvents,
  };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables))
    result[name] = (await db.select({ n: count() }).from(table))[0]!.n;
  // The same story each time, not only the same sizes.
  const reasons = await db
    .select({ reason: surveyResponses.reason, n: count() })
    .from(surveyResponses)
    .groupBy(surveyResponses.reason)
    .orderBy(surveyResponses.reason);
  for (const row of reasons) result[`reason:${row.reason}`] = row.n;
  const statuses = await db
    .select({ status: winbackItems.status, n: count() })
    .from(winbackItems)
    .groupBy(winbackItems.status)
    .orderBy(winbackItems.status);
  for (const row of statuses) result[`item:${row.status}`] = row.n;
  return result;
}

/** Answers, per week of answering (Monday, Europe/Paris), of the cases not withdrawn. */
async function answersByWeek(where = sql`true`) {
  const rows = await db.execute<{ week: string; reason: string; n: number }>(sql`
    select to_char(date_trunc('week', s.created_at at time zone 'Europe/Paris'), 'YYYY-MM-DD') as week,
      s.reason, count(*)::int as n
    from survey_response s
    join cancellation_case c on c.id = s.case_id
    join subscriber sub on sub.id = c.subscriber_id
    where c.status <> 'withdrawn' and ${where}
    group by 1, 2
  `);
  return rows;
}

/** The share of `reasons` among the answers matching `where`. */
async function shareOf(reasons: string[], where: ReturnType<typeof sql>) {
  const rows = await answersByWeek(where);
  const total = rows.reduce((sum, row) => sum + row.n, 0);
  const hits = rows.filter((row) => reasons.includes(row.reason));
  return hits.reduce((sum, row) => sum + row.n, 0) / total;
}

async function fixedSubscriber(customerNumber: string) {
  const [subscriber] = await db
    .select()
    .from(subscribers)
    .where(eq(subscribers.customerNumber, customerNumber));
  const rows = await db
    .select()
    .from(contracts)
    .where(eq(contracts.subscriberId, subscriber!.id))
    .orderBy(asc(contracts.contractNumber));
  const contractIds = rows.map((row) => row.id);
  const lineRows = await db.select().from(lines).where(inArray(lines.contractId, contractIds));
  const items = await db.select().from(equipment).where(inArray(equipment.contractId, contractIds));
  return {
    subscriber: subscriber!,
    contracts: rows,
    lines: lineRows.map((line) => line.phoneNumber),
    equipment: items,
  };
}

describe("demo seed", { timeout: 120_000 }, () => {
  it("creates the demo data once, and a second run is a no-op", async () => {
    const first = await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    expect(first.created).toBe(true);
    const before = await counts();
    expect(before.subscribers).toBe(first.subscribers);
    expect(before.subscribers).toBeGreaterThan(3000);
    expect(before.cancellationCases).toBe(first.cases);
    expect(before.staffUsers).toBe(12);
    expect(before.surveyResponses).toBe(first.surveyAnswers);
    expect(before.winbackItems).toBe(first.winbackItems);
    const second = await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(before);

    // Re-seeding (what `npm run db:seed` does) gives the same data again.
    await truncateAppTables(db);
    await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    expect(await counts()).toEqual(before);
  });

  it("contains the three demo subscribers exactly as SPEC.md lists them, cases in every state, and valid chains", async () => {
    await seedDemoData(db, { now: NOW, linkSecret: SECRET });

    const camille = await fixedSubscriber("C-100001");
    expect(camille.subscriber).toMatchObject({
      firstName: "Camille",
      lastName: "Martin",
      email: "camille.martin@example.com",
    });
    expect(camille.contracts).toHaveLength(1);
    expect(camille.contracts[0]).toMatchObject({
      offerName: "Fibre 1 Gb/s + TV",
      commitmentMonths: 24,
      startDate: "2026-03-23",
      status: "active",
    });
    expect(camille.lines).toEqual(["+33123456789"]);
    expect(
      camille.equipment
        .filter((item) => item.mustReturn)
        .map((item) => item.kind)
        .sort(),
    ).toEqual(["box", "tv_decoder"]);

    const lucas = await fixedSubscriber("C-100002");
    expect(lucas.subscriber).toMatchObject({
      firstName: "Lucas",
      lastName: "Bernard",
      email: "lucas.bernard@example.com",
    });
    expect(lucas.contracts[0]).toMatchObject({
      commitmentMonths: 24,
      startDate: "2025-05-23",
      category: "mobile",
    });
    expect(lucas.contracts[0]!.subsidisedDeviceValueCents).toBeGreaterThan(0);
    expect(lucas.lines).toEqual(["+33612345678"]);
    expect(lucas.equipment.map((item) => [item.kind, item.mustReturn])).toEqual([["sim", false]]);

    const ines = await fixedSubscriber("C-100003");
    expect(ines.subscriber).toMatchObject({
      firstName: "Inès",
      lastName: "Petit",
      email: "ines.petit@example.com",
    });
    expect(ines.contracts.map((contract) => contract.category).sort()).toEqual([
      "internet",
      "mobile",
    ]);
    const fibre = ines.contracts.find((contract) => contract.category === "internet")!;
    expect(fibre.commitmentMonths === 0 || fibre.tacitlyRenewed).toBe(true);
    expect(ines.equipment.find((item) => item.kind === "box")).toMatchObject({
      depositCents: 4900,
      mustReturn: true,
    });
    expect(ines.lines).toEqual(["+33798765432"]);

    // None of them has a case yet: the journey can be demonstrated with each.
    const open = await db
      .select({ n: count() })
      .from(cancellationCases)
      .where(
        inArray(cancellationCases.subscriberId, [
          camille.subscriber.id,
          lucas.subscriber.id,
          ines.subscriber.id,
        ]),
      );
    expect(open[0]!.n).toBe(0);

    const statuses = await db
      .selectDistinct({ status: cancellationCases.status })
      .from(cancellationCases);
    expect(statuses.map((row) => row.status).sort()).toEqual([...CASE_STATUSES].sort());

    // Every hash chain verifies: the crowd's (recordEvent) and the history's (batched).
    const chains = await verifyAllStreams(db);
    expect(chains.broken).toEqual([]);
    expect(chains.streams).toBeGreaterThan(3000);

    const [admin] = await db
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.email, "admin@example.com"));
    expect(admin!.role).toBe("admin");
    expect(await verifyPassword(admin!.passwordHash, DEMO_STAFF_PASSWORD)).toBe(true);
    expect(DEMO_STAFF.map((staff) => staff.email)).toEqual(
      expect.arrayContaining([
        "agent@example.com",
        "ops@example.com",
        "compliance@example.com",
        "admin@example.com",
      ]),
    );
  });

  it("tells a year's story on the analytics dashboard", async () => {
    await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    const story = storyCalendar(NOW);
    const period = analyticsPeriod(52, NOW);

    // The dashboard has figures before the refresh job's first run.
    expect(await lastAnalyticsRefresh(db)).not.toBeNull();
    const [rollup] = await db.execute<{ answers: number }>(
      sql`select coalesce(sum(answers), 0)::int as answers from survey_weekly_rollup`,
    );
    const all = await answersByWeek();
    const answers = all.reduce((sum, row) => sum + row.n, 0);
    expect(rollup!.answers).toBe(answers);

    // Answers in each of the 52 weeks, the current one included.
    const weeks = new Set(all.filter((row) => row.week >= period.from).map((row) => row.week));
    expect(weeks.size).toBe(52);
    expect(weeks.has(period.to)).toBe(true);

    // About two in three answer; about a third of them agree to be contacted.
    const [rates] = await db.execute<{ cases: number; answered: number; consent: number }>(sql`
      select count(*)::int as cases, count(s.id)::int as answered,
        count(*) filter (where s.contact_consent)::int as consent
      from cancellation_case c left join survey_response s on s.case_id = c.id
      where c.status <> 'withdrawn'
    `);
    expect(rates!.answered / rates!.cases).toBeGreaterThan(0.6);
    expect(rates!.answered / rates!.cases).toBeLessThan(0.7);
    expect(rates!.consent / rates!.answered).toBeGreaterThan(0.3);
    expect(rates!.consent / rates!.answered).toBeLessThan(0.4);

    const answeredIn = (from: string, days: number) =>
      sql`(s.created_at at time zone 'Europe/Paris')::date >= ${from}::date
        and (s.created_at at time zone 'Europe/Paris')::date < ${from}::date + ${days}::int`;
    const priceAndCompetitor = ["price", "competitor"];
    // The competitor's spring promotion: price and competitor reasons rise after it.
    expect(await shareOf(priceAndCompetitor, answeredIn(story.promoStart, 84))).toBeGreaterThan(
      (await shareOf(priceAndCompetitor, answeredIn(addDays(story.promoStart, -84), 84))) + 0.08,
    );
    // Two bad weeks of outages; the storm hits the west.
    const outagesAllYear = await shareOf(["outages"], sql`true`);
    expect(await shareOf(["outages"], answeredIn(story.incidentWeek, 7))).toBeGreaterThan(
      2.5 * outagesAllYear,
    );
    expect(
      await shareOf(
        ["outages"],
        sql`${answeredIn(story.stormWeek, 7)} and sub.region in ('Bretagne', 'Pays de la Loire', 'Normandie')`,
      ),
    ).toBeGreaterThan(0.3);
    // Moving peaks in summer.
    const summer = sql`extract(month from s.created_at at time zone 'Europe/Paris') in (7, 8)`;
    expect(await shareOf(["moving"], summer)).toBeGreaterThan(
      1.5 * (await shareOf(["moving"], sql`not (${summer})`)),
    );
    // The billing trouble of the last six weeks: complaints about customer service.
    expect(
      await shareOf(["customer_service"], answeredIn(story.billingTroubleFrom, 42)),
    ).toBeGreaterThan(1.5 * (await shareOf(["customer_service"], answeredIn(period.from, 240))));
    // Short tenure leaves for price, long tenure for moving or no longer needed.
    const tenure = sql`(select min(k.start_date) from case_contract cc join contract k on k.id = cc.contract_id where cc.case_id = c.id)`;
    const monthsIn = sql`(extract(year from age((c.received_at at time zone 'Europe/Paris')::date, ${tenure})) * 12
      + extract(month from age((c.received_at at time zone 'Europe/Paris')::date, ${tenure})))`;
    const short = sql`${monthsIn} < 12`;
    const long = sql`${monthsIn} >= 36`;
    expect(await shareOf(priceAndCompetitor, short)).toBeGreaterThan(
      (await shareOf(priceAndCompetitor, long)) + 0.1,
    );
    expect(await shareOf(["moving", "no_longer_needed"], long)).toBeGreaterThan(
      (await shareOf(["moving", "no_longer_needed"], short)) + 0.1,
    );
    // Regions differ: competition in Île-de-France, slow lines in Occitanie.
    expect(await shareOf(["competitor"], sql`sub.region = 'Île-de-France'`)).toBeGreaterThan(
      1.2 * (await shareOf(["competitor"], sql`sub.region <> 'Île-de-France'`)),
    );
    expect(await shareOf(["speed"], sql`sub.region = 'Occitanie'`)).toBeGreaterThan(
      1.2 * (await shareOf(["speed"], sql`sub.region <> 'Occitanie'`)),
    );
  });

  it("leaves a year of win-back work within the policy, and a queue that keeps up today", async () => {
    await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    const [operator] = await db.select().from(operators);
    const settings = await loadWinbackSettings(db, operator!.id);

    const items = await db
      .select({ item: winbackItems, survey: surveyResponses })
      .from(winbackItems)
      .innerJoin(surveyResponses, eq(surveyResponses.id, winbackItems.surveyResponseId));
    // Every answer with consent and a queue was routed by the operator's rules, and only those.
    const [routable] = await db
      .select({ n: count() })
      .from(surveyResponses)
      .where(
        and(
          eq(surveyResponses.contactConsent, true),
          inArray(
            surveyResponses.reason,
            Object.entries(DEFAULT_ROUTING)
              .filter(([, rule]) => rule.queue !== null)
              .map(([reason]) => reason as keyof typeof DEFAULT_ROUTING),
          ),
        ),
      );
    expect(items).toHaveLength(routable!.n);
    for (const { item, survey } of items) {
      expect(survey.contactConsent).toBe(true);
      expect(item.queue).toBe(DEFAULT_ROUTING[survey.reason].queue);
      expect(item.createdAt.getTime()).toBe(survey.createdAt.getTime());
      expect(item.slaDueAt.getTime()).toBe(
        item.createdAt.getTime() + DEFAULT_ROUTING[survey.reason].slaHours * 3_600_000,
      );
    }

    // Contact attempts within the policy: on the consented channel, at most the limit, calls
    // and texts inside the subscriber's window, never after the item's age limit.
    const byItem = new Map(items.map((row) => [row.item.id, row]));
    const attempts = await db.select().from(contactAttempts);
    const perItem = new Map<string, number>();
    for (const attempt of attempts) {
      const { item, survey } = byItem.get(attempt.winbackItemId)!;
      perItem.set(item.id, (perItem.get(item.id) ?? 0) + 1);
      expect(attempt.channel).toBe(survey.contactChannel);
      expect(attempt.attemptedAt >= item.createdAt).toBe(true);
      expect(attempt.attemptedAt < itemDeadline(item.createdAt, settings)).toBe(true);
      expect(attempt.attemptedAt <= NOW).toBe(true);
      if (REAL_TIME_CHANNELS.includes(attempt.channel))
        expect(
          contactWindowState(survey.contactWindow!, attempt.attemptedAt, settings.timeZone).open,
        ).toBe(true);
    }
    expect(Math.max(...perItem.values())).toBeLessThanOrEqual(settings.maxAttempts);

    // Outcomes: won back with an offer from the catalogue, declined, no answer, expired after
    // the policy's days, a few "do not contact".
    const closed = items.filter(({ item }) => item.closedAt !== null);
    const won = closed.filter(({ item }) => item.status === "won_back");
    expect(won.length / closed.length).toBeGreaterThan(0.2);
    expect(won.length / closed.length).toBeLessThan(0.3);
    expect(won.every(({ item }) => item.offerId !== null)).toBe(true);
    expect(new Set(won.map(({ item }) => item.offerId)).size).toBeGreaterThanOrEqual(4);
    for (const status of ["declined", "no_answer", "expired", "do_not_contact"] as const)
      expect(closed.filter(({ item }) => item.status === status).length, status).toBeGreaterThan(0);
    for (const { item } of closed.filter(({ item }) => item.status === "expired"))
      expect(item.closedAt! >= itemDeadline(item.createdAt, settings)).toBe(true);
    const stopped = closed.filter(({ item }) => item.status === "do_not_contact");
    const suppressed = await db
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(eq(subscribers.marketingSuppressed, true));
    expect(suppressed.map((row) => row.id).sort()).toEqual(
      stopped.map(({ item }) => item.subscriberId).sort(),
    );
    expect(stopped.every(({ survey }) => survey.consentWithdrawnAt !== null)).toBe(true);
    const withdrawals = await db
      .select({ caseId: auditEvents.caseId })
      .from(auditEvents)
      .where(eq(auditEvents.type, "consent.withdrawn"));
    expect(withdrawals.map((row) => row.caseId).sort()).toEqual(
      stopped.map(({ item }) => item.caseId).sort(),
    );

    // Today: a team that mostly keeps up. The open items are the last few working days'
    // answers, in most queues; roughly one in five is past its SLA, by hours or a day or two (a
    // handful by more); a few are claimed by agent@example.com, several are to be contacted by
    // email, a couple have had a first attempt.
    const open = items.filter(({ item }) =>
      (OPEN_WINBACK_STATUSES as readonly string[]).includes(item.status),
    );
    const DAY = 86_400_000;
    const age = ({ item }: (typeof items)[number]) =>
      (NOW.getTime() - item.createdAt.getTime()) / DAY;
    expect(open.length).toBeGreaterThanOrEqual(8);
    expect(open.length).toBeLessThanOrEqual(40);
    expect(new Set(open.map(({ item }) => item.queue)).size).toBeGreaterThanOrEqual(3);
    expect(open.filter((row) => age(row) <= 7).length / open.length).toBeGreaterThanOrEqual(0.75);
    expect(Math.max(...open.map(age))).toBeLessThan(14);
    const pastSla = open.filter(({ item }) => item.firstContactAt === null && item.slaDueAt < NOW);
    expect(pastSla.length / open.length).toBeGreaterThanOrEqual(0.15);
    expect(pastSla.length / open.length).toBeLessThanOrEqual(0.25);
    const lateBy = ({ item }: (typeof items)[number]) =>
      (NOW.getTime() - item.slaDueAt.getTime()) / DAY;
    expect(pastSla.filter((row) => lateBy(row) > 2).length).toBeLessThanOrEqual(
      Math.ceil(pastSla.length / 2),
    );
    const [alice] = await db
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.email, "agent@example.com"));
    expect(open.filter(({ item }) => item.claimedBy === alice!.id).length).toBeGreaterThanOrEqual(
      3,
    );
    expect(
      open.filter(({ survey }) => survey.contactChannel === "email").length,
    ).toBeGreaterThanOrEqual(3);
    expect(open.filter(({ item }) => perItem.get(item.id) === 1).length).toBeGreaterThanOrEqual(2);
    // (The hourly expiry closes an item within the hour after its deadline.)
    expect(
      open.every(
        ({ item }) => itemDeadline(item.createdAt, settings).getTime() > NOW.getTime() - 3_600_000,
      ),
    ).toBe(true);

    // Claims by the retention agents only.
    const agents = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.role, "agent"));
    const agentIds = new Set(agents.map((row) => row.id));
    expect(
      items
        .filter(({ item }) => item.claimedBy !== null)
        .every(({ item }) => agentIds.has(item.claimedBy!)),
    ).toBe(true);
  });

  it("settles the year's past cases: equipment back, deposits paid, open ones still open", async () => {
    await seedDemoData(db, { now: NOW, linkSecret: SECRET });
    const rows = await db
      .select({ status: cancellationCases.status, returnStatus: equipmentReturns.status })
      .from(cancellationCases)
      .leftJoin(equipmentReturns, eq(equipmentReturns.caseId, cancellationCases.id));
    const closedReturns = rows.filter((row) => row.status === "closed" && row.returnStatus);
    expect(closedReturns.every((row) => row.returnStatus === "inspected")).toBe(true);
    const openReturns = rows.filter(
      (row) => (row.status === "received" || row.status === "confirmed") && row.returnStatus,
    );
    expect(openReturns.length).toBeGreaterThan(0);
    expect(openReturns.every((row) => row.returnStatus === "awaiting_shipment")).toBe(true);
    const deposits = await db
      .select({ status: refunds.status, caseStatus: cancellationCases.status })
      .from(refunds)
      .innerJoin(cancellationCases, eq(cancellationCases.id, refunds.caseId))
      .where(eq(refunds.kind, "deposit"));
    expect(
      deposits.filter((row) => row.caseStatus === "closed").every((row) => row.status === "issued"),
    ).toBe(true);
  });
  it("gives seeded cases links that find-my-case can send back, like real notices", async () => {
    const secret = SECRET;
    await seedDemoData(db, { now: NOW, linkSecret: secret });
    const [seeded] = await db.select().from(cancellationCases).limit(1);
    const token = await findCaseLink(db, secret, {
      reference: seeded!.reference,
      email: seeded!.acknowledgmentEmail,
    });
    expect(token).not.toBeNull();
    expect((await loadCaseByToken(db, token!))?.case.id).toBe(seeded!.id);

    // The year's cases (written set-based) too, and their letter renders from what they hold.
    const [past] = await db
      .select({ case: cancellationCases })
      .from(cancellationCases)
      .innerJoin(subscribers, eq(subscribers.id, cancellationCases.subscriberId))
      .innerJoin(equipmentReturns, eq(equipmentReturns.caseId, cancellationCases.id))
      .where(
        and(
          eq(cancellationCases.status, "closed"),
          sql`${subscribers.customerNumber} > 'C-100200'`,
        ),
      )
      .limit(1);
    const pastToken = await findCaseLink(db, secret, {
      reference: past!.case.reference,
      email: past!.case.acknowledgmentEmail,
    });
    expect((await loadCaseByToken(db, pastToken!))?.case.id).toBe(past!.case.id);
    const letter = await ensureTerminationLetter(db, past!.case.id, "http://localhost");
    expect(letter.kind).toBe("termination_letter");
  });
});
