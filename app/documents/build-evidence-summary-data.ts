import { maskEmail } from "../domain/mask-email";
import { isLang } from "../i18n/i18n";
import type { EvidenceSnapshot } from "../services/evidence-pack/load-evidence-snapshot.server";
import type { EvidenceSummaryData } from "./evidence-summary-data";

// The evidence summary's data from the pack's snapshot (rows → plain object), so that the
// renderer stays pure. The language is the case's (French if the row holds an unknown one).

export function buildEvidenceSummaryData(
  snapshot: EvidenceSnapshot,
  options: {
    generatedAt: Date;
    requestedBy: "staff" | "subscriber";
    /** Where each document is in the archive (by document id); absent when purged. */
    documentPaths: ReadonlyMap<string, string>;
    publicKeysUrl: string;
  },
): EvidenceSummaryData {
  const { case: row, events, checkpoint, anchor } = snapshot;
  const last = events.at(-1);
  if (!last) throw new Error(`case ${row.id} has no audit event`);
  return {
    jurisdiction: row.jurisdiction,
    language: isLang(row.language) ? row.language : "fr",
    documentKey: `${row.id}:evidence_summary:${options.generatedAt.toISOString()}`,
    generatedAt: options.generatedAt.toISOString(),
    requestedBy: options.requestedBy,
    operator: snapshot.operator,
    case: {
      reference: row.reference,
      stream: last.stream,
      receivedAt: row.receivedAt.toISOString(),
      effectiveEndDate: row.effectiveEndDate,
      status: row.status,
      terminationType: row.terminationType,
      withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
      contracts: snapshot.contracts,
    },
    events: events.map((event) => ({
      seq: event.seq,
      occurredAt: event.occurredAt.toISOString(),
      type: event.type,
      actorType: event.actorType,
      hash: event.hash,
    })),
    documents: snapshot.documents.map((document) => ({
      kind: document.kind,
      path: options.documentPaths.get(document.id) ?? null,
      createdAt: document.createdAt.toISOString(),
      sizeBytes: document.sizeBytes,
      sha256: document.sha256,
      purgedAt: document.purgedAt?.toISOString() ?? null,
    })),
    emails: snapshot.emails.map((email) => ({
      kind: email.kind,
      recipient: maskEmail(email.toAddress),
      status: email.status,
      smtpMessageId: email.smtpMessageId,
      sentAt: email.sentAt?.toISOString() ?? null,
    })),
    head: { seq: last.seq, hash: last.hash },
    checkpoint: checkpoint && {
      id: checkpoint.id,
      takenAt: checkpoint.takenAt.toISOString(),
      root: checkpoint.root,
      keyId: checkpoint.keyId,
      signature: checkpoint.signature,
      covered: anchor && { seq: anchor.seq, hash: anchor.hash, proof: anchor.proof },
    },
    publicKeysUrl: options.publicKeysUrl,
  };
}
