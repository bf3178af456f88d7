import { asc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { contracts, equipment, lines, subscribers } from "../../../db/schema";

// A contract as stored, in the shape of the BSS's ContractRecord (PUT /api/v1/contracts/{id}):
// what the BSS sent, with the defaults applied, plus the portal's status of the contract.

export async function loadApiContract(db: Queryable, contractId: string) {
  const [row] = await db
    .select({ contract: contracts, subscriber: subscribers })
    .from(contracts)
    .innerJoin(subscribers, eq(subscribers.id, contracts.subscriberId))
    .where(eq(contracts.id, contractId));
  if (!row) throw new Error(`contract ${contractId} not found`);
  const { contract: c, subscriber: s } = row;
  const [lineRows, equipmentRows] = await Promise.all([
    db
      .select({ phoneNumber: lines.phoneNumber })
      .from(lines)
      .where(eq(lines.contractId, c.id))
      .orderBy(asc(lines.phoneNumber)),
    db
      .select()
      .from(equipment)
      .where(eq(equipment.contractId, c.id))
      .orderBy(asc(equipment.externalId), asc(equipment.id)),
  ]);
  return {
    subscriber: {
      externalId: s.externalId,
      customerNumber: s.customerNumber,
      firstName: s.firstName,
      lastName: s.lastName,
      email: s.email,
      phone: s.phone,
      addressLine1: s.addressLine1,
      postalCode: s.postalCode,
      city: s.city,
      country: s.country,
      language: s.language,
    },
    contract: {
      externalId: c.externalId,
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
      withdrawalPeriodEnds: c.withdrawalPeriodEnds,
      status: c.status,
    },
    lines: lineRows,
    equipment: equipmentRows.map((item) => ({
      externalId: item.externalId,
      kind: item.kind,
      model: item.model,
      serial: item.serial,
      mustReturn: item.mustReturn,
      nonReturnChargeCents: item.nonReturnChargeCents,
      depositCents: item.depositCents,
    })),
  };
}
