import { request as httpRequest } from "node:http";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAllStreams, verifyStream } from "../../app/audit/verify-chain.server";
import { newToken } from "../../app/auth/tokens.server";
import { addDays, dateInZone, instantInZone } from "../../app/domain/dates";
import type { ContactChannel, ContactOutcome } from "../../app/domain/enums";
import { isContactDay } from "../../app/domain/winback-policy";
import { DEFAULT_ROUTING } from "../../app/domain/winback-routing";
import { SurveyAnswerSchema } from "../../app/routes/public/survey-schema";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import {
  claimWinbackItem,
  expireWinbackItems,
  logContactAttempt,
} from "../../app/services/winback/actions.server";
import {
  saveRoutingTable,
  WINBACK_SETTINGS_STREAM,
} from "../../app/services/winback/settings.server";
import { stopContactUrl } from "../../app/services/winback/stop-contact.server";
import { withdrawCancellation } from "../../app/services/withdraw-cancellation.server";
import type { Db } from "../../db/client";
import {
  auditEvents,
  contactAttempts,
  offers,
  operators,
  subscribers,
  surveyResponses,
  winbackItems,
  type Operator,
  type StaffUser,
  type Subscriber,
} from "../../db/schema";
import { loggablePath } from "../../app/config/logger.server";
import {
  insertCase,
  insertContract,
  insertOperator,
  insertStaffUser,
  insertSubscriber,
} from "../factories";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { getPage } from "../setup/staff-http";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

// Issue #7's win-back services against real Postgres: routing a survey answer to a queue, the
// claim race, the retention policy's limits (attempts, window, age), admin's routing rules, and
// — over HTTP against the production build with real SMTP — the retention email and its
// "stop contacting me" link. Every "now" is pinned, in Paris time.
const db = setupTestDatabase();
const jobs = setupAppJobQueue();
const app = setupPortal("winback");

const meta = { ip: "192.0.2.71", userAgent: "vitest winback" };
const PARIS = "Europe/Paris";

// Monday 2 March 2026, 15:00 in Paris (CET): inside the afternoon window.
const MONDAY_15 = new Date("2026-03-02T15:00:00+01:00");
const minutes = (instant: Date, n: number) => new Date(instant.getTime() + n * 60_000);
const hours = (instant: Date, n: number) => minutes(instant, n * 60);
const days = (instant: Date, n: number) => hours(instant, n * 24);

const CONSENT_PHONE_AFTERNOON = {
  contactConsent: "yes",
  contactChannel: "phone",
  contactWindow: "afternoon",
} as const;

/** A subscriber's cancelled contract (Fibre at 39.99 € a month since 2 March 2023). */
async function cancelledCase(
  on: Db,
  input: { operator: Operator; subscriber?: Subscriber; receivedAt?: Date },
) {
  const subscriber =
    input.subscriber ?? (await insertSubscriber(on, { operatorId: input.operator.id }));
  const contract = await insertContract(on, {
    operatorId: input.operator.id,
    subscriberId: subscriber.id,
    startDate: "2023-03-02",
    monthlyPriceCents: 3999,
  });
  const receivedAt = input.receivedAt ?? new Date("2026-03-02T09:00:00+01:00");
  const { case: row } = await insertCase(on, {
    operatorId: input.operator.id,
    subscriber,
    contracts: [contract],
    receivedAt,
    effectiveEndDate: addDays(dateInZone(receivedAt, PARIS), 31),
  });
  return { operator: input.operator, subscriber, caseId: row.id, reference: row.reference };
}
type CaseOf = Awaited<ReturnType<typeof cancelledCase>>;

/** The exit survey, answered as the form posts it. */
function answer(on: Db, c: CaseOf, fields: Record<string, string>, now: Date) {
  return saveSurveyAnswer(on, {
    caseId: c.caseId,
    subscriberId: c.subscriber.id,
    meta,
    now,
    answer: SurveyAnswerSchema.parse(fields),
  });
}

const itemsOf = (on: Db, caseId: string) =>
  on.select().from(winbackItems).where(eq(winbackItems.caseId, caseId));

async function onlyItem(on: Db, caseId: string) {
  const items = await itemsOf(on, caseId);
  expect(items).toHaveLength(1);
  return items[0]!;
}

const agent = (on: Db, displayName: string) =>
  insertStaffUser(on, { passwordHash: "not-used-here", displayName, role: "agent" });

