import { createHash } from "node:crypto";
import { pipeline, Readable, Transform, type TransformCallback } from "node:stream";
import { createGzip } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../db/client";
import { auditExports, auditSigningKeys } from "../../../db/schema";
import { latestCheckpoint, loadHeadSet } from "~/audit/checkpoints.server";
import { SYSTEM_ACTOR, type Actor, type RequestMeta } from "~/audit/events";
import { recordEvent, streamForStaff } from "~/audit/record-event.server";
import type { AuditSigner } from "~/audit/signing.server";
import type { Logger } from "~/config/logger.server";
import { dateInZone, instantInZone } from "~/domain/dates";
import { canonicalJson } from "~/audit/canonical";
import { scanClient } from "~/audit/verify-chain.server";
import { CopyLines, openExportCopy } from "./copy-lines.server";
import { CSV_HEADER, csvField } from "./encode";
import { EXPORT_TIME_ZONE, type AuditExportFilters, type AuditExportRequest } from "./filters";
import {
  anchorsFor,
  MAX_ANCHORED_STREAMS,
  signManifest,
  type AnchorsOmitted,
  type AuditExportManifest,
  type ManifestAnchor,
  type ManifestCheckpoint,
} from "./manifest.server";
import {
  countExportEvents,
  EXPORT_PAGE_SIZE,
  exportLinePage,
  headsWithinExport,
  resolveExportFilters,
  type EncodedRow,
} from "./query.server";

// One export of the audit trail (docs/decisions/009), for the back office's download and for
// `npm run audit:export`: an `audit_export` row (running), then a Node stream of the file —
// keyset pages read inside one REPEATABLE READ read-only transaction (a consistent snapshot
// whatever is written meanwhile), encoded, optionally gzipped, hashed and counted as delivered —
// and, before the stream ends, the signed manifest saved on the row with an `audit.exported`
// event. Memory stays constant: one page at a time, and each stage waits for the next one.

export interface AuditExportDeps {
  db: Db;
  signer: AuditSigner;
  logger: Logger;
}

/** Who asked: a staff member from the back office (with the request), or the command line. */
export type ExportRequester =
  | { kind: "staff"; staffId: string; actor: Actor; meta: RequestMeta }
  | { kind: "cli"; meta: RequestMeta };

export interface StartAuditExportInput {
  request: AuditExportRequest;
  requester: ExportRequester;
  /** The file's name as delivered; by default one made from the filters. */
  fileName?: string;
  /** Count the selected rows first (for a progress bar): `onStart` receives the total. */
  onStart?: (total: number) => void;
  onProgress?: (rows: number) => void;
  /** Read by keyset pages instead of one COPY (the tests compare the two). */
  keysetPages?: boolean;
}

export interface RunningAuditExport {
  id: string;
  fileName: string;
  contentType: string;
  filters: AuditExportFilters;
  /** The file's bytes as delivered. Consume it once; destroying it fails the export. */
  body: Readable;
  /**
   * The signed manifest, once saved — before `body` ends, so that whoever read the file to
   * its end can fetch the manifest at once. Rejects when the export failed.
   */
  finished: Promise<AuditExportManifest>;
}

export type StartAuditExportResult =
  { ok: true; export: RunningAuditExport } | { ok: false; problem: "case_unknown" | "busy" };

/**
 * Exports running at once in this process. Each holds a database connection for as long as its
 * file streams (a slow download: minutes), so a few at a time leave the pool to the portal.
 */
export const MAX_RUNNING_EXPORTS = 3;
let running = 0;

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", jsonl: "application/jsonl; charset=utf-8" };

