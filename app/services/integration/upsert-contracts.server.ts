import { and, eq, getTableColumns, isNotNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "../../../db/client";
import {
  cancellationCases,
  caseContracts,
  caseLines,
  contracts,
  equipment,
  lines,
  returnItems,
  subscribers,
} from "../../../db/schema";
import { bulkInsert } from "../../../db/seed-bulk";
import type { Actor, RequestMeta } from "~/audit/events";
import { recordEvents } from "~/audit/record-events.server";
import type { ContractRecord } from "~/domain/integration/contract-record";
import { nameKey } from "~/domain/names";

// Creates or updates contracts from records of the operator's BSS (integration API, bulk import),
// set-based: one transaction per call, a handful of statements per table whatever the number of
// records (the import sends batches of 1,000). Idempotent: a record already stored as it is gives
// `unchanged` and writes nothing (no row, no event).
//
// Rules (README, "Contract import"):
// - Everything is keyed by the BSS's ids: subscriber and contract by (operator, external id),
//   equipment by (contract, external id), lines by (operator, phone number).
// - A record is all or nothing: the call first looks for conflicts (a customer number, contract
//   number or phone number that belongs to something else, the same contract twice, one
//   subscriber with two different details in one call) and, if there is any, throws
//   `ContractRecordConflictError` naming every conflicting record, having written nothing.
// - A contract with a cancellation case that is not withdrawn (open, effective or closed) is
//   frozen: the case has snapshotted its end date, fees, lines and equipment, and the portal
//   manages its status. The record still updates its subscriber, but the contract row, its lines
//   and its equipment are left as they are; moving it to another subscriber is a conflict.
// - Otherwise the contract may move to another subscriber; lines not in the record are removed
//   unless a case names them (then they are kept and counted as `kept`); equipment not in the
//   record is removed unless a return names it (kept too). Equipment without an external id
//   (entered before the integration existed) is never touched.
// - A subscriber's personal data are updated from the record, except once pseudonymised by the
//   retention job (docs/decisions/012): then only the link to the contract is kept.

export type UpsertOutcome = "created" | "updated" | "unchanged";

export interface UpsertContractResult {
  outcome: UpsertOutcome;
  subscriberId: string;
  contractId: string;
}

export interface ContractRecordConflict {
  /** The index of the record in `records`. */
  index: number;
  /** The record's field, as a dotted path (`contract.contractNumber`, `lines.1.phoneNumber`). */
  field: string;
  message: string;
}

/** Nothing was written: these records conflict with stored data or with each other. */
export class ContractRecordConflictError extends Error {
  constructor(readonly conflicts: ContractRecordConflict[]) {
    super(
      `${conflicts.length} record(s) conflict: ${conflicts
        .slice(0, 3)
        .map((c) => `#${c.index} ${c.field}: ${c.message}`)
        .join("; ")}`,
    );
    this.name = "ContractRecordConflictError";
  }
}

export interface UpsertContractRecordsInput {
  operatorId: string;
  records: ContractRecord[];
  actor: Actor;
  meta: RequestMeta;
  /** Where the records came from, for the audit events (default `api`). */
  source?: "api" | "import";
  importRunId?: string | null;
}

export const CONFLICT_MESSAGES = {
  duplicateContract: "The same contract is sent twice.",
  subscriberDiffers: "The same subscriber is sent twice with different details.",
  customerNumberTaken: "This customer number belongs to another subscriber.",
  contractNumberTaken: "This contract number belongs to another contract.",
  phoneTaken: "This phone number belongs to another contract.",
  frozenMove: "This contract has a cancellation case: it cannot move to another subscriber.",
} as const;

type SubscriberRecord = ContractRecord["subscriber"];

function subscriberValues(operatorId: string, s: SubscriberRecord) {
  return {
    operatorId,
    externalId: s.externalId,
    customerNumber: s.customerNumber,
    firstName: s.firstName,
    lastName: s.lastName,
    nameKey: nameKey(s.firstName, s.lastName),
    email: s.email,
    phone: s.phone ?? null,
    addressLine1: s.addressLine1 ?? null,
    postalCode: s.postalCode ?? null,
    city: s.city ?? null,
    country: s.country,
    language: s.language,
  };
}

function sameSubscriber(a: SubscriberRecord, b: SubscriberRecord): boolean {
  const x = subscriberValues("", a);
  const y = subscriberValues("", b);
  return (Object.keys(x) as (keyof typeof x)[]).every((key) => x[key] === y[key]);
}

/** `(t.a, t.b) is distinct from (excluded.a, excluded.b)` over the same columns. */
function changedWhere(table: string, columns: Record<string, { name: string }>) {
  const names = Object.values(columns).map((column) => `"${column.name}"`);
  return sql.raw(
    `(${names.map((n) => `"${table}".${n}`).join(", ")}) is distinct from (${names
      .map((n) => `excluded.${n}`)
      .join(", ")})`,
  );
}

const SUBSCRIBER_COLUMNS = {
  customerNumber: subscribers.customerNumber,
  firstName: subscribers.firstName,
  lastName: subscribers.lastName,
  nameKey: subscribers.nameKey,
  email: subscribers.email,
  phone: subscribers.phone,
  addressLine1: subscribers.addressLine1,
  postalCode: subscribers.postalCode,
  city: subscribers.city,
  country: subscribers.country,
  language: subscribers.language,
};

const CONTRACT_COLUMNS = {
  subscriberId: contracts.subscriberId,
  contractNumber: contracts.contractNumber,
  offerName: contracts.offerName,
  category: contracts.category,
  jurisdiction: contracts.jurisdiction,
  monthlyPriceCents: contracts.monthlyPriceCents,
  currency: contracts.currency,
  startDate: contracts.startDate,
  commitmentMonths: contracts.commitmentMonths,
  tacitlyRenewed: contracts.tacitlyRenewed,
  depositCents: contracts.depositCents,
  subsidisedDeviceValueCents: contracts.subsidisedDeviceValueCents,
  withdrawalPeriodEnds: contracts.withdrawalPeriodEnds,
  status: contracts.status,
};

const EQUIPMENT_COLUMNS = {
  kind: equipment.kind,
  model: equipment.model,
  serial: equipment.serial,
  mustReturn: equipment.mustReturn,
  nonReturnChargeCents: equipment.nonReturnChargeCents,
  depositCents: equipment.depositCents,
  currency: equipment.currency,
};

/** A Postgres array literal of text elements (`{"a","b\\"c",NULL}`), sent as one parameter. */
function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const items = values.map((value) =>
    value === null
      ? "NULL"
      : typeof value === "boolean"
        ? value
          ? "t"
          : "f"
        : `"${String(value).replace(/["\\]/g, "\\$&")}"`,
  );
  return `{${items.join(",")}}`;
}

/** `column = any('{…}'::type[])`: one parameter, whatever the number of values. */
function anyOf(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(${arrayLiteral(values)}::${sql.raw(column.getSQLType())}[])`;
}

/**
 * `insert into t (…) select * from unnest(…) on conflict (…) do update set … where …
 * returning id, external_id, (xmax = 0) as inserted`: each column is one array parameter (a
 * multi-row VALUES with a parameter per cell is several times slower to build and to parse).
 */
async function upsertByUnnest<T extends PgTable>(
  db: Queryable,
  table: T,
  rows: readonly Record<string, string | number | boolean | null>[],
  options: { target: string[]; update: Record<string, PgColumn>; where: SQL; touch?: boolean },
): Promise<{ id: string; external_id: string; inserted: boolean }[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]!);
  const arrays = keys.map((key) => {
    const column = columns[key]!;
    return sql`${arrayLiteral(rows.map((row) => row[key] ?? null))}::${sql.raw(column.getSQLType())}[]`;
  });
  const names = sql.raw(keys.map((key) => `"${columns[key]!.name}"`).join(", "));
  const sets = Object.values(options.update).map(
    (column) => `"${column.name}" = excluded."${column.name}"`,
  );
  if (options.touch) sets.push(`"updated_at" = now()`);
  const result = await db.execute<{ id: string; external_id: string; inserted: boolean }>(
    sql`insert into ${table} (${names}) select * from unnest(${sql.join(arrays, sql`, `)})
      on conflict (${sql.raw(options.target.map((name) => `"${name}"`).join(", "))})
      do update set ${sql.raw(sets.join(", "))} where ${options.where}
      returning id, external_id, (xmax = 0) as inserted`,
  );
  return [...result];
}

export async function upsertContractRecords(
  db: Queryable,
  input: UpsertContractRecordsInput,
): Promise<UpsertContractResult[]> {
  const { operatorId, records } = input;
  if (records.length === 0) return [];

  return db.transaction(async (tx) => {
    const conflicts: ContractRecordConflict[] = [];
    const conflict = (index: number, field: string, message: string) =>
      conflicts.push({ index, field, message });

    // ---- Conflicts inside the call --------------------------------------------------------
    const contractIndex = new Map<string, number>();
    const contractNumberOwner = new Map<string, string>();
    const subscriberByExternalId = new Map<string, SubscriberRecord>();
    const customerNumberOwner = new Map<string, string>();
    const phoneOwner = new Map<string, string>();
    records.forEach((record, index) => {
      const { subscriber: s, contract: c } = record;
      if (contractIndex.has(c.externalId)) {
        conflict(index, "contract.externalId", CONFLICT_MESSAGES.duplicateContract);
        return;
      }
      contractIndex.set(c.externalId, index);
      const numberOwner = contractNumberOwner.get(c.contractNumber);
      if (numberOwner !== undefined && numberOwner !== c.externalId)
        conflict(index, "contract.contractNumber", CONFLICT_MESSAGES.contractNumberTaken);
      contractNumberOwner.set(c.contractNumber, c.externalId);
      const known = subscriberByExternalId.get(s.externalId);
      if (known !== undefined && !sameSubscriber(known, s))
        conflict(index, "subscriber.externalId", CONFLICT_MESSAGES.subscriberDiffers);
      subscriberByExternalId.set(s.externalId, known ?? s);
      const customerOwner = customerNumberOwner.get(s.customerNumber);
      if (customerOwner !== undefined && customerOwner !== s.externalId)
        conflict(index, "subscriber.customerNumber", CONFLICT_MESSAGES.customerNumberTaken);
      customerNumberOwner.set(s.customerNumber, s.externalId);
      record.lines.forEach((line, lineIndex) => {
        const owner = phoneOwner.get(line.phoneNumber);
        if (owner !== undefined && owner !== c.externalId)
          conflict(index, `lines.${lineIndex}.phoneNumber`, CONFLICT_MESSAGES.phoneTaken);
        phoneOwner.set(line.phoneNumber, c.externalId);
      });
    });
    if (conflicts.length > 0) throw new ContractRecordConflictError(conflicts);

    // ---- What is stored ---------------------------------------------------------------------
    const contractExternalIds = [...contractIndex.keys()];
    const subscriberExternalIds = [...subscriberByExternalId.keys()];
    const storedContracts = await tx
      .select({
        id: contracts.id,
        externalId: contracts.externalId,
        subscriberExternalId: subscribers.externalId,
      })
      .from(contracts)
      .innerJoin(subscribers, eq(subscribers.id, contracts.subscriberId))
      .where(
        and(eq(contracts.operatorId, operatorId), anyOf(contracts.externalId, contractExternalIds)),
      );
    // Frozen: named by a case that is not withdrawn (one scan of case_contract per call).
    const frozenIds = new Set(
      storedContracts.length === 0
        ? []
        : (
            await tx
              .selectDistinct({ id: caseContracts.contractId })
              .from(caseContracts)
              .innerJoin(cancellationCases, eq(cancellationCases.id, caseContracts.caseId))
              .where(
                and(
                  anyOf(
                    caseContracts.contractId,
                    storedContracts.map((row) => row.id),
                  ),
                  sql`${cancellationCases.status} <> 'withdrawn'`,
                ),
              )
          ).map((row) => row.id),
    );
    const stored = new Map(
      storedContracts.map((row) => [row.externalId!, { ...row, frozen: frozenIds.has(row.id) }]),
    );

    const takenCustomerNumbers = await tx
      .select({ number: subscribers.customerNumber, externalId: subscribers.externalId })
      .from(subscribers)
      .where(
        and(
          eq(subscribers.operatorId, operatorId),
          anyOf(subscribers.customerNumber, [...customerNumberOwner.keys()]),
        ),
      );
    for (const row of takenCustomerNumbers) {
      const owner = customerNumberOwner.get(row.number);
      if (owner === row.externalId) continue;
      records.forEach((record, index) => {
        if (record.subscriber.customerNumber === row.number)
          conflict(index, "subscriber.customerNumber", CONFLICT_MESSAGES.customerNumberTaken);
      });
    }

    const takenContractNumbers = await tx
      .select({ number: contracts.contractNumber, externalId: contracts.externalId })
      .from(contracts)
      .where(
        and(
          eq(contracts.operatorId, operatorId),
          anyOf(contracts.contractNumber, [...contractNumberOwner.keys()]),
        ),
      );
    for (const row of takenContractNumbers) {
      if (contractNumberOwner.get(row.number) === row.externalId) continue;
      records.forEach((record, index) => {
        if (record.contract.contractNumber === row.number)
          conflict(index, "contract.contractNumber", CONFLICT_MESSAGES.contractNumberTaken);
      });
    }

    records.forEach((record, index) => {
      const existing = stored.get(record.contract.externalId);
      if (existing?.frozen && existing.subscriberExternalId !== record.subscriber.externalId)
        conflict(index, "subscriber.externalId", CONFLICT_MESSAGES.frozenMove);
    });

    // A phone number stored on another contract is a conflict, unless that contract is in this
    // call, does not list it any more, and can let it go (not frozen, not named by a case).
    const phones = [...phoneOwner.keys()];
    const storedLines =
      phones.length === 0
        ? []
        : await tx
            .select({
              phoneNumber: lines.phoneNumber,
              contractExternalId: contracts.externalId,
              referenced: sql<boolean>`exists (select 1 from ${caseLines} where ${caseLines.lineId} = ${lines.id})`,
            })
            .from(lines)
            .innerJoin(contracts, eq(contracts.id, lines.contractId))
            .where(and(eq(lines.operatorId, operatorId), anyOf(lines.phoneNumber, phones)));
    for (const row of storedLines) {
      const wanted = phoneOwner.get(row.phoneNumber)!;
      if (row.contractExternalId === wanted) continue;
      const releasing =
        row.contractExternalId !== null &&
        contractIndex.has(row.contractExternalId) &&
        !stored.get(row.contractExternalId)?.frozen &&
        !row.referenced;
      if (releasing) continue;
      records.forEach((record, index) => {
        record.lines.forEach((line, lineIndex) => {
          if (line.phoneNumber === row.phoneNumber)
            conflict(index, `lines.${lineIndex}.phoneNumber`, CONFLICT_MESSAGES.phoneTaken);
        });
      });
    }
    if (conflicts.length > 0) {
      conflicts.sort((a, b) => a.index - b.index);
      throw new ContractRecordConflictError(conflicts);
    }

    // ---- Subscribers ------------------------------------------------------------------------
    const changedSubscribers = new Set<string>();
    const subscriberRows = subscriberExternalIds.map((id) =>
      subscriberValues(operatorId, subscriberByExternalId.get(id)!),
    );
    const upsertedSubscribers = await upsertByUnnest(tx, subscribers, subscriberRows, {
      target: ["operator_id", "external_id"],
      update: SUBSCRIBER_COLUMNS,
      touch: true,
      where: sql`${subscribers.pseudonymisedAt} is null and ${changedWhere("subscriber", SUBSCRIBER_COLUMNS)}`,
    });
    for (const row of upsertedSubscribers) changedSubscribers.add(row.external_id);
    const subscriberIds = new Map(
      (
        await tx
          .select({ id: subscribers.id, externalId: subscribers.externalId })
          .from(subscribers)
          .where(
            and(
              eq(subscribers.operatorId, operatorId),
              anyOf(subscribers.externalId, subscriberExternalIds),
            ),
          )
      ).map((row) => [row.externalId!, row.id]),
    );

    // ---- Contracts --------------------------------------------------------------------------
    const contractRows = records
      .filter((record) => !stored.get(record.contract.externalId)?.frozen)
      .map((record) => {
        const c = record.contract;
        return {
          operatorId,
          externalId: c.externalId,
          subscriberId: subscriberIds.get(record.subscriber.externalId)!,
          contractNumber: c.contractNumber,
          offerName: c.offerName,
          category: c.category,
          jurisdiction: c.jurisdiction,
          monthlyPriceCents: c.monthlyPriceCents,
          currency: c.currency,
          startDate: c.startDate,
          commitmentMonths: c.commitmentMonths,
          tacitlyRenewed: c.tacitlyRenewed,
          depositCents: c.depositCents,
          subsidisedDeviceValueCents: c.subsidisedDeviceValueCents,
          withdrawalPeriodEnds: c.withdrawalPeriodEnds ?? null,
          status: c.status,
        };
      });
    // Frozen contracts are left out; the `open` check (partial index) also covers a case
    // notified since they were read.
    const upsertedContracts = await upsertByUnnest(tx, contracts, contractRows, {
      target: ["operator_id", "external_id"],
      update: CONTRACT_COLUMNS,
      touch: true,
      where: sql`${changedWhere("contract", CONTRACT_COLUMNS)} and not exists (select 1 from ${caseContracts} where ${caseContracts.contractId} = "contract"."id" and ${caseContracts.open})`,
    });
    const createdContracts = new Set<string>();
    const changedContracts = new Set<string>();
    const contractIds = new Map(storedContracts.map((row) => [row.externalId!, row.id]));
    for (const row of upsertedContracts) {
      contractIds.set(row.external_id, row.id);
      (row.inserted ? createdContracts : changedContracts).add(row.external_id);
    }

    // ---- Lines and equipment of the contracts that are not frozen ---------------------------
    const open = records.filter((record) => !stored.get(record.contract.externalId)?.frozen);
    const openIds = open.map((record) => contractIds.get(record.contract.externalId)!);
    const lineStats = new Map<string, { added: number; removed: number; kept: number }>();
    const equipmentStats = new Map<
      string,
      { added: number; changed: number; removed: number; kept: number }
    >();
    for (const record of records) {
      lineStats.set(record.contract.externalId, { added: 0, removed: 0, kept: 0 });
      equipmentStats.set(record.contract.externalId, { added: 0, changed: 0, removed: 0, kept: 0 });
    }
    const externalIdOf = new Map(
      open.map((record) => [
        contractIds.get(record.contract.externalId)!,
        record.contract.externalId,
      ]),
    );

    if (openIds.length > 0) {
      const currentLines = await tx
        .select({
          id: lines.id,
          contractId: lines.contractId,
          phoneNumber: lines.phoneNumber,
          referenced: sql<boolean>`exists (select 1 from ${caseLines} where ${caseLines.lineId} = ${lines.id})`,
        })
        .from(lines)
        .where(anyOf(lines.contractId, openIds));
      const wantedLines = new Set(
        open.flatMap((record) =>
          record.lines.map(
            (line) => `${contractIds.get(record.contract.externalId)!} ${line.phoneNumber}`,
          ),
        ),
      );
      const haveLines = new Set(currentLines.map((l) => `${l.contractId} ${l.phoneNumber}`));
      const removeLineIds: string[] = [];
      for (const line of currentLines) {
        if (wantedLines.has(`${line.contractId} ${line.phoneNumber}`)) continue;
        const stats = lineStats.get(externalIdOf.get(line.contractId)!)!;
        if (line.referenced) stats.kept += 1;
        else {
          stats.removed += 1;
          removeLineIds.push(line.id);
        }
      }
      if (removeLineIds.length > 0) await tx.delete(lines).where(anyOf(lines.id, removeLineIds));
      const newLines: (typeof lines.$inferInsert)[] = [];
      for (const record of open) {
        const contractId = contractIds.get(record.contract.externalId)!;
        for (const line of record.lines) {
          if (haveLines.has(`${contractId} ${line.phoneNumber}`)) continue;
          newLines.push({ operatorId, contractId, phoneNumber: line.phoneNumber });
          lineStats.get(record.contract.externalId)!.added += 1;
        }
      }
      await bulkInsert(tx, lines, newLines);

      const currentEquipment = await tx
        .select({
          id: equipment.id,
          contractId: equipment.contractId,
          externalId: equipment.externalId,
          kind: equipment.kind,
          model: equipment.model,
          serial: equipment.serial,
          mustReturn: equipment.mustReturn,
          nonReturnChargeCents: equipment.nonReturnChargeCents,
          depositCents: equipment.depositCents,
          currency: equipment.currency,
        })
        .from(equipment)
        .where(and(anyOf(equipment.contractId, openIds), isNotNull(equipment.externalId)));
      const haveEquipment = new Map(
        currentEquipment.map((item) => [`${item.contractId} ${item.externalId}`, item]),
      );
      const wantedEquipment = new Set<string>();
      const equipmentRows: Record<string, string | number | boolean | null>[] = [];
      for (const record of open) {
        const contractId = contractIds.get(record.contract.externalId)!;
        const stats = equipmentStats.get(record.contract.externalId)!;
        for (const item of record.equipment) {
          const key = `${contractId} ${item.externalId}`;
          wantedEquipment.add(key);
          const row = {
            contractId,
            externalId: item.externalId,
            kind: item.kind,
            model: item.model,
            serial: item.serial ?? null,
            mustReturn: item.mustReturn,
            nonReturnChargeCents: item.nonReturnChargeCents,
            depositCents: item.depositCents,
            currency: record.contract.currency,
          };
          const have = haveEquipment.get(key);
          if (have === undefined) stats.added += 1;
          else if (
            have.kind !== row.kind ||
            have.model !== row.model ||
            have.serial !== row.serial ||
            have.mustReturn !== row.mustReturn ||
            have.nonReturnChargeCents !== row.nonReturnChargeCents ||
            have.depositCents !== row.depositCents ||
            have.currency !== row.currency
          )
            stats.changed += 1;
          else continue;
          equipmentRows.push(row);
        }
      }
      const removeEquipmentIds: string[] = [];
      const leaving = currentEquipment.filter(
        (item) => !wantedEquipment.has(`${item.contractId} ${item.externalId}`),
      );
      // Named by a return: kept (one scan of return_item, only when something leaves).
      const returned = new Set(
        leaving.length === 0
          ? []
          : (
              await tx
                .selectDistinct({ id: returnItems.equipmentId })
                .from(returnItems)
                .where(
                  anyOf(
                    returnItems.equipmentId,
                    leaving.map((item) => item.id),
                  ),
                )
            ).map((row) => row.id),
      );
      for (const item of leaving) {
        const stats = equipmentStats.get(externalIdOf.get(item.contractId)!)!;
        if (returned.has(item.id)) stats.kept += 1;
        else {
          stats.removed += 1;
          removeEquipmentIds.push(item.id);
        }
      }
      if (removeEquipmentIds.length > 0)
        await tx.delete(equipment).where(anyOf(equipment.id, removeEquipmentIds));
      await upsertByUnnest(tx, equipment, equipmentRows, {
        target: ["contract_id", "external_id"],
        update: EQUIPMENT_COLUMNS,
        where: sql`true`,
      });
    }

    // ---- Outcomes and audit -----------------------------------------------------------------
    const results: UpsertContractResult[] = [];
    const events: Parameters<typeof recordEvents<"integration.contract_upserted">>[1]["events"] =
      [];
    for (const record of records) {
      const contractExternalId = record.contract.externalId;
      const subscriberExternalId = record.subscriber.externalId;
      const contractId = contractIds.get(contractExternalId)!;
      const subscriberId = subscriberIds.get(subscriberExternalId)!;
      const lineChange = lineStats.get(contractExternalId)!;
      const equipmentChange = equipmentStats.get(contractExternalId)!;
      const changed: ("subscriber" | "contract" | "lines" | "equipment")[] = [];
      if (changedSubscribers.has(subscriberExternalId)) changed.push("subscriber");
      if (createdContracts.has(contractExternalId) || changedContracts.has(contractExternalId))
        changed.push("contract");
      if (lineChange.added + lineChange.removed > 0) changed.push("lines");
      if (equipmentChange.added + equipmentChange.changed + equipmentChange.removed > 0)
        changed.push("equipment");
      const outcome: UpsertOutcome = createdContracts.has(contractExternalId)
        ? "created"
        : changed.length > 0
          ? "updated"
          : "unchanged";
      results.push({ outcome, subscriberId, contractId });
      if (outcome === "unchanged") continue;
      events.push({
        type: "integration.contract_upserted",
        stream: `contract:${contractId}`,
        data: {
          contractId,
          subscriberId,
          contractExternalId,
          subscriberExternalId,
          outcome,
          source: input.source ?? "api",
          importRunId: input.importRunId ?? null,
          changed,
          lines: lineChange,
          equipment: equipmentChange,
        },
      });
    }
    await recordEvents(tx, {
      events,
      actor: input.actor,
      meta: input.meta,
      newStreams: new Set(
        [...createdContracts].map((externalId) => `contract:${contractIds.get(externalId)!}`),
      ),
    });
    return results;
  });
}
