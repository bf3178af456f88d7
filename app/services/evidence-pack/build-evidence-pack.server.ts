import { canonicalJson } from "../../audit/canonical";
import type { AuditSigner } from "../../audit/signing.server";
import { buildEvidenceSummaryData } from "../../documents/build-evidence-summary-data";
import { safeFileName } from "../../documents/archival-pdf";
import {
  evidenceSummaryTemplate,
  evidenceSummaryText,
} from "../../documents/evidence-summary-template";
import {
  EVIDENCE_SUMMARY_FILE_NAME,
  renderEvidenceSummary,
} from "../../documents/render-evidence-summary";
import { maskEmail } from "../../domain/mask-email";
import { isLang } from "../../i18n/i18n";
import type { AuditEventRow } from "../../../db/schema";
import { jsonLine, type ExportRow } from "../audit-export/encode";
import { manifestText, signManifest } from "../audit-export/manifest.server";
import { sha256Hex, uniquePaths, type ArchiveFile } from "../zip-archive.server";
import type { EvidenceSnapshot } from "./load-evidence-snapshot.server";

// The files of a case's evidence pack, from its snapshot, in their fixed order:
//   summary.pdf                  the readable summary (PDF/A-2b, the case's language)
//   documents/…                  every stored document of the case, under its own name
//   events.jsonl                 the case's chain in the audit export format (decision 009) …
//   events.jsonl.manifest.json   … with its signed manifest: tools/verify-audit-export.mjs
//                                checks both with the public key alone
//   emails.json                  the delivery records (addresses masked)
//   checkpoint.json              the checkpoint and the case head's Merkle inclusion proof
//   manifest.json                every file above with its size and SHA-256, signed
// Everything but the summary is plain JSON a third party reads with any tool.

export const PUBLIC_KEYS_PATH = "/.well-known/easy-exit/audit-keys.json";

export type PackRequester = { kind: "staff"; staffId: string } | { kind: "subscriber" };

export interface EvidencePack {
  /** `preuves-RX-7K3M-9QPD.zip` (the case's language). */
  fileName: string;
  files: ArchiveFile[];
}

