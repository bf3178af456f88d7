import { asc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../app/audit/canonical";
import { computeEventHash, GENESIS_HASH } from "../../app/audit/record-event.server";
import {
  csvField,
  csvLine,
  jsonLine,
  type ExportRow,
} from "../../app/services/audit-export/encode";
import { scanClient } from "../../app/audit/verify-chain.server";
import { CopyLines, openExportCopy } from "../../app/services/audit-export/copy-lines.server";
import type { AuditExportFilters } from "../../app/services/audit-export/filters";
import { exportLinePage } from "../../app/services/audit-export/query.server";
import { auditEvents } from "../../db/schema";
import { setupTestDatabase } from "../setup/test-db";

// The export writes each line's columns in SQL (Postgres encodes them on its own core while
// Node canonicalises the data) — here checked byte for byte against the reference encoders of
// app/services/audit-export/encode.ts, on the values that make CSV and JSON hard: commas,
// quotes, CR and LF, empty strings beside nulls, control characters, accents and emoji.
const db = setupTestDatabase();

const NO_FILTERS: AuditExportFilters = {
  from: null,
  to: null,
  caseId: null,
  caseReference: null,
  types: [],
  actorType: null,
  actorId: null,
};

const HARD = [
  'a,b "quoted" \r\n next',
  "",
  "plain",
  "tab\there \u0001\u001f\u007f",
  "é, 😀 — \u2028",
  '"',
  ",",
];

/** An export read as the exporter reads it: one COPY on its own connection, on a snapshot. */
async function copyExport(
  filters: AuditExportFilters,
  format: "csv" | "jsonl",
): Promise<{ bytes: Buffer; streams: string[] }> {
  const client = scanClient(db)!;
  const streams: string[] = [];
  const chunks: Buffer[] = [];
  await db.transaction(
    async (tx) => {
      const [row] = await tx.execute<{ snapshot: string }>(
        sql`select pg_export_snapshot() as snapshot`,
      );
      const reader = new CopyLines(format, (stream) => streams.push(stream));
      try {
        for await (const chunk of await openExportCopy(client, row!.snapshot, filters, format))
          chunks.push(...reader.push(chunk));
        chunks.push(...reader.end());
      } finally {
        await client.end({ timeout: 0 });
      }
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return { bytes: Buffer.concat(chunks), streams };
}

describe("the SQL encoding of export lines", () => {
  it("writes exactly what csvLine and jsonLine write", async () => {
    let prevHash = GENESIS_HASH;
    for (const [index, text] of HARD.entries()) {
      const fields = {
        stream: index % 2 === 0 ? `stream,${text}` : `system-${index}`,
        seq: 1,
        caseId: null,
        type: `type.${text}`,
        actorType: "staff",
        actorId: index === 1 ? "" : index === 2 ? null : text,
        // Odd rows take the COPY reader's fast path; even ones its fallback (a number that
        // jsonb writes unlike JavaScript, or an escape in COPY's output).
        data:
          index % 2 === 0
            ? { text, nested: [text, { z: 1, a: null }], n: -1.5e-7, ok: true }
            : { text, nested: [text, { z: 1, a: null, ä: 2 }], amount: 12.5, list: [] },
        ip: index === 3 ? null : text,
        userAgent: index === 4 ? null : text,
        occurredAt: new Date(Date.UTC(2026, 10, 1, 8, 0, 0, index * 37)),
      };
      const hash = computeEventHash(prevHash, fields);
      await db.insert(auditEvents).values({ ...fields, actorType: "staff", prevHash, hash });
      prevHash = hash;
    }
    const stored = await db
      .select()
      .from(auditEvents)
      .orderBy(asc(auditEvents.stream), asc(auditEvents.seq));
    const reference: ExportRow[] = stored.map((row) => ({
      ...row,
      occurredAt: row.occurredAt.toISOString(),
    }));

    const csv = await exportLinePage(db, NO_FILTERS, "csv", null);
    const jsonl = await exportLinePage(db, NO_FILTERS, "jsonl", null);
    expect(csv.map((row) => `${row.stream}#${row.seq}`)).toEqual(
      reference.map((row) => `${row.stream}#${row.seq}`),
    );
    csv.forEach((row, index) => {
      expect(row.head + csvField(canonicalJson(row.data)) + row.tail).toBe(
        csvLine(reference[index]!),
      );
    });
    jsonl.forEach((row, index) => {
      const line = row.head + canonicalJson(row.data) + row.tail;
      expect(line).toBe(jsonLine(reference[index]!));
      expect(JSON.parse(line)).toMatchObject({ ip: reference[index]!.ip });
    });
    // One COPY writes the same bytes, the chains named in order, with and without filters.
    const all = await copyExport(NO_FILTERS, "csv");
    expect(all.bytes.toString("utf8")).toBe(reference.map(csvLine).join(""));
    expect(all.streams).toEqual([...new Set(reference.map((row) => row.stream))]);
    expect((await copyExport(NO_FILTERS, "jsonl")).bytes.toString("utf8")).toBe(
      reference.map(jsonLine).join(""),
    );
    const filters: AuditExportFilters = {
      ...NO_FILTERS,
      from: new Date(Date.UTC(2026, 10, 1, 8, 0, 0, 37)).toISOString(),
      to: new Date(Date.UTC(2026, 10, 1, 8, 0, 0, 200)).toISOString(),
      types: ["type.plain", 'type."', "type.'", "type.,"],
      actorType: "staff",
    };
    const filtered = reference.filter(
      (row) =>
        filters.types.includes(row.type) &&
        row.occurredAt >= filters.from! &&
        row.occurredAt < filters.to!,
    );
    expect(filtered.length).toBe(2);
    expect((await copyExport(filters, "csv")).bytes.toString("utf8")).toBe(
      filtered.map(csvLine).join(""),
    );
    // An empty string and a null stay apart in CSV.
    expect(csvLine(reference.find((row) => row.actorId === "")!)).toContain(',staff,"",');
    expect(csvLine(reference.find((row) => row.actorId === null)!)).toContain(",staff,,");
  });
});
