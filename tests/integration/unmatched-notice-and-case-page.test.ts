import { asc, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyCaseChain, verifyStream } from "../../app/audit/verify-chain.server";
import { consumeLimits } from "../../app/auth/rate-limit.server";
import { newToken } from "../../app/auth/tokens.server";
import { SurveyAnswerSchema } from "../../app/routes/public/survey-schema";
import { findCaseLink, loadCaseByToken } from "../../app/services/load-subscriber-case.server";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import {
  recordUnmatchedNotice,
  type UnmatchedNoticeInput,
} from "../../app/services/record-unmatched-notice.server";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import {
  auditEvents,
  cancellationCases,
  contracts,
  surveyResponses,
  unmatchedNotices,
  winbackItems,
} from "../../db/schema";
import { insertCase, insertContract, insertOperator, insertSubscriber } from "../factories";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const jobs = setupAppJobQueue();

const SECRET = "a-test-secret-that-is-longer-than-32-characters";
const NOW = new Date("2026-11-23T14:05:09Z");
const meta = { ip: "192.0.2.44", userAgent: "vitest case page" };

async function noticeJobs(noticeId: string) {
  return db.execute<{ name: string; data: unknown }>(
    sql`select name, data from pgboss.job where data->>'noticeId' = ${noticeId}`,
  );
}

describe("recordUnmatchedNotice", () => {
  async function noticeInput(overrides: Partial<UnmatchedNoticeInput> = {}) {
    const operator = await insertOperator(db);
    return {
      operatorId: operator.id,
      firstName: "Jean",
      lastName: "Dupond",
      reference: "C-10O042",
      email: "jean.dupond@example.com",
      language: "fr" as const,
      idempotencyKey: "notice-journey-1",
      meta,
      ...overrides,
    };
  }
  const record = (input: UnmatchedNoticeInput) =>
    recordUnmatchedNotice({ db, jobs, now: () => NOW }, input);

  it("keeps a pending notice with its receipt time, what was typed, an audit event and an acknowledgment job", async () => {
    const input = await noticeInput();
    const notice = await record(input);
    expect(notice).toMatchObject({
      operatorId: input.operatorId,
      status: "pending",
      receivedAt: NOW,
      submitted: { firstName: "Jean", lastName: "Dupond", reference: "C-10O042" },
      email: "jean.dupond@example.com",
      language: "fr",
      idempotencyKey: "notice-journey-1",
      matchedCaseId: null,
      resolvedAt: null,
    });
    expect(notice.reference).toMatch(/^NT-[2-9B-Z]{4}-[2-9B-Z]{4}$/);
    const [stored] = await db
      .select()
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, notice.id));
    expect(stored).toEqual(notice);

    const stream = `notice:${notice.id}`;
    const events = await db.select().from(auditEvents).where(eq(auditEvents.stream, stream));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      caseId: null,
      seq: 1,
      type: "notice.received",
      actorType: "subscriber",
      actorId: null,
      data: { reference: notice.reference, receivedAt: NOW.toISOString() },
      occurredAt: NOW,
      ...meta,
    });
    expect(await verifyStream(db, stream)).toMatchObject({ ok: true, events: 1 });
    expect(await noticeJobs(notice.id)).toEqual([
      { name: "notice.send-acknowledgment", data: { noticeId: notice.id } },
    ]);
  });

  it("records one notice for the same journey sent twice, and ten times at once", async () => {
    const input = await noticeInput();
    const first = await record(input);
    const second = await record(input);
    expect(second).toEqual(first);

    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => record({ ...input, idempotencyKey: "notice-journey-2" })),
    );
    expect(new Set(concurrent.map((notice) => notice.id)).size).toBe(1);

    const rows = await db
      .select({ id: unmatchedNotices.id, key: unmatchedNotices.idempotencyKey })
      .from(unmatchedNotices)
      .orderBy(asc(unmatchedNotices.idempotencyKey));
    expect(rows).toEqual([
      { id: first.id, key: "notice-journey-1" },
      { id: concurrent[0]!.id, key: "notice-journey-2" },
    ]);
    for (const row of rows) {
      expect(await verifyStream(db, `notice:${row.id}`)).toMatchObject({ ok: true, events: 1 });
      expect(await noticeJobs(row.id)).toHaveLength(1);
    }
    const [received] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.type, "notice.received"));
    expect(received!.n).toBe(2);
  });
});

