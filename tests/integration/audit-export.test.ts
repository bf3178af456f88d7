import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../app/audit/canonical";
import { addDays, instantInZone } from "../../app/domain/dates";
import { EXPORT_COLUMNS } from "../../app/services/audit-export/encode";
import type { AuditExportManifest } from "../../app/services/audit-export/manifest.server";
import { auditEvents, auditExports, cancellationCases, staffUsers } from "../../db/schema";
import { PORTAL_TEST_AUDIT_KEY, PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { getPage, signIn } from "../setup/staff-http";

// Issue #8, "export of a seeded day as CSV and JSONL; the manifest's hash matches the file; the
// standalone verifier accepts it and rejects a copy with one byte changed", over HTTP against the
// production build as a compliance officer, and through `npm run audit:export` as a child
// process; then what the verifier refuses, gzip, the filters, bad filters, and who may export.
const app = setupPortal("audit_export");

const PAGE = "/staff/conformite/exports";
const DOWNLOAD = "/staff/conformite/exports/telecharger";
const VERIFIER = path.resolve("tools/verify-audit-export.mjs");
const work = mkdtempSync(path.join(tmpdir(), "easyexit-audit-export-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cookie = { compliance: "", admin: "", operations: "", agent: "" };
let complianceId = "";
/** A past day of the demo history (Europe/Paris) with events of several chains, and the next. */
let day = "";
let nextDay = "";
let dayRows = 0;
let keyFile = "";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child process, awaited without blocking the portal that runs in this process. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const verify = (file: string, ...extra: string[]) =>
  run([VERIFIER, file, "--public-key", keyFile, ...extra]);

function cliExport(args: string[]) {
  return run(["--import", "tsx", "db/cli/audit-export.ts", ...args], {
    DATABASE_URL: app.databaseUrl(),
    SESSION_SECRET: PORTAL_TEST_SECRET,
    AUDIT_SIGNING_KEY: PORTAL_TEST_AUDIT_KEY,
    LOG_LEVEL: "warn",
  });
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The CSV as a reader that knows RFC 4180 sees it (csv-parse), header first. */
function parseCsv(bytes: Buffer): string[][] {
  return parse(bytes.toString("utf8"), { record_delimiter: "\r\n", relax_quotes: false });
}

/** The link the page offers once the selection is checked. */
async function downloadLink(query: string, who = cookie.compliance): Promise<string> {
  const page = await getPage(app.url(`${PAGE}?${query}`), who);
  expect(page.status).toBe(200);
  const html = await page.text();
  const href = /href="(\/staff\/conformite\/exports\/telecharger\?[^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error("the page offers no download link");
  return href.replace(/&amp;/g, "&");
}

interface Downloaded {
  bytes: Buffer;
  fileName: string;
  contentType: string;
  manifest: AuditExportManifest;
  manifestText: string;
  exportId: string;
}

/** Downloads an export like the browser does, then its manifest from the history. */
async function download(query: string, who = cookie.compliance): Promise<Downloaded> {
  const response = await getPage(app.url(`${DOWNLOAD}?${query}`), who);
  expect(
    response.status,
    await response
      .clone()
      .text()
      .catch(() => ""),
  ).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const fileName = /filename="([^"]+)"/.exec(
    response.headers.get("content-disposition") ?? "",
  )?.[1];
  if (!fileName) throw new Error("no file name");
  // The manifest is saved before the last byte: it is there as soon as the body is read.
  const [row] = await app
    .db()
    .select({ id: auditExports.id, status: auditExports.status })
    .from(auditExports)
    .orderBy(desc(auditExports.createdAt))
    .limit(1);
  expect(row?.status).toBe("complete");
  const manifestResponse = await getPage(app.url(`${PAGE}/${row!.id}/manifest.json`), who);
  expect(manifestResponse.status).toBe(200);
  expect(manifestResponse.headers.get("content-disposition")).toBe(
    `attachment; filename="${fileName}.manifest.json"`,
  );
  const manifestText = await manifestResponse.text();
  return {
    bytes,
    fileName,
    contentType: response.headers.get("content-type") ?? "",
    manifest: JSON.parse(manifestText) as AuditExportManifest,
    manifestText,
    exportId: row!.id,
  };
}

/** Writes an export and its manifest where the verifier expects them. */
function save(name: string, bytes: Buffer, manifest: string): string {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.manifest.json`, manifest);
  return file;
}

beforeAll(async () => {
  const db = app.db();
  cookie.compliance = await signIn(app.url, "compliance@example.com");
  cookie.admin = await signIn(app.url, "admin@example.com");
  cookie.operations = await signIn(app.url, "ops@example.com");
  cookie.agent = await signIn(app.url, "agent@example.com");
  const [compliance] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, "compliance@example.com"));
  complianceId = compliance!.id;
  // The busiest past day of the demo history that spans at least three chains.
  const [busiest] = await db.execute<{ day: string; rows: string }>(sql`
    select to_char((occurred_at at time zone 'Europe/Paris')::date, 'YYYY-MM-DD') as day,
      count(*) as rows
    from audit_event
    where occurred_at < date_trunc('day', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris'
    group by 1 having count(distinct stream) >= 3
    order by count(*) desc, 1 desc limit 1`);
  if (!busiest) throw new Error("the demo history has no past day with events");
  day = busiest.day;
  nextDay = addDays(day, 1);
  dayRows = Number(busiest.rows);
  // The public key as a third party gets it: from the portal's well-known address.
  const key = await fetch(app.url("/.well-known/easy-exit/audit-key.pem"));
  expect(key.status).toBe(200);
  keyFile = path.join(work, "audit-key.pem");
  writeFileSync(keyFile, await key.text());
});

describe("the exports page", () => {
  it("shows the form and an empty history, on a phone too", async () => {
    const response = await getPage(app.url(PAGE), cookie.compliance);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Exports du journal d’audit");
    expect(html).toContain('<form method="get"');
    expect(html).toContain("Aucun export pour l’instant");
    expect(html).toContain('name="viewport"');
    for (const field of ["from", "to", "case", "actorType", "actorId"])
      expect(html).toContain(`id="${field}"`);
  });

  it("checks the selection and counts it before offering the download", async () => {
    const response = await getPage(
      app.url(`${PAGE}?from=${day}&to=${nextDay}&format=csv`),
      cookie.compliance,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`journal-audit_${day}_${nextDay}.csv`);
    expect(html.replace(/\u202f|&nbsp;|\u00a0/g, " ")).toContain(
      `Événements sélectionnés : ${new Intl.NumberFormat("fr-FR").format(dayRows).replace(/\u202f/g, " ")}`,
    );
  });

  it("refuses bad filters with translated form errors and a 400", async () => {
    const bad = await getPage(app.url(`${PAGE}?from=2026-13-45&to=${day}`), cookie.compliance);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Indiquez une date de début valide");
    expect(html).toContain('href="#from"');
    expect(html).not.toContain("/staff/conformite/exports/telecharger?");

    const backwards = await getPage(
      app.url(`${PAGE}?from=${nextDay}&to=${day}`),
      cookie.compliance,
    );
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain("La fin de la période doit être après son début.");

    const english = await fetch(app.url(`${PAGE}?type=case.exploded&case=nope&lang=en`), {
      headers: { Cookie: cookie.compliance },
      redirect: "manual",
    });
    expect(english.status).toBe(400);
    const text = await english.text();
    expect(text).toContain("Choose event types from the list.");
    expect(text).toContain("Enter a case reference (RX-XXXX-XXXX) or a case id.");

    const unknownCase = await getPage(app.url(`${PAGE}?case=RX-ZZZZ-ZZZZ`), cookie.compliance);
    expect(unknownCase.status).toBe(400);
    expect(await unknownCase.text()).toContain("Aucun dossier ne porte cette référence");
  });

  it("refuses a hand-made download URL with bad filters in words (400, no export)", async () => {
    const before = await app.db().select({ n: count() }).from(auditExports);
    const response = await getPage(app.url(`${DOWNLOAD}?format=xml&from=hier`), cookie.compliance);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain("Export impossible\u202f: Choisissez le format CSV ou JSON Lines.");
    expect(text).toContain("Indiquez une date de début valide");
    const unknown = await getPage(app.url(`${DOWNLOAD}?case=RX-ZZZZ-ZZZZ`), cookie.compliance);
    expect(unknown.status).toBe(400);
    const after = await app.db().select({ n: count() }).from(auditExports);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("refuses operations and agents the page, the download and the manifests", async () => {
    const [anyExport] = await app.db().select({ id: auditExports.id }).from(auditExports).limit(1);
    for (const who of [cookie.operations, cookie.agent]) {
      for (const url of [
        PAGE,
        `${DOWNLOAD}?from=${day}&to=${nextDay}`,
        `${PAGE}/${anyExport?.id ?? "00000000-0000-4000-8000-000000000000"}/manifest.json`,
      ]) {
        const response = await getPage(app.url(url), who);
        expect(response.status, url).toBe(403);
      }
    }
  });
});

describe("a seeded day, exported and verified", () => {
  let csv: Downloaded;
  let csvFile = "";

  it("streams the CSV to compliance, with the manifest whose hash is the file's", async () => {
    const href = await downloadLink(`from=${day}&to=${nextDay}&format=csv`);
    csv = await download(href.split("?")[1]!);
    expect(csv.contentType).toBe("text/csv; charset=utf-8");
    expect(csv.fileName).toBe(`journal-audit_${day}_${nextDay}.csv`);

    // RFC 4180 as a library reads it: the header, then one row per event of the day.
    const records = parseCsv(csv.bytes);
    expect(records[0]).toEqual([...EXPORT_COLUMNS]);
    const rows = records.slice(1);
    expect(rows).toHaveLength(dayRows);
    expect(csv.bytes.subarray(0, 3).toString("hex")).not.toBe("efbbbf"); // no BOM
    expect(csv.bytes.toString("utf8").split("\r\n")).toHaveLength(dayRows + 2);
    // Ordered by (stream, seq), within the day, every value as stored.
    const from = instantInZone(`${day}T00:00`, "Europe/Paris")!.getTime();
    const to = instantInZone(`${nextDay}T00:00`, "Europe/Paris")!.getTime();
    for (const row of rows) {
      const at = new Date(row[7]!).getTime();
      expect(at).toBeGreaterThanOrEqual(from);
      expect(at).toBeLessThan(to);
    }
    const order = rows.map((row) => [row[1]!, Number(row[2])] as const);
    for (let i = 1; i < order.length; i += 1) {
      const [stream, seq] = order[i]!;
      const [previousStream, previousSeq] = order[i - 1]!;
      if (stream === previousStream) expect(seq).toBeGreaterThan(previousSeq);
    }
    const [first] = rows;
    const [stored] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.id, Number(first![0])));
    expect(first).toEqual([
      String(stored!.id),
      stored!.stream,
      String(stored!.seq),
      stored!.caseId ?? "",
      stored!.type,
      stored!.actorType,
      stored!.actorId ?? "",
      stored!.occurredAt.toISOString(),
      stored!.ip ?? "",
      stored!.userAgent ?? "",
      canonicalJson(stored!.data),
      stored!.prevHash,
      stored!.hash,
    ]);

    expect(csv.manifest).toMatchObject({
      version: 1,
      format: "csv",
      gzip: false,
      file: csv.fileName,
      bytes: csv.bytes.length,
      sha256: sha256(csv.bytes),
      rows: dayRows,
      createdBy: complianceId,
      filters: {
        from: instantInZone(`${day}T00:00`, "Europe/Paris")!.toISOString(),
        to: instantInZone(`${nextDay}T00:00`, "Europe/Paris")!.toISOString(),
        caseId: null,
        types: [],
        actorType: null,
        actorId: null,
      },
      anchorsOmitted: null,
    });
    expect(csv.manifest.checkpoint).not.toBeNull();
    expect(Object.keys(csv.manifest)).toEqual([
      "version",
      "format",
      "gzip",
      "file",
      "bytes",
      "sha256",
      "rows",
      "filters",
      "createdAt",
      "createdBy",
      "checkpoint",
      "anchors",
      "anchorsOmitted",
      "keyId",
      "signature",
    ]);
  });

  it("records the export: an audit_export row and an audit.exported event in the staff chain", async () => {
    const [row] = await app
      .db()
      .select()
      .from(auditExports)
      .where(eq(auditExports.id, csv.exportId));
    expect(row).toMatchObject({
      staffUserId: complianceId,
      format: "csv",
      gzip: false,
      status: "complete",
      rows: dayRows,
      bytes: csv.bytes.length,
      sha256: sha256(csv.bytes),
      checkpointId: csv.manifest.checkpoint!.id,
    });
    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.type, "audit.exported"),
          eq(auditEvents.stream, `staff:${complianceId}`),
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: complianceId,
      data: {
        exportId: csv.exportId,
        format: "csv",
        gzip: false,
        rows: dayRows,
        sha256: sha256(csv.bytes),
        filters: csv.manifest.filters,
      },
    });
    // The history lists it, with its hash and its manifest.
    const html = await (await getPage(app.url(PAGE), cookie.compliance)).text();
    expect(html).toContain(sha256(csv.bytes));
    expect(html).toContain(`${PAGE}/${csv.exportId}/manifest.json`);
    expect(html).not.toContain("Aucun export pour l’instant");
  });

  it("is accepted by the standalone verifier, anchors included", async () => {
    csvFile = save(csv.fileName, csv.bytes, csv.manifestText);
    const result = await verify(csvFile);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const streams = new Set(
      parseCsv(csv.bytes)
        .slice(1)
        .map((row) => row[1]),
    ).size;
    expect(result.stdout).toContain(
      `OK: ${dayRows} rows, ${streams} streams, checkpoint #${csv.manifest.checkpoint!.id}`,
    );
    expect(result.stdout).toMatch(/Anchors +\d+ chain heads lead to the root of checkpoint/);
  });

  it("exports the same day as JSON Lines, also verified", async () => {
    const jsonl = await download(`from=${day}&to=${nextDay}&format=jsonl`);
    expect(jsonl.contentType).toBe("application/jsonl; charset=utf-8");
    expect(jsonl.fileName).toBe(`journal-audit_${day}_${nextDay}.jsonl`);
    const text = jsonl.bytes.toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(dayRows);
    const csvRows = parseCsv(csv.bytes).slice(1);
    lines.forEach((line, index) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(object)).toEqual([...EXPORT_COLUMNS]);
      expect(typeof object.data).toBe("object");
      expect(String(object.id)).toBe(csvRows[index]![0]);
      expect(object.hash).toBe(csvRows[index]![12]);
    });
    expect(jsonl.manifest).toMatchObject({ format: "jsonl", sha256: sha256(jsonl.bytes) });
    const result = await verify(save(jsonl.fileName, jsonl.bytes, jsonl.manifestText));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: ${dayRows} rows`);
  });

  it("rejects a copy with one byte changed, naming its line", async () => {
    // One digit of the fifth event's occurred_at (line 6 of the file, after the header):
    // the fields before it (id, stream, seq, case, type, actor) never hold a comma.
    const lines = csv.bytes.toString("utf8").split("\r\n");
    const target = 5;
    const fields = lines[target]!.split(",");
    const at = fields.slice(0, 7).join(",").length + 1 + fields[7]!.length - 2; // last ms digit
    const line = lines[target]!;
    lines[target] = `${line.slice(0, at)}${line[at] === "7" ? "8" : "7"}${line.slice(at + 1)}`;
    const changed = Buffer.from(lines.join("\r\n"), "utf8");
    expect(changed.length).toBe(csv.bytes.length);
    expect(changed.equals(csv.bytes)).toBe(false);
    const result = await verify(save(`changed-${csv.fileName}`, changed, csv.manifestText));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`FAIL: line ${target + 1}: chain `);
    expect(result.stderr).toContain("the hash does not match the row's content");
    expect(result.stderr).toContain("is not the one the manifest describes");
  });

  it("rejects a manifest whose row count was changed (its signature breaks)", async () => {
    const manifest = JSON.parse(csv.manifestText) as AuditExportManifest;
    manifest.rows -= 1;
    const file = save(`rows-${csv.fileName}`, csv.bytes, JSON.stringify(manifest, null, 2));
    const result = await verify(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("FAIL: the signature of the manifest is not valid");
  });

  it("rejects the export under another public key", async () => {
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" });
    const otherKey = path.join(work, "other-key.pem");
    writeFileSync(otherKey, other);
    const result = await run([VERIFIER, csvFile, "--public-key", otherKey]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the manifest is signed with key ${csv.manifest.keyId}`);
    expect(result.stderr).toContain("wrong public key?");
  });

  it("explains its arguments when they are wrong (exit 2)", async () => {
    const missingKey = await run([VERIFIER, csvFile]);
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain("--public-key is required");
    const missingFile = await verify(path.join(work, "nowhere.csv"));
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain("cannot read the manifest");
  });

  it("writes the same file from the command line, with a progress bar and a system event", async () => {
    const out = path.join(work, "cli", "day.csv");
    rmSync(path.dirname(out), { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(out)));
    const result = await cliExport([
      "--from",
      day,
      "--to",
      nextDay,
      "--format",
      "csv",
      "--out",
      out,
    ]);
    expect(result.stderr).toMatch(
      /Exporting \[█+\] +100 % [\d,]+\/[\d,]+ rows · [\d,]+ rows\/s · done in/,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${out}`);
    const bytes = readFileSync(out);
    // The same rows in the same snapshot of history: byte for byte the file of the back office.
    expect(sha256(bytes)).toBe(sha256(csv.bytes));
    const manifest = JSON.parse(
      readFileSync(`${out}.manifest.json`, "utf8"),
    ) as AuditExportManifest;
    expect(manifest).toMatchObject({ file: "day.csv", createdBy: "cli", rows: dayRows });
    expect((await verify(out)).code).toBe(0);

    const [row] = await app
      .db()
      .select()
      .from(auditExports)
      .orderBy(desc(auditExports.createdAt))
      .limit(1);
    expect(row).toMatchObject({ staffUserId: null, status: "complete", sha256: sha256(bytes) });
    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, "system"), eq(auditEvents.type, "audit.exported")))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(event).toMatchObject({
      actorType: "system",
      data: { exportId: row!.id, rows: dayRows },
    });
    const html = await (await getPage(app.url(PAGE), cookie.admin)).text();
    expect(html).toContain("Ligne de commande");
  });

  it("gives the command line's bad arguments a readable error", async () => {
    const result = await cliExport(["--from", "2026-02-30", "--format", "xml", "--actor", "robot"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--actor: "robot" must be an actor type');
    const dates = await cliExport(["--from", "2026-02-30", "--format", "xml"]);
    expect(dates.code).toBe(2);
    expect(dates.stderr).toContain("--from: Enter a valid start date");
    expect(dates.stderr).toContain("--format: Choose the CSV or JSON Lines format.");
    expect(dates.stderr).toContain("Usage: npm run audit:export");
  });
});

describe("gzip and filters", () => {
  it("round-trips gzip: the same CSV once decompressed, the manifest over the compressed bytes", async () => {
    const plain = await download(`from=${day}&to=${nextDay}&format=csv`);
    const gz = await download(`from=${day}&to=${nextDay}&format=csv&gzip=1`);
    expect(gz.contentType).toBe("application/gzip");
    expect(gz.fileName).toBe(`journal-audit_${day}_${nextDay}.csv.gz`);
    expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
    expect(gz.manifest).toMatchObject({
      gzip: true,
      sha256: sha256(gz.bytes),
      bytes: gz.bytes.length,
    });
    const result = await verify(save(gz.fileName, gz.bytes, gz.manifestText));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: ${dayRows} rows`);
  });

  it("exports one case's chain by reference or by id, in full", async () => {
    const [someCase] = await app
      .db()
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .innerJoin(auditEvents, eq(auditEvents.caseId, cancellationCases.id))
      .groupBy(cancellationCases.id)
      .having(sql`count(*) >= 4`)
      .limit(1);
    const events = await app
      .db()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.stream, `case:${someCase!.id}`))
      .orderBy(asc(auditEvents.seq));
    const byReference = await download(`case=${someCase!.reference.toLowerCase()}&format=jsonl`);
    expect(byReference.fileName).toBe(`journal-audit_debut_fin_${someCase!.reference}.jsonl`);
    const rows = byReference.bytes
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { stream: string; seq: number });
    expect(rows.map((row) => row.seq)).toEqual(events.map((event) => event.seq));
    expect(new Set(rows.map((row) => row.stream))).toEqual(new Set([`case:${someCase!.id}`]));
    // The chain's head at the checkpoint is in the file: one anchor, with its proof.
    expect(byReference.manifest.anchors).toHaveLength(1);
    expect(byReference.manifest.anchors![0]).toMatchObject({ stream: `case:${someCase!.id}` });
    expect(byReference.manifest.filters).toMatchObject({
      caseId: someCase!.id,
      caseReference: someCase!.reference,
    });
    const byId = await download(`case=${someCase!.id}&format=jsonl`);
    expect(byId.bytes.equals(byReference.bytes)).toBe(true);
    expect((await verify(save("case.jsonl", byId.bytes, byId.manifestText))).code).toBe(0);
  });

  it("selects event types and an actor; the verifier accepts the holes they leave", async () => {
    const types = await download(`type=case.notified&type=case.effective&format=csv`);
    const typeRows = parseCsv(types.bytes).slice(1);
    const [notified] = await app
      .db()
      .select({ n: count() })
      .from(auditEvents)
      .where(sql`${auditEvents.type} in ('case.notified', 'case.effective')`);
    expect(typeRows).toHaveLength(notified!.n);
    expect(new Set(typeRows.map((row) => row[4]))).toEqual(
      new Set(["case.notified", "case.effective"]),
    );
    expect(types.manifest.filters.types).toEqual(["case.effective", "case.notified"]);
    const typesResult = await verify(save("types.csv", types.bytes, types.manifestText));
    expect(typesResult.code).toBe(0);
    expect(typesResult.stdout).toMatch(/as the filters select/);

    const actor = await download(`actorType=staff&actorId=${complianceId}&format=jsonl`);
    const actorRows = actor.bytes
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { actor_type: string; actor_id: string; type: string });
    expect(actorRows.length).toBeGreaterThan(0);
    for (const row of actorRows)
      expect(row).toMatchObject({ actor_type: "staff", actor_id: complianceId });
    // Its own earlier exports are in it: the trail of what compliance did.
    expect(actorRows.some((row) => row.type === "audit.exported")).toBe(true);
    expect((await verify(save("actor.jsonl", actor.bytes, actor.manifestText))).code).toBe(0);
  });
});

