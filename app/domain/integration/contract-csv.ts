import type { ContractRecordInput } from "./contract-record";

// The CSV format of the bulk import (README, "Contract import"; example in
// docs/examples/contracts.csv): UTF-8, comma-separated, RFC 4180 quoting, a header row, one row
// per contract with its subscriber's columns. The contract's phone lines are one column,
// separated by `;`. Equipment items are repeated column groups `equipment_<n>_<field>` (n from 1;
// a group left empty is skipped), so a BSS export with up to n items per contract fits in one
// flat table. Columns may come in any order; an unknown column is refused (a typo would
// otherwise drop data silently).

/** CSV column → path in the record, for the single-valued columns. */
export const CSV_COLUMNS = {
  subscriber_external_id: "subscriber.externalId",
  customer_number: "subscriber.customerNumber",
  first_name: "subscriber.firstName",
  last_name: "subscriber.lastName",
  email: "subscriber.email",
  phone: "subscriber.phone",
  address_line1: "subscriber.addressLine1",
  postal_code: "subscriber.postalCode",
  city: "subscriber.city",
  country: "subscriber.country",
  language: "subscriber.language",
  contract_external_id: "contract.externalId",
  contract_number: "contract.contractNumber",
  offer_name: "contract.offerName",
  category: "contract.category",
  jurisdiction: "contract.jurisdiction",
  monthly_price_cents: "contract.monthlyPriceCents",
  currency: "contract.currency",
  start_date: "contract.startDate",
  commitment_months: "contract.commitmentMonths",
  tacitly_renewed: "contract.tacitlyRenewed",
  deposit_cents: "contract.depositCents",
  subsidised_device_value_cents: "contract.subsidisedDeviceValueCents",
  withdrawal_period_ends: "contract.withdrawalPeriodEnds",
  status: "contract.status",
} as const;
export type CsvColumn = keyof typeof CSV_COLUMNS | "lines";

/** The columns every file must have (the others may be left out). */
export const REQUIRED_CSV_COLUMNS = [
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
] as const;

/** Equipment group field → record field. */
export const EQUIPMENT_CSV_FIELDS = {
  external_id: "externalId",
  kind: "kind",
  model: "model",
  serial: "serial",
  must_return: "mustReturn",
  non_return_charge_cents: "nonReturnChargeCents",
  deposit_cents: "depositCents",
} as const;

const INTEGER_FIELDS = new Set([
  "monthlyPriceCents",
  "commitmentMonths",
  "depositCents",
  "subsidisedDeviceValueCents",
  "nonReturnChargeCents",
]);
const BOOLEAN_FIELDS = new Set(["tacitlyRenewed", "mustReturn"]);
const TRUE = new Set(["true", "yes", "1", "oui", "y"]);
const FALSE = new Set(["false", "no", "0", "non", "n"]);

const EQUIPMENT_COLUMN = /^equipment_([1-9][0-9]?)_([a-z_]+)$/;

export interface CsvHeader {
  /** Per position: how to read the cell, or null for a column to refuse. */
  columns: (
    | { kind: "field"; column: keyof typeof CSV_COLUMNS; path: string }
    | { kind: "lines" }
    | { kind: "equipment"; group: number; field: keyof typeof EQUIPMENT_CSV_FIELDS }
  )[];
  problems: { field: string; message: string }[];
}