async function notifiedCase() {
  const operator = await insertOperator(db);
  const subscriber = await insertSubscriber(db, {
    operatorId: operator.id,
    email: "zoe.leroy@example.com",
  });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: "2025-03-01",
  });
  const result = await notifyCancellation(
    { db, jobs, secret: SECRET, now: () => NOW },
    {
      subscriberId: subscriber.id,
      contractIds: [contract.id],
      acknowledgmentEmail: "Zoe.Leroy@Example.com",
      endDate: { kind: "earliest" },
      legitimateReason: null,
      proof: null,
      idempotencyKey: "case-page-journey",
      language: "fr",
      identifiedAt: NOW,
      summaryShownAt: NOW,
      meta,
    },
  );
  if (result.kind !== "notified") throw new Error(`notify failed: ${result.kind}`);
  return { operator, subscriber, contract, ...result };
}

describe("case page: loadCaseByToken and findCaseLink", () => {
  it("opens the case behind the token notify returned, and nothing behind another token", async () => {
    const { caseId, reference, token, contract } = await notifiedCase();
    const view = await loadCaseByToken(db, token, NOW);
    expect(view).not.toBeNull();
    expect(view!.case).toMatchObject({ id: caseId, reference, status: "received" });
    expect(view!.contracts).toEqual([
      { contractNumber: contract.contractNumber, offerName: contract.offerName },
    ]);
    expect(view!.timeline.map((event) => event.type)).toEqual([
      "case.identified",
      "case.summary_shown",
      "case.notified",
    ]);
    expect(view!.withdrawable).toEqual({ ok: true });
    expect(view!.timeZone).toBe("Europe/Paris");

    for (const wrong of [
      newToken().token,
      token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"),
      "",
      "not a token at all",
      "../../../../etc/passwd",
      "x".repeat(5000),
      `${token}' or '1'='1`,
    ]) {
      expect(await loadCaseByToken(db, wrong, NOW), wrong.slice(0, 60)).toBeNull();
    }
  });

  it("gives the same link back for the reference and the email, however they are typed", async () => {
    const { reference, token, operator, subscriber } = await notifiedCase();
    const lowerCompact = reference.toLowerCase().replace(/-/g, "");
    expect(lowerCompact).toMatch(/^rx[2-9b-z]{8}$/);

    for (const [typedReference, email] of [
      [reference, "Zoe.Leroy@Example.com"],
      [lowerCompact, "zoe.leroy@example.com"],
      [` ${reference.toLowerCase()} `, " ZOE.LEROY@EXAMPLE.COM "],
    ] as const) {
      expect(
        await findCaseLink(db, SECRET, { reference: typedReference, email }),
        `${typedReference} / ${email}`,
      ).toBe(token);
    }

    expect(
      await findCaseLink(db, SECRET, { reference, email: "someone.else@example.com" }),
    ).toBeNull();
    expect(
      await findCaseLink(db, SECRET, { reference: "RX-2222-2222", email: "zoe.leroy@example.com" }),
    ).toBeNull();
    expect(
      await findCaseLink(db, "another-secret-that-is-also-32-chars-long", {
        reference,
        email: "zoe.leroy@example.com",
      }),
    ).toBeNull();

    // A case created without a journey (seeded) has no link that can be derived.
    const other = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2025-03-01",
    });
    const { case: seeded } = await insertCase(db, {
      operatorId: operator.id,
      subscriber,
      contracts: [other],
      receivedAt: NOW,
      effectiveEndDate: "2026-12-03",
    });
    expect(
      await findCaseLink(db, SECRET, { reference: seeded.reference, email: subscriber.email }),
    ).toBeNull();
  });
});

