import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { and, asc, count, eq, inArray, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_REQUEST, SYSTEM_ACTOR } from "../../app/audit/events";
import { verifyStream } from "../../app/audit/verify-chain.server";
import {
  ContractRecord,
  type ContractRecordInput,
} from "../../app/domain/integration/contract-record";
import { importContracts } from "../../app/services/integration/import-contracts.server";
import {
  ContractRecordConflictError,
  upsertContractRecords,
} from "../../app/services/integration/upsert-contracts.server";
import {
  auditEvents,
  contracts,
  equipment,
  importRuns,
  lines,
  operators,
  subscribers,
} from "../../db/schema";
import { insertCase, insertContract, insertSubscriber } from "../factories/index";
import { PORTAL_TEST_AUDIT_KEY, PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// Issue #9, bulk import: "a CSV with 3 good rows and 2 bad ones imports 3 and reports the 2 with
// line numbers and reasons; re-importing changes nothing", through the service, the CLI (child
// process) and the admin page of the real portal; and the upsert's rules (conflicts, frozen
// contracts, lines and equipment) on which the integration API relies.
const app = setupPortal("import_contracts");
const work = mkdtempSync(path.join(tmpdir(), "easyexit-import-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let operatorId = "";
beforeAll(async () => {
  const [operator] = await app.db().select().from(operators).where(eq(operators.slug, "nebula"));
  if (!operator) throw new Error("the seeded operator is missing");
  operatorId = operator.id;
});

const HEADER =
  "subscriber_external_id,customer_number,first_name,last_name,email,country,language,contract_external_id,contract_number,offer_name,category,jurisdiction,monthly_price_cents,start_date,commitment_months,status,lines,equipment_1_external_id,equipment_1_kind,equipment_1_model,equipment_1_must_return,equipment_1_non_return_charge_cents";

const tagCodes = new Map<string, number>();
/** A phone number unique to (tag, n): the tags of the tests never share lines. */
function phone(tag: string, n: number): string {
  if (!tagCodes.has(tag)) tagCodes.set(tag, 10 + tagCodes.size);
  return `+336${tagCodes.get(tag)}${String(n).padStart(6, "0")}`;
}

/** A data row of HEADER for `tag` (unique numbers per tag), with cells overridden. */
function row(tag: string, n: number, overrides: Partial<Record<string, string>> = {}): string {
  const cells: Record<string, string> = {
    subscriber_external_id: `S-${tag}-${n}`,
    customer_number: `CN-${tag}-${n}`,
    first_name: "Léa",
    last_name: `Durand ${n}`,
    email: `lea.${tag}.${n}@example.com`,
    country: "FR",
    language: "fr",
    contract_external_id: `C-${tag}-${n}`,
    contract_number: `CT-${tag}-${n}`,
    offer_name: "Fibre, 1 Gb/s",
    category: "internet",
    jurisdiction: "FR",
    monthly_price_cents: "3999",
    start_date: "2025-01-15",
    commitment_months: "12",
    status: "active",
    lines: phone(tag, n),
    equipment_1_external_id: `E-${tag}-${n}`,
    equipment_1_kind: "box",
    equipment_1_model: "NebulaBox 8",
    equipment_1_must_return: "true",
    equipment_1_non_return_charge_cents: "15000",
    ...overrides,
  };
  return HEADER.split(",")
    .map((column) => {
      const value = cells[column] ?? "";
      return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(",");
}

/** 3 good rows (lines 2, 4, 6) and 2 bad ones (lines 3 and 5 of the file). */
function mixedCsv(tag: string): string {
  return [
    HEADER,
    row(tag, 1),
    row(tag, 2, { commitment_months: "36" }),
    row(tag, 3, { lines: `${phone(tag, 3)};${phone(tag, 33)}` }),
    row(tag, 4, { email: "not-an-email", equipment_1_kind: "toaster" }),
    row(tag, 5, { offer_name: 'Box "TV", 24 mois' }),
  ].join("\n");
}

async function runImport(csv: string, fileName = "contracts.csv") {
  return importContracts(app.db(), {
    operatorId,
    input: Readable.from([Buffer.from(csv)]),
    fileName,
    source: "cli",
    startedBy: null,
    actor: SYSTEM_ACTOR,
    meta: NO_REQUEST,
  });
}

async function importedContracts(tag: string) {
  return app
    .db()
    .select({ id: contracts.id, externalId: contracts.externalId, offerName: contracts.offerName })
    .from(contracts)
    .where(and(eq(contracts.operatorId, operatorId), like(contracts.externalId, `C-${tag}-%`)))
    .orderBy(asc(contracts.externalId));
}

async function eventCount(tag: string) {
  const ids = (await importedContracts(tag)).map((c) => `contract:${c.id}`);
  if (ids.length === 0) return 0;
  const [result] = await app
    .db()
    .select({ n: count() })
    .from(auditEvents)
    .where(inArray(auditEvents.stream, ids));
  return result?.n ?? 0;
}

const EXPECTED_ERRORS = [
  { line: 3, field: "commitment_months", message: "Must be between 0 and 24." },
  { line: 5, field: "email", message: "Must be an email address." },
  { line: 5, field: "equipment_1_kind", message: expect.stringMatching(/^Must be one of box, /) },
];

describe("importContracts (service)", () => {
  it("imports the 3 good rows, reports the 2 bad ones by line and column, and records the run", async () => {
    const summary = await runImport(mixedCsv("svc"));
    expect(summary).toMatchObject({
      status: "complete",
      rowsRead: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: 2,
    });
    expect(summary.errors).toEqual(EXPECTED_ERRORS);
    const stored = await importedContracts("svc");
    expect(stored.map((c) => c.externalId)).toEqual(["C-svc-1", "C-svc-3", "C-svc-5"]);
    expect(stored[2]!.offerName).toBe('Box "TV", 24 mois');
    // Nothing of a bad row was written, not even its subscriber.
    const [badSubscribers] = await app
      .db()
      .select({ n: count() })
      .from(subscribers)
      .where(inArray(subscribers.externalId, ["S-svc-2", "S-svc-4"]));
    expect(badSubscribers?.n).toBe(0);
    const three = stored[1]!;
    const threeLines = await app
      .db()
      .select({ phone: lines.phoneNumber })
      .from(lines)
      .where(eq(lines.contractId, three.id))
      .orderBy(asc(lines.phoneNumber));
    expect(threeLines.map((l) => l.phone)).toEqual([phone("svc", 3), phone("svc", 33)]);
    const [run] = await app.db().select().from(importRuns).where(eq(importRuns.id, summary.runId));
    expect(run).toMatchObject({
      status: "complete",
      source: "cli",
      fileName: "contracts.csv",
      rowsRead: 5,
      rowsCreated: 3,
      rowsRejected: 2,
    });
    expect(run!.errors).toEqual(EXPECTED_ERRORS);
    expect(run!.finishedAt).not.toBeNull();
    // One event per created contract, on its own valid chain, with no personal data.
    expect(await eventCount("svc")).toBe(3);
    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `contract:${three.id}`));
    expect(event).toMatchObject({ type: "integration.contract_upserted", seq: 1 });
    expect(JSON.stringify(event!.data)).not.toMatch(/Durand|example\.com|Léa/);
    expect((await verifyStream(app.db(), `contract:${three.id}`)).ok).toBe(true);
  });

  it("changes nothing when the same file is imported again", async () => {
    await runImport(mixedCsv("again"));
    const before = await eventCount("again");
    const summary = await runImport(mixedCsv("again"));
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 2 });
    expect(await eventCount("again")).toBe(before);
  });

  it("updates what changed: a field, a line removed, an item changed, a contract moved", async () => {
    await runImport([HEADER, row("upd", 1), row("upd", 2)].join("\n"));
    const summary = await runImport(
      [
        HEADER,
        row("upd", 1, { monthly_price_cents: "4299", lines: "" }),
        row("upd", 2, {
          subscriber_external_id: "S-upd-1",
          customer_number: "CN-upd-1",
          last_name: "Durand 1",
          email: "lea.upd.1@example.com",
          equipment_1_model: "NebulaBox 9",
        }),
      ].join("\n"),
    );
    expect(summary).toMatchObject({ created: 0, updated: 2, unchanged: 0, rejected: 0 });
    const [one, two] = await importedContracts("upd");
    expect(await app.db().select().from(lines).where(eq(lines.contractId, one!.id))).toHaveLength(
      0,
    );
    const [item] = await app.db().select().from(equipment).where(eq(equipment.contractId, two!.id));
    expect(item?.model).toBe("NebulaBox 9");
    const [moved] = await app
      .db()
      .select({ subscriber: subscribers.externalId })
      .from(contracts)
      .innerJoin(subscribers, eq(subscribers.id, contracts.subscriberId))
      .where(eq(contracts.id, two!.id));
    expect(moved?.subscriber).toBe("S-upd-1");
  });

  it("reports a file without a required column, or with an unknown one, as failed", async () => {
    const summary = await runImport("contract_external_id,colour\nC-x-1,blue\n");
    expect(summary.status).toBe("failed");
    expect(summary.rowsRead).toBe(0);
    expect(summary.errors).toContainEqual({ line: 1, field: "colour", message: "Unknown column." });
    expect(summary.errors).toContainEqual({
      line: 1,
      field: "subscriber_external_id",
      message: "Missing column.",
    });
  });
});

describe("upsertContractRecords", () => {
  const record = (tag: string, overrides: Partial<ContractRecordInput["contract"]> = {}) =>
    ContractRecord.parse({
      subscriber: {
        externalId: `S-${tag}`,
        customerNumber: `CN-${tag}`,
        firstName: "Max",
        lastName: "Müller",
        email: `max.${tag}@example.com`,
      },
      contract: {
        externalId: `C-${tag}`,
        contractNumber: `CT-${tag}`,
        offerName: "Mobile 20 Go",
        category: "mobile",
        jurisdiction: "FR",
        monthlyPriceCents: 999,
        startDate: "2024-01-01",
        ...overrides,
      },
      lines: [],
      equipment: [],
    } satisfies ContractRecordInput);
  const upsert = (records: ContractRecord[]) =>
    upsertContractRecords(app.db(), {
      operatorId,
      records,
      actor: { type: "integration", id: "test" },
      meta: NO_REQUEST,
    });

  it("refuses a contract number that belongs to another contract, writing nothing", async () => {
    const subscriber = await insertSubscriber(app.db(), { operatorId });
    const other = await insertContract(app.db(), {
      operatorId,
      subscriberId: subscriber.id,
      startDate: "2024-01-01",
    });
    const error = await upsert([
      record("cf-ok"),
      record("cf-bad", { contractNumber: other.contractNumber }),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractRecordConflictError);
    expect((error as ContractRecordConflictError).conflicts).toEqual([
      {
        index: 1,
        field: "contract.contractNumber",
        message: "This contract number belongs to another contract.",
      },
    ]);
    expect(await importedContracts("cf")).toHaveLength(0);
  });

  it("leaves a contract with a cancellation case as it is", async () => {
    const [created] = await upsert([record("frozen")]);
    expect(created?.outcome).toBe("created");
    const [subscriber] = await app
      .db()
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, created!.subscriberId));
    const [contract] = await app
      .db()
      .select()
      .from(contracts)
      .where(eq(contracts.id, created!.contractId));
    await insertCase(app.db(), {
      operatorId,
      subscriber: subscriber!,
      contracts: [contract!],
      receivedAt: new Date(),
      effectiveEndDate: "2099-01-01",
    });
    const [again] = await upsert([
      record("frozen", { monthlyPriceCents: 1999, status: "terminated" }),
    ]);
    expect(again?.outcome).toBe("unchanged");
    const [after] = await app
      .db()
      .select()
      .from(contracts)
      .where(eq(contracts.id, created!.contractId));
    expect(after?.monthlyPriceCents).toBe(999);
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "db/cli/import-contracts.ts", ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: app.databaseUrl(),
          SESSION_SECRET: PORTAL_TEST_SECRET,
          AUDIT_SIGNING_KEY: PORTAL_TEST_AUDIT_KEY,
          LOG_LEVEL: "warn",
          INIT_CWD: work,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run import", () => {
  it("prints the summary and the errors, exits 1 with rejected rows, then 0 with nothing new", async () => {
    writeFileSync(path.join(work, "mixed.csv"), mixedCsv("cli"));
    const first = await cli(["mixed.csv"]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain("5 rows read: 3 created, 0 updated, 0 unchanged, 2 rejected");
    expect(first.stdout).toContain("line 3, commitment_months: Must be between 0 and 24.");
    expect(first.stdout).toContain("line 5, email: Must be an email address.");
    expect(first.stderr).toContain("Importing [");

    writeFileSync(
      path.join(work, "good.csv"),
      [
        HEADER,
        row("cli", 1),
        row("cli", 3, { lines: `${phone("cli", 3)};${phone("cli", 33)}` }),
        row("cli", 5, { offer_name: 'Box "TV", 24 mois' }),
      ].join("\n"),
    );
    const second = await cli(["good.csv"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("3 rows read: 0 created, 0 updated, 3 unchanged, 0 rejected");
  });

  it("exits 2 for bad arguments", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["missing.csv"])).code).toBe(2);
    expect((await cli(["--colour", "x.csv"])).code).toBe(2);
  });

  it("imports the documented example file", async () => {
    const result = await cli([path.resolve("docs/examples/contracts.csv")]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("5 rows read: 5 created");
    expect(readFileSync("docs/examples/contracts.csv", "utf8").trim().split("\n")).toHaveLength(6);
  });
});

describe("/staff/reglages/import (admin page)", () => {
  const PAGE = "/staff/reglages/import";
  let admin = "";
  beforeAll(async () => {
    admin = await signIn(app.url, "admin@example.com");
  });

  const upload = (csv: string, name = "bss.csv", type = "text/csv", cookie = admin) => {
    const form = new FormData();
    form.append("file", new Blob([csv], { type }), name);
    return postForm(app.url(PAGE), form, { cookie });
  };

  it("imports an uploaded file and shows the counts and the rejected rows", async () => {
    const response = await upload(mixedCsv("web"));
    expect(response.status).toBe(303);
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/\/staff\/reglages\/import\?run=[0-9a-f-]{36}$/);
    const page = await getPage(app.url(location), admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("bss.csv");
    expect(html).toMatch(/<dd>3<\/dd>/); // created
    expect(html).toMatch(/<td>3<\/td><td><code>commitment_months<\/code><\/td>/);
    expect(html).toMatch(/<td>5<\/td><td><code>email<\/code><\/td>/);
    expect(await importedContracts("web")).toHaveLength(3);
    const runId = location.split("run=")[1]!;
    const [run] = await app.db().select().from(importRuns).where(eq(importRuns.id, runId));
    expect(run).toMatchObject({ source: "upload", rowsCreated: 3, rowsRejected: 2 });
    expect(run!.startedBy).not.toBeNull();
    // The list of past runs links to it.
    const list = await (await getPage(app.url(PAGE), admin)).text();
    expect(list).toContain(`?run=${runId}`);
  });

  it("refuses a missing file and a file that is not a CSV, importing nothing", async () => {
    const [before] = await app.db().select({ n: count() }).from(importRuns);
    const empty = await postForm(app.url(PAGE), new FormData(), { cookie: admin });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choisissez un fichier CSV à importer.");
    const xlsx = await upload("PK\u0000\u0003", "contracts.xlsx", "application/vnd.ms-excel");
    expect(xlsx.status).toBe(400);
    const [after] = await app.db().select({ n: count() }).from(importRuns);
    expect(after?.n).toBe(before?.n);
  });

  it("is admin's alone", async () => {
    const ops = await signIn(app.url, "ops@example.com");
    expect((await getPage(app.url(PAGE), ops)).status).toBe(403);
    expect((await upload(mixedCsv("ops"), "bss.csv", "text/csv", ops)).status).toBe(403);
    expect(await importedContracts("ops")).toHaveLength(0);
  });
});
