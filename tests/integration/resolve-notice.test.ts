import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { StaffContext } from "../../app/auth/require-staff.server";
import { hashPassword } from "../../app/auth/password.server";
import { recordUnmatchedNotice } from "../../app/services/record-unmatched-notice.server";
import { matchNotice, rejectNotice } from "../../app/services/staff/unmatched-notices.server";
import { cancellationCases, unmatchedNotices } from "../../db/schema";
import { insertContract, insertOperator, insertStaffUser, insertSubscriber } from "../factories";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const jobs = setupAppJobQueue();
const meta = { ip: "192.0.2.7", userAgent: "vitest" };
const RECEIVED = new Date("2026-11-02T09:15:00Z");

async function fixture() {
  const operator = await insertOperator(db);
  const user = await insertStaffUser(db, {
    passwordHash: await hashPassword("unused-password"),
    role: "operations",
  });
  const staff: StaffContext = {
    staff: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: "operations",
      totp: false,
    },
    tokenHash: "0".repeat(64),
    actor: { type: "staff", id: user.id },
  };
  const notice = await recordUnmatchedNotice(
    { db, jobs, now: () => RECEIVED },
    {
      operatorId: operator.id,
      firstName: "Jean",
      lastName: "Dupond",
      reference: "C-XXXX",
      email: "jean@example.com",
      language: "fr",
      idempotencyKey: `notice-${user.id}`,
      meta,
    },
  );
  return { operator, staff, notice };
}

describe("resolving an unmatched notice", () => {
  it("matches it into a case with the notice's receipt time, once, with letter and email jobs", async () => {
    const { operator, staff, notice } = await fixture();
    const subscriber = await insertSubscriber(db, { operatorId: operator.id });
    const contract = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2025-01-15",
    });
    const input = {
      noticeId: notice.id,
      subscriberId: subscriber.id,
      contractIds: [contract.id],
      staff,
      meta,
    };
    const first = await matchNotice({ db, jobs, secret: "s".repeat(40) }, input);
    const again = await matchNotice({ db, jobs, secret: "s".repeat(40) }, input);
    expect(first.kind).toBe("notified");
    expect(again).toMatchObject({ kind: "notified", created: false });
    if (first.kind !== "notified") return;
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, first.caseId));
    expect(row?.receivedAt.toISOString()).toBe(RECEIVED.toISOString());
    expect(row?.acknowledgmentEmail).toBe("jean@example.com");
    const queued = await db.execute<{ name: string }>(
      sql`select name from pgboss.job where data->>'caseId' = ${first.caseId} order by name`,
    );
    expect(queued.map((job) => job.name)).toEqual([
      "case.render-letter",
      "case.send-acknowledgment",
    ]);
    const rejected = await rejectNotice(
      { db, jobs },
      { noticeId: notice.id, reason: "duplicate", note: null, staff, meta },
    );
    expect(rejected).toBe("already_resolved");
  });

  it("rejects it with a reason, queues the email to the notifier, and refuses a second resolution", async () => {
    const { staff, notice } = await fixture();
    const result = await rejectNotice(
      { db, jobs },
      {
        noticeId: notice.id,
        reason: "identity_mismatch",
        note: "Le titulaire est une société.",
        staff,
        meta,
      },
    );
    expect(result).toBe("rejected");
    const [row] = await db
      .select()
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, notice.id));
    expect(row).toMatchObject({ status: "rejected", resolvedBy: staff.staff.id });
    expect(row?.rejectionReason).toBe("identity_mismatch: Le titulaire est une société.");
    const queued = await db.execute<{ name: string }>(
      sql`select name from pgboss.job where data->>'noticeId' = ${notice.id} and name = 'notice.send-rejection'`,
    );
    expect(queued).toHaveLength(1);
    expect(
      await rejectNotice(
        { db, jobs },
        { noticeId: notice.id, reason: "other", note: null, staff, meta },
      ),
    ).toBe("already_resolved");
  });
});
