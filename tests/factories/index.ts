// Factories: rows with sensible defaults, used by tests and by the demo seed (db/seed.ts).
// Each takes the database (or a transaction) and overrides; each returns the inserted row.
import { inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import {
  caseContracts,
  caseLines,
  cancellationCases,
  contracts,
  equipment,
  lines,
  operators,
  staffUsers,
  subscribers,
  type CancellationCase,
  type Contract,
  type Equipment,
  type Line,
  type Operator,
  type StaffUser,
  type Subscriber,
} from "../../db/schema";
import {
  cancelReturnPlan,
  createReturnPlan,
} from "../../app/services/returns/create-return-plan.server";
import { recordEvent } from "../../app/audit/record-event.server";
import { insertAcknowledgment } from "./compliance";
import { randomUUID } from "node:crypto";
import { deriveCaseToken, newToken } from "../../app/auth/tokens.server";
import { summariseCancellation } from "../../app/domain/cancellation-summary";
import { loadCancellationContext } from "../../app/services/load-cancellation-context.server";
import type { IsoDate } from "../../app/domain/dates";
import type { CaseStatus, EquipmentKind } from "../../app/domain/enums";
import { nameKey } from "../../app/domain/names";
import { makeReference } from "../../app/domain/reference";

type Overrides<T> = Partial<T>;

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

function one<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("insert returned no row");
  return row;
}

export const NEBULA = {
  slug: "nebula",
  legalName: "Nébula Télécom SAS",
  displayName: "Nébula Télécom",
  addressLine1: "12 rue des Étoiles",
  postalCode: "75011",
  city: "Paris",
  country: "FR",
  registrationNumber: "RCS Paris 912 345 678",
  vatNumber: "FR32912345678",
  jurisdiction: "FR",
  defaultLanguage: "fr",
  timeZone: "Europe/Paris",
  supportEmail: "resiliation@nebula-telecom.example",
  supportPhone: "+33 9 70 00 00 00",
  returnDeadlineDays: 30,
  returnMethods: ["relay_point", "post_office", "shop", "courier_pickup"],
  returnAddress: "Nébula Télécom — Service retours, 4 allée des Entrepôts, 93200 Saint-Denis",
} as const satisfies Omit<
  Operator,
  | "id"
  | "createdAt"
  | "updatedAt"
  | "addressLine2"
  | "auditRetentionYears"
  | "prospectRetentionMonths"
  | "winbackMaxAttempts"
  | "winbackMaxAgeDays"
>;

export async function insertOperator(
  db: Queryable,
  overrides: Overrides<Operator> = {},
): Promise<Operator> {
  return one(
    await db
      .insert(operators)
      .values({
        ...NEBULA,
        slug: `nebula-${next()}`,
        returnMethods: [...NEBULA.returnMethods],
        ...overrides,
      })
      .returning(),
  );
}

export async function insertSubscriber(
  db: Queryable,
  values: { operatorId: string } & Overrides<Subscriber>,
): Promise<Subscriber> {
  const n = next();
  const firstName = values.firstName ?? "Alex";
  const lastName = values.lastName ?? `Testeur${n}`;
  return one(
    await db
      .insert(subscribers)
      .values({
        customerNumber: `C-9${String(n).padStart(5, "0")}`,
        email: `subscriber${n}@example.com`,
        ...values,
        firstName,
        lastName,
        nameKey: nameKey(firstName, lastName),
      })
      .returning(),
  );
}

export async function insertContract(
  db: Queryable,
  values: { operatorId: string; subscriberId: string; startDate: IsoDate } & Overrides<Contract>,
): Promise<Contract> {
  const n = next();
  return one(
    await db
      .insert(contracts)
      .values({
        contractNumber: `CT-9${String(n).padStart(6, "0")}`,
        offerName: "Fibre 1 Gb/s",
        category: "internet",
        jurisdiction: "FR",
        monthlyPriceCents: 3999,
        ...values,
      })
      .returning(),
  );
}

export async function insertLine(
  db: Queryable,
  values: { operatorId: string; contractId: string; phoneNumber: string },
): Promise<Line> {
  return one(await db.insert(lines).values(values).returning());
}

export async function insertEquipment(
  db: Queryable,
  values: { contractId: string; kind: EquipmentKind } & Overrides<Equipment>,
): Promise<Equipment> {
  const n = next();
  return one(
    await db
      .insert(equipment)
      .values({
        model: values.kind === "sim" ? "Nébula SIM" : "Nébula Box 8",
        serial: `SN${String(n).padStart(8, "0")}`,
        mustReturn: values.kind !== "sim",
        ...values,
      })
      .returning(),
  );
}

export async function insertStaffUser(
  db: Queryable,
  values: { passwordHash: string } & Overrides<StaffUser>,
): Promise<StaffUser> {
  const n = next();
  return one(
    await db
      .insert(staffUsers)
      .values({
        email: `staff${n}@example.com`,
        displayName: `Staff ${n}`,
        role: "agent",
        ...values,
      })
      .returning(),
  );
}

export interface InsertCaseInput {
  operatorId: string;
  subscriber: Subscriber;
  contracts: Contract[];
  lineIds?: string[];
  receivedAt: Date;
  effectiveEndDate: IsoDate;
  status?: CaseStatus;
  legitimateReason?: boolean;
  /** SESSION_SECRET: derive the case link as notifyCancellation does. */
  linkSecret?: string;
  /** The acknowledgment email, delivered this long after the notice (default: none sent). */
  acknowledgedAfterMs?: number;
}

