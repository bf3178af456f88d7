import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recordEvent, streamForCase } from "../../app/audit/record-event.server";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { auditEvents } from "../../db/schema";
import { insertCase, insertContract, insertOperator, insertSubscriber } from "../factories";
import { setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const subscriberActor = (id: string) => ({ type: "subscriber" as const, id });
const meta = { ip: "203.0.113.7", userAgent: "vitest" };

async function aCase() {
  const operator = await insertOperator(db);
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: "2025-01-15",
  });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: new Date("2026-11-20T10:15:30.123Z"),
    effectiveEndDate: "2026-11-30",
  });
  return { row, subscriber };
}

async function withTriggerDisabled(run: () => Promise<unknown>) {
  await db.execute(sql`alter table audit_event disable trigger audit_event_append_only`);
  try {
    await run();
  } finally {
    await db.execute(sql`alter table audit_event enable trigger audit_event_append_only`);
  }
}

describe("audit trail", () => {
  it("chains each event to the previous one of its case", async () => {
    const { row, subscriber } = await aCase();
    await recordEvent(db, {
      caseId: row.id,
      type: "case.withdrawn",
      actor: subscriberActor(subscriber.id),
      meta,
      data: { reference: row.reference },
    });
    const events = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, row.id))
      .orderBy(auditEvents.seq);
    expect(events.map((event) => event.seq)).toEqual([1, 2]);
    expect(events[0]!.prevHash).toBe("0".repeat(64));
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[1]!.ip).toBe("203.0.113.7");
    expect(await verifyCaseChain(db, row.id)).toEqual({
      ok: true,
      stream: streamForCase(row.id),
      events: 2,
      headHash: events[1]!.hash,
    });
  });

  it("refuses UPDATE and DELETE at the database", async () => {
    const { row } = await aCase();
    await expect(
      db.update(auditEvents).set({ type: "case.closed" }).where(eq(auditEvents.caseId, row.id)),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only: UPDATE/) } });
    await expect(
      db.delete(auditEvents).where(eq(auditEvents.caseId, row.id)),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only: DELETE/) } });
    expect(await verifyCaseChain(db, row.id)).toMatchObject({ ok: true, events: 1 });
  });

  it("names the first broken link when an event is edited in place with the trigger disabled", async () => {
    const { row, subscriber } = await aCase();
    for (let i = 0; i < 3; i += 1) {
      await recordEvent(db, {
        caseId: row.id,
        type: "case.viewed",
        actor: subscriberActor(subscriber.id),
        meta,
        data: { view: `page-${i}` },
      });
    }
    await withTriggerDisabled(() =>
      db.execute(
        sql`update audit_event set data = '{"view":"forged"}'::jsonb where case_id = ${row.id} and seq = 3`,
      ),
    );
    const result = await verifyCaseChain(db, row.id);
    expect(result).toMatchObject({
      ok: false,
      events: 4,
      firstBroken: { seq: 3, problem: "hash_mismatch" },
    });
  });

  it("detects a removed event and a re-hashed forgery", async () => {
    const { row, subscriber } = await aCase();
    for (let i = 0; i < 3; i += 1) {
      await recordEvent(db, {
        caseId: row.id,
        type: "case.viewed",
        actor: subscriberActor(subscriber.id),
        meta,
        data: { view: `page-${i}` },
      });
    }
    await withTriggerDisabled(() =>
      db.execute(sql`delete from audit_event where case_id = ${row.id} and seq = 2`),
    );
    expect(await verifyCaseChain(db, row.id)).toMatchObject({
      ok: false,
      firstBroken: { seq: 3, problem: "sequence_gap" },
    });
  });

  it("detects an event whose hash was recomputed but whose successor still points to the old one", async () => {
    const { row, subscriber } = await aCase();
    await recordEvent(db, {
      caseId: row.id,
      type: "case.viewed",
      actor: subscriberActor(subscriber.id),
      meta,
      data: { view: "a" },
    });
    await withTriggerDisabled(() =>
      db.execute(
        sql`update audit_event set hash = repeat('a', 64) where case_id = ${row.id} and seq = 1`,
      ),
    );
    const result = await verifyCaseChain(db, row.id);
    expect(result).toMatchObject({ ok: false, firstBroken: { seq: 1, problem: "hash_mismatch" } });
  });

  it("keeps one unbroken chain under 200 concurrent writers on one case", async () => {
    const { row, subscriber } = await aCase();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        recordEvent(db, {
          caseId: row.id,
          type: "case.viewed",
          actor: subscriberActor(subscriber.id),
          meta,
          data: { view: `v${i}` },
        }),
      ),
    );
    const result = await verifyCaseChain(db, row.id);
    expect(result).toMatchObject({ ok: true, events: 201 });
    const views = await db
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.type, "case.viewed"));
    expect(new Set(views.map((view) => (view.data as { view: string }).view)).size).toBe(200);
  });

  it("does not make writers to different cases wait for each other", async () => {
    const first = await aCase();
    const second = await aCase();
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstRecorded!: () => void;
    const firstInside = new Promise<void>((resolve) => (firstRecorded = resolve));
    // Transaction 1 appends to case 1 and stays open, holding that case's chain lock.
    const open = db.transaction(async (tx) => {
      await recordEvent(tx, {
        caseId: first.row.id,
        type: "case.viewed",
        actor: subscriberActor(first.subscriber.id),
        meta,
        data: { view: "held" },
      });
      firstRecorded();
      await firstHolds;
    });
    await firstInside;
    // Meanwhile case 2 gets its event committed (with a 5 s lock timeout, it would fail if blocked).
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '5s'`);
      await recordEvent(tx, {
        caseId: second.row.id,
        type: "case.viewed",
        actor: subscriberActor(second.subscriber.id),
        meta,
        data: { view: "free" },
      });
    });
    expect(await verifyCaseChain(db, second.row.id)).toMatchObject({ ok: true, events: 2 });
    releaseFirst();
    await open;
    expect(await verifyCaseChain(db, first.row.id)).toMatchObject({ ok: true, events: 2 });
  });

  it("rejects data outside the event catalogue (no free text sneaks in)", async () => {
    const { row, subscriber } = await aCase();
    await expect(
      recordEvent(db, {
        caseId: row.id,
        type: "case.withdrawn",
        actor: subscriberActor(subscriber.id),
        meta,
        // @ts-expect-error an unknown key is a type error and a runtime error
        data: { reference: row.reference, email: "camille@example.com" },
      }),
    ).rejects.toThrow(/email/);
  });

  it("rolls the event back with the transaction it belongs to", async () => {
    const { row, subscriber } = await aCase();
    await expect(
      db.transaction(async (tx) => {
        await recordEvent(tx, {
          caseId: row.id,
          type: "case.withdrawn",
          actor: subscriberActor(subscriber.id),
          meta,
          data: { reference: row.reference },
        });
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await verifyCaseChain(db, row.id)).toMatchObject({ ok: true, events: 1 });
  });
});
