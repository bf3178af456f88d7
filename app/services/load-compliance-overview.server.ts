import { eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { cancellationCases, staffUsers } from "../../db/schema";
import { caseIdOfStream, checkpointPayload, recentCheckpoints } from "../audit/checkpoints.server";
import { verifySignature, type AuditSigner } from "../audit/signing.server";
import { publishedAuditKeys, type PublishedAuditKey } from "./audit-signing-keys.server";
import { lastAuditVerification, type AuditVerifiedData } from "./verify-audit-trail.server";

export const OVERVIEW_CHECKPOINTS = 10;

export interface CheckpointRow {
  id: number;
  takenAt: string;
  streams: number;
  events: number;
  root: string;
  keyId: string;
  /** The signed payload is the row's, and its signature is valid under the key on record. */
  signatureValid: boolean;
}

export interface ComplianceOverview {
  checkpoints: CheckpointRow[];
  /** Every checkpoint ever taken (the table shows the newest). */
  checkpointCount: number;
  keys: PublishedAuditKey[];
  currentKey: PublishedAuditKey;
  lastVerification: {
    at: string;
    /** The staff member who ran it from this page; null from the command line. */
    staffName: string | null;
    summary: AuditVerifiedData;
  } | null;
  /** The cases behind the chains the last verification names first, by stream. */
  lastVerificationCases: Record<string, { caseId: string; caseReference: string | null }>;
}

/**
 * What the compliance overview shows without re-verifying anything heavy: the newest
 * checkpoints with their signatures checked (a few Ed25519 verifications), the published keys,
 * and the last full verification recorded in the trail.
 */
export async function loadComplianceOverview(
  db: Queryable,
  signer: AuditSigner,
): Promise<ComplianceOverview> {
  const [checkpoints, [counted], keys, last] = await Promise.all([
    recentCheckpoints(db, OVERVIEW_CHECKPOINTS),
    db.execute<{ n: number }>(sql`select count(*)::int as n from audit_checkpoint`),
    publishedAuditKeys(db, signer),
    lastAuditVerification(db),
  ]);
  const pemOf = new Map(keys.map((key) => [key.keyId, key.publicKeyPem]));
  let staffName: string | null = null;
  if (last?.actorType === "staff" && last.actorId !== null) {
    const [staff] = await db
      .select({ name: staffUsers.displayName })
      .from(staffUsers)
      .where(eq(sql`${staffUsers.id}::text`, last.actorId));
    staffName = staff?.name ?? null;
  }
  const named = [last?.summary.firstBrokenChain?.stream, last?.summary.firstMissingHead?.stream];
  const caseIds = named.flatMap((stream) => (stream ? (caseIdOfStream(stream) ?? []) : []));
  const references = new Map(
    caseIds.length === 0
      ? []
      : (
          await db
            .select({ id: cancellationCases.id, reference: cancellationCases.reference })
            .from(cancellationCases)
            .where(inArray(cancellationCases.id, caseIds))
        ).map((row) => [row.id, row.reference]),
  );
  const lastVerificationCases: ComplianceOverview["lastVerificationCases"] = {};
  for (const stream of named) {
    const caseId = stream ? caseIdOfStream(stream) : null;
    if (stream && caseId)
      lastVerificationCases[stream] = { caseId, caseReference: references.get(caseId) ?? null };
  }
  return {
    checkpoints: checkpoints.map((checkpoint) => {
      const pem = pemOf.get(checkpoint.keyId);
      return {
        id: checkpoint.id,
        takenAt: checkpoint.takenAt.toISOString(),
        streams: checkpoint.streams,
        events: checkpoint.events,
        root: checkpoint.root,
        keyId: checkpoint.keyId,
        signatureValid:
          pem !== undefined &&
          checkpointPayload(checkpoint) === checkpoint.payload &&
          verifySignature(pem, checkpoint.payload, checkpoint.signature),
      };
    }),
    checkpointCount: counted?.n ?? 0,
    keys,
    currentKey: keys.find((key) => key.current)!,
    lastVerification: last ? { at: last.at.toISOString(), staffName, summary: last.summary } : null,
    lastVerificationCases,
  };
}
