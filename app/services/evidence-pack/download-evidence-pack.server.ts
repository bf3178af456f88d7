import type { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cancellationCases } from "../../../db/schema";
import { latestCheckpoint } from "../../audit/checkpoints.server";
import type { RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { AuditSigner } from "../../audit/signing.server";
import { isUuid } from "../../domain/ids";
import { zipArchive } from "../zip-archive.server";
import { buildEvidencePack, type PackRequester } from "./build-evidence-pack.server";
import { loadEvidenceSnapshot } from "./load-evidence-snapshot.server";

// A case's evidence pack (issue #8), made on request and streamed, never stored. The download is
// itself recorded in the case's chain first (`evidence.downloaded`: who, when, against which
// checkpoint), so the pack carries its own download as its last event and the summary's date is
// that event's. Then one consistent snapshot of the case is read, the files are built and the
// archive is streamed.

export interface EvidencePackDeps {
  db: Db;
  signer: AuditSigner;
  /** The portal's public URL: the summary names the public key's address under it. */
  appUrl: string;
}

export type EvidenceRequester =
  { kind: "staff"; staffId: string } | { kind: "subscriber"; subscriberId: string };

export interface EvidencePackDownload {
  fileName: string;
  /** The ZIP archive; consume it once. */
  body: Readable;
}

/** The evidence pack of a case, or null when there is no such case. */
export async function downloadEvidencePack(
  deps: EvidencePackDeps,
  input: { caseId: string; requester: EvidenceRequester; meta: RequestMeta },
): Promise<EvidencePackDownload | null> {
  if (!isUuid(input.caseId)) return null;
  const [row] = await deps.db
    .select({ id: cancellationCases.id, reference: cancellationCases.reference })
    .from(cancellationCases)
    .where(eq(cancellationCases.id, input.caseId));
  if (!row) return null;

  // The latest checkpoint now: the proof in the pack is against it, whatever is signed meanwhile.
  const checkpoint = await latestCheckpoint(deps.db);
  const checkpointId = checkpoint?.id ?? null;
  const { requester } = input;
  const downloaded = await recordEvent(deps.db, {
    caseId: row.id,
    type: "evidence.downloaded",
    actor:
      requester.kind === "staff"
        ? { type: "staff", id: requester.staffId }
        : { type: "subscriber", id: requester.subscriberId },
    meta: input.meta,
    data: { reference: row.reference, checkpointId },
  });

  const snapshot = await loadEvidenceSnapshot(deps.db, { caseId: row.id, checkpointId });
  if (!snapshot) return null;
  const generatedAt = downloaded.occurredAt;
  const requestedBy: PackRequester =
    requester.kind === "staff"
      ? { kind: "staff", staffId: requester.staffId }
      : { kind: "subscriber" };
  const pack = await buildEvidencePack(snapshot, {
    generatedAt,
    requestedBy,
    signer: deps.signer,
    appUrl: deps.appUrl,
  });
  return { fileName: pack.fileName, body: zipArchive(pack.files, generatedAt) };
}
