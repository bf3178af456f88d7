import { canonicalJson } from "~/audit/canonical";
import { inclusionProofs, sortHeads, type ChainHead, type ProofStep } from "~/audit/merkle";
import type { AuditSigner } from "~/audit/signing.server";
import type { AuditExportFilters, AuditExportFormat } from "./filters";

// The manifest of an export (docs/decisions/009): what was exported, the file's hash, the latest
// checkpoint and, for each exported chain whose checkpointed head is in the file, the Merkle
// inclusion proof of that head. Signed as a whole, so that it proves itself with the public key.

/** Beyond this many chains in an export, anchors are left out (the manifest would be huge). */
export const MAX_ANCHORED_STREAMS = 10_000;

export type AnchorsOmitted = "too_many_streams" | "no_checkpoint";

export interface ManifestCheckpoint {
  id: number;
  payload: string;
  signature: string;
  keyId: string;
}

export interface ManifestAnchor extends ChainHead {
  proof: ProofStep[];
}

export interface AuditExportManifest {
  version: 1;
  format: AuditExportFormat;
  gzip: boolean;
  file: string;
  bytes: number;
  sha256: string;
  rows: number;
  filters: AuditExportFilters;
  createdAt: string;
  /** The staff member's id, or "cli". */
  createdBy: string;
  checkpoint: ManifestCheckpoint | null;
  anchors: ManifestAnchor[] | null;
  anchorsOmitted: AnchorsOmitted | null;
  keyId: string;
  signature: string;
}

/**
 * The anchors of the exported chains: `anchored` are the checkpoint heads whose row is in the
 * file; each gets its inclusion proof in the tree over the checkpoint's whole head set.
 */
export function anchorsFor(
  headSet: readonly ChainHead[],
  anchored: readonly { stream: string; seq: number }[],
): ManifestAnchor[] {
  const sorted = sortHeads(headSet);
  const position = new Map(sorted.map((head, index) => [head.stream, index]));
  const indexes: number[] = [];
  for (const head of anchored) {
    const index = position.get(head.stream);
    if (index !== undefined && sorted[index]!.seq === head.seq) indexes.push(index);
  }
  indexes.sort((a, b) => a - b);
  const proofs = inclusionProofs(sorted, indexes);
  return indexes.map((index) => {
    const { stream, seq, hash } = sorted[index]!;
    return { stream, seq, hash, proof: proofs.get(index)! };
  });
}

/** Signs the manifest: Ed25519 over the canonical JSON of everything but `signature`. */
export function signManifest(
  unsigned: Omit<AuditExportManifest, "keyId" | "signature">,
  signer: AuditSigner,
): AuditExportManifest {
  const withKey = { ...unsigned, keyId: signer.keyId };
  return { ...withKey, signature: signer.sign(canonicalJson(withKey)) };
}

/**
 * The manifest file as written next to the export or downloaded: indented JSON with the keys in
 * the design's order (a manifest read back from jsonb has them reordered; the signature, over
 * canonical JSON, does not depend on the order).
 */
export function manifestText(manifest: AuditExportManifest): string {
  const { filters, checkpoint, anchors } = manifest;
  const ordered: AuditExportManifest = {
    version: manifest.version,
    format: manifest.format,
    gzip: manifest.gzip,
    file: manifest.file,
    bytes: manifest.bytes,
    sha256: manifest.sha256,
    rows: manifest.rows,
    filters: {
      from: filters.from,
      to: filters.to,
      caseId: filters.caseId,
      caseReference: filters.caseReference,
      types: filters.types,
      actorType: filters.actorType,
      actorId: filters.actorId,
    },
    createdAt: manifest.createdAt,
    createdBy: manifest.createdBy,
    checkpoint: checkpoint && {
      id: checkpoint.id,
      payload: checkpoint.payload,
      signature: checkpoint.signature,
      keyId: checkpoint.keyId,
    },
    anchors:
      anchors &&
      anchors.map((anchor) => ({
        stream: anchor.stream,
        seq: anchor.seq,
        hash: anchor.hash,
        proof: anchor.proof.map((step) => ({ side: step.side, hash: step.hash })),
      })),
    anchorsOmitted: manifest.anchorsOmitted,
    keyId: manifest.keyId,
    signature: manifest.signature,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