/** `journal-audit_2026-11-01_2026-11-02_RX-7K2M-9QFD.csv.gz`: readable, ASCII, no spaces. */
export function exportFileName(filters: AuditExportFilters, request: AuditExportRequest): string {
  const label = (iso: string | null, open: string) => {
    if (iso === null) return open;
    const instant = new Date(iso);
    const day = dateInZone(instant, EXPORT_TIME_ZONE);
    const midnight = instantInZone(`${day}T00:00`, EXPORT_TIME_ZONE);
    return midnight?.getTime() === instant.getTime()
      ? day
      : iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  };
  const parts = ["journal-audit", label(filters.from, "debut"), label(filters.to, "fin")];
  if (filters.caseReference !== null) parts.push(filters.caseReference);
  return `${parts.join("_")}.${request.format}${request.gzip ? ".gz" : ""}`;
}

/** A read-only snapshot transaction held open while the stream reads from it. */
function openSnapshot(db: Db): { tx: Promise<Tx>; release: (error?: unknown) => Promise<void> } {
  let resolveTx!: (tx: Tx) => void;
  let rejectTx!: (error: unknown) => void;
  const tx = new Promise<Tx>((resolve, reject) => {
    resolveTx = resolve;
    rejectTx = reject;
  });
  let end!: (error?: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    end = (error) => (error === undefined ? resolve() : reject(error));
  });
  const done = db
    .transaction(
      async (transaction) => {
        resolveTx(transaction);
        await ended;
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    )
    .catch((error: unknown) => {
      rejectTx(error);
      throw error;
    });
  return {
    tx,
    release: async (error) => {
      end(error);
      // Rolled back on error (the rejection is the caller's error, already handled).
      await done.catch((failure: unknown) => {
        if (error === undefined) throw failure;
      });
    },
  };
}

interface StreamState {
  rows: number;
  streams: number;
  /** The exported chains, in order, while there are at most MAX_ANCHORED_STREAMS of them. */
  streamNames: string[] | null;
  checkpoint: ManifestCheckpoint | null;
}

/**
 * Chunks of about 32 KB: their strings and buffers stay small enough for V8's young generation,
 * where they are freed almost for free. (One multi-megabyte string per page went to the large
 * object space and cost a third of the export in garbage collection, and twice the memory.)
 */
const CHUNK_CHARS = 32 * 1024;

/** Counts a chain as its first row is written. */
function enterStream(state: StreamState, stream: string): void {
  state.streams += 1;
  if (state.streamNames !== null) {
    if (state.streams > MAX_ANCHORED_STREAMS) state.streamNames = null;
    else state.streamNames.push(stream);
  }
}

interface ChunkInput {
  filters: AuditExportFilters;
  request: AuditExportRequest;
  state: StreamState;
  /** The pool's database, for a COPY on a connection of its own; null: keyset pages only. */
  pool: Db | null;
  onStart?: (total: number) => void;
  onProgress?: (rows: number) => void;
}

async function* fileChunks(tx: Promise<Tx>, input: ChunkInput): AsyncGenerator<Buffer> {
  const { filters, request, state } = input;
  const db = await tx;
  const client = input.pool === null ? null : scanClient(input.pool);
  try {
    // The COPY starts first: Postgres sorts on its own connection while this one reads the
    // checkpoint and counts the rows.
    let copy: Promise<AsyncIterable<Buffer>> | null = null;
    if (client !== null) {
      const [exported] = await db.execute<{ snapshot: string }>(
        sql`select pg_export_snapshot() as snapshot`,
      );
      copy = openExportCopy(client, exported!.snapshot, filters, request.format);
      // A failure surfaces when it is awaited below, not as an unhandled rejection.
      copy.catch(() => undefined);
    }
    const checkpoint = await latestCheckpoint(db);
    state.checkpoint = checkpoint
      ? {
          id: checkpoint.id,
          payload: checkpoint.payload,
          signature: checkpoint.signature,
          keyId: checkpoint.keyId,
        }
      : null;
    if (input.onStart) input.onStart(await countExportEvents(db, filters));
    if (request.format === "csv") yield Buffer.from(CSV_HEADER, "utf8");
    if (copy === null) yield* pageChunks(db, input);
    else {
      const reader = new CopyLines(request.format, (stream) => enterStream(state, stream));
      let reported = 0;
      // One chunk at a time: while the file's consumer waits, so does the COPY (postgres.js
      // pauses the socket when the stream's buffer is full).
      for await (const chunk of await copy) {
        for (const out of reader.push(chunk)) yield out;
        if (reader.rows - reported >= EXPORT_PAGE_SIZE) {
          reported = reader.rows;
          state.rows = reader.rows;
          input.onProgress?.(state.rows);
        }
      }
      for (const out of reader.end()) yield out;
      state.rows = reader.rows;
      input.onProgress?.(state.rows);
    }
  } finally {
    // Ended at once, its read-only transaction with it: after a failure or a dropped download
    // the COPY may still be running, and after a complete one a COMMIT waited forever behind
    // the COPY in postgres.js (whose COPY streams also left pooled connections stuck, #499).
    await client?.end({ timeout: 0 });
  }
}

