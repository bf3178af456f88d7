// The audit trail at scale (issue #8: "1 million audit events export as CSV in ≤ 15 s with
// RSS ≤ 250 MB, and verify in ≤ 10 s"). In a fresh database — an embedded Postgres in a
// temporary folder, or a new database on the DATABASE_URL server — generates 1,000,000 audit
// events with real hash chains (49,000 case chains of 20 events and 200 staff chains of 100,
// hashed in Node with computeEventHash, loaded with COPY in time order so that chains interleave
// on disk as in production), takes a signed checkpoint, then times, each in a child process as
// an operator runs them:
//   - `npm run audit:export` of every event as CSV, then as JSON Lines (wall time, the export's
//     own time, and peak RSS of the process);
//   - verifyAuditTrail (every chain, every checkpoint, the database against the latest one),
//     in this process;
//   - tools/verify-audit-export.mjs on the CSV file.
// Run alone with `npx tsx bench/audit.ts` (AUDIT_BENCH_EVENTS=100000 for a quick try);
// bench/index.ts calls benchAudit().
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { canonicalJson } from "../app/audit/canonical";
import { takeCheckpoint, verifyAuditTrail } from "../app/audit/checkpoints.server";
import { computeEventHash, GENESIS_HASH } from "../app/audit/record-event.server";
import { createAuditSigner } from "../app/audit/signing.server";
import { csvField } from "../app/services/audit-export/encode";
import { createDatabaseClient } from "../db/client";
import { runMigrations } from "../db/migrate";
import { freshDatabase } from "./analytics";

const EVENTS = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
const EVENTS_PER_CASE = 20;
const STAFF_CHAINS = 200;
const EVENTS_PER_STAFF = 100;
const SECRET = "audit-bench-secret-audit-bench-secret!";

export interface ProcessRun {
  wallMs: number;
  /** The task's own time, as the process reports it (without Node's start-up). */
  taskMs: number | null;
  /** CPU time of the process (user + system): what a busy machine does not inflate. */
  cpuMs: number;
  maxRssMb: number;
  code: number | null;
  output: string;
}

export interface AuditBench {
  events: number;
  streams: number;
  generateMs: number;
  checkpointMs: number;
  csv: ProcessRun & { bytes: number };
  jsonl: ProcessRun & { bytes: number };
  verifyMs: number;
  /** CPU time of this process during verifyAuditTrail (Postgres's own time is not counted). */
  verifyCpuMs: number;
  verifyOk: boolean;
  /** The machine's 1-minute load average at the start and at the end (2 cores: 2 is full). */
  load: [number, number];
  standalone: ProcessRun;
}

// ---------------------------------------------------------------------------------------------
// Generating the trail
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

interface Draft {
  type: string;
  actorType: string;
  actorId: string | null;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
}

