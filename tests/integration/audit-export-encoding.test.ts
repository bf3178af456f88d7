import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../app/audit/canonical";
import { computeEventHash, GENESIS_HASH } from "../../app/audit/record-event.server";
import {
  csvField,
  csvLine,
  jsonLine,
  type ExportRow,
} from "../../app/services/audit-export/encode";
import { exportLinePage } from "../../app/services/audit-export/query.server";
import { auditEvents } from "../../db/schema";
import { setupTestDatabase } from "../setup/test-db";

// The export writes each line's columns in SQL (Postgres encodes them on its own core while
// Node canonicalises the data) — here checked byte for byte against the reference encoders of
// app/services/audit-export/encode.ts, on the values that make CSV and JSON hard: commas,
// quotes, CR and LF, empty strings beside nulls, control characters, accents and emoji.
const db = setupTestDatabase();

const NO_FILTERS = {
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
        data: { text, nested: [text, { z: 1, a: null }], n: -1.5e-7, ok: true },
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
    // An empty string and a null stay apart in CSV.
    expect(csvLine(reference.find((row) => row.actorId === "")!)).toContain(',staff,"",');
    expect(csvLine(reference.find((row) => row.actorId === null)!)).toContain(",staff,,");
  });
});
