import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import { withdrawCancellation } from "../../app/services/withdraw-cancellation.server";
import { auditEvents, cancellationCases, caseContracts, contracts } from "../../db/schema";
import { insertContract, insertLine, insertOperator, insertSubscriber } from "../factories";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const jobs = setupAppJobQueue();

const SECRET = "a-test-secret-that-is-longer-than-32-characters";
// Received at 00:30 on 24 November in Paris: the contract ends on 4 December (Paris).
const NOTIFY_NOW = new Date("2026-11-23T23:30:00Z");
const END_DATE = "2026-12-04";
// 23:30 on 3 December in Paris: the last moment a withdrawal is possible.
const LAST_MINUTE = new Date("2026-12-03T22:30:00Z");
// 00:30 on 4 December in Paris, still 3 December in UTC: too late.
const END_DAY_PARIS = new Date("2026-12-03T23:30:00Z");
const meta = { ip: "198.51.100.4", userAgent: "vitest withdraw" };

async function notifiedCase(idempotencyKey = "journey-1") {
  const operator = await insertOperator(db);
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    category: "mobile",
    startDate: "2025-02-10",
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: contract.id,
    phoneNumber: "+33611223344",
  });
  const notify = (key: string, now: Date) =>
    notifyCancellation(
      { db, jobs, secret: SECRET, now: () => now },
      {
        subscriberId: subscriber.id,
        contractIds: [contract.id],
        acknowledgmentEmail: subscriber.email,
        endDate: { kind: "earliest" },
        legitimateReason: null,
        proof: null,
        idempotencyKey: key,
        language: "fr",
        identifiedAt: now,
        summaryShownAt: now,
        meta,
      },
    );
  const result = await notify(idempotencyKey, NOTIFY_NOW);
  if (result.kind !== "notified") throw new Error(`notify failed: ${result.kind}`);
  return { subscriber, contract, caseId: result.caseId, reference: result.reference, notify };
}

const withdrawAt = (now: Date, caseId: string) =>
  withdrawCancellation({ db, jobs, now: () => now }, { caseId, meta });

async function caseRow(caseId: string) {
  const [row] = await db.select().from(cancellationCases).where(eq(cancellationCases.id, caseId));
  return row!;
}

async function contractStatus(contractId: string) {
  const [row] = await db.select().from(contracts).where(eq(contracts.id, contractId));
  return row!.status;
}

async function withdrawalJobs(caseId: string) {
  return db.execute<{ name: string; data: unknown }>(
    sql`select name, data from pgboss.job
        where name = 'case.send-withdrawal-confirmation' and data->>'caseId' = ${caseId}`,
  );
}

describe("withdrawCancellation", () => {
  it("withdraws once before the end date and refuses a second time", async () => {
    const { contract, caseId, reference } = await notifiedCase();
    expect(await caseRow(caseId)).toMatchObject({ status: "received", effectiveEndDate: END_DATE });
    expect(await contractStatus(contract.id)).toBe("cancellation_pending");

    expect(await withdrawAt(LAST_MINUTE, caseId)).toEqual({ kind: "withdrawn", reference });

    expect(await caseRow(caseId)).toMatchObject({ status: "withdrawn", withdrawnAt: LAST_MINUTE });
    expect(await contractStatus(contract.id)).toBe("active");
    expect(await db.select().from(caseContracts).where(eq(caseContracts.caseId, caseId))).toEqual([
      { caseId, contractId: contract.id, open: false },
    ]);
    expect(await verifyCaseChain(db, caseId)).toMatchObject({ ok: true, events: 4 });
    const events = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, caseId))
      .orderBy(asc(auditEvents.seq));
    expect(events.at(-1)).toMatchObject({
      type: "case.withdrawn",
      data: { reference },
      occurredAt: LAST_MINUTE,
      ...meta,
    });
    expect(await withdrawalJobs(caseId)).toEqual([
      { name: "case.send-withdrawal-confirmation", data: { caseId } },
    ]);

    const again = new Date(LAST_MINUTE.getTime() - 3_600_000);
    expect(await withdrawAt(again, caseId)).toEqual({
      kind: "refused",
      reason: "already_withdrawn",
    });
    expect(await caseRow(caseId)).toMatchObject({ status: "withdrawn", withdrawnAt: LAST_MINUTE });
    expect(await verifyCaseChain(db, caseId)).toMatchObject({ ok: true, events: 4 });
    expect(await withdrawalJobs(caseId)).toHaveLength(1);
  });

  it("withdraws exactly once under ten concurrent clicks", async () => {
    const { caseId, reference } = await notifiedCase();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => withdrawAt(LAST_MINUTE, caseId)),
    );
    expect(results.filter((result) => result.kind === "withdrawn")).toEqual([
      { kind: "withdrawn", reference },
    ]);
    expect(results.filter((result) => result.kind === "refused")).toEqual(
      Array.from({ length: 9 }, () => ({ kind: "refused", reason: "already_withdrawn" })),
    );
    expect(await verifyCaseChain(db, caseId)).toMatchObject({ ok: true, events: 4 });
    expect(await withdrawalJobs(caseId)).toHaveLength(1);
  });

  it("refuses on the end date in Paris (even while UTC is still the day before) and after it", async () => {
    const { contract, caseId } = await notifiedCase();
    for (const now of [END_DAY_PARIS, new Date("2026-12-10T12:00:00Z")]) {
      expect(await withdrawAt(now, caseId), now.toISOString()).toEqual({
        kind: "refused",
        reason: "too_late",
      });
    }
    expect(await caseRow(caseId)).toMatchObject({ status: "received", withdrawnAt: null });
    expect(await contractStatus(contract.id)).toBe("cancellation_pending");
    expect(await db.select().from(caseContracts).where(eq(caseContracts.caseId, caseId))).toEqual([
      { caseId, contractId: contract.id, open: true },
    ]);
    expect(await verifyCaseChain(db, caseId)).toMatchObject({ ok: true, events: 3 });
    expect(await withdrawalJobs(caseId)).toEqual([]);
  });

  it("lets the subscriber give a new notice for the same contract after withdrawing", async () => {
    const { subscriber, contract, caseId, reference, notify } = await notifiedCase();
    // Before the withdrawal a new journey is told the case is open.
    expect(await notify("journey-2", NOTIFY_NOW)).toMatchObject({
      kind: "already_open",
      reference,
    });
    expect(await withdrawAt(LAST_MINUTE, caseId)).toMatchObject({ kind: "withdrawn" });

    const later = new Date("2026-12-05T10:00:00Z");
    const again = await notify("journey-3", later);
    expect(again).toMatchObject({ kind: "notified", created: true });
    if (again.kind !== "notified") throw new Error("unreachable");
    expect(again.caseId).not.toBe(caseId);
    expect(again.reference).not.toBe(reference);

    expect(await caseRow(again.caseId)).toMatchObject({
      status: "received",
      effectiveEndDate: "2026-12-15",
    });
    expect(await caseRow(caseId)).toMatchObject({ status: "withdrawn" });
    expect(await contractStatus(contract.id)).toBe("cancellation_pending");
    const links = await db
      .select()
      .from(caseContracts)
      .where(eq(caseContracts.contractId, contract.id));
    expect(links.map((link) => [link.caseId, link.open]).sort()).toEqual(
      [
        [caseId, false],
        [again.caseId, true],
      ].sort(),
    );
    const cases = await db
      .select({ id: cancellationCases.id })
      .from(cancellationCases)
      .where(eq(cancellationCases.subscriberId, subscriber.id));
    expect(cases).toHaveLength(2);
  });
});