/** The keyset pages (inside a transaction, where a connection of its own would not see it). */
async function* pageChunks(db: Tx, input: ChunkInput): AsyncGenerator<Buffer> {
  const { filters, request, state } = input;
  const quoteData = request.format === "csv" ? csvField : (json: string) => json;
  let lastStream: string | null = null;
  const read = (cursor: { stream: string; seq: number } | null) =>
    exportLinePage(db, filters, request.format, cursor);
  // The next page is asked for before this one is encoded: Postgres reads it meanwhile.
  let next: Promise<EncodedRow[]> | null = read(null);
  while (next !== null) {
    const page: EncodedRow[] = await next;
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    next = page.length < EXPORT_PAGE_SIZE ? null : read({ stream: last.stream, seq: last.seq });
    // A failed read of the next page surfaces when it is awaited, not as an unhandled rejection.
    next?.catch(() => undefined);
    let text = "";
    for (const row of page) {
      if (row.stream !== lastStream) {
        lastStream = row.stream;
        enterStream(state, row.stream);
      }
      text += row.head + quoteData(canonicalJson(row.data)) + row.tail;
      if (text.length >= CHUNK_CHARS) {
        yield Buffer.from(text, "utf8");
        text = "";
      }
    }
    state.rows += page.length;
    input.onProgress?.(state.rows);
    if (text !== "") yield Buffer.from(text, "utf8");
  }
}

/** Counts and hashes the bytes that pass; runs `finish` before letting the stream end. */
class Meter extends Transform {
  bytes = 0;
  private readonly digest = createHash("sha256");