/** The JSON files of the pack: two-space indented, one final newline. */
function jsonFile(path: string, value: unknown): ArchiveFile {
  return { path, bytes: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8") };
}

export function toExportRow(event: AuditEventRow): ExportRow {
  return {
    id: event.id,
    stream: event.stream,
    seq: event.seq,
    caseId: event.caseId,
    type: event.type,
    actorType: event.actorType,
    actorId: event.actorId,
    occurredAt: event.occurredAt.toISOString(),
    ip: event.ip,
    userAgent: event.userAgent,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** events.jsonl and its export manifest, signed like any export of the audit trail. */
function eventFiles(
  snapshot: EvidenceSnapshot,
  options: { generatedAt: Date; requestedBy: PackRequester; signer: AuditSigner },
): ArchiveFile[] {
  const { checkpoint, anchor } = snapshot;
  const bytes = Buffer.from(snapshot.events.map(toExportRow).map(jsonLine).join(""), "utf8");
  const manifest = signManifest(
    {
      version: 1,
      format: "jsonl",
      gzip: false,
      file: "events.jsonl",
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
      rows: snapshot.events.length,
      filters: {
        from: null,
        to: null,
        caseId: snapshot.case.id,
        caseReference: snapshot.case.reference,
        types: [],
        actorType: null,
        actorId: null,
      },
      createdAt: options.generatedAt.toISOString(),
      createdBy: options.requestedBy.kind === "staff" ? options.requestedBy.staffId : "subscriber",
      checkpoint: checkpoint && {
        id: checkpoint.id,
        payload: checkpoint.payload,
        signature: checkpoint.signature,
        keyId: checkpoint.keyId,
      },
      anchors: checkpoint ? (anchor ? [anchor] : []) : null,
      anchorsOmitted: checkpoint ? null : "no_checkpoint",
    },
    options.signer,
  );
  return [
    { path: "events.jsonl", bytes },
    { path: "events.jsonl.manifest.json", bytes: Buffer.from(manifestText(manifest), "utf8") },
  ];
}

function checkpointFile(snapshot: EvidenceSnapshot, publicKeysUrl: string): ArchiveFile {
  const { checkpoint, anchor, events } = snapshot;
  const last = events.at(-1)!;
  return jsonFile("checkpoint.json", {
    chain: { stream: last.stream, events: events.length, head: { seq: last.seq, hash: last.hash } },
    checkpoint: checkpoint && {
      id: checkpoint.id,
      takenAt: checkpoint.takenAt.toISOString(),
      streams: checkpoint.streams,
      events: checkpoint.events,
      root: checkpoint.root,
      previousRoot: checkpoint.previousRoot,
      keyId: checkpoint.keyId,
      payload: checkpoint.payload,
      signature: checkpoint.signature,
    },
    /** The case chain's head as the checkpoint signed it, and the path from it to the root. */
    inclusion: anchor && {
      leaf: { stream: anchor.stream, seq: anchor.seq, hash: anchor.hash },
      proof: anchor.proof,
    },
    publicKeysUrl,
  });
}

function emailsFile(snapshot: EvidenceSnapshot): ArchiveFile {
  return jsonFile(
    "emails.json",
    snapshot.emails.map((email) => ({
      id: email.id,
      kind: email.kind,
      recipient: maskEmail(email.toAddress),
      language: email.language,
      status: email.status,
      attempts: email.attempts,
      smtpMessageId: email.smtpMessageId,
      queuedAt: email.createdAt.toISOString(),
      sentAt: email.sentAt?.toISOString() ?? null,
    })),
  );
}

/** Builds every file of the pack (the summary is rendered here) and the archive's name. */
export async function buildEvidencePack(
  snapshot: EvidenceSnapshot,
  options: {
    generatedAt: Date;
    requestedBy: PackRequester;
    signer: AuditSigner;
    appUrl: string;
  },
): Promise<EvidencePack> {
  const { case: row } = snapshot;
  const publicKeysUrl = new URL(PUBLIC_KEYS_PATH, options.appUrl).toString();
  const kept = snapshot.documents.filter((document) => document.purgedAt === null);
  const paths = uniquePaths(
    "documents",
    kept.map((document) => document.fileName),
  );
  const documentFiles: ArchiveFile[] = kept.map((document, index) => ({
    path: paths[index]!,
    bytes: document.bytes,
  }));
  const documentPaths = new Map(kept.map((document, index) => [document.id, paths[index]!]));
  const summaryData = buildEvidenceSummaryData(snapshot, {
    generatedAt: options.generatedAt,
    requestedBy: options.requestedBy.kind,
    documentPaths,
    publicKeysUrl,
  });
  const summary: ArchiveFile = {
    path: EVIDENCE_SUMMARY_FILE_NAME,
    bytes: await renderEvidenceSummary(summaryData),
  };
  const files = [
    summary,
    ...documentFiles,
    ...eventFiles(snapshot, options),
    emailsFile(snapshot),
    checkpointFile(snapshot, publicKeysUrl),
  ];
  const unsigned = {
    version: 1,
    case: { id: row.id, reference: row.reference },
    generatedAt: options.generatedAt.toISOString(),
    requestedBy: options.requestedBy.kind,
    checkpointId: snapshot.checkpoint?.id ?? null,
    files: files.map((file) => ({
      path: file.path,
      bytes: file.bytes.length,
      sha256: sha256Hex(file.bytes),
    })),
    /** Every document row of the case; a purged one (retention) keeps its hash, not its file. */
    documents: snapshot.documents.map((document) => ({
      id: document.id,
      kind: document.kind,
      path: documentPaths.get(document.id) ?? null,
      bytes: document.sizeBytes,
      sha256: document.sha256,
      createdAt: document.createdAt.toISOString(),
      purgedAt: document.purgedAt?.toISOString() ?? null,
    })),
    keyId: options.signer.keyId,
  };
  // Signed like an export manifest: Ed25519 over the canonical JSON without `signature`.
  const manifest = { ...unsigned, signature: options.signer.sign(canonicalJson(unsigned)) };
  const t = evidenceSummaryText(
    evidenceSummaryTemplate(row.jurisdiction, isLang(row.language) ? row.language : "fr"),
  );
  return {
    fileName: safeFileName(t("document.fileName", { reference: row.reference })),
    files: [...files, jsonFile("manifest.json", manifest)],
  };
}