describe("saveSurveyAnswer", () => {
  it("stores the answer without touching the case, and a second answer replaces the first", async () => {
    const { caseId, subscriber, contract } = await notifiedCase();
    const [caseBefore] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, caseId));

    const first = await saveSurveyAnswer(db, {
      caseId,
      subscriberId: subscriber.id,
      meta,
      answer: SurveyAnswerSchema.parse({
        reason: "competitor",
        competitor: "Orion Mobile",
        details: "  Moins cher  ",
        wouldComeBack: "7",
        contactConsent: "yes",
        contactChannel: "email",
        contactWindow: "evening",
      }),
    });
    expect(first).toMatchObject({
      caseId,
      reason: "competitor",
      competitor: "Orion Mobile",
      details: "Moins cher",
      wouldComeBack: 7,
      contactConsent: true,
      contactChannel: "email",
      contactWindow: "evening",
    });

    const second = await saveSurveyAnswer(db, {
      caseId,
      subscriberId: subscriber.id,
      meta,
      answer: SurveyAnswerSchema.parse({ reason: "moving", contactChannel: "", contactWindow: "" }),
    });
    expect(second.id).toBe(first.id);
    const rows = await db.select().from(surveyResponses).where(eq(surveyResponses.caseId, caseId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.id,
      reason: "moving",
      competitor: null,
      details: null,
      wouldComeBack: null,
      contactConsent: false,
      contactChannel: null,
      contactWindow: null,
    });

    const [caseAfter] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, caseId));
    expect(caseAfter).toEqual(caseBefore);
    expect(caseAfter!.status).toBe("received");
    const [contractAfter] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(contractAfter!.status).toBe("cancellation_pending");

    // The case's own state is untouched; its audit chain gains the survey's events only: the
    // first answer (with consent, reason "competitor") queued a win-back item, the second one
    // (without consent) closed it and recorded the withdrawal of the consent.
    expect(await verifyCaseChain(db, caseId)).toMatchObject({ ok: true, events: 8 });
    const [item] = await db.select().from(winbackItems).where(eq(winbackItems.caseId, caseId));
    expect(item).toMatchObject({
      surveyResponseId: first.id,
      queue: "offers",
      status: "do_not_contact",
      closeReason: "suppressed",
    });
    const trail = await db
      .select({ type: auditEvents.type, data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, caseId))
      .orderBy(asc(auditEvents.seq));
    expect(trail.map((event) => event.type)).toEqual([
      "case.identified",
      "case.summary_shown",
      "case.notified",
      "survey.answered",
      "winback.item_routed",
      "survey.answered",
      "winback.closed",
      "consent.withdrawn",
    ]);
    expect(trail.slice(4)).toEqual([
      {
        type: "winback.item_routed",
        data: {
          itemId: item!.id,
          queue: "offers",
          priority: item!.priority,
          slaDueAt: item!.slaDueAt.toISOString(),
        },
      },
      {
        type: "survey.answered",
        data: { surveyResponseId: first.id, contactConsent: false },
      },
      {
        type: "winback.closed",
        data: {
          itemId: item!.id,
          status: "do_not_contact",
          closeReason: "suppressed",
          offerCode: null,
        },
      },
      {
        type: "consent.withdrawn",
        data: { subscriberId: subscriber.id, via: "survey", closedItemIds: [item!.id] },
      },
    ]);
    const answered = await db
      .select({ data: auditEvents.data, ip: auditEvents.ip })
      .from(auditEvents)
      .where(eq(auditEvents.type, "survey.answered"))
      .orderBy(asc(auditEvents.seq));
    expect(answered).toEqual([
      { data: { surveyResponseId: first.id, contactConsent: true }, ip: meta.ip },
      { data: { surveyResponseId: first.id, contactConsent: false }, ip: meta.ip },
    ]);
  });
});

describe("consumeLimits", () => {
  it("refuses the 11th identification on one reference within the window, not another reference", async () => {
    const attempt = (reference: string) =>
      consumeLimits(db, [{ name: "identifyByReference", key: reference }]);
    for (let i = 1; i <= 10; i += 1)
      expect(await attempt("C-100001"), `attempt ${i}`).toEqual({ ok: true });

    const refused = await attempt("C-100001");
    expect(refused.ok).toBe(false);
    if (refused.ok) throw new Error("unreachable");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

    expect(await attempt("C-100002")).toEqual({ ok: true });
    expect(await attempt("C-100001")).toMatchObject({ ok: false });
  });

  it("refuses when any of the limits given is exhausted, and the address limit is shared across references", async () => {
    for (let i = 0; i < 30; i += 1) {
      expect(
        await consumeLimits(db, [
          { name: "identifyByIp", key: "203.0.113.9" },
          { name: "identifyByReference", key: `C-2000${String(i).padStart(2, "0")}` },
        ]),
        `attempt ${i + 1}`,
      ).toEqual({ ok: true });
    }
    expect(
      await consumeLimits(db, [
        { name: "identifyByIp", key: "203.0.113.9" },
        { name: "identifyByReference", key: "C-300000" },
      ]),
    ).toMatchObject({ ok: false });
    expect(
      await consumeLimits(db, [
        { name: "identifyByIp", key: "203.0.113.10" },
        { name: "identifyByReference", key: "C-300000" },
      ]),
    ).toEqual({ ok: true });
  });
});
