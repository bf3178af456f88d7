import { asc, desc, gte, inArray, sql } from "drizzle-orm";
import type { Db, Queryable } from "../../db/client";
import {
  auditCheckpointHeads,
  auditCheckpoints,
  auditSigningKeys,
  cancellationCases,
  type AuditCheckpoint,
} from "../../db/schema";
import { canonicalJson } from "./canonical";
import { HeadSetTree } from "./head-set-tree";
import { merkleRoot, sortHeads, type ChainHead } from "./merkle";
import { verifySignature, type AuditSigner } from "./signing.server";
import { verifyAllStreams, type ChainBreak } from "./verify-chain.server";

// Signed checkpoints over every hash chain's head, and the verification of the whole audit
// trail against them (docs/decisions/009). A checkpoint proves that no event written before it
// was later deleted or rewritten: verifyAuditTrail checks the database against the latest one,
// and takeCheckpoint refuses to sign a state in which an earlier checkpoint's head is gone (a
// new checkpoint must never launder a deletion).

export const CHECKPOINT_VERSION = 1;
/** The previous root of the first checkpoint. */
export const NO_PREVIOUS_ROOT = "0".repeat(64);
const HEAD_INSERT_CHUNK = 20_000;
const HEAD_PAGE = 20_000;

export interface CheckpointFields {
  id: number;
  takenAt: Date;
  streams: number;
  events: number;
  root: string;
  previousRoot: string;
  keyId: string;
}

/** The exact string a checkpoint's signature covers: canonical JSON, version 1. */
export function checkpointPayload(fields: CheckpointFields): string {
  return canonicalJson({
    version: CHECKPOINT_VERSION,
    id: fields.id,
    takenAt: fields.takenAt.toISOString(),
    streams: fields.streams,
    events: fields.events,
    root: fields.root,
    previousRoot: fields.previousRoot,
    keyId: fields.keyId,
  });
}

/** The case behind a `case:<uuid>` stream, else null. */
export function caseIdOfStream(stream: string): string | null {
  return /^case:[0-9a-f-]{36}$/.test(stream) ? stream.slice(5) : null;
}

/** A head of a checkpoint that the database no longer holds as signed. */
export interface MissingHead {
  stream: string;
  caseId: string | null;
  /** The case's reference, when its case row still exists. */
  caseReference: string | null;
  seq: number;
  hash: string;
  /** `stream_deleted`: no event left; `events_deleted`: this seq is gone; `event_changed`: its hash differs. */
  problem: "stream_deleted" | "events_deleted" | "event_changed";
  /** The stream's last seq now (null when no event is left). */
  lastSeq: number | null;
}

/** takeCheckpoint found that events covered by the latest checkpoint were deleted or changed. */
export class CheckpointRefusedError extends Error {
  override name = "CheckpointRefusedError";
  constructor(
    readonly checkpointId: number,
    readonly missing: MissingHead[],
  ) {
    const first = missing[0]!;
    super(
      `refusing to sign a new checkpoint: ${missing.length} chain head(s) of checkpoint #${checkpointId} are no longer in the audit trail (first: ${first.stream} seq ${first.seq}, ${first.problem}); run npm run audit:verify`,
    );
  }
}

export interface TakenCheckpoint {
  checkpoint: AuditCheckpoint;
  /** Heads stored by this checkpoint: the streams new or grown since the previous one. */
  changedStreams: number;
}

/** Every chain's head now: the last event of each stream (`audit_event_stream_seq_key`). */
async function currentHeads(db: Queryable): Promise<ChainHead[]> {
  const rows = await db.execute<{ stream: string; seq: number; hash: string }>(
    sql`select distinct on (stream) stream, seq, hash from audit_event order by stream, seq desc`,
  );
  return sortHeads(rows.map(({ stream, seq, hash }) => ({ stream, seq, hash })));
}

/**
 * The head set of checkpoint `checkpointId`: per stream, its head row with the greatest
 * checkpoint id ≤ `checkpointId` (heads are stored incrementally). Sorted in tree order.
 */
export async function loadHeadSet(db: Queryable, checkpointId: number): Promise<ChainHead[]> {
  // Descending on both columns: a backward scan of (stream, checkpoint_id) serves it.
  const rows = await db.execute<{ stream: string; seq: number; hash: string }>(
    sql`select distinct on (stream) stream, seq, hash from audit_checkpoint_head
        where checkpoint_id <= ${checkpointId} order by stream desc, checkpoint_id desc`,
  );
  return sortHeads(rows.map(({ stream, seq, hash }) => ({ stream, seq, hash })));
}