describe("a download the client drops", () => {
  it("stops reading, marks the export failed and records no export event", async () => {
    const before = await app.db().select({ n: count() }).from(auditEvents);
    expect(before[0]!.n).toBeGreaterThan(20_000); // far more than the sockets' buffers hold
    const controller = new AbortController();
    const response = await fetch(app.url(`${DOWNLOAD}?format=jsonl`), {
      headers: { Cookie: cookie.compliance },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const [row] = await app
      .db()
      .select({ id: auditExports.id, status: auditExports.status })
      .from(auditExports)
      .orderBy(desc(auditExports.createdAt))
      .limit(1);
    expect(row!.status).toBe("running");
    controller.abort();
    // The server notices the closed connection; wait for the row to say so (bounded).
    let status = row!.status;
    for (let tries = 0; tries < 200 && status === "running"; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [now] = await app
        .db()
        .select({ status: auditExports.status })
        .from(auditExports)
        .where(eq(auditExports.id, row!.id));
      status = now!.status;
    }
    expect(status).toBe("failed");
    const events = await app
      .db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        sql`${auditEvents.type} = 'audit.exported' and ${auditEvents.data}->>'exportId' = ${row!.id}`,
      );
    expect(events).toEqual([]);
  });
});

describe("a chain broken in the database", () => {
  it("exports faithfully, and the verifier names the row that was changed", async () => {
    const db = app.db();
    const [someCase] = await db
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .innerJoin(auditEvents, eq(auditEvents.caseId, cancellationCases.id))
      .groupBy(cancellationCases.id)
      .having(sql`count(*) >= 3`)
      .orderBy(desc(cancellationCases.reference))
      .limit(1);
    const [second] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, `case:${someCase!.id}`), eq(auditEvents.seq, 2)));
    // Someone with database access rewrites an event behind the application's back.
    const tampered = { ...(second!.data as Record<string, unknown>), tampered: true };
    await db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_event disable trigger audit_event_append_only`);
      await tx.execute(
        sql`update audit_event set data = ${JSON.stringify(tampered)}::jsonb where id = ${second!.id}`,
      );
      await tx.execute(sql`alter table audit_event enable trigger audit_event_append_only`);
    });
    try {
      const broken = await download(`case=${someCase!.reference}&format=csv`);
      expect(broken.bytes.toString("utf8")).toContain('""tampered"":true');
      const result = await verify(save("broken.csv", broken.bytes, broken.manifestText));
      expect(result.code).toBe(1);
      // Header on line 1, seq 1 on line 2: the rewritten seq 2 is line 3.
      expect(result.stderr).toContain(
        `FAIL: line 3: chain case:${someCase!.id}, seq 2: the hash does not match the row's content`,
      );
    } finally {
      await db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_event disable trigger audit_event_append_only`);
        await tx.execute(
          sql`update audit_event set data = ${JSON.stringify(second!.data)}::jsonb where id = ${second!.id}`,
        );
        await tx.execute(sql`alter table audit_event enable trigger audit_event_append_only`);
      });
    }
  });
});
