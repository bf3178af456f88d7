import { asc, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { verifyPassword } from "../../app/auth/password.server";
import { findCaseLink, loadCaseByToken } from "../../app/services/load-subscriber-case.server";
import { CASE_STATUSES } from "../../app/domain/enums";
import { DEMO_STAFF, DEMO_STAFF_PASSWORD, seedDemoData, truncateAppTables } from "../../db/seed";
import {
  cancellationCases,
  contracts,
  equipment,
  lines,
  staffUsers,
  subscribers,
  surveyResponses,
  unmatchedNotices,
} from "../../db/schema";
import { setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const NOW = new Date("2026-11-23T09:30:00Z");

async function counts() {
  const tables = {
    subscribers,
    contracts,
    cancellationCases,
    surveyResponses,
    staffUsers,
    unmatchedNotices,
  };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables))
    result[name] = (await db.select({ n: count() }).from(table))[0]!.n;
  return result;
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
  it("gives seeded cases links that find-my-case can send back, like real notices", async () => {
    const secret = "seed-link-secret-0123456789-abcdefgh";
    await seedDemoData(db, { now: NOW, linkSecret: secret });
    const [seeded] = await db.select().from(cancellationCases).limit(1);
    const token = await findCaseLink(db, secret, {
      reference: seeded!.reference,
      email: seeded!.acknowledgmentEmail,
    });
    expect(token).not.toBeNull();
    expect((await loadCaseByToken(db, token!))?.case.id).toBe(seeded!.id);
  });

  it("creates the demo data once, and a second run is a no-op", async () => {
    const first = await seedDemoData(db, { now: NOW });
    expect(first.created).toBe(true);
    const before = await counts();
    expect(before.subscribers).toBe(200);
    expect(before.staffUsers).toBe(12);
    expect(before.surveyResponses).toBeGreaterThanOrEqual(150);
    const second = await seedDemoData(db, { now: NOW });
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(before);

    // Re-seeding (what `npm run db:seed` does) gives the same data again.
    await truncateAppTables(db);
    await seedDemoData(db, { now: NOW });
    expect(await counts()).toEqual(before);
  });

  it("contains the three demo subscribers exactly as SPEC.md lists them, cases in every state, and valid chains", async () => {
    await seedDemoData(db, { now: NOW });

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

    const cases = await db.select({ id: cancellationCases.id }).from(cancellationCases);
    for (const row of cases) expect(await verifyCaseChain(db, row.id)).toMatchObject({ ok: true });

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
});