export async function latestCheckpoint(db: Queryable): Promise<AuditCheckpoint | null> {
  const [row] = await db
    .select()
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.id))
    .limit(1);
  return row ?? null;
}

/** The newest checkpoints, newest first (the compliance page). */
export function recentCheckpoints(db: Queryable, limit: number): Promise<AuditCheckpoint[]> {
  return db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(limit);
}

/** Whether a checkpoint was taken at or after `since` (the job's start-up catch-up). */
export async function checkpointTakenSince(db: Queryable, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: auditCheckpoints.id })
    .from(auditCheckpoints)
    .where(gte(auditCheckpoints.takenAt, since))
    .limit(1);
  return row !== undefined;
}

/**
 * The heads of checkpoint `checkpointId` that the audit trail no longer holds with the signed
 * hash: one indexed lookup per head, only the problems come back.
 */
export async function findMissingHeads(
  db: Queryable,
  checkpointId: number,
): Promise<MissingHead[]> {
  const rows = await db.execute<{
    stream: string;
    seq: number;
    hash: string;
    found: string | null;
    last_seq: number | null;
    case_reference: string | null;
  }>(sql`
    with heads as (
      select distinct on (stream) stream, seq, hash from audit_checkpoint_head
      where checkpoint_id <= ${checkpointId} order by stream desc, checkpoint_id desc
    ), problems as (
      select h.stream, h.seq, h.hash, e.hash as found,
        (select max(x.seq) from audit_event x where x.stream = h.stream) as last_seq
      from heads h
      left join audit_event e on e.stream = h.stream and e.seq = h.seq
      where e.hash is distinct from h.hash
    )
    select p.stream, p.seq, p.hash, p.found, p.last_seq, c.reference as case_reference
    from problems p
    left join cancellation_case c on c.id = (
      case when p.stream ~ '^case:[0-9a-f-]{36}$' then substr(p.stream, 6)::uuid end
    )
    order by p.stream`);
  return rows.map((row) => ({
    stream: row.stream,
    caseId: caseIdOfStream(row.stream),
    caseReference: row.case_reference,
    seq: row.seq,
    hash: row.hash,
    problem:
      row.found !== null
        ? "event_changed"
        : row.last_seq === null
          ? "stream_deleted"
          : "events_deleted",
    lastSeq: row.last_seq,
  }));
}

/**
 * Signs a checkpoint over every chain's head now. The heads and the event count come from one
 * REPEATABLE READ snapshot; only the heads that changed since the previous checkpoint are
 * stored; the signer's public key is recorded so the checkpoint stays verifiable after a key
 * rotation. Checkpoints are taken one at a time. Throws CheckpointRefusedError, signing nothing,
 * when a head of the previous checkpoint was deleted or changed since.
 */
export async function takeCheckpoint(
  db: Db,
  signer: AuditSigner,
  now?: Date,
): Promise<TakenCheckpoint> {
  return db.transaction(
    async (tx) => {
      // One at a time. A table lock rather than an advisory lock: a REPEATABLE READ snapshot
      // is frozen by the first SELECT, so `select pg_advisory_xact_lock(…)` would freeze it
      // before waiting and miss the checkpoint it waited for; LOCK TABLE takes no snapshot
      // (PostgreSQL docs, LOCK). SHARE ROW EXCLUSIVE conflicts with itself and with inserts,
      // not with reads nor with the key-share locks of rows referencing a checkpoint.
      await tx.execute(sql`lock table audit_checkpoint in share row exclusive mode`);
      const takenAt = now ?? new Date();
      const [previous] = await tx
        .select()
        .from(auditCheckpoints)
        .orderBy(desc(auditCheckpoints.id))
        .limit(1);
      const heads = await currentHeads(tx);
      const [counted] = await tx.execute<{ events: number }>(
        sql`select count(*)::float8 as events from audit_event`,
      );

      let changed = heads;
      if (previous) {
        const missing = await findMissingHeads(tx, previous.id);
        if (missing.length > 0) throw new CheckpointRefusedError(previous.id, missing);
        // Every previous head is still there, so each stream's seq is the same or higher.
        const before = new Map(
          (await loadHeadSet(tx, previous.id)).map((head) => [head.stream, head.seq]),
        );
        changed = heads.filter((head) => before.get(head.stream) !== head.seq);
      }

      const [next] = await tx.execute<{ id: number }>(
        sql`select nextval(pg_get_serial_sequence('audit_checkpoint', 'id'))::float8 as id`,
      );
      const fields: CheckpointFields = {
        id: next!.id,
        takenAt,
        streams: heads.length,
        events: counted!.events,
        root: merkleRoot(heads),
        previousRoot: previous?.root ?? NO_PREVIOUS_ROOT,
        keyId: signer.keyId,
      };
      const payload = checkpointPayload(fields);
      await tx
        .insert(auditSigningKeys)
        .values({ keyId: signer.keyId, publicKeyPem: signer.publicKeyPem, firstUsedAt: takenAt })
        .onConflictDoNothing();
      const [checkpoint] = await tx
        .insert(auditCheckpoints)
        .values({ ...fields, payload, signature: signer.sign(payload) })
        .returning();
      for (let start = 0; start < changed.length; start += HEAD_INSERT_CHUNK) {
        const chunk = changed.slice(start, start + HEAD_INSERT_CHUNK);
        await tx.execute(sql`
          insert into audit_checkpoint_head (checkpoint_id, stream, seq, hash)
          select ${fields.id}, r.stream, r.seq, r.hash
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(stream text, seq int, hash text)`);
      }
      return { checkpoint: checkpoint!, changedStreams: changed.length };
    },
    { isolationLevel: "repeatable read" },
  );
}

