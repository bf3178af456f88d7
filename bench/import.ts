// The bulk contract import at scale (issue #9: "100,000 rows in under a minute"). In a fresh
// database (an embedded Postgres in a temporary folder, or a new database on the DATABASE_URL
// server), writes a CSV of 100,000 contracts (each with its subscriber, one or two lines and one
// or two equipment items; one subscriber in five has two contracts) and times importContracts on
// it — the CLI's code path, in this process — then times the same file again (every row
// `unchanged`, nothing written). Run alone with `npx tsx bench/import.ts`
// (IMPORT_BENCH_ROWS=10000 for a quick try); bench/index.ts calls benchImport().
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { NO_REQUEST, SYSTEM_ACTOR } from "../app/audit/events";
import {
  importContracts,
  type ImportSummary,
} from "../app/services/integration/import-contracts.server";
import { createDatabaseClient } from "../db/client";
import { runMigrations } from "../db/migrate";
import { freshDatabase } from "./analytics";

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 100_000);
export const IMPORT_TARGET_MS = 60_000;

const HEADER =
  "subscriber_external_id,customer_number,first_name,last_name,email,phone,address_line1,postal_code,city,country,language,contract_external_id,contract_number,offer_name,category,jurisdiction,monthly_price_cents,currency,start_date,commitment_months,tacitly_renewed,deposit_cents,subsidised_device_value_cents,withdrawal_period_ends,status,lines,equipment_1_external_id,equipment_1_kind,equipment_1_model,equipment_1_serial,equipment_1_must_return,equipment_1_non_return_charge_cents,equipment_1_deposit_cents,equipment_2_external_id,equipment_2_kind,equipment_2_model,equipment_2_serial,equipment_2_must_return,equipment_2_non_return_charge_cents,equipment_2_deposit_cents";

const FIRST = ["Camille", "Léa", "Hugo", "Inès", "Jonas", "Chloé", "Louis", "Zoé"];
const LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"];

async function writeCsv(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i += 1) {
    // One subscriber in five has two contracts (rows i and i+1 share it).
    const s = i % 5 === 1 ? i - 1 : i;
    const mobile = i % 3 === 0;
    const date = `20${20 + (i % 6)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const phone1 = `+336${String(10_000_000 + i * 2).padStart(8, "0")}`;
    const phone2 = `+336${String(10_000_001 + i * 2).padStart(8, "0")}`;
    const cells = [
      `S-${s}`,
      `CN-${s}`,
      FIRST[s % FIRST.length],
      LAST[(s >> 3) % LAST.length],
      `client${s}@example.com`,
      `+337${String(10_000_000 + s).padStart(8, "0")}`,
      `${1 + (s % 120)} rue de la République`,
      `${75001 + (s % 20)}`,
      "Paris",
      "FR",
      s % 7 === 0 ? "en" : "fr",
      `C-${i}`,
      `CT-${i}`,
      mobile ? "Mobile 100 Go" : '"Fibre Max, 1 Gb/s"',
      mobile ? "mobile" : "internet",
      "FR",
      mobile ? "1599" : "3999",
      "EUR",
      date,
      String(i % 25),
      i % 4 === 0 ? "true" : "false",
      "0",
      mobile ? "0" : "12000",
      "",
      i % 50 === 0 ? "terminated" : "active",
      mobile ? `${phone1};${phone2}` : phone1,
      `E-${i}-1`,
      mobile ? "sim" : "box",
      mobile ? "Nano SIM" : "NebulaBox 8",
      mobile ? "" : `NB8-${i}`,
      mobile ? "false" : "true",
      mobile ? "0" : "15000",
      "0",
      mobile ? "" : `E-${i}-2`,
      mobile ? "" : "tv_decoder",
      mobile ? "" : "NebulaTV 4K",
      "",
      mobile ? "" : "true",
      mobile ? "" : "9000",
      mobile ? "" : "0",
    ];
    if (!out.write(`${cells.join(",")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return statSync(file).size;
}

export interface ImportBench {
  rows: number;
  bytes: number;
  first: ImportSummary;
  again: ImportSummary;
  /** The 1-minute load average before and after (2 cores: 2 is a full machine). */
  load: [number, number];
  counts: {
    subscribers: number;
    contracts: number;
    lines: number;
    equipment: number;
    events: number;
  };
}

export async function benchImport(
  options: { log?: (line: string) => void } = {},
): Promise<ImportBench> {
  const log = options.log ?? (() => undefined);
  const database = await freshDatabase();
  const work = mkdtempSync(path.join(tmpdir(), "easyexit-import-bench-"));
  try {
    await runMigrations(database.url);
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    const [operator] = await sql<{ id: string }[]>`
      insert into operator (slug, legal_name, display_name, address_line1, postal_code, city, country,
        registration_number, jurisdiction, default_language, support_email, return_methods, return_address)
      values ('nebula', 'Nébula Télécom SAS', 'Nébula Télécom', '12 rue des Étoiles', '75011', 'Paris',
        'FR', 'RCS Paris 912 345 678', 'FR', 'fr', 'resiliation@nebula-telecom.example',
        '{relay_point,post_office}', 'Service retours, 93200 Saint-Denis')
      returning id`;
    const file = path.join(work, "contracts.csv");
    log(`Contract import: writing ${ROWS.toLocaleString("en-GB")} rows…`);
    const bytes = await writeCsv(file, ROWS);
    const client = createDatabaseClient(database.url, { max: 2 });
    const run = () =>
      importContracts(client.db, {
        operatorId: operator!.id,
        input: createReadStream(file),
        fileName: "contracts.csv",
        source: "cli",
        startedBy: null,
        actor: SYSTEM_ACTOR,
        meta: NO_REQUEST,
      });
    try {
      const loadBefore = loadavg()[0]!;
      log("Contract import: importing…");
      const first = await run();
      log("Contract import: importing the same file again…");
      const again = await run();
      const [counts] = await sql<ImportBench["counts"][]>`
        select (select count(*)::int from subscriber) as subscribers,
               (select count(*)::int from contract) as contracts,
               (select count(*)::int from line) as lines,
               (select count(*)::int from equipment) as equipment,
               (select count(*)::int from audit_event) as events`;
      return {
        rows: ROWS,
        bytes,
        first,
        again,
        load: [loadBefore, loadavg()[0]!],
        counts: counts!,
      };
    } finally {
      await client.close();
      await sql.end({ timeout: 5 });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await database.drop();
  }
}

export function describeImportBench(result: ImportBench): string[] {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (ms: number) => Math.round(result.rows / (ms / 1000)).toLocaleString("en-GB");
  return [
    `contract import: ${result.rows.toLocaleString("en-GB")} rows (${(result.bytes / 2 ** 20).toFixed(1)} MiB) in ${seconds(result.first.durationMs)} (${rate(result.first.durationMs)} rows/s; target < ${seconds(IMPORT_TARGET_MS)}) — ${result.first.created} created, ${result.first.rejected} rejected`,
    `contract import, same file again: ${seconds(result.again.durationMs)} (${rate(result.again.durationMs)} rows/s) — ${result.again.unchanged} unchanged, ${result.again.created + result.again.updated} written`,
    `  load average ${result.load[0].toFixed(1)} → ${result.load[1].toFixed(1)}; stored: ${result.counts.subscribers} subscribers, ${result.counts.contracts} contracts, ${result.counts.lines} lines, ${result.counts.equipment} items, ${result.counts.events} audit events`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchImport({ log: (line) => console.log(line) });
  for (const line of describeImportBench(result)) console.log(line);
}
