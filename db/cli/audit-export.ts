// npm run audit:export -- --from 2026-11-01 --to 2026-11-02 --format csv|jsonl [--gzip]
//   [--case RX-…] [--type case.notified] [--actor staff:<id>] [--out file]
// Writes an export of the audit trail and its signed manifest (<file>.manifest.json), with a
// progress bar on stderr (docs/decisions/009). Recorded like a download from the back office:
// an `audit_export` row and an `audit.exported` event in the `system` chain.
import { createWriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { NO_REQUEST } from "../../app/audit/events";
import { auditSignerFor } from "../../app/config/env.server";
import { ACTOR_TYPES, type ActorType } from "../../app/domain/enums";
import { translate, type MessageKey } from "../../app/i18n/i18n";
import { startAuditExport } from "../../app/services/audit-export/export-audit-trail.server";
import { AuditExportRequestSchema } from "../../app/services/audit-export/filters";
import { manifestText } from "../../app/services/audit-export/manifest.server";
import { createDatabaseClient } from "../client";
import { ProgressBar } from "./progress-bar";
import { runCli } from "./run";

const USAGE = `Usage: npm run audit:export -- [--from <date|instant>] [--to <date|instant>] [--format csv|jsonl]
         [--gzip] [--case <RX-… reference or case id>] [--type <event type>]… [--actor <type>[:<id>]]
         [--out <file>]

  --from, --to   the period [from, to): a day (2026-11-01, midnight in Europe/Paris) or an ISO
                 instant with its offset (2026-11-01T08:00:00Z); each may be left out
  --format       csv (default) or jsonl
  --gzip         compress the file
  --case         one case's chain, by reference or id
  --type         an event type (repeat it, or separate types with commas)
  --actor        staff, subscriber, system or integration, optionally with an id: staff:<uuid>
  --out          the file to write (default: a name made from the filters, in this folder);
                 its manifest is written next to it as <file>.manifest.json

Check the result with: node tools/verify-audit-export.mjs <file> --public-key audit-key.pem`;

/** Schema field → the flag a person typed. */
const FLAGS: Record<string, string> = {
  from: "--from",
  to: "--to",
  format: "--format",
  gzip: "--gzip",
  case: "--case",
  type: "--type",
  actorType: "--actor",
  actorId: "--actor",
};

function usageError(lines: string[]): never {
  console.error(`${lines.join("\n")}\n\n${USAGE}`);
  process.exit(2);
}

function readArguments() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        to: { type: "string" },
        format: { type: "string" },
        gzip: { type: "boolean" },
        case: { type: "string" },
        type: { type: "string", multiple: true },
        actor: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usageError([error instanceof Error ? error.message : String(error)]);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let actorType: string | undefined;
  let actorId: string | undefined;
  if (values.actor !== undefined) {
    const [type, ...rest] = values.actor.split(":");
    if (!(ACTOR_TYPES as readonly string[]).includes(type ?? ""))
      usageError([
        `--actor: "${values.actor}" must be an actor type (${ACTOR_TYPES.join(", ")}), optionally followed by :<id>`,
      ]);
    actorType = type as ActorType;
    actorId = rest.length > 0 ? rest.join(":") : undefined;
  }
  const parsed = AuditExportRequestSchema.safeParse({
    from: values.from,
    to: values.to,
    format: values.format,
    gzip: values.gzip ? "1" : undefined,
    case: values.case,
    type: values.type?.flatMap((type) => type.split(",").map((part) => part.trim())),
    actorType,
    actorId,
  });
  if (!parsed.success)
    usageError(
      parsed.error.issues.map((issue) => {
        const flag = FLAGS[String(issue.path[0])] ?? "arguments";
        return `${flag}: ${translate("en", issue.message as MessageKey)}`;
      }),
    );
  return { request: parsed.data, out: values.out };
}

const { request, out } = readArguments();
// npm runs scripts from the project's folder; a relative --out is meant from where it was typed.
const here = process.env.INIT_CWD ?? process.cwd();

await runCli(async ({ env, logger, url }) => {
  const client = createDatabaseClient(url, { max: 3 });
  const progress = new ProgressBar("Exporting");
  const began = performance.now();
  try {
    const started = await startAuditExport(
      { db: client.db, signer: auditSignerFor(env), logger },
      {
        request,
        requester: { kind: "cli", meta: NO_REQUEST },
        fileName: out === undefined ? undefined : path.basename(out),
        onStart: (total) => progress.start(total),
        onProgress: (rows) => progress.update(rows),
      },
    );
    if (!started.ok) {
      console.error(`--case: ${translate("en", "staff.auditExport.error.caseUnknown")}`);
      process.exitCode = 2;
      return;
    }
    const target = path.resolve(here, out ?? started.export.fileName);
    // Written under another name, so that a failed export never leaves a plausible-looking file.
    const partial = `${target}.part`;
    try {
      await pipeline(started.export.body, createWriteStream(partial));
      const manifest = await started.export.finished;
      await rename(partial, target);
      await writeFile(`${target}.manifest.json`, manifestText(manifest));
      progress.finish();
      console.log(`Wrote ${target}`);
      console.log(`  ${manifest.rows} rows, ${manifest.bytes} bytes, SHA-256 ${manifest.sha256}`);
      console.log(
        `  ${manifest.checkpoint ? `checkpoint #${manifest.checkpoint.id}` : "no checkpoint yet"}, ` +
          `${manifest.anchors ? `${manifest.anchors.length} anchored chains` : `no anchors (${manifest.anchorsOmitted})`}`,
      );
      console.log(`Wrote ${target}.manifest.json (export ${started.export.id})`);
      console.log(`Done in ${((performance.now() - began) / 1000).toFixed(1)} s.`);
    } catch (error) {
      progress.abort();
      await rm(partial, { force: true });
      throw error;
    }
  } finally {
    await client.close();
  }
});
