// npm run audit:verify [-- --json]
// Verifies the whole audit trail (docs/decisions/009): every hash chain, every signed checkpoint,
// and the database against the latest checkpoint (no event it covers deleted or changed).
// Progress on stderr; a readable summary (or, with --json, the full report) on stdout; exit code
// 1 when anything is broken. The run is recorded as an `audit.verified` event (chain `system`),
// which the compliance page shows as the last full verification.
import { parseArgs } from "node:util";
import type { AuditTrailReport } from "../../app/audit/checkpoints.server";
import { NO_REQUEST, SYSTEM_ACTOR } from "../../app/audit/events";
import { runAuditVerification } from "../../app/services/verify-audit-trail.server";
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { ProgressBar } from "./progress-bar";
import { runCli } from "./run";

const USAGE = "Usage: npm run audit:verify [-- --json]";

let json = false;
try {
  json = parseArgs({ options: { json: { type: "boolean" } }, strict: true }).values.json === true;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}

const number = new Intl.NumberFormat("en-GB");
const LISTED = 20;

const CHAIN_PROBLEMS: Record<string, string> = {
  sequence_gap: "an event is missing (sequence gap)",
  prev_hash_mismatch: "the link to the previous event is broken",
  hash_mismatch: "the content was changed (hash differs)",
};
const CHECKPOINT_PROBLEMS: Record<string, string> = {
  payload_mismatch: "its row differs from the signed payload",
  unknown_key: "signed by a key that is not on record",
  bad_signature: "invalid signature",
  broken_chain: "does not link to the previous checkpoint's root",
  bad_root: "its stored heads do not give the signed root",
};
const HEAD_PROBLEMS: Record<string, string> = {
  stream_deleted: "every event of the chain was deleted",
  events_deleted: "events were deleted",
  event_changed: "the event was changed",
};

function chainName(entry: { stream: string; caseReference: string | null }): string {
  return entry.caseReference ? `${entry.stream} (case ${entry.caseReference})` : entry.stream;
}

function more(total: number): string[] {
  return total > LISTED ? [`    … and ${number.format(total - LISTED)} more (see --json)`] : [];
}

function summaryText(report: AuditTrailReport): string {
  const { chains, checkpoints, deletions } = report;
  const lines = [`Audit trail verified in ${(report.durationMs / 1000).toFixed(1)} s`];
  lines.push(
    chains.broken.length === 0
      ? `  Chains: all ${number.format(chains.streams)} intact (${number.format(chains.events)} events)`
      : `  Chains: ${number.format(chains.broken.length)} broken of ${number.format(chains.streams)} (${number.format(chains.events)} events)`,
  );
  for (const chain of chains.broken.slice(0, LISTED))
    lines.push(
      `    ${chainName(chain)}: first broken link at seq ${chain.seq} (event id ${chain.eventId}): ${CHAIN_PROBLEMS[chain.problem] ?? chain.problem}`,
    );
  lines.push(...more(chains.broken.length));

  const latest = checkpoints.latest;
  if (latest === null) {
    lines.push("  Checkpoints: none yet (run npm run audit:checkpoint)");
  } else {
    lines.push(
      checkpoints.problems.length === 0
        ? `  Checkpoints: all ${number.format(checkpoints.total)} verified (latest #${latest.id} of ${latest.takenAt}, key ${latest.keyId})`
        : `  Checkpoints: ${number.format(checkpoints.problems.length)} of ${number.format(checkpoints.total)} fail verification`,
    );
    for (const bad of checkpoints.problems.slice(0, LISTED))
      lines.push(
        `    #${bad.checkpointId}: ${bad.problems.map((problem) => CHECKPOINT_PROBLEMS[problem] ?? problem).join("; ")}`,
      );
    lines.push(...more(checkpoints.problems.length));
    lines.push(
      deletions.missing.length === 0
        ? `  Against checkpoint #${latest.id}: every chain head it signed is still in the trail`
        : `  Against checkpoint #${latest.id}: ${number.format(deletions.missing.length)} chain head(s) it signed are gone or changed`,
    );
    for (const head of deletions.missing.slice(0, LISTED))
      lines.push(
        `    ${chainName(head)}: ${HEAD_PROBLEMS[head.problem] ?? head.problem} after checkpoint #${latest.id} (signed head: seq ${head.seq}; now: ${head.lastSeq === null ? "no event" : `last seq ${head.lastSeq}`})`,
      );
    lines.push(...more(deletions.missing.length));
  }
  lines.push(report.ok ? "OK" : "BROKEN: the audit trail does not verify");
  return lines.join("\n");
}

await runCli(async ({ url }) => {
  await runMigrations(url);
  const client = createDatabaseClient(url, { max: 4 });
  const bar = new ProgressBar("Verifying chains");
  let phase: string | null = null;
  try {
    const report = await runAuditVerification(client.db, {
      actor: SYSTEM_ACTOR,
      meta: NO_REQUEST,
      stream: "system",
      onProgress: (progress) => {
        if (progress.phase === "chains") {
          if (phase !== "chains") bar.start(progress.total);
          bar.update(progress.events);
        } else if (phase !== progress.phase) {
          if (phase === "chains") bar.finish();
          process.stderr.write(
            progress.phase === "checkpoints"
              ? `Verifying ${number.format(progress.total)} checkpoint(s)…\n`
              : `Checking the trail against checkpoint #${progress.checkpointId}…\n`,
          );
        }
        phase = progress.phase;
      },
    });
    if (phase === "chains") bar.finish();
    console.log(json ? JSON.stringify(report, null, 2) : summaryText(report));
    if (!report.ok) process.exitCode = 1;
  } catch (error) {
    bar.abort();
    throw error;
  } finally {
    await client.close();
  }
});
