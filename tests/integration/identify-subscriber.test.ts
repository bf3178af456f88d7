import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { identifySubscriber } from "../../app/services/identify-subscriber.server";
import { contracts, operators } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { insertContract, insertLine, insertOperator, insertSubscriber } from "../factories";
import { setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();
const NOW = new Date("2026-11-23T09:30:00Z");

async function seeded() {
  await seedDemoData(db, { now: NOW, history: false, crowd: false });
  const [operator] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  const byNumber = async (contractNumber: string) =>
    (await db.select().from(contracts).where(eq(contracts.contractNumber, contractNumber)))[0]!;
  return {
    operatorId: operator!.id,
    camilleFibre: await byNumber("CT-2026-000101"),
    inesFibre: await byNumber("CT-2023-000103"),
    inesMobile: await byNumber("CT-2024-000104"),
  };
}

describe("identifySubscriber", { timeout: 60_000 }, () => {
  it("matches Camille Martin by customer number, contract number and line number as people type it", async () => {
    const { operatorId, camilleFibre } = await seeded();
    const identify = (reference: string) =>
      identifySubscriber(db, { operatorId, firstName: "Camille", lastName: "Martin", reference });

    const byCustomer = await identify("C-100001");
    expect(byCustomer).toMatchObject({
      matched: true,
      subscriber: { customerNumber: "C-100001", email: "camille.martin@example.com" },
      preselectedContractIds: [camilleFibre.id],
    });
    if (!byCustomer.matched) throw new Error("unreachable");
    expect(byCustomer.contracts.map((contract) => contract.contractNumber)).toEqual([
      "CT-2026-000101",
    ]);

    // Typed in lower case with spaces around: still an exact match on the reference.
    for (const reference of ["CT-2026-000101", " ct-2026-000101 "]) {
      expect(await identify(reference), reference).toMatchObject({
        matched: true,
        subscriber: { customerNumber: "C-100001" },
        preselectedContractIds: [camilleFibre.id],
      });
    }

    for (const reference of ["01 23 45 67 89", "+33 1 23 45 67 89", "0123456789"]) {
      expect(await identify(reference), reference).toMatchObject({
        matched: true,
        subscriber: { customerNumber: "C-100001" },
        preselectedContractIds: [camilleFibre.id],
      });
    }
  });

  it("matches names without regard to accents or case", async () => {
    const { operatorId, inesMobile } = await seeded();
    for (const [firstName, lastName] of [
      ["ines", "PETIT"],
      ["INÈS", "petit"],
      ["  Inès ", " Petit"],
    ] as const) {
      expect(
        await identifySubscriber(db, {
          operatorId,
          firstName,
          lastName,
          reference: "07 98 76 54 32",
        }),
        `${firstName} ${lastName}`,
      ).toMatchObject({
        matched: true,
        subscriber: { customerNumber: "C-100003" },
        preselectedContractIds: [inesMobile.id],
      });
    }
  });

  it("gives one identical neutral answer for a wrong name, an unknown reference or an empty one", async () => {
    const { operatorId } = await seeded();
    const attempts = [
      { firstName: "Camille", lastName: "Martine", reference: "C-100001" },
      { firstName: "Lucas", lastName: "Bernard", reference: "C-100001" },
      { firstName: "Camille", lastName: "Martin", reference: "CT-2026-000102" },
      { firstName: "Camille", lastName: "Martin", reference: "C-999999" },
      { firstName: "Camille", lastName: "Martin", reference: "06 99 99 99 99" },
      { firstName: "Camille", lastName: "Martin", reference: "" },
      { firstName: "Camille", lastName: "Martin", reference: "   " },
    ];
    for (const attempt of attempts) {
      expect(
        await identifySubscriber(db, { operatorId, ...attempt }),
        JSON.stringify(attempt),
      ).toStrictEqual({ matched: false });
    }
    // The same references with the right names do match: the refusals above are about the pair.
    expect(
      await identifySubscriber(db, {
        operatorId,
        firstName: "Lucas",
        lastName: "Bernard",
        reference: "CT-2025-000102",
      }),
    ).toMatchObject({ matched: true, subscriber: { customerNumber: "C-100002" } });

    // Nor is a subscriber found through another operator.
    const other = await insertOperator(db);
    expect(
      await identifySubscriber(db, {
        operatorId: other.id,
        firstName: "Camille",
        lastName: "Martin",
        reference: "C-100001",
      }),
    ).toStrictEqual({ matched: false });
  });

  it("lists both of Inès Petit's contracts by customer number and preselects none, one by contract number", async () => {
    const { operatorId, inesFibre, inesMobile } = await seeded();
    const byCustomer = await identifySubscriber(db, {
      operatorId,
      firstName: "Inès",
      lastName: "Petit",
      reference: "C-100003",
    });
    expect(byCustomer).toMatchObject({ matched: true, preselectedContractIds: [] });
    if (!byCustomer.matched) throw new Error("unreachable");
    expect(byCustomer.contracts.map((contract) => contract.id).sort()).toEqual(
      [inesFibre.id, inesMobile.id].sort(),
    );

    const byContract = await identifySubscriber(db, {
      operatorId,
      firstName: "Inès",
      lastName: "Petit",
      reference: "CT-2023-000103",
    });
    expect(byContract).toMatchObject({ matched: true, preselectedContractIds: [inesFibre.id] });
    if (!byContract.matched) throw new Error("unreachable");
    expect(byContract.contracts).toHaveLength(2);
  });

  it("leaves terminated contracts out", async () => {
    const operator = await insertOperator(db);
    const subscriber = await insertSubscriber(db, {
      operatorId: operator.id,
      firstName: "Zoé",
      lastName: "Leroy",
    });
    const ended = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2022-01-10",
      status: "terminated",
    });
    const active = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2025-06-01",
    });
    const pending = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2025-07-01",
      status: "cancellation_pending",
    });
    await insertLine(db, {
      operatorId: operator.id,
      contractId: ended.id,
      phoneNumber: "+33611111111",
    });
    const identify = (reference: string) =>
      identifySubscriber(db, {
        operatorId: operator.id,
        firstName: "Zoe",
        lastName: "Leroy",
        reference,
      });

    const byCustomer = await identify(subscriber.customerNumber);
    expect(byCustomer).toMatchObject({ matched: true, preselectedContractIds: [] });
    if (!byCustomer.matched) throw new Error("unreachable");
    expect(byCustomer.contracts.map((contract) => contract.id).sort()).toEqual(
      [active.id, pending.id].sort(),
    );

    // Pointing at the terminated contract never offers it.
    for (const reference of [ended.contractNumber, "06 11 11 11 11"]) {
      const result = await identify(reference);
      if (!result.matched) throw new Error(`${reference} should identify the subscriber`);
      expect(result.contracts.map((contract) => contract.id)).not.toContain(ended.id);
      expect(result.preselectedContractIds).not.toContain(ended.id);
    }
  });
});