export function readCsvHeader(names: string[]): CsvHeader {
  const problems: CsvHeader["problems"] = [];
  const seen = new Set<string>();
  const columns: CsvHeader["columns"] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (seen.has(name)) problems.push({ field: name, message: "Column listed twice." });
    seen.add(name);
    if (name in CSV_COLUMNS) {
      const column = name as keyof typeof CSV_COLUMNS;
      columns.push({ kind: "field", column, path: CSV_COLUMNS[column] });
      continue;
    }
    if (name === "lines") {
      columns.push({ kind: "lines" });
      continue;
    }
    const match = EQUIPMENT_COLUMN.exec(name);
    if (match && match[2]! in EQUIPMENT_CSV_FIELDS) {
      columns.push({
        kind: "equipment",
        group: Number(match[1]),
        field: match[2] as keyof typeof EQUIPMENT_CSV_FIELDS,
      });
      continue;
    }
    problems.push({
      field: raw.trim() === "" ? "(empty)" : raw.trim(),
      message: "Unknown column.",
    });
    columns.push({ kind: "field", column: "status", path: "" });
  }
  for (const required of REQUIRED_CSV_COLUMNS)
    if (!seen.has(required)) problems.push({ field: required, message: "Missing column." });
  return { columns, problems };
}

function cellValue(field: string, cell: string): unknown {
  const value = cell.trim();
  if (value === "") return undefined;
  if (INTEGER_FIELDS.has(field) && /^-?[0-9]{1,12}$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(field)) {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
  }
  return value;
}

export interface CsvRow {
  /** What to give `ContractRecord.safeParse`. */
  input: ContractRecordInput;
  /** Record path → CSV column, to name the column of an issue. */
  columnOf: (path: string | null) => string | null;
}

/** One data row as a record (not validated yet: the cells are typed, not checked). */
export function csvRowToRecord(header: CsvHeader, cells: string[]): CsvRow {
  const subscriber: Record<string, unknown> = {};
  const contract: Record<string, unknown> = {};
  const groups = new Map<number, Record<string, unknown>>();
  let phones: string[] = [];
  header.columns.forEach((column, position) => {
    const cell = cells[position] ?? "";
    if (column.kind === "lines") {
      phones = cell
        .split(/[;\n]/)
        .map((phone) => phone.replace(/[\s.]/g, ""))
        .filter((phone) => phone !== "");
      return;
    }
    if (column.kind === "equipment") {
      const group = groups.get(column.group) ?? {};
      const field = EQUIPMENT_CSV_FIELDS[column.field];
      const value = cellValue(field, cell);
      if (value !== undefined) group[field] = value;
      groups.set(column.group, group);
      return;
    }
    if (column.path === "") return;
    const [part, field] = column.path.split(".") as [string, string];
    const value = cellValue(field, cell);
    if (value === undefined) return;
    (part === "subscriber" ? subscriber : contract)[field] = value;
  });
  const groupNumbers = [...groups.keys()]
    .sort((a, b) => a - b)
    .filter((group) => Object.keys(groups.get(group)!).length > 0);
  const input = {
    subscriber,
    contract,
    lines: phones.map((phoneNumber) => ({ phoneNumber })),
    equipment: groupNumbers.map((group) => groups.get(group)!),
  } as unknown as ContractRecordInput;

  const byPath = new Map<string, string>(
    Object.entries(CSV_COLUMNS).map(([column, path]) => [path, column]),
  );
  const fieldToColumn = new Map<string, string>(
    Object.entries(EQUIPMENT_CSV_FIELDS).map(([column, field]) => [field, column]),
  );
  const columnOf = (path: string | null): string | null => {
    if (path === null) return null;
    const direct = byPath.get(path);
    if (direct !== undefined) return direct;
    if (path.startsWith("lines")) return "lines";
    const equipmentMatch = /^equipment\.([0-9]+)(?:\.([A-Za-z]+))?/.exec(path);
    if (equipmentMatch) {
      const group = groupNumbers[Number(equipmentMatch[1])];
      if (group === undefined) return "equipment";
      const column = equipmentMatch[2] ? fieldToColumn.get(equipmentMatch[2]) : undefined;
      return column === undefined ? `equipment_${group}` : `equipment_${group}_${column}`;
    }
    if (path.startsWith("subscriber.") || path.startsWith("contract.")) {
      const [part] = path.split(".");
      return part ?? path;
    }
    return path;
  };
  return { input, columnOf };
}