export type CheckpointProblem =
  /** The stored payload is not the one re-derived from the row's columns. */
  | "payload_mismatch"
  /** Signed by a key that is not in audit_signing_key. */
  | "unknown_key"
  | "bad_signature"
  /** previous_root is not the previous checkpoint's root. */
  | "broken_chain"
  /** The root (or stream count) recomputed from the stored heads is not the signed one. */
  | "bad_root";

export interface BrokenChain {
  stream: string;
  caseId: string | null;
  caseReference: string | null;
  /** The first broken link. */
  seq: number;
  eventId: number;
  problem: ChainBreak;
  events: number;
}

export interface CheckpointSummary {
  id: number;
  takenAt: string;
  streams: number;
  events: number;
  root: string;
  keyId: string;
}

export interface AuditTrailReport {
  ok: boolean;
  startedAt: string;
  durationMs: number;
  chains: { streams: number; events: number; broken: BrokenChain[] };
  checkpoints: {
    total: number;
    verified: number;
    problems: { checkpointId: number; problems: CheckpointProblem[] }[];
    latest: CheckpointSummary | null;
  };
  /** The database against the latest checkpoint: its heads that are gone or changed. */
  deletions: { checkpointId: number | null; missing: MissingHead[] };
}

export type VerifyProgress =
  | { phase: "chains"; events: number; total: number }
  | { phase: "checkpoints"; checkpoints: number; total: number }
  | { phase: "heads"; checkpointId: number };

function summary(checkpoint: AuditCheckpoint): CheckpointSummary {
  return {
    id: checkpoint.id,
    takenAt: checkpoint.takenAt.toISOString(),
    streams: checkpoint.streams,
    events: checkpoint.events,
    root: checkpoint.root,
    keyId: checkpoint.keyId,
  };
}

/** Every stored head row in (checkpoint_id, stream) order, by keyset pages on the primary key. */
async function* storedHeadRows(db: Queryable) {
  let after: { checkpointId: number; stream: string } | null = null;
  for (;;) {
    const page = await db
      .select()
      .from(auditCheckpointHeads)
      .where(
        after
          ? sql`(${auditCheckpointHeads.checkpointId}, ${auditCheckpointHeads.stream}) > (${after.checkpointId}, ${after.stream})`
          : undefined,
      )
      .orderBy(asc(auditCheckpointHeads.checkpointId), asc(auditCheckpointHeads.stream))
      .limit(HEAD_PAGE);
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < HEAD_PAGE) return;
    after = { checkpointId: last.checkpointId, stream: last.stream };
  }
}

