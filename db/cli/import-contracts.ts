// npm run import -- contracts.csv [--operator <slug>]
// Imports (creates or updates) subscribers, contracts, lines and equipment from the operator's
// BSS export (README, "Contract import"; example: docs/examples/contracts.csv), with a progress
// bar on stderr. Prints the summary and the rejected rows (line, column, reason). Exit code 0
// when every row was imported, 1 when a row was rejected (or the file could not be read), 2 for
// bad arguments. Recorded as an `import_run` (source `cli`); each created or changed contract
// has its `integration.contract_upserted` event, with the system as actor.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { asc, eq } from "drizzle-orm";
import { NO_REQUEST, SYSTEM_ACTOR } from "../../app/audit/events";
import { importContracts } from "../../app/services/integration/import-contracts.server";
import { createDatabaseClient } from "../client";
import { operators } from "../schema";
import { ProgressBar } from "./progress-bar";
import { runCli } from "./run";

const USAGE = `Usage: npm run import -- <file.csv> [--operator <slug>]

  <file.csv>   the contracts to create or update, one row per contract (UTF-8, comma-separated);
               format: README, "Contract import"; example: docs/examples/contracts.csv
  --operator   the operator the contracts belong to (default: the only one configured)`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let file: string;
let operatorSlug: string | undefined;
try {
  const { values, positionals } = parseArgs({
    options: { operator: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) usageError("Give exactly one CSV file.");
  file = positionals[0]!;
  operatorSlug = values.operator;
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error));
}

// npm runs scripts from the project's folder; a relative path is meant from where it was typed.
const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
const info = await stat(target).catch(() => null);
if (info === null || !info.isFile()) usageError(`${file}: no such file.`);

/** Data rows (physical lines but the header), for the progress bar's total. */
async function countRows(): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(target) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines += 1;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (last !== 10) lines += 1;
  return Math.max(0, lines - 1);
}

const number = new Intl.NumberFormat("en-GB");

await runCli(async ({ url }) => {
  const client = createDatabaseClient(url, { max: 2 });
  try {
    const all = await client.db
      .select({ id: operators.id, slug: operators.slug })
      .from(operators)
      .where(operatorSlug === undefined ? undefined : eq(operators.slug, operatorSlug))
      .orderBy(asc(operators.slug));
    if (all.length === 0) {
      console.error(
        operatorSlug === undefined
          ? "No operator configured: seed or create one first."
          : `--operator: no operator "${operatorSlug}".`,
      );
      process.exitCode = 2;
      return;
    }
    if (all.length > 1) {
      console.error(
        `Several operators: choose one with --operator (${all.map((o) => o.slug).join(", ")}).`,
      );
      process.exitCode = 2;
      return;
    }
    const operator = all[0]!;
    const progress = new ProgressBar("Importing");
    progress.start(await countRows());
    let summary;
    try {
      summary = await importContracts(client.db, {
        operatorId: operator.id,
        input: createReadStream(target),
        fileName: path.basename(target),
        source: "cli",
        startedBy: null,
        actor: SYSTEM_ACTOR,
        meta: NO_REQUEST,
        onProgress: (done) => progress.update(done.rowsRead),
      });
    } catch (error) {
      progress.abort();
      throw error;
    }
    if (summary.status === "complete") progress.finish();
    else progress.abort();
    console.log(
      `${summary.status === "complete" ? "Imported" : "FAILED:"} ${path.basename(target)} into ${operator.slug} (run ${summary.runId}) in ${(summary.durationMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  ${number.format(summary.rowsRead)} rows read: ${number.format(summary.created)} created, ${number.format(summary.updated)} updated, ${number.format(summary.unchanged)} unchanged, ${number.format(summary.rejected)} rejected`,
    );
    if (summary.errors.length > 0) {
      console.log("Errors (line, column: reason):");
      for (const error of summary.errors)
        console.log(`  line ${error.line}, ${error.field ?? "row"}: ${error.message}`);
      if (summary.rejected > 0 && summary.errors.length >= 1_000)
        console.log("  … only the first 1,000 are listed.");
    }
    if (summary.status === "failed" || summary.rejected > 0) process.exitCode = 1;
  } finally {
    await client.close();
  }
});