const eventsOf = (on: Db, type: string, caseId: string) =>
  on
    .select({
      data: auditEvents.data,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.type, type), eq(auditEvents.caseId, caseId)))
    .orderBy(asc(auditEvents.seq));

describe("win-back services (pinned time, worker database)", () => {
  let operator: Operator;
  // Every test starts from empty tables: its own operator (Paris, policy 2 attempts / 30 days).
  const setup = async () => {
    operator = await insertOperator(db);
    expect(operator).toMatchObject({
      timeZone: PARIS,
      winbackMaxAttempts: 2,
      winbackMaxAgeDays: 30,
    });
  };
  // Whatever a test did, every hash chain it wrote still verifies.
  afterEach(async () => {
    const all = await verifyAllStreams(db);
    expect(all.broken).toEqual([]);
    expect(all.events).toBeGreaterThan(0);
  });

  describe("routing a survey answer", () => {
    it("queues exactly one item in `offers` for a price answer with consent, with its priority and SLA", async () => {
      await setup();
      const c = await cancelledCase(db, { operator });
      const survey = await answer(
        db,
        c,
        { reason: "price", wouldComeBack: "7", ...CONSENT_PHONE_AFTERNOON },
        MONDAY_15,
      );
      const [all] = await db.select({ n: count() }).from(winbackItems);
      expect(all!.n).toBe(1);
      const item = await onlyItem(db, c.caseId);
      // Priority: 36 months of tenure (30 × 36/60 = 18) + 39.99 € a month (40 × 0.3999 = 16.0)
      // + would come back 7/10 (30 × 0.7 = 21) = 55. SLA of `offers`: 48 hours.
      expect(item).toMatchObject({
        surveyResponseId: survey.id,
        subscriberId: c.subscriber.id,
        queue: "offers",
        status: "new",
        priority: 55,
        slaDueAt: new Date("2026-03-04T15:00:00+01:00"),
        createdAt: MONDAY_15,
        claimedBy: null,
        closedAt: null,
        closeReason: null,
      });
      expect(await eventsOf(db, "winback.item_routed", c.caseId)).toEqual([
        {
          data: {
            itemId: item.id,
            queue: "offers",
            priority: 55,
            slaDueAt: "2026-03-04T14:00:00.000Z",
          },
          actorType: "subscriber",
          actorId: c.subscriber.id,
        },
      ]);
    });

    it("queues nothing without consent (the answer is stored) nor for `no_longer_needed`", async () => {
      await setup();
      const withoutConsent = await cancelledCase(db, { operator });
      const stored = await answer(
        db,
        withoutConsent,
        { reason: "price", wouldComeBack: "9", contactChannel: "", contactWindow: "" },
        MONDAY_15,
      );
      expect(stored).toMatchObject({
        caseId: withoutConsent.caseId,
        reason: "price",
        wouldComeBack: 9,
        contactConsent: false,
        contactChannel: null,
        contactWindow: null,
      });

      const noLongerNeeded = await cancelledCase(db, { operator });
      const consented = await answer(
        db,
        noLongerNeeded,
        { reason: "no_longer_needed", ...CONSENT_PHONE_AFTERNOON },
        MONDAY_15,
      );
      expect(consented).toMatchObject({ reason: "no_longer_needed", contactConsent: true });

      const [items] = await db.select({ n: count() }).from(winbackItems);
      expect(items!.n).toBe(0);
      const [routed] = await db
        .select({ n: count() })
        .from(auditEvents)
        .where(eq(auditEvents.type, "winback.item_routed"));
      expect(routed!.n).toBe(0);
      const [answers] = await db.select({ n: count() }).from(surveyResponses);
      expect(answers!.n).toBe(2);
    });

    it("re-routes the unclaimed item when the survey is answered again, and leaves a claimed one alone", async () => {
      await setup();
      const c = await cancelledCase(db, { operator });
      await answer(db, c, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
      const first = await onlyItem(db, c.caseId);

      const later = hours(MONDAY_15, 1);
      await answer(
        db,
        c,
        { reason: "outages", wouldComeBack: "10", ...CONSENT_PHONE_AFTERNOON },
        later,
      );
      const rerouted = await onlyItem(db, c.caseId);
      // 18 (tenure) + 16 (revenue) + 30 (would surely come back) = 64; outages: 24 hours.
      expect(rerouted).toMatchObject({
        id: first.id,
        queue: "service_recovery",
        priority: 64,
        slaDueAt: hours(later, 24),
        status: "new",
      });

      const ines = await agent(db, "Inès Moreau");
      expect(
        await claimWinbackItem(db, {
          itemId: first.id,
          staffId: ines.id,
          meta,
          now: hours(MONDAY_15, 2),
        }),
      ).toEqual({ ok: true });
      await answer(db, c, { reason: "moving", ...CONSENT_PHONE_AFTERNOON }, hours(MONDAY_15, 3));
      expect(await onlyItem(db, c.caseId)).toMatchObject({
        id: first.id,
        queue: "service_recovery",
        status: "claimed",
        claimedBy: ines.id,
      });
      expect(
        (await eventsOf(db, "winback.item_routed", c.caseId)).map((event) => event.data),
      ).toEqual([
        expect.objectContaining({ itemId: first.id, queue: "offers" }),
        expect.objectContaining({ itemId: first.id, queue: "service_recovery" }),
      ]);
    });
  });

  it("lets exactly one of several agents claiming one item at once win; the others learn who", async () => {
    await setup();
    const c = await cancelledCase(db, { operator });
    await answer(db, c, { reason: "competitor", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
    const item = await onlyItem(db, c.caseId);
    const agents = [
      await agent(db, "Inès Moreau"),
      await agent(db, "Hugo Petit"),
      await agent(db, "Lina Benali"),
    ];

    const results = await Promise.all(
      agents.map((staff) =>
        claimWinbackItem(db, {
          itemId: item.id,
          staffId: staff.id,
          meta,
          now: minutes(MONDAY_15, 5),
        }),
      ),
    );
    const winners = agents.filter((_, index) => results[index]!.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const [index, result] of results.entries()) {
      if (agents[index] === winner) continue;
      expect(result).toEqual({
        ok: false,
        refusal: { code: "already_claimed", by: winner.displayName },
      });
    }
    expect(await onlyItem(db, c.caseId)).toMatchObject({
      status: "claimed",
      claimedBy: winner.id,
      claimedAt: minutes(MONDAY_15, 5),
    });
    expect(await eventsOf(db, "winback.claimed", c.caseId)).toEqual([
      {
        data: { itemId: item.id, action: "claimed" },
        actorType: "staff",
        actorId: winner.id,
      },
    ]);
  });

  describe("the retention policy", () => {
    /** An item with consent, claimed by Inès on Monday 2 March 2026 at 15:05. */
    async function claimedItem(fields: Record<string, string>, createdAt = MONDAY_15) {
      const c = await cancelledCase(db, { operator });
      await answer(db, c, { reason: "price", ...fields }, createdAt);
      const item = await onlyItem(db, c.caseId);
      const ines = await agent(db, "Inès Moreau");
      expect(
        await claimWinbackItem(db, {
          itemId: item.id,
          staffId: ines.id,
          meta,
          now: minutes(createdAt, 5),
        }),
      ).toEqual({ ok: true });
      return { c, item, ines };
    }
    const attempt = (
      ines: StaffUser,
      itemId: string,
      input: { channel: ContactChannel; outcome: ContactOutcome; now: Date },
    ) =>
      logContactAttempt(
        { db, jobs },
        {
          itemId,
          staffId: ines.id,
          channel: input.channel,
          outcome: input.outcome,
          offerId: null,
          note: null,
          meta,
          now: input.now,
        },
      );

    it("closes the item by itself when the second attempt reaches no one, and refuses a third", async () => {
      await setup();
      const { c, item, ines } = await claimedItem(CONSENT_PHONE_AFTERNOON);

      const first = await attempt(ines, item.id, {
        channel: "phone",
        outcome: "no_answer",
        now: minutes(MONDAY_15, 10),
      });
      expect(first).toMatchObject({ ok: true, emailScheduledFor: null, closed: false });
      expect(await onlyItem(db, c.caseId)).toMatchObject({
        status: "contacted",
        firstContactAt: minutes(MONDAY_15, 10),
      });

      const second = await attempt(ines, item.id, {
        channel: "phone",
        outcome: "voicemail",
        now: hours(MONDAY_15, 1),
      });
      expect(second).toMatchObject({ ok: true, closed: true });
      expect(await onlyItem(db, c.caseId)).toMatchObject({
        status: "no_answer",
        closeReason: "attempt_limit",
        closedAt: hours(MONDAY_15, 1),
      });

      const third = await attempt(ines, item.id, {
        channel: "phone",
        outcome: "no_answer",
        now: hours(MONDAY_15, 2),
      });
      expect(third).toEqual({ ok: false, refusal: { code: "attempt_limit", max: 2 } });
      const [attempts] = await db
        .select({ n: count() })
        .from(contactAttempts)
        .where(eq(contactAttempts.winbackItemId, item.id));
      expect(attempts!.n).toBe(2);
      expect(await eventsOf(db, "winback.closed", c.caseId)).toEqual([
        {
          data: {
            itemId: item.id,
            status: "no_answer",
            closeReason: "attempt_limit",
            offerCode: null,
          },
          actorType: "staff",
          actorId: ines.id,
        },
      ]);
    });

    it("refuses a third attempt after a conversation too; the item stays open for its outcome", async () => {
      await setup();
      const { c, item, ines } = await claimedItem(CONSENT_PHONE_AFTERNOON);
      for (const [outcome, at] of [
        ["no_answer", 10],
        ["reached", 60],
      ] as const) {
        expect(
          await attempt(ines, item.id, { channel: "phone", outcome, now: minutes(MONDAY_15, at) }),
        ).toMatchObject({ ok: true, closed: false });
      }
      expect(
        await attempt(ines, item.id, {
          channel: "phone",
          outcome: "reached",
          now: hours(MONDAY_15, 2),
        }),
      ).toEqual({ ok: false, refusal: { code: "attempt_limit", max: 2 } });
      expect(await onlyItem(db, c.caseId)).toMatchObject({ status: "contacted", closedAt: null });
    });

    it("refuses a call outside the subscriber's window with its next opening, skipping a public holiday", async () => {
      await setup();
      const morning = { ...CONSENT_PHONE_AFTERNOON, contactWindow: "morning" };
      const { c, item, ines } = await claimedItem(morning);

      // Saturday 7 March 2026, 11:00 in Paris → Monday 9 March, 10:00.
      const saturday = new Date("2026-03-07T11:00:00+01:00");
      expect(
        await attempt(ines, item.id, { channel: "phone", outcome: "reached", now: saturday }),
      ).toEqual({
        ok: false,
        refusal: {
          code: "outside_window",
          window: "morning",
          nextOpening: new Date("2026-03-09T10:00:00+01:00"),
        },
      });
      // The same Monday at 13:30: the morning is over → Tuesday 10:00.
      expect(
        await attempt(ines, item.id, {
          channel: "phone",
          outcome: "reached",
          now: new Date("2026-03-09T13:30:00+01:00"),
        }),
      ).toMatchObject({
        ok: false,
        refusal: { code: "outside_window", nextOpening: new Date("2026-03-10T10:00:00+01:00") },
      });
      expect(await onlyItem(db, c.caseId)).toMatchObject({ status: "claimed" });
      // At the opening itself, the call is allowed.
      expect(
        await attempt(ines, item.id, {
          channel: "phone",
          outcome: "reached",
          now: new Date("2026-03-09T10:00:00+01:00"),
        }),
      ).toMatchObject({ ok: true });

      // Saturday 4 April 2026 (CEST): Monday the 6th is Easter Monday → Tuesday 7 April, 10:00.
      const easter = await claimedItem(morning, new Date("2026-04-01T15:00:00+02:00"));
      expect(
        await attempt(easter.ines, easter.item.id, {
          channel: "phone",
          outcome: "reached",
          now: new Date("2026-04-04T11:00:00+02:00"),
        }),
      ).toEqual({
        ok: false,
        refusal: {
          code: "outside_window",
          window: "morning",
          nextOpening: new Date("2026-04-07T10:00:00+02:00"),
        },
      });
      const [attempts] = await db.select({ n: count() }).from(contactAttempts);
      expect(attempts!.n).toBe(1);
    });

    it("schedules a retention email logged outside the window for the window's next opening", async () => {
      await setup();
      const { c, item, ines } = await claimedItem({
        contactConsent: "yes",
        contactChannel: "email",
        contactWindow: "afternoon",
      });
      // Saturday 7 March 2026, 11:00 → the afternoon window opens on Monday 9 March at 14:00.
      const result = await attempt(ines, item.id, {
        channel: "email",
        outcome: "sent",
        now: new Date("2026-03-07T11:00:00+01:00"),
      });
      const opening = new Date("2026-03-09T14:00:00+01:00");
      expect(result).toMatchObject({ ok: true, emailScheduledFor: opening, closed: false });
      if (!result.ok) throw new Error("unreachable");
      const queued = await db.execute<{ data: unknown; start_after: Date }>(
        sql`select data, start_after from pgboss.job where name = 'winback.send-email'`,
      );
      expect(queued.map((job) => ({ ...job, start_after: new Date(job.start_after) }))).toEqual([
        { data: { caseId: c.caseId, attemptId: result.attemptId }, start_after: opening },
      ]);
      expect(await eventsOf(db, "winback.contact_logged", c.caseId)).toEqual([
        {
          data: {
            itemId: item.id,
            attemptId: result.attemptId,
            channel: "email",
            outcome: "sent",
            offerCode: null,
            emailScheduledFor: opening.toISOString(),
          },
          actorType: "staff",
          actorId: ines.id,
        },
      ]);
    });

    it("expires items older than the policy's 30 days, not younger ones", async () => {
      await setup();
      const created = async (ageDays: number) => {
        const c = await cancelledCase(db, { operator, receivedAt: days(MONDAY_15, -ageDays - 1) });
        await answer(
          db,
          c,
          { reason: "price", ...CONSENT_PHONE_AFTERNOON },
          days(MONDAY_15, -ageDays),
        );
        return onlyItem(db, c.caseId);
      };
      const old = await created(31);
      const exactly = await created(30);
      const young = await created(29);

      expect(await expireWinbackItems(db, MONDAY_15)).toBe(2);
      const byId = new Map(
        (await db.select().from(winbackItems)).map((item) => [item.id, item] as const),
      );
      for (const item of [old, exactly]) {
        expect(byId.get(item.id)).toMatchObject({
          status: "expired",
          closeReason: "expired",
          closedAt: MONDAY_15,
        });
      }
      expect(byId.get(young.id)).toMatchObject({
        status: "new",
        closeReason: null,
        closedAt: null,
      });
      // Nothing left to expire at the same moment; the young one's turn comes a day later.
      expect(await expireWinbackItems(db, MONDAY_15)).toBe(0);
      expect(await expireWinbackItems(db, days(MONDAY_15, 1))).toBe(1);
    });
  });

  it("closes the case's open item when the subscriber withdraws the cancellation (they stayed)", async () => {
    await setup();
    const c = await cancelledCase(db, { operator });
    await answer(db, c, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
    const other = await cancelledCase(db, { operator, subscriber: c.subscriber });
    await answer(db, other, { reason: "speed", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
    const withdrawnAt = hours(MONDAY_15, 2);
    const result = await withdrawCancellation(
      { db, jobs, now: () => withdrawnAt },
      { caseId: c.caseId, meta },
    );
    expect(result).toEqual({ kind: "withdrawn", reference: c.reference });
    expect(await onlyItem(db, c.caseId)).toMatchObject({
      status: "expired",
      closeReason: "case_withdrawn",
      closedAt: withdrawnAt,
    });
    expect(await eventsOf(db, "winback.closed", c.caseId)).toEqual([
      expect.objectContaining({ actorType: "system", actorId: null }),
    ]);
    // The subscriber's other cancellation keeps its item: only the withdrawn case's closes.
    expect(await onlyItem(db, other.caseId)).toMatchObject({ status: "new", closedAt: null });
  });

  it("audits a routing rule change (old → new) and routes the next answer by the new rule", async () => {
    await setup();
    const admin = await insertStaffUser(db, {
      passwordHash: "not-used-here",
      displayName: "Claire Admin",
      role: "admin",
    });
    const actor = { type: "staff" as const, id: admin.id };
    const table = {
      ...DEFAULT_ROUTING,
      price: { queue: "service_recovery" as const, slaHours: 12 },
    };
    expect(await saveRoutingTable(db, { operatorId: operator.id, table, actor, meta })).toBe(1);
    // Saving the same rules again changes nothing and records nothing.
    expect(await saveRoutingTable(db, { operatorId: operator.id, table, actor, meta })).toBe(0);

    const changes = await db
      .select({
        type: auditEvents.type,
        data: auditEvents.data,
        actorId: auditEvents.actorId,
        ip: auditEvents.ip,
      })
      .from(auditEvents)
      .where(eq(auditEvents.stream, WINBACK_SETTINGS_STREAM));
    expect(changes).toEqual([
      {
        type: "winback.rule_changed",
        data: {
          reason: "price",
          queue: "service_recovery",
          slaHours: 12,
          previousQueue: "offers",
          previousSlaHours: 48,
        },
        actorId: admin.id,
        ip: meta.ip,
      },
    ]);
    expect(await verifyStream(db, WINBACK_SETTINGS_STREAM)).toMatchObject({
      ok: true,
      events: 1,
    });

    const c = await cancelledCase(db, { operator });
    await answer(db, c, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
    expect(await onlyItem(db, c.caseId)).toMatchObject({
      queue: "service_recovery",
      slaDueAt: hours(MONDAY_15, 12),
    });
    // The rules are the operator's: another operator still sends price to `offers`.
    const other = await cancelledCase(db, { operator: await insertOperator(db) });
    await answer(db, other, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, MONDAY_15);
    expect(await onlyItem(db, other.caseId)).toMatchObject({
      queue: "offers",
      slaDueAt: hours(MONDAY_15, 48),
    });
  });
});

/** Text as read: no tags, entities decoded, every kind of space a plain one. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
}

const sentTo = (message: ParsedMail, address: string) =>
  (Array.isArray(message.to) ? message.to : [message.to]).some(
    (to) => to?.value.some((entry) => entry.address === address) ?? false,
  );

/** A raw header line of a received message (mailparser parses List-* headers its own way). */
const headerLine = (message: ParsedMail, name: string) =>
  message.headerLines
    .find((line) => line.key === name.toLowerCase())
    ?.line.replace(/\r?\n[ \t]+/g, " ");

describe("the retention email and the stop link (portal over HTTP, real SMTP)", () => {
  let operator: Operator;
  /**
   * A working day at least a week ahead, 15:00 in Paris: inside the afternoon window, and in the
   * future, so the portal's hourly expiry job (real time) never closes these items mid-test.
   */
  let workingDay15: Date;

  beforeAll(async () => {
    // The portal's operator (the seeded one): its name heads the pages and the emails.
    const rows = await app.db().select().from(operators).orderBy(asc(operators.createdAt)).limit(1);
    operator = rows[0]!;
    let day = addDays(dateInZone(new Date(), PARIS), 7);
    while (!isContactDay(day)) day = addDays(day, 1);
    workingDay15 = instantInZone(`${day}T15:00`, PARIS)!;
  });
  afterEach(async () => {
    const all = await verifyAllStreams(app.db());
    expect(all.broken).toEqual([]);
  });

  const stopUrlOf = (subscriberId: string) =>
    stopContactUrl(app.db(), {
      secret: PORTAL_TEST_SECRET,
      appUrl: app.url("/"),
      subscriberId,
    });

  it("closes every open item of the subscriber on opening the link, once, and queues nothing after", async () => {
    const on = app.db();
    const first = await cancelledCase(on, { operator, receivedAt: hours(workingDay15, -2) });
    const { subscriber } = first;
    const second = await cancelledCase(on, {
      operator,
      subscriber,
      receivedAt: hours(workingDay15, -2),
    });
    const third = await cancelledCase(on, {
      operator,
      subscriber,
      receivedAt: hours(workingDay15, -2),
    });
    await answer(on, first, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, workingDay15);
    await answer(
      on,
      second,
      { reason: "outages", contactConsent: "yes", contactChannel: "email", contactWindow: "any" },
      workingDay15,
    );
    await answer(
      on,
      third,
      { reason: "speed", contactChannel: "", contactWindow: "" },
      workingDay15,
    );
    const itemA = await onlyItem(on, first.caseId);
    const itemB = await onlyItem(on, second.caseId);
    const ines = await agent(on, "Inès Moreau");
    expect(
      await claimWinbackItem(on, {
        itemId: itemB.id,
        staffId: ines.id,
        meta,
        now: minutes(workingDay15, 5),
      }),
    ).toEqual({ ok: true });

    const url = await stopUrlOf(subscriber.id);
    expect(url).toMatch(/\/contact\/arret\/[A-Za-z0-9_-]{43}$/);
    // The request log writes the path without its token.
    expect(loggablePath(new URL(url).pathname)).toBe("/contact/arret/:token");

    const response = await getPage(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain('<html lang="fr"');
    const text = plain(html);
    expect(text).toContain("C’est noté : nous ne vous contacterons plus");
    expect(text).toContain("Votre résiliation n’est pas concernée");

    const [after] = await on.select().from(subscribers).where(eq(subscribers.id, subscriber.id));
    expect(after).toMatchObject({ marketingSuppressed: true });
    const since = after!.marketingSuppressedAt!;
    expect(html).toContain(`dateTime="${since.toISOString()}"`);
    for (const item of [itemA, itemB]) {
      const [closed] = await on.select().from(winbackItems).where(eq(winbackItems.id, item.id));
      expect(closed).toMatchObject({
        status: "do_not_contact",
        closeReason: "suppressed",
        closedAt: since,
      });
    }
    // The consent of each answer that gave one is withdrawn, in each case's own chain.
    const surveys = await on
      .select({ caseId: surveyResponses.caseId, withdrawnAt: surveyResponses.consentWithdrawnAt })
      .from(surveyResponses)
      .where(inArray(surveyResponses.caseId, [first.caseId, second.caseId, third.caseId]));
    expect(new Map(surveys.map((survey) => [survey.caseId, survey.withdrawnAt]))).toEqual(
      new Map([
        [first.caseId, since],
        [second.caseId, since],
        [third.caseId, null],
      ]),
    );
    for (const c of [first, second]) {
      const withdrawn = await eventsOf(on, "consent.withdrawn", c.caseId);
      expect(withdrawn).toHaveLength(1);
      expect(withdrawn[0]).toMatchObject({
        data: { subscriberId: subscriber.id, via: "email_link" },
        actorType: "subscriber",
        actorId: subscriber.id,
      });
      const { closedItemIds } = withdrawn[0]!.data as { closedItemIds: string[] };
      expect([...closedItemIds].sort()).toEqual([itemA.id, itemB.id].sort());
      expect(await eventsOf(on, "winback.closed", c.caseId)).toHaveLength(1);
    }
    expect(await eventsOf(on, "consent.withdrawn", third.caseId)).toEqual([]);

    // A second visit says it is already done, since the same moment; in English on request.
    const again = await getPage(url);
    expect(again.status).toBe(200);
    const againHtml = await again.text();
    expect(plain(againHtml)).toContain("C’est déjà fait : vous ne serez plus contacté(e)");
    expect(againHtml).toContain(`dateTime="${since.toISOString()}"`);
    const english = await getPage(`${url}?lang=en`);
    expect(english.status).toBe(200);
    const englishHtml = await english.text();
    expect(englishHtml).toContain('<html lang="en"');
    expect(plain(englishHtml)).toContain("Already done: you will not be contacted again");
    expect(plain(englishHtml)).toContain("This does not affect your cancellation");
    expect(await eventsOf(on, "consent.withdrawn", first.caseId)).toHaveLength(1);

    // Answering a survey again with consent queues nothing for this subscriber any more.
    await answer(
      on,
      third,
      { reason: "price", ...CONSENT_PHONE_AFTERNOON },
      hours(workingDay15, 1),
    );
    await answer(
      on,
      first,
      { reason: "price", ...CONSENT_PHONE_AFTERNOON },
      hours(workingDay15, 1),
    );
    const items = await on
      .select({ status: winbackItems.status })
      .from(winbackItems)
      .where(eq(winbackItems.subscriberId, subscriber.id));
    expect(items).toEqual([{ status: "do_not_contact" }, { status: "do_not_contact" }]);
  });

  it("shows a neutral 404 for an unknown, altered or malformed token", async () => {
    const c = await cancelledCase(app.db(), { operator });
    const url = await stopUrlOf(c.subscriber.id);
    const token = new URL(url).pathname.split("/").at(-1)!;
    for (const wrong of [
      newToken().token,
      token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"),
      "abc",
      "x".repeat(500),
    ]) {
      const response = await getPage(app.url(`/contact/arret/${wrong}`));
      expect(response.status, wrong.slice(0, 20)).toBe(404);
      const text = plain(await response.text());
      expect(text).toContain("Ce lien ne fonctionne pas");
      expect(text).not.toContain(c.subscriber.lastName);
      expect(text).not.toContain(c.subscriber.email);
    }
    const [untouched] = await app
      .db()
      .select({ suppressed: subscribers.marketingSuppressed })
      .from(subscribers)
      .where(eq(subscribers.id, c.subscriber.id));
    expect(untouched).toEqual({ suppressed: false });
  });

  it("takes the mail client's one-click POST (RFC 8058) from another origin, and only on that path", async () => {
    const on = app.db();
    const c = await cancelledCase(on, { operator, receivedAt: hours(workingDay15, -2) });
    await answer(on, c, { reason: "price", ...CONSENT_PHONE_AFTERNOON }, workingDay15);
    const url = await stopUrlOf(c.subscriber.id);
    const post = (origin?: string) =>
      fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          ...(origin ? { Origin: origin } : {}),
        },
        body: "List-Unsubscribe=One-Click",
      });
    const oneClick = await post("https://mail.provider.example");
    expect(oneClick.status).toBe(200);
    expect(plain(await oneClick.text())).toContain("C’est noté");
    expect(await onlyItem(on, c.caseId)).toMatchObject({
      status: "do_not_contact",
      closeReason: "suppressed",
    });
    expect(await eventsOf(on, "consent.withdrawn", c.caseId)).toMatchObject([
      { data: { via: "email_link" }, actorType: "subscriber", actorId: c.subscriber.id },
    ]);
    // As mail providers' servers send it (no Origin), and as a sandboxed client might (`null`).
    for (const origin of [undefined, "null"]) {
      const repeated = await post(origin);
      expect(repeated.status, String(origin)).toBe(200);
      expect(plain(await repeated.text())).toContain("C’est déjà fait");
    }
    expect(await eventsOf(on, "consent.withdrawn", c.caseId)).toHaveLength(1);

    // The exemption is this path only: dot segments cannot reach a staff form through it.
    const target = new URL(app.url("/"));
    const body = "email=a%40example.com&password=x";
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: "POST",
          path: "/contact/arret/x/../../staff/connexion",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(body),
            Origin: "https://evil.example",
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
    expect(status).toBe(403);
  });

  it("sends the retention email through SMTP with the stop link and one-click headers; the link stops contact", async () => {
    const on = app.db();
    const c = await cancelledCase(on, { operator, receivedAt: hours(workingDay15, -2) });
    await answer(
      on,
      c,
      {
        reason: "price",
        contactConsent: "yes",
        contactChannel: "email",
        contactWindow: "afternoon",
      },
      workingDay15,
    );
    const item = await onlyItem(on, c.caseId);
    const [offer] = await on
      .insert(offers)
      .values({
        operatorId: operator.id,
        code: `TEST-FIBRE-${item.id.slice(0, 8)}`,
        name: "Fibre Essentielle à 19,99 €",
        description: "Six mois à prix réduit, sans engagement.",
      })
      .returning();
    const ines = await agent(on, "Inès Moreau");
    expect(
      await claimWinbackItem(on, {
        itemId: item.id,
        staffId: ines.id,
        meta,
        now: minutes(workingDay15, 5),
      }),
    ).toEqual({ ok: true });
    const logged = await logContactAttempt(
      { db: on, jobs: app.portal().jobs },
      {
        itemId: item.id,
        staffId: ines.id,
        channel: "email",
        outcome: "sent",
        offerId: offer!.id,
        note: null,
        meta,
        now: minutes(workingDay15, 10),
      },
    );
    expect(logged).toMatchObject({ ok: true, emailScheduledFor: null });

    const email = await app.smtp().waitFor((message) => sentTo(message, c.subscriber.email));
    expect(email.subject).toBe(`Votre avis compte pour ${operator.displayName} (${c.reference})`);
    expect(email.text).toContain("Je suis Inès");
    expect(email.text).toContain("Fibre Essentielle à 19,99 €");
    const stopUrl = /https?:\/\/\S+\/contact\/arret\/[A-Za-z0-9_-]{43}\?lang=fr/.exec(
      email.text ?? "",
    )?.[0];
    expect(stopUrl).toBeDefined();
    expect(email.html).toContain(`href="${stopUrl}"`);
    expect(headerLine(email, "List-Unsubscribe")).toBe(`List-Unsubscribe: <${stopUrl}>`);
    expect(headerLine(email, "List-Unsubscribe-Post")).toBe(
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    );

    // The subscriber opens the link from the email (APP_URL has no port here): contact stops.
    const link = new URL(stopUrl!);
    const page = await getPage(app.url(`${link.pathname}${link.search}`));
    expect(page.status).toBe(200);
    expect(plain(await page.text())).toContain("C’est noté : nous ne vous contacterons plus");
    expect(await onlyItem(on, c.caseId)).toMatchObject({
      status: "do_not_contact",
      closeReason: "suppressed",
      offerId: offer!.id,
    });
    const [after] = await on
      .select({ suppressed: subscribers.marketingSuppressed })
      .from(subscribers)
      .where(eq(subscribers.id, c.subscriber.id));
    expect(after).toEqual({ suppressed: true });
  });
});
