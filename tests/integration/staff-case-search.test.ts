import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { searchCases } from "../../app/services/staff/search-cases.server";
import { cancellationCases } from "../../db/schema";
import { insertCase, insertContract, insertOperator, insertSubscriber } from "../factories";
import { setupTestDatabase } from "../setup/test-db";

const db = setupTestDatabase();

describe("staff case search", () => {
  it("finds a case by a reference without any digit, typed as people type it", async () => {
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
      receivedAt: new Date("2026-11-02T10:00:00Z"),
      effectiveEndDate: "2026-11-12",
    });
    // References are drawn from 28 characters, 20 of them letters: one in ~25 has no digit.
    await db
      .update(cancellationCases)
      .set({ reference: "RX-DYXC-CJFF" })
      .where(eq(cancellationCases.id, row.id));

    for (const q of ["RX-DYXC-CJFF", "rx dyxc cjff", "RXDYXCCJFF"]) {
      const { rows } = await searchCases(db, { q, status: null, cursor: null, caseSet: null });
      expect(
        rows.map((found) => found.reference),
        q,
      ).toEqual(["RX-DYXC-CJFF"]);
    }
    const { rows: none } = await searchCases(db, {
      q: "RX-DYXC-CJFG",
      status: null,
      cursor: null,
      caseSet: null,
    });
    expect(none).toEqual([]);
  });
});