/** The twenty events of one cancellation case, as the portal writes them (shapes of events.ts). */
function caseEvents(i: number, caseId: string, staffId: string): Draft[] {
  const reference = `RX-${String(i)
    .padStart(8, "0")
    .replace(/(\d{4})(\d{4})/, "$1-$2")}`;
  const returnNumber = `RT-${String(i)
    .padStart(8, "0")
    .replace(/(\d{4})(\d{4})/, "$1-$2")}`;
  const subscriberId = randomUUID();
  const contractIds = [randomUUID()];
  const refundId = randomUUID();
  const equipmentIds = [randomUUID(), randomUUID()];
  const subscriber = {
    actorType: "subscriber",
    actorId: subscriberId,
    ip: `203.0.113.${i % 250}`,
    userAgent: UA,
  };
  const system = { actorType: "system", actorId: null, ip: null, userAgent: null };
  const staff = { actorType: "staff", actorId: staffId, ip: "192.0.2.10", userAgent: UA };
  const email = (kind: string, attempt: number) => ({
    type: "email.attempted",
    ...system,
    data: {
      emailId: randomUUID(),
      kind,
      attempt,
      outcome: "sent",
      smtpMessageId: `<${randomUUID()}@mail.example>`,
    },
  });
  return [
    { type: "case.identified", ...subscriber, data: { subscriberId, contractIds } },
    {
      type: "case.summary_shown",
      ...subscriber,
      data: { contractIds, earliestEndDate: "2026-12-31", feeTotalCents: 0 },
    },
    {
      type: "case.notified",
      ...subscriber,
      data: {
        reference,
        receivedAt: "2026-11-01T10:00:00.000Z",
        contractIds,
        effectiveEndDate: "2026-12-31",
        terminationType: "ordinary",
        feeTotalCents: i % 3 === 0 ? 4900 : 0,
      },
    },
    {
      type: "document.created",
      ...system,
      data: { documentId: randomUUID(), kind: "termination_letter", sha256: "ab".repeat(32) },
    },
    email("acknowledgment", 1),
    {
      type: "return.created",
      ...system,
      data: { returnNumber, equipmentIds, deadline: "2027-01-30" },
    },
    {
      type: "refund.updated",
      ...system,
      data: { refundId, kind: "deposit", status: "scheduled", amountCents: 7900 },
    },
    { type: "case.viewed", ...staff, data: { view: "detail" } },
    { type: "return.method_chosen", ...subscriber, data: { returnNumber, method: "relay_point" } },
    {
      type: "document.created",
      ...system,
      data: { documentId: randomUUID(), kind: "return_label", sha256: "cd".repeat(32) },
    },
    ...(["handed_in", "in_transit", "delivered"] as const).map((kind) => ({
      type: "return.carrier_event",
      ...system,
      data: {
        returnNumber,
        carrierEventId: randomUUID(),
        kind,
        source: "api",
        occurredAt: "2026-11-20T09:00:00.000Z",
      },
    })),
    {
      type: "return.items_received",
      ...staff,
      data: {
        returnNumber,
        receptionId: randomUUID(),
        items: equipmentIds.map((equipmentId) => ({ equipmentId, condition: "ok" })),
      },
    },
    email("return_receipt", 1),
    {
      type: "refund.updated",
      ...system,
      data: { refundId, status: "due", amountCents: 7900, legalDueDate: "2026-12-05" },
    },
    { type: "case.viewed", ...staff, data: { view: "detail" } },
    { type: "refund.updated", ...staff, data: { refundId, status: "issued", amountCents: 7900 } },
    { type: "case.effective", ...system, data: { reference, effectiveEndDate: "2026-12-31" } },
    { type: "case.closed", ...system, data: { reference } },
  ];
}

function staffEvents(staffId: string): Draft[] {
  const actions = ["signed_in", "signed_out", "sign_in_failed", "signed_in", "signed_out"];
  return Array.from({ length: EVENTS_PER_STAFF }, (_, k) => ({
    type: "staff.session",
    actorType: "staff",
    actorId: staffId,
    ip: "192.0.2.10",
    userAgent: UA,
    data: { action: actions[k % actions.length] },
  }));
}

interface Pending extends Draft {
  stream: string;
  caseId: string | null;
  at: number;
}

/**
 * COPY lines (CSV) of every chain, hashed as recordEvent hashes them, written in time order as
 * the portal writes them: the chains of the cases open at the same time interleave on disk, so
 * reading one chain in (stream, seq) order jumps between pages as it would in production.
 * Cases open one after the other over a year, each for about two and a half days; the staff
 * chains run through the whole year.
 */
async function* trailChunks(events: number): AsyncGenerator<string> {
  const staffIds = Array.from({ length: STAFF_CHAINS }, () => randomUUID());
  const cases = Math.max(
    1,
    Math.floor((events - STAFF_CHAINS * EVENTS_PER_STAFF) / EVENTS_PER_CASE),
  );
  const start = Date.UTC(2025, 11, 1);
  const year = 365 * DAY;
  const caseStart = (i: number) => start + Math.floor((i * year) / cases);
  const eventAt = (first: number, index: number) =>
    first + index * 3 * 3_600_000 + (index % 7) * 61_237;
  const staffTimeline = staffIds
    .flatMap((staffId, k) =>
      staffEvents(staffId).map((draft, index): Pending => ({
        ...draft,
        stream: `staff:${staffId}`,
        caseId: null,
        at:
          start +
          Math.floor(((index * STAFF_CHAINS + k) * year) / (STAFF_CHAINS * EVENTS_PER_STAFF)),
      })),
    )
    .sort((a, b) => a.at - b.at);
  const chains = new Map<string, { seq: number; hash: string }>();
  const BLOCK = 500;
  let staffIndex = 0;
  for (let from = 0; from < cases; from += BLOCK) {
    const to = Math.min(cases, from + BLOCK);
    // The events of this block of cases and the staff events of the same weeks, by time.
    const until = to < cases ? caseStart(to) : Number.POSITIVE_INFINITY;
    const batch: Pending[] = [];
    for (let i = from; i < to; i += 1) {
      const caseId = randomUUID();
      const first = caseStart(i);
      caseEvents(i, caseId, staffIds[i % STAFF_CHAINS]!).forEach((draft, index) =>
        batch.push({ ...draft, stream: `case:${caseId}`, caseId, at: eventAt(first, index) }),
      );
    }
    while (staffIndex < staffTimeline.length && staffTimeline[staffIndex]!.at < until)
      batch.push(staffTimeline[staffIndex++]!);
    batch.sort((a, b) => a.at - b.at);
    let text = "";
    for (const event of batch) {
      const previous = chains.get(event.stream) ?? { seq: 0, hash: GENESIS_HASH };
      const fields = { ...event, seq: previous.seq + 1, occurredAt: new Date(event.at) };
      const hash = computeEventHash(previous.hash, fields);
      if (event.stream.startsWith("case:") && fields.seq === EVENTS_PER_CASE)
        chains.delete(event.stream);
      else chains.set(event.stream, { seq: fields.seq, hash });
      text += `${csvField(event.stream)},${fields.seq},${csvField(event.caseId)},${event.type},${event.actorType},${csvField(event.actorId)},${csvField(canonicalJson(event.data))},${csvField(event.ip)},${csvField(event.userAgent)},${fields.occurredAt.toISOString()},${previous.hash},${hash}\n`;
    }
    yield text;
  }
}

