// npm run retention:apply -- [--dry-run] [--now 2032-12-01]
// Runs the data-retention job now (it also runs every night at 03:30 Europe/Paris) and prints
// what it did, or with --dry-run what it would do, per operator. --now moves the clock (a date
// is read as 03:30 in the operator's zone, like the job; an ISO instant as given): a demo of
// what the policy will do in some years. A future --now without --dry-run is refused in
// production — pseudonymisation cannot be undone.
import { parseArgs } from "node:util";
import { instantInZone, isValidIsoDate } from "../../app/domain/dates";
import {
  applyRetention,
  type OperatorRetentionRun,
} from "../../app/services/retention/apply-retention.server";
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { runCli } from "./run";

const USAGE = "Usage: npm run retention:apply -- [--dry-run] [--now 2032-12-01]";
const SHOWN = 20;

function parseNow(value: string | undefined): Date | null {
  if (value === undefined) return new Date();
  if (isValidIsoDate(value)) return instantInZone(`${value}T03:30`, "Europe/Paris");
  const instant = new Date(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(instant.getTime()) ? instant : null;
}

let options: { dryRun: boolean; now: Date };
try {
  const { values } = parseArgs({
    options: { "dry-run": { type: "boolean" }, now: { type: "string" } },
    strict: true,
  });
  const now = parseNow(values.now);
  if (now === null) throw new Error(`--now must be a date (2032-12-01) or an ISO instant`);
  options = { dryRun: values["dry-run"] ?? false, now };
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
}

function describe(run: OperatorRetentionRun): string[] {
  const verb = run.dryRun ? "would be" : "were";
  const out = [
    `${run.operatorSlug} — as of ${run.asOf} (records ${run.policy.recordsYears} years, prospecting data ${run.policy.prospectMonths} months)${run.dryRun ? " — DRY RUN, nothing changed" : ""}`,
    `  ${run.subscribers} subscriber(s) ${verb} pseudonymised (records rule)`,
    `  ${run.prospectOnly} subscriber(s) ${verb} cleared of prospecting data only (survey text, contact notes)`,
    `  ${run.notices} rejected notice(s) ${verb} pseudonymised`,
  ];
  if (!run.dryRun) out.push(`  ${run.documents} document(s) purged (SHA-256 and size kept)`);
  if (run.heldBack > 0)
    out.push(`  ${run.heldBack} subscriber(s) due but kept: a refund is still owed to them`);
  for (const action of run.actions.slice(0, SHOWN)) {
    out.push(
      `    ${action.kind} ${action.id}: ${action.rule} (relationship ended ${action.endedOn})`,
    );
  }
  if (run.actions.length > SHOWN) out.push(`    … and ${run.actions.length - SHOWN} more`);
  return out;
}

await runCli(async ({ env, url, logger }) => {
  if (!options.dryRun && env.NODE_ENV === "production" && options.now.getTime() > Date.now()) {
    throw new Error(
      "--now in the future pseudonymises data before their time: use it with --dry-run in production.",
    );
  }
  const client = createDatabaseClient(url, { max: 2 });
  try {
    await runMigrations(url);
    const runs = await applyRetention({
      db: client.db,
      logger,
      now: options.now,
      dryRun: options.dryRun,
      trigger: "cli",
    });
    if (runs.length === 0) console.log("No operator configured: nothing to do.");
    for (const run of runs) console.log(describe(run).join("\n"));
  } finally {
    await client.close();
  }
});