  constructor(
    private readonly finish: (meter: { bytes: number; sha256: string }) => Promise<void>,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    this.digest.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    this.finish({ bytes: this.bytes, sha256: this.digest.digest("hex") }).then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/**
 * Starts one export: checks the filters against the database (an unknown case is the caller's
 * form error), records the `audit_export` row as running, and returns the file's stream.
 */
export async function startAuditExport(
  deps: AuditExportDeps,
  input: StartAuditExportInput,
): Promise<StartAuditExportResult> {
  const { db, signer, logger } = deps;
  const { request, requester } = input;
  if (running >= MAX_RUNNING_EXPORTS) return { ok: false, problem: "busy" };
  const resolved = await resolveExportFilters(db, request.filters);
  if (!resolved.ok) return resolved;
  const filters = resolved.filters;
  const fileName = input.fileName ?? exportFileName(filters, request);
  const staffId = requester.kind === "staff" ? requester.staffId : null;
  const [row] = await db
    .insert(auditExports)
    .values({ staffUserId: staffId, format: request.format, gzip: request.gzip, filters })
    .returning({ id: auditExports.id });
  const exportId = row!.id;

  const state: StreamState = { rows: 0, streams: 0, streamNames: [], checkpoint: null };
  const snapshot = openSnapshot(db);
  let settle!: { resolve: (m: AuditExportManifest) => void; reject: (e: unknown) => void };
  const finished = new Promise<AuditExportManifest>((resolve, reject) => {
    settle = { resolve, reject };
  });
  running += 1;
  // The caller may never await it (a download the client dropped): never an unhandled rejection.
  finished.then(
    () => (running -= 1),
    () => (running -= 1),
  );

  const finish = async (meter: { bytes: number; sha256: string }) => {
    const tx = await snapshot.tx;
    let anchors: ManifestAnchor[] | null = null;
    let anchorsOmitted: AnchorsOmitted | null = null;
    if (state.checkpoint === null) anchorsOmitted = "no_checkpoint";
    else if (state.streamNames === null) anchorsOmitted = "too_many_streams";
    else {
      const headSet = await loadHeadSet(tx, state.checkpoint.id);
      const exported = new Set(state.streamNames);
      const candidates = headSet.filter((head) => exported.has(head.stream));
      anchors = anchorsFor(headSet, await headsWithinExport(tx, filters, candidates));
    }
    await snapshot.release();
    const manifest = signManifest(
      {
        version: 1,
        format: request.format,
        gzip: request.gzip,
        file: fileName,
        bytes: meter.bytes,
        sha256: meter.sha256,
        rows: state.rows,
        filters,
        createdAt: new Date().toISOString(),
        createdBy: staffId ?? "cli",
        checkpoint: state.checkpoint,
        anchors,
        anchorsOmitted,
      },
      signer,
    );
    await db.transaction(async (write) => {
      await write
        .insert(auditSigningKeys)
        .values({ keyId: signer.keyId, publicKeyPem: signer.publicKeyPem })
        .onConflictDoNothing();
      await write
        .update(auditExports)
        .set({
          status: "complete",
          rows: manifest.rows,
          bytes: manifest.bytes,
          sha256: manifest.sha256,
          checkpointId: state.checkpoint?.id ?? null,
          manifest,
          completedAt: sql`now()`,
        })
        .where(eq(auditExports.id, exportId));
      await recordEvent(write, {
        type: "audit.exported",
        data: {
          exportId,
          format: request.format,
          gzip: request.gzip,
          filters,
          rows: manifest.rows,
          sha256: manifest.sha256,
        },
        actor: requester.kind === "staff" ? requester.actor : SYSTEM_ACTOR,
        meta: requester.meta,
        stream: staffId !== null ? streamForStaff(staffId) : "system",
      });
    });
    settle.resolve(manifest);
  };

  const source = Readable.from(
    fileChunks(snapshot.tx, {
      filters,
      request,
      state,
      pool: input.keysetPages ? null : db,
      onStart: input.onStart,
      onProgress: input.onProgress,
    }),
    { objectMode: false },
  );
  let completed = false;
  let failed = false;
  const meter = new Meter(async (metered) => {
    await finish(metered);
    completed = true;
  });
  const fail = (error: Error) => {
    // Once the manifest is saved the export stands, even if the last bytes were never read.
    if (completed || failed) return;
    failed = true;
    void failExport(deps, exportId, snapshot, error).finally(() => settle.reject(error));
  };
  const stages = request.gzip ? [source, createGzip(), meter] : [source, meter];
  // pipeline() destroys every stage when one fails or when the consumer destroys the last one.
  pipeline(stages, (error) => {
    if (error) fail(error);
  });
  meter.on("close", () => {
    if (!meter.readableEnded) fail(new Error("the export was closed before its end"));
  });
  logger.info({ exportId, format: request.format, by: requester.kind }, "audit export started");
  return {
    ok: true,
    export: {
      id: exportId,
      fileName,
      contentType: request.gzip ? "application/gzip" : CONTENT_TYPES[request.format],
      filters,
      body: meter,
      finished,
    },
  };
}

async function failExport(
  deps: AuditExportDeps,
  exportId: string,
  snapshot: ReturnType<typeof openSnapshot>,
  error: Error,
): Promise<void> {
  try {
    await snapshot.release(error);
    await deps.db
      .update(auditExports)
      .set({ status: "failed", completedAt: sql`now()` })
      .where(eq(auditExports.id, exportId));
    deps.logger.warn({ exportId, err: error.message }, "audit export failed");
  } catch (failure) {
    deps.logger.error({ exportId, err: failure }, "audit export failed and could not be marked");
  }
}