/**
 * The trail, loaded the fast way in a throw-away database: without audit_event's indexes and
 * its case foreign key (the cases themselves are not generated: exports and verification read
 * audit_event alone), indexes rebuilt after.
 */
export async function generateTrail(url: string, events: number, log: (line: string) => void) {
  const client = createDatabaseClient(url, { max: 2 });
  const sql = client.sql;
  try {
    const indexes = await sql<{ indexname: string; indexdef: string }[]>`
      select indexname, indexdef from pg_indexes
      where tablename = 'audit_event' and indexname <> 'audit_event_pkey'`;
    for (const index of indexes) await sql.unsafe(`drop index ${index.indexname}`);
    const foreignKeys = await sql<{ conname: string }[]>`
      select conname from pg_constraint where conrelid = 'audit_event'::regclass and contype = 'f'`;
    for (const key of foreignKeys)
      await sql.unsafe(`alter table audit_event drop constraint ${key.conname}`);
    let mark = performance.now();
    const copy = await sql`copy audit_event (stream, seq, case_id, type, actor_type, actor_id,
      data, ip, user_agent, occurred_at, prev_hash, hash) from stdin with (format csv)`.writable();
    await pipeline(Readable.from(trailChunks(events)), copy);
    log(`  hashed and copied: ${((performance.now() - mark) / 1000).toFixed(1)} s`);
    mark = performance.now();
    for (const index of indexes) await sql.unsafe(index.indexdef);
    await sql`analyze audit_event`;
    log(`  indexes rebuilt: ${((performance.now() - mark) / 1000).toFixed(1)} s`);
    const [counts] = await sql<{ events: string; streams: string }[]>`
      select count(*) as events, count(distinct stream) as streams from audit_event`;
    return { events: Number(counts!.events), streams: Number(counts!.streams) };
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Timing child processes
// ---------------------------------------------------------------------------------------------

/** Preloaded into each timed process: its peak RSS and CPU time, written to stderr at exit. */
const RSS_REPORTER = `process.on("exit", () => {
  const usage = process.resourceUsage();
  require("node:fs").writeSync(2, "\\n__usage=" + usage.maxRSS + "," + (usage.userCPUTime + usage.systemCPUTime) + "\\n");
});\n`;

function timed(args: string[], env: Record<string, string>, reporter: string): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--require", reporter, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const usage = /__usage=(\d+),(\d+)/.exec(output);
      const done = /^Done in ([\d.]+) s\.$/m.exec(output);
      resolve({
        wallMs,
        taskMs: done ? Number(done[1]) * 1000 : null,
        cpuMs: usage ? Number(usage[2]) / 1000 : NaN,
        maxRssMb: usage ? Number(usage[1]) / 1024 : NaN,
        code,
        output: output.replace(/\n?__usage=\d+,\d+\n/, ""),
      });
    });
  });
}

