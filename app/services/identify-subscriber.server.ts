import { and, eq, inArray, ne } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { contracts, lines, subscribers, type Contract, type Subscriber } from "../../db/schema";
import { parseReference } from "../domain/identification";
import { nameKey } from "../domain/names";

export interface IdentifyInput {
  operatorId: string;
  firstName: string;
  lastName: string;
  reference: string;
}

export type Identification =
  | {
      matched: true;
      subscriber: Subscriber;
      /** The subscriber's contracts that can still be cancelled. */
      contracts: Contract[];
      /** Contracts the reference points at directly (a contract or line number); else all. */
      preselectedContractIds: string[];
    }
  | { matched: false };

/**
 * Finds the subscriber behind one reference (exact) and checks the name (accent- and
 * case-insensitive). A failure says nothing about which part was wrong.
 */
export async function identifySubscriber(
  db: Queryable,
  input: IdentifyInput,
): Promise<Identification> {
  const query = parseReference(input.reference);
  if (query === null) return { matched: false };

  let subscriberId: string | undefined;
  let preselected: string[] = [];
  if (query.kind === "phone") {
    const [line] = await db
      .select({ contractId: lines.contractId, subscriberId: contracts.subscriberId })
      .from(lines)
      .innerJoin(contracts, eq(contracts.id, lines.contractId))
      .where(and(eq(lines.operatorId, input.operatorId), eq(lines.phoneNumber, query.value)));
    subscriberId = line?.subscriberId;
    if (line) preselected = [line.contractId];
  } else {
    const [byCustomer] = await db
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(
        and(
          eq(subscribers.operatorId, input.operatorId),
          eq(subscribers.customerNumber, query.value),
        ),
      );
    subscriberId = byCustomer?.id;
    if (subscriberId === undefined) {
      const [byContract] = await db
        .select({ id: contracts.id, subscriberId: contracts.subscriberId })
        .from(contracts)
        .where(
          and(
            eq(contracts.operatorId, input.operatorId),
            eq(contracts.contractNumber, query.value),
          ),
        );
      subscriberId = byContract?.subscriberId;
      if (byContract) preselected = [byContract.id];
    }
  }
  if (subscriberId === undefined) return { matched: false };

  const [subscriber] = await db.select().from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!subscriber || subscriber.nameKey !== nameKey(input.firstName, input.lastName))
    return { matched: false };

  const candidates = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.subscriberId, subscriber.id), ne(contracts.status, "terminated")))
    .orderBy(contracts.contractNumber);
  const candidateIds = new Set(candidates.map((contract) => contract.id));
  const preselectedContractIds = preselected.filter((id) => candidateIds.has(id));
  return {
    matched: true,
    subscriber,
    contracts: candidates,
    preselectedContractIds:
      preselectedContractIds.length > 0
        ? preselectedContractIds
        : candidates.length === 1
          ? [candidates[0]!.id]
          : [],
  };
}

/** Lines of the given contracts, by contract. */
export async function linesByContract(
  db: Queryable,
  contractIds: string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (contractIds.length === 0) return result;
  const rows = await db
    .select()
    .from(lines)
    .where(inArray(lines.contractId, contractIds))
    .orderBy(lines.phoneNumber);
  for (const row of rows)
    result.set(row.contractId, [...(result.get(row.contractId) ?? []), row.phoneNumber]);
  return result;
}