/**
 * A case with the audit events its status implies (notified, then withdrawn / effective /
 * closed), each in its own hash chain. Returns the private-link token too.
 */
export async function insertCase(
  db: Queryable,
  input: InsertCaseInput,
): Promise<{ case: CancellationCase; token: string }> {
  const status = input.status ?? "received";
  // With the server secret, the link is derived like a real notice's, so find-my-case works.
  const idempotencyKey = `seed-${randomUUID()}`;
  const { token, hash } = input.linkSecret
    ? deriveCaseToken(input.linkSecret, idempotencyKey)
    : newToken();
  const first = input.contracts[0];
  if (first === undefined) throw new Error("a case needs a contract");
  // The summary the subscriber would have seen, computed by the same rules as a real notice.
  const context = await loadCancellationContext(db, {
    subscriberId: input.subscriber.id,
    contractIds: input.contracts.map((contract) => contract.id),
  });
  if (context === null) throw new Error("insertCase: contracts not found for this subscriber");
  const summary = {
    ...summariseCancellation({
      pack: context.pack,
      policy: context.policy,
      receivedAt: input.receivedAt,
      contracts: context.contracts,
      endDate: { kind: "date", date: input.effectiveEndDate },
      legitimateReason: input.legitimateReason ?? false,
    }),
    endDate: input.effectiveEndDate,
  };
  return db.transaction(async (tx) => {
    const row = one(
      await tx
        .insert(cancellationCases)
        .values({
          operatorId: input.operatorId,
          reference: makeReference("RX"),
          subscriberId: input.subscriber.id,
          jurisdiction: first.jurisdiction,
          language: input.subscriber.language,
          receivedAt: input.receivedAt,
          requestedEndDate: input.effectiveEndDate,
          effectiveEndDate: input.effectiveEndDate,
          terminationType: "ordinary",
          feeBreakdown: summary,
          feeTotalCents: summary.feeTotalCents,
          status,
          acknowledgmentEmail: input.subscriber.email,
          accessTokenHash: hash,
          idempotencyKey,
          withdrawnAt:
            status === "withdrawn" ? new Date(input.receivedAt.getTime() + 86_400_000) : null,
          effectiveAt:
            status === "effective" || status === "closed"
              ? new Date(`${input.effectiveEndDate}T00:00:00Z`)
              : null,
          closedAt: status === "closed" ? new Date(`${input.effectiveEndDate}T12:00:00Z`) : null,
        })
        .returning(),
    );
    const open = status === "received" || status === "confirmed";
    await tx
      .insert(caseContracts)
      .values(
        input.contracts.map((contract) => ({ caseId: row.id, contractId: contract.id, open })),
      );
    if (status !== "withdrawn") {
      const contractStatus = open ? "cancellation_pending" : "terminated";
      await tx
        .update(contracts)
        .set({ status: contractStatus })
        .where(
          inArray(
            contracts.id,
            input.contracts.map((contract) => contract.id),
          ),
        );
    }
    if (input.lineIds?.length)
      await tx
        .insert(caseLines)
        .values(input.lineIds.map((lineId) => ({ caseId: row.id, lineId })));

    const subscriberActor = { type: "subscriber" as const, id: input.subscriber.id };
    const system = { type: "system" as const, id: null };
    const meta = { ip: null, userAgent: null };
    await recordEvent(tx, {
      caseId: row.id,
      type: "case.notified",
      actor: subscriberActor,
      meta,
      occurredAt: input.receivedAt,
      data: {
        reference: row.reference,
        receivedAt: input.receivedAt.toISOString(),
        contractIds: input.contracts.map((contract) => contract.id),
        effectiveEndDate: input.effectiveEndDate,
        terminationType: "ordinary",
        feeTotalCents: row.feeTotalCents,
      },
    });
    await createReturnPlan(tx, {
      caseId: row.id,
      jurisdiction: row.jurisdiction,
      summary,
      actor: subscriberActor,
      meta,
      occurredAt: input.receivedAt,
    });
    if (input.acknowledgedAfterMs !== undefined)
      await insertAcknowledgment(tx, row, input.acknowledgedAfterMs);
    if (status === "confirmed") {
      await recordEvent(tx, {
        caseId: row.id,
        type: "case.confirmed",
        actor: system,
        meta,
        data: { reference: row.reference },
      });
    }
    if (status === "withdrawn") {
      await recordEvent(tx, {
        caseId: row.id,
        type: "case.withdrawn",
        actor: subscriberActor,
        meta,
        occurredAt: row.withdrawnAt!,
        data: { reference: row.reference },
      });
      await cancelReturnPlan(tx, {
        caseId: row.id,
        actor: subscriberActor,
        meta,
        occurredAt: row.withdrawnAt!,
      });
    }
    if (status === "effective" || status === "closed") {
      await recordEvent(tx, {
        caseId: row.id,
        type: "case.effective",
        actor: system,
        meta,
        occurredAt: row.effectiveAt!,
        data: { reference: row.reference, effectiveEndDate: input.effectiveEndDate },
      });
    }
    if (status === "closed") {
      await recordEvent(tx, {
        caseId: row.id,
        type: "case.closed",
        actor: system,
        meta,
        occurredAt: row.closedAt!,
        data: { reference: row.reference },
      });
    }
    return { case: row, token };
  });
}