export async function benchAudit(
  options: { log?: (line: string) => void; events?: number } = {},
): Promise<AuditBench> {
  const log = options.log ?? (() => undefined);
  const events = options.events ?? EVENTS;
  const loadAtStart = loadavg()[0]!;
  const database = await freshDatabase();
  const work = mkdtempSync(path.join(tmpdir(), "easyexit-audit-bench-"));
  try {
    await runMigrations(database.url);
    log(`Audit trail: generating ${events.toLocaleString("en-GB")} events with their hash chains…`);
    let mark = performance.now();
    const generated = await generateTrail(database.url, events, log);
    const generateMs = performance.now() - mark;

    const signer = createAuditSigner({ sessionSecret: SECRET });
    const keyFile = path.join(work, "audit-key.pem");
    writeFileSync(keyFile, signer.publicKeyPem);
    const reporter = path.join(work, "report-rss.cjs");
    writeFileSync(reporter, RSS_REPORTER);
    const client = createDatabaseClient(database.url, { max: 4 });
    let checkpointMs: number;
    let verifyMs: number;
    let verifyOk: boolean;
    try {
      mark = performance.now();
      await takeCheckpoint(client.db, signer);
      checkpointMs = performance.now() - mark;
      log(`  checkpoint: ${(checkpointMs / 1000).toFixed(1)} s`);

      const env = { DATABASE_URL: database.url, SESSION_SECRET: SECRET, LOG_LEVEL: "warn" };
      const exportRun = async (format: "csv" | "jsonl") => {
        const out = path.join(work, `all.${format}`);
        const result = await timed(
          ["--import", "tsx", "db/cli/audit-export.ts", "--format", format, "--out", out],
          env,
          reporter,
        );
        if (result.code !== 0) throw new Error(`audit:export ${format} failed:\n${result.output}`);
        log(
          `  export ${format}: ${(result.wallMs / 1000).toFixed(1)} s, ${result.maxRssMb.toFixed(0)} MB`,
        );
        return { ...result, bytes: statSync(out).size };
      };
      const csv = await exportRun("csv");
      const jsonl = await exportRun("jsonl");

      mark = performance.now();
      const cpuBefore = process.cpuUsage();
      const verification = await verifyAuditTrail(client.db);
      verifyMs = performance.now() - mark;
      const cpu = process.cpuUsage(cpuBefore);
      const verifyCpuMs = (cpu.user + cpu.system) / 1000;
      verifyOk = verification.ok;
      log(
        `  verifyAuditTrail: ${(verifyMs / 1000).toFixed(1)} s (${verifyOk ? "intact" : "BROKEN"})`,
      );

      const standalone = await timed(
        [
          path.resolve("tools/verify-audit-export.mjs"),
          path.join(work, "all.csv"),
          "--public-key",
          keyFile,
        ],
        {},
        reporter,
      );
      if (standalone.code !== 0)
        throw new Error(`the standalone verifier failed:\n${standalone.output}`);
      log(`  standalone verifier: ${(standalone.wallMs / 1000).toFixed(1)} s`);
      return {
        events: generated.events,
        streams: generated.streams,
        generateMs,
        checkpointMs,
        csv,
        jsonl,
        verifyMs,
        verifyCpuMs,
        verifyOk,
        standalone,
        load: [loadAtStart, loadavg()[0]!],
      };
    } finally {
      await client.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await database.drop();
  }
}

const seconds = (ms: number | null) => (ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`);

export function describeAuditBench(result: AuditBench): string[] {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const run = (r: ProcessRun) =>
    `${seconds(r.wallMs)} (export itself ${seconds(r.taskMs)}, CPU ${seconds(r.cpuMs)}), peak RSS ${r.maxRssMb.toFixed(0)} MB`;
  return [
    `audit trail: ${result.events.toLocaleString("en-GB")} events in ${result.streams.toLocaleString("en-GB")} chains (generated in ${seconds(result.generateMs)}; checkpoint ${seconds(result.checkpointMs)}); load average ${result.load[0].toFixed(1)} → ${result.load[1].toFixed(1)} on ${cpus().length} cores`,
    `  export CSV:   ${run(result.csv)}, ${mb(result.csv.bytes)} (target: ≤ 15 s, ≤ 250 MB)`,
    `  export JSONL: ${run(result.jsonl)}, ${mb(result.jsonl.bytes)}`,
    `  verifyAuditTrail: ${seconds(result.verifyMs)} (CPU of this process ${seconds(result.verifyCpuMs)}), ${result.verifyOk ? "intact" : "BROKEN"} (target: ≤ 10 s)`,
    `  standalone verifier on the CSV: ${seconds(result.standalone.wallMs)} (CPU ${seconds(result.standalone.cpuMs)}), peak RSS ${result.standalone.maxRssMb.toFixed(0)} MB`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await benchAudit({ log: (line) => console.log(line) });
  for (const line of describeAuditBench(result)) console.log(line);
}
