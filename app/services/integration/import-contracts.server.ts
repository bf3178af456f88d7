import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { importRuns } from "../../../db/schema";
import type { Actor, RequestMeta } from "~/audit/events";
import { csvRowToRecord, readCsvHeader, type CsvRow } from "~/domain/integration/contract-csv";
import { ContractRecord, contractRecordIssues } from "~/domain/integration/contract-record";
import { ContractRecordConflictError, upsertContractRecords } from "./upsert-contracts.server";

// The bulk import of contracts from a CSV (README, "Contract import"): streamed, every row checked
// with `ContractRecord`, the good rows upserted by batches of 1,000 (one transaction each), an
// `import_run` row kept up to date after every batch. A bad row — invalid, or in conflict with
// stored data — is reported with its physical line in the file (the header is line 1) and its
// column, and nothing of it is written; the good rows are imported. Importing the same file again
// changes nothing (every row `unchanged`).

export const IMPORT_BATCH_SIZE = 1_000;
/** The errors kept on the run (the counters count them all). */
export const MAX_STORED_ERRORS = 1_000;
/** A row's problems reported at most (the first ones, one per field). */
const ISSUES_PER_ROW = 5;

export interface ImportError {
  line: number;
  field: string | null;
  message: string;
}

export interface ImportProgress {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportSummary extends ImportProgress {
  runId: string;
  status: "complete" | "failed";
  errors: ImportError[];
  durationMs: number;
}

export interface ImportContractsInput {
  operatorId: string;
  input: Readable;
  fileName: string;
  source: "cli" | "upload";
  startedBy: string | null;
  actor: Actor;
  meta: RequestMeta;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

interface PendingRow {
  line: number;
  row: CsvRow;
  record: ContractRecord;
}

export async function importContracts(
  db: Queryable,
  options: ImportContractsInput,
): Promise<ImportSummary> {
  const began = performance.now();
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  const [run] = await db
    .insert(importRuns)
    .values({
      operatorId: options.operatorId,
      source: options.source,
      fileName: options.fileName.slice(0, 200),
      startedBy: options.startedBy,
    })
    .returning({ id: importRuns.id });
  if (!run) throw new Error("import_run insert returned no row");

  const counts: ImportProgress = { rowsRead: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const errors: ImportError[] = [];
  const report = (error: ImportError) => {
    if (errors.length < MAX_STORED_ERRORS) errors.push(error);
  };
  const reject = (line: number, problems: { field: string | null; message: string }[]) => {
    counts.rejected += 1;
    for (const problem of problems.slice(0, ISSUES_PER_ROW)) report({ line, ...problem });
  };

  const saveCounters = async (status?: "complete" | "failed") => {
    await db
      .update(importRuns)
      .set({
        rowsRead: counts.rowsRead,
        rowsCreated: counts.created,
        rowsUpdated: counts.updated,
        rowsUnchanged: counts.unchanged,
        rowsRejected: counts.rejected,
        errors,
        ...(status === undefined ? {} : { status, finishedAt: sql`now()` }),
      })
      .where(eq(importRuns.id, run.id));
  };

  let pending: PendingRow[] = [];
  const flush = async () => {
    let batch = pending;
    pending = [];
    while (batch.length > 0) {
      try {
        const results = await upsertContractRecords(db, {
          operatorId: options.operatorId,
          records: batch.map((item) => item.record),
          actor: options.actor,
          meta: options.meta,
          source: "import",
          importRunId: run.id,
        });
        for (const result of results) counts[result.outcome] += 1;
        break;
      } catch (error) {
        if (!(error instanceof ContractRecordConflictError)) throw error;
        // Report the conflicting rows and import the others (nothing was written).
        const bad = new Map<number, { field: string | null; message: string }[]>();
        for (const conflict of error.conflicts) {
          const item = batch[conflict.index]!;
          const list = bad.get(conflict.index) ?? [];
          list.push({ field: item.row.columnOf(conflict.field), message: conflict.message });
          bad.set(conflict.index, list);
        }
        for (const [index, problems] of [...bad].sort((a, b) => a[0] - b[0]))
          reject(batch[index]!.line, problems);
        batch = batch.filter((_, index) => !bad.has(index));
      }
    }
    await saveCounters();
    options.onProgress?.({ ...counts });
  };

  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
  });
  options.input.on("error", (error) => parser.destroy(error));
  options.input.pipe(parser);

  try {
    let header: ReturnType<typeof readCsvHeader> | undefined;
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = item.info.lines;
      if (header === undefined) {
        header = readCsvHeader(item.record);
        if (header.problems.length > 0) {
          for (const problem of header.problems) report({ line, ...problem });
          parser.destroy();
          options.input.destroy();
          await saveCounters("failed");
          return summary("failed");
        }
        continue;
      }
      counts.rowsRead += 1;
      const row = csvRowToRecord(header, item.record);
      if (item.record.length > header.columns.length) {
        reject(line, [{ field: null, message: "More cells than columns." }]);
        continue;
      }
      const parsed = ContractRecord.safeParse(row.input);
      if (!parsed.success) {
        reject(
          line,
          contractRecordIssues(parsed.error).map((issue) => ({
            field: row.columnOf(issue.field),
            message: issue.message,
          })),
        );
        continue;
      }
      pending.push({ line, row, record: parsed.data });
      if (pending.length >= batchSize) await flush();
    }
    if (header === undefined) {
      report({ line: 1, field: null, message: "The file is empty." });
      await saveCounters("failed");
      return summary("failed");
    }
    await flush();
    await saveCounters("complete");
    return summary("complete");
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? counts.rowsRead + 1;
      report({ line, field: null, message: `The file is not valid CSV (${error.code}).` });
    } else {
      report({
        line: counts.rowsRead + 1,
        field: null,
        message: "The import stopped on an error.",
      });
    }
    await saveCounters("failed");
    if (!(error instanceof CsvError)) throw error;
    return summary("failed");
  }

  function summary(status: "complete" | "failed"): ImportSummary {
    return {
      runId: run!.id,
      status,
      ...counts,
      errors,
      durationMs: Math.round(performance.now() - began),
    };
  }
}