/** Check 2 of decision 009 on every checkpoint, replaying their incremental heads in order. */
async function verifyCheckpoints(
  db: Queryable,
  checkpoints: readonly AuditCheckpoint[],
): Promise<{ checkpointId: number; problems: CheckpointProblem[] }[]> {
  const keys = new Map(
    (await db.select().from(auditSigningKeys)).map((key) => [key.keyId, key.publicKeyPem]),
  );
  const tree = new HeadSetTree();
  const results: { checkpointId: number; problems: CheckpointProblem[] }[] = [];
  let previousRoot = NO_PREVIOUS_ROOT;
  const rows = storedHeadRows(db);
  let pending = await rows.next();

  for (const checkpoint of checkpoints) {
    const own: ChainHead[] = [];
    // Head rows come in checkpoint order; every row's checkpoint exists (foreign key).
    while (!pending.done && pending.value.checkpointId <= checkpoint.id) {
      if (pending.value.checkpointId === checkpoint.id) own.push(pending.value);
      pending = await rows.next();
    }
    tree.apply(own);
    const problems: CheckpointProblem[] = [];
    if (checkpointPayload(checkpoint) !== checkpoint.payload) problems.push("payload_mismatch");
    const publicKeyPem = keys.get(checkpoint.keyId);
    if (publicKeyPem === undefined) problems.push("unknown_key");
    else if (!verifySignature(publicKeyPem, checkpoint.payload, checkpoint.signature))
      problems.push("bad_signature");
    if (checkpoint.previousRoot !== previousRoot) problems.push("broken_chain");
    if (tree.root() !== checkpoint.root || tree.size !== checkpoint.streams)
      problems.push("bad_root");
    previousRoot = checkpoint.root;
    results.push({ checkpointId: checkpoint.id, problems });
  }
  return results;
}

/**
 * Verifies the whole audit trail (decision 009, "Verifying"): 1. every hash chain, naming its
 * first broken link; 2. every checkpoint (payload, signature under its key, link to the
 * previous checkpoint, root recomputed from its heads); 3. the database against the latest
 * checkpoint (every head it signed still there with that hash). Reads only.
 */
export async function verifyAuditTrail(
  db: Queryable,
  options: { onProgress?: (progress: VerifyProgress) => void } = {},
): Promise<AuditTrailReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { onProgress } = options;

  // The checkpoints first: events written during the verification are not covered by them.
  const checkpoints = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.id));
  const latest = checkpoints.at(-1) ?? null;

  const [counted] = await db.execute<{ events: number }>(
    sql`select count(*)::float8 as events from audit_event`,
  );
  const total = counted?.events ?? 0;
  // Checks 2 and 3 run on the pool while the chains are scanned on a connection of their own,
  // whose first seconds are Postgres sorting the trail (1 M events: ≈ 2 s) with this process
  // idle. Their progress is reported after the chains', in the same order as before.
  const checking = verifyCheckpoints(db, checkpoints);
  const finding = latest ? findMissingHeads(db, latest.id) : Promise.resolve([]);
  // Awaited below; until then a failure must not count as unhandled.
  checking.catch(() => undefined);
  finding.catch(() => undefined);

  onProgress?.({ phase: "chains", events: 0, total });
  const chains = await verifyAllStreams(db, {
    onProgress: ({ events }) => onProgress?.({ phase: "chains", events, total }),
  });

  onProgress?.({ phase: "checkpoints", checkpoints: 0, total: checkpoints.length });
  const checked = await checking;
  onProgress?.({
    phase: "checkpoints",
    checkpoints: checkpoints.length,
    total: checkpoints.length,
  });
  const checkpointProblems = checked.filter((result) => result.problems.length > 0);

  if (latest) onProgress?.({ phase: "heads", checkpointId: latest.id });
  const missing = await finding;

  const brokenCaseIds = chains.broken.flatMap((chain) => caseIdOfStream(chain.stream) ?? []);
  const references = new Map(
    brokenCaseIds.length === 0
      ? []
      : (
          await db
            .select({ id: cancellationCases.id, reference: cancellationCases.reference })
            .from(cancellationCases)
            .where(inArray(cancellationCases.id, brokenCaseIds))
        ).map((row) => [row.id, row.reference]),
  );
  const broken = chains.broken.flatMap((chain): BrokenChain[] => {
    if (chain.ok) return [];
    const caseId = caseIdOfStream(chain.stream);
    return [
      {
        stream: chain.stream,
        caseId,
        caseReference: caseId ? (references.get(caseId) ?? null) : null,
        seq: chain.firstBroken.seq,
        eventId: chain.firstBroken.eventId,
        problem: chain.firstBroken.problem,
        events: chain.events,
      },
    ];
  });

  return {
    ok: broken.length === 0 && checkpointProblems.length === 0 && missing.length === 0,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    chains: { streams: chains.streams, events: chains.events, broken },
    checkpoints: {
      total: checkpoints.length,
      verified: checkpoints.length - checkpointProblems.length,
      problems: checkpointProblems,
      latest: latest ? summary(latest) : null,
    },
    deletions: { checkpointId: latest?.id ?? null, missing },
  };
}
