import { describe, expect, it } from "vitest";
import { csvRowToRecord, readCsvHeader } from "./contract-csv";
import {
  ContractRecord,
  contractRecordIssues,
  translateRecordMessage,
  type ContractRecordInput,
} from "./contract-record";

const valid: ContractRecordInput = {
  subscriber: {
    externalId: "S-1",
    customerNumber: "C-1",
    firstName: "Camille",
    lastName: "Martin",
    email: "camille@example.com",
  },
  contract: {
    externalId: "K-1",
    contractNumber: "CT-1",
    offerName: "Fibre",
    category: "internet",
    jurisdiction: "FR",
    monthlyPriceCents: 3999,
    startDate: "2025-01-01",
  },
  lines: [{ phoneNumber: "+33123456789" }],
  equipment: [{ externalId: "E-1", kind: "box", model: "Box 8", mustReturn: true }],
};

function issues(input: unknown) {
  const parsed = ContractRecord.safeParse(input);
  if (parsed.success) return [];
  return contractRecordIssues(parsed.error);
}

describe("ContractRecord", () => {
  it("accepts a minimal record and applies the defaults", () => {
    const record = ContractRecord.parse(valid);
    expect(record.subscriber).toMatchObject({ country: "FR", language: "fr" });
    expect(record.contract).toMatchObject({
      currency: "EUR",
      commitmentMonths: 0,
      tacitlyRenewed: false,
      depositCents: 0,
      subsidisedDeviceValueCents: 0,
      status: "active",
    });
    expect(record.equipment[0]).toMatchObject({ nonReturnChargeCents: 0, depositCents: 0 });
  });

  it("names each wrong field with a short English message", () => {
    expect(
      issues({
        ...valid,
        subscriber: { ...valid.subscriber, email: "nope", language: "es" },
        contract: { ...valid.contract, commitmentMonths: 36, monthlyPriceCents: -1 },
        lines: [{ phoneNumber: "0612345678" }],
      }),
    ).toEqual([
      { field: "subscriber.email", message: "Must be an email address." },
      { field: "subscriber.language", message: "Must be one of fr, en, de, pt." },
      { field: "contract.monthlyPriceCents", message: "Must be zero or more." },
      { field: "contract.commitmentMonths", message: "Must be between 0 and 24." },
      {
        field: "lines.0.phoneNumber",
        message: "Must be a phone number in E.164 format (+33123456789).",
      },
    ]);
  });

  it("refuses a returned SIM, twice the same line or item, and unknown fields", () => {
    expect(
      issues({
        ...valid,
        lines: [{ phoneNumber: "+33123456789" }, { phoneNumber: "+33123456789" }],
        equipment: [
          { externalId: "E-1", kind: "sim", model: "SIM", mustReturn: true },
          { externalId: "E-1", kind: "box", model: "Box", mustReturn: false },
        ],
        colour: "blue",
      }),
    ).toEqual([
      { field: "equipment.0.mustReturn", message: "A SIM card is never returned." },
      { field: "colour", message: "Unknown field." },
      { field: "lines.1.phoneNumber", message: "Listed twice." },
      { field: "equipment.1.externalId", message: "Listed twice." },
    ]);
    expect(
      issues({
        ...valid,
        lines: [{ phoneNumber: "+33123456789" }, { phoneNumber: "+33123456789" }],
        equipment: [
          { externalId: "E-1", kind: "box", model: "Box", mustReturn: true },
          { externalId: "E-1", kind: "box", model: "Box", mustReturn: false },
        ],
      }),
    ).toEqual([
      { field: "lines.1.phoneNumber", message: "Listed twice." },
      { field: "equipment.1.externalId", message: "Listed twice." },
    ]);
  });

  it("translates its messages for the import page", () => {
    expect(translateRecordMessage("Required.", "fr")).toBe("Obligatoire.");
    expect(translateRecordMessage("At most 60 characters.", "fr")).toBe("60 caractères au plus.");
    expect(translateRecordMessage("Required.", "en")).toBe("Required.");
  });
});

describe("CSV rows", () => {
  it("maps columns, lines and equipment groups, and names the column of an issue", () => {
    const header = readCsvHeader([
      "subscriber_external_id",
      "customer_number",
      "first_name",
      "last_name",
      "email",
      "contract_external_id",
      "contract_number",
      "offer_name",
      "category",
      "jurisdiction",
      "monthly_price_cents",
      "start_date",
      "lines",
      "equipment_1_external_id",
      "equipment_1_kind",
      "equipment_1_model",
      "equipment_1_must_return",
      "equipment_2_external_id",
      "equipment_2_kind",
      "equipment_2_model",
      "equipment_2_must_return",
    ]);
    expect(header.problems).toEqual([]);
    const row = csvRowToRecord(header, [
      "S-1",
      "C-1",
      "Camille",
      "Martin",
      "camille@example.com",
      "K-1",
      "CT-1",
      "Fibre",
      "internet",
      "FR",
      "3999",
      "2025-01-01",
      "+33123456789; +33 6 12 34 56 78",
      "",
      "",
      "",
      "",
      "E-2",
      "box",
      "Box 8",
      "maybe",
    ]);
    expect(row.input.lines).toEqual([
      { phoneNumber: "+33123456789" },
      { phoneNumber: "+33612345678" },
    ]);
    const parsed = ContractRecord.safeParse(row.input);
    expect(parsed.success).toBe(false);
    const [issue] = contractRecordIssues(parsed.error!);
    expect(issue).toEqual({ field: "equipment.0.mustReturn", message: "Must be true or false." });
    // The only item is the file's second group.
    expect(row.columnOf(issue!.field)).toBe("equipment_2_must_return");
    expect(row.columnOf("contract.commitmentMonths")).toBe("commitment_months");
  });

  it("reports unknown, missing and repeated columns", () => {
    expect(readCsvHeader(["email", "colour", "email"]).problems).toEqual(
      expect.arrayContaining([
        { field: "colour", message: "Unknown column." },
        { field: "email", message: "Column listed twice." },
        { field: "subscriber_external_id", message: "Missing column." },
      ]),
    );
  });
});
