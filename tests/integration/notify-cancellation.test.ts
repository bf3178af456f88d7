import { createHash } from "node:crypto";
import { asc, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import type { CancellationSummary } from "../../app/domain/cancellation-summary";
import { detectProofType } from "../../app/domain/proof";
import {
  notifyCancellation,
  type NotifyInput,
  type NotifyResult,
} from "../../app/services/notify-cancellation.server";
import {
  auditEvents,
  cancellationCases,
  caseContracts,
  caseLines,
  contracts,
  documents,
  lines,
  subscribers,
} from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const jobs = setupAppJobQueue();

const SECRET = "a-test-secret-that-is-longer-than-32-characters";
const SEED_NOW = new Date("2026-11-23T09:30:00Z");
// 00:30 on 24 November in Paris while it is still 23 November in UTC: the receipt date is Paris's.
const NOTIFY_NOW = new Date("2026-11-23T23:30:00Z");
const RECEIPT_DATE_PARIS = "2026-11-24";
const EARLIEST_END = "2026-12-04";
const meta = { ip: "203.0.113.7", userAgent: "vitest notify" };
const deps = { db, jobs, secret: SECRET, now: () => NOTIFY_NOW };

async function demoSubscriber(customerNumber: string) {
  await seedDemoData(db, { now: SEED_NOW, history: false, crowd: false });
  const [subscriber] = await db
    .select()
    .from(subscribers)
    .where(eq(subscribers.customerNumber, customerNumber));
  const rows = await db
    .select()
    .from(contracts)
    .where(eq(contracts.subscriberId, subscriber!.id))
    .orderBy(asc(contracts.contractNumber));
  return { subscriber: subscriber!, contract: rows[0]! };
}

function input(
  subscriberId: string,
  contractIds: string[],
  overrides: Partial<NotifyInput> = {},
): NotifyInput {
  return {
    subscriberId,
    contractIds,
    acknowledgmentEmail: "camille.martin@example.com",
    endDate: { kind: "earliest" },
    legitimateReason: null,
    proof: null,
    idempotencyKey: "journey-1",
    language: "fr",
    identifiedAt: new Date(NOTIFY_NOW.getTime() - 120_000),
    summaryShownAt: new Date(NOTIFY_NOW.getTime() - 60_000),
    meta,
    ...overrides,
  };
}

function notified(result: NotifyResult) {
  if (result.kind !== "notified") throw new Error(`expected a notice, got ${result.kind}`);
  return result;
}

async function jobsOfCase(caseId: string) {
  return db.execute<{ name: string; data: unknown }>(
    sql`select name, data from pgboss.job where data->>'caseId' = ${caseId} order by name`,
  );
}

async function allJobCount(): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job`);
  return row!.n;
}

async function casesOf(subscriberId: string) {
  return db
    .select()
    .from(cancellationCases)
    .where(eq(cancellationCases.subscriberId, subscriberId));
}

describe("notifyCancellation", { timeout: 60_000 }, () => {
  it("records Camille's notice: case, end date in Paris time, fees, contract, audit chain and jobs", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const journey = input(subscriber.id, [contract.id]);
    const result = notified(await notifyCancellation(deps, journey));
    expect(result.created).toBe(true);
    expect(result.reference).toMatch(/^RX-[2-9B-Z]{4}-[2-9B-Z]{4}$/);

    const cases = await casesOf(subscriber.id);
    expect(cases).toHaveLength(1);
    const row = cases[0]!;
    expect(row).toMatchObject({
      id: result.caseId,
      reference: result.reference,
      status: "received",
      receivedAt: NOTIFY_NOW,
      requestedEndDate: null,
      effectiveEndDate: EARLIEST_END,
      terminationType: "ordinary",
      acknowledgmentEmail: "camille.martin@example.com",
      idempotencyKey: "journey-1",
    });
    expect(row.accessTokenHash).toBe(createHash("sha256").update(result.token).digest("hex"));

    // Started 2026-03-23 with 24 months: 3 months and 19 days (of 31) left to month 12 at 44.99 €.
    const summary = row.feeBreakdown as CancellationSummary;
    expect(summary.window.receiptDate).toBe(RECEIPT_DATE_PARIS);
    const [fee] = summary.contracts.map((item) => item.fee);
    const toTwelve = fee!.lines.find((item) => item.kind === "months_to_twelve");
    expect(toTwelve).toMatchObject({ months: 3, days: 19, sharePercent: 100, amountCents: 16254 });
    expect(row.feeTotalCents).toBeGreaterThan(0);
    expect(row.feeTotalCents).toBe(16254);
    expect(summary.feeTotalCents).toBe(row.feeTotalCents);

    expect(await db.select().from(caseContracts).where(eq(caseContracts.caseId, row.id))).toEqual([
      { caseId: row.id, contractId: contract.id, open: true },
    ]);
    const [line] = await db.select().from(lines).where(eq(lines.contractId, contract.id));
    expect(await db.select().from(caseLines).where(eq(caseLines.caseId, row.id))).toEqual([
      { caseId: row.id, lineId: line!.id },
    ]);
    const [after] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(after!.status).toBe("cancellation_pending");

    // The notice, then the return plan in the same transaction: the box and decoder to send
    // back, and the box's deposit waiting for them.
    expect(await verifyCaseChain(db, row.id)).toMatchObject({ ok: true, events: 5 });
    const events = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, row.id))
      .orderBy(asc(auditEvents.seq));
    expect(
      events.map((event) => ({
        type: event.type,
        actorType: event.actorType,
        actorId: event.actorId,
        ip: event.ip,
        userAgent: event.userAgent,
        occurredAt: event.occurredAt,
      })),
    ).toEqual([
      {
        type: "case.identified",
        actorType: "subscriber",
        actorId: subscriber.id,
        ...meta,
        occurredAt: journey.identifiedAt,
      },
      {
        type: "case.summary_shown",
        actorType: "subscriber",
        actorId: subscriber.id,
        ...meta,
        occurredAt: journey.summaryShownAt,
      },
      {
        type: "case.notified",
        actorType: "subscriber",
        actorId: subscriber.id,
        ...meta,
        occurredAt: NOTIFY_NOW,
      },
      {
        type: "return.created",
        actorType: "subscriber",
        actorId: subscriber.id,
        ...meta,
        occurredAt: NOTIFY_NOW,
      },
      {
        type: "refund.updated",
        actorType: "subscriber",
        actorId: subscriber.id,
        ...meta,
        occurredAt: NOTIFY_NOW,
      },
    ]);
    expect(events[4]!.data).toMatchObject({
      kind: "deposit",
      status: "scheduled",
      amountCents: 4900,
    });
    expect(events[2]!.data).toMatchObject({
      reference: result.reference,
      receivedAt: NOTIFY_NOW.toISOString(),
      effectiveEndDate: EARLIEST_END,
      feeTotalCents: 16254,
    });

    expect(await jobsOfCase(row.id)).toEqual([
      { name: "case.render-letter", data: { caseId: row.id } },
      { name: "case.send-acknowledgment", data: { caseId: row.id } },
      { name: "return.render-label", data: { caseId: row.id } },
    ]);
  });

  it("charges Lucas 20 % of the fees after month 12 (subsidised phone) and nothing else", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100002");
    const result = notified(await notifyCancellation(deps, input(subscriber.id, [contract.id])));
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, result.caseId));
    const summary = row!.feeBreakdown as CancellationSummary;
    const feeLines = summary.contracts.flatMap((item) => item.fee.lines);
    // Started 2025-05-23 with 24 months: 5 months and 19 days (of 31) left at 34.99 €.
    expect(feeLines).toEqual([
      {
        kind: "share_after_twelve",
        months: 5,
        days: 19,
        monthlyCents: 3499,
        sharePercent: 20,
        periodCents: 19640,
        amountCents: 3928,
      },
    ]);
    expect(row!.feeTotalCents).toBe(3928);
  });

  it("creates exactly one case for twenty concurrent clicks of one journey", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        notifyCancellation(deps, input(subscriber.id, [contract.id], { idempotencyKey: "dbl" })),
      ),
    );
    const done = results.map(notified);
    expect(new Set(done.map((result) => result.reference)).size).toBe(1);
    expect(new Set(done.map((result) => result.token)).size).toBe(1);
    expect(new Set(done.map((result) => result.caseId)).size).toBe(1);
    expect(done.filter((result) => result.created)).toHaveLength(1);

    const cases = await casesOf(subscriber.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.reference).toBe(done[0]!.reference);
    expect(await jobsOfCase(cases[0]!.id)).toHaveLength(3);
    expect(await verifyCaseChain(db, cases[0]!.id)).toMatchObject({ ok: true, events: 5 });
  });

  it("gives two tabs of one journey that chose different contracts one and the same case", async () => {
    const { subscriber } = await demoSubscriber("C-100003");
    const [fibre, mobile] = await db
      .select()
      .from(contracts)
      .where(eq(contracts.subscriberId, subscriber.id))
      .orderBy(asc(contracts.contractNumber));
    const results = await Promise.all(
      [fibre!, mobile!].map((contract) =>
        notifyCancellation(deps, input(subscriber.id, [contract.id], { idempotencyKey: "tabs" })),
      ),
    );
    const done = results.map(notified);
    expect(done[0]!.caseId).toBe(done[1]!.caseId);
    expect(done[0]!.token).toBe(done[1]!.token);
    expect(done.filter((result) => result.created)).toHaveLength(1);
    expect(await casesOf(subscriber.id)).toHaveLength(1);
    // Whichever tab won: the letter and the acknowledgment, plus the label if its contract (the
    // fibre, with a box) has equipment to return — the mobile's SIM never goes back.
    const [caseContract] = await db
      .select({ contractId: caseContracts.contractId })
      .from(caseContracts)
      .where(eq(caseContracts.caseId, done[0]!.caseId));
    const names = (await jobsOfCase(done[0]!.caseId)).map((job) => job.name);
    expect(names).toEqual(
      caseContract!.contractId === fibre!.id
        ? ["case.render-letter", "case.send-acknowledgment", "return.render-label"]
        : ["case.render-letter", "case.send-acknowledgment"],
    );
  });

  it("lets only one of twenty concurrent journeys on one contract through; the others see it open", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        notifyCancellation(
          deps,
          input(subscriber.id, [contract.id], { idempotencyKey: `journey-${i}` }),
        ),
      ),
    );
    const winners = results.filter((result) => result.kind === "notified");
    expect(winners).toHaveLength(1);
    const winner = notified(winners[0]!);
    expect(winner.created).toBe(true);
    const losers = results.filter((result) => result.kind !== "notified");
    expect(losers).toHaveLength(19);
    for (const loser of losers)
      expect(loser).toEqual({
        kind: "already_open",
        reference: winner.reference,
        receivedAt: NOTIFY_NOW,
        effectiveEndDate: EARLIEST_END,
      });

    expect(await casesOf(subscriber.id)).toHaveLength(1);
    const [open] = await db
      .select({ n: count() })
      .from(caseContracts)
      .where(eq(caseContracts.contractId, contract.id));
    expect(open!.n).toBe(1);
    expect(await jobsOfCase(winner.caseId)).toHaveLength(3);
  });

  it("answers already_open to a second journey on the same contract later", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const first = notified(await notifyCancellation(deps, input(subscriber.id, [contract.id])));
    const later = new Date(NOTIFY_NOW.getTime() + 3 * 86_400_000);
    const jobsBefore = await allJobCount();
    const second = await notifyCancellation(
      { ...deps, now: () => later },
      input(subscriber.id, [contract.id], {
        idempotencyKey: "journey-2",
        identifiedAt: later,
        summaryShownAt: later,
      }),
    );
    expect(second).toEqual({
      kind: "already_open",
      reference: first.reference,
      receivedAt: NOTIFY_NOW,
      effectiveEndDate: EARLIEST_END,
    });
    expect(await casesOf(subscriber.id)).toHaveLength(1);
    expect(await allJobCount()).toBe(jobsBefore);
  });

  it("refuses an end date before the earliest and writes nothing; a later date is kept", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const jobsBefore = await allJobCount();
    const [eventsBefore] = await db.select({ n: count() }).from(auditEvents);

    const refused = await notifyCancellation(
      deps,
      input(subscriber.id, [contract.id], { endDate: { kind: "date", date: "2026-12-03" } }),
    );
    expect(refused).toMatchObject({
      kind: "invalid_end_date",
      summary: { endDateError: "before_earliest", window: { earliest: EARLIEST_END } },
    });
    expect(await casesOf(subscriber.id)).toHaveLength(0);
    expect(
      await db.select().from(caseContracts).where(eq(caseContracts.contractId, contract.id)),
    ).toEqual([]);
    const [contractAfter] = await db.select().from(contracts).where(eq(contracts.id, contract.id));
    expect(contractAfter!.status).toBe("active");
    const [eventsAfter] = await db.select({ n: count() }).from(auditEvents);
    expect(eventsAfter!.n).toBe(eventsBefore!.n);
    expect(await allJobCount()).toBe(jobsBefore);

    // The same journey with a later date goes through (the refusal did not burn the key).
    const accepted = notified(
      await notifyCancellation(
        deps,
        input(subscriber.id, [contract.id], { endDate: { kind: "date", date: "2027-01-15" } }),
      ),
    );
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, accepted.caseId));
    expect(row).toMatchObject({ requestedEndDate: "2027-01-15", effectiveEndDate: "2027-01-15" });
  });

  it("stores the proof of a legitimate reason with its SHA-256 and waives the fee", async () => {
    const { subscriber, contract } = await demoSubscriber("C-100001");
    const bytes = Buffer.from(
      "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    );
    const type = detectProofType(bytes);
    expect(type).toEqual({ contentType: "application/pdf", extension: "pdf" });
    const result = notified(
      await notifyCancellation(
        deps,
        input(subscriber.id, [contract.id], {
          legitimateReason: "job_loss",
          proof: { bytes, type: type! },
        }),
      ),
    );
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, result.caseId));
    expect(row).toMatchObject({
      terminationType: "legitimate_reason",
      legitimateReason: "job_loss",
      feeTotalCents: 0,
    });
    const fee = (row!.feeBreakdown as CancellationSummary).contracts[0]!.fee;
    expect(fee).toMatchObject({ totalCents: 0, waiver: "legitimate_reason" });

    const docs = await db.select().from(documents).where(eq(documents.caseId, result.caseId));
    expect(docs).toHaveLength(1);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(docs[0]).toMatchObject({
      kind: "proof",
      contentType: "application/pdf",
      sizeBytes: bytes.length,
      sha256,
    });
    expect(Buffer.compare(docs[0]!.bytes, bytes)).toBe(0);

    expect(await verifyCaseChain(db, result.caseId)).toMatchObject({ ok: true, events: 6 });
    const [created] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "document.created"));
    expect(created).toMatchObject({
      caseId: result.caseId,
      data: { documentId: docs[0]!.id, kind: "proof", sha256 },
    });
  });
});
