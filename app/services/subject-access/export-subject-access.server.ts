import { readFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Db } from "../../../db/client";
import { canonicalJson } from "../../audit/canonical";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import type { AuditSigner } from "../../audit/signing.server";
import { safeFileName } from "../../documents/archival-pdf";
import { interpolate, TEMPLATES_DIR } from "../../documents/letter-template";
import { isUuid } from "../../domain/ids";
import { jsonLine } from "../audit-export/encode";
import { toExportRow } from "../evidence-pack/build-evidence-pack.server";
import { sha256Hex, uniquePaths, zipArchive, type ArchiveFile } from "../zip-archive.server";
import { loadSubjectData, streamForSubscriber, type SubjectData } from "./load-subject-data.server";

// The subject-access export (GDPR art. 15): everything held on one subscriber, as one ZIP of
// plain JSON files, their documents, their audit events and a README in French and English.
// Made on request by compliance and streamed, never stored; the export is recorded in the
// subscriber's chain (`subject_access.exported`) before anything is read.

export interface SubjectAccessDeps {
  db: Db;
  signer: AuditSigner;
}

export interface SubjectAccessExport {
  fileName: string;
  /** The ZIP archive; consume it once. */
  body: Readable;
}

const README_PLACEHOLDERS = ["operator", "generatedAt", "customerNumber"];

let readme: string | undefined;

/** templates/fr/subject-access-readme.txt, read once; an unknown placeholder fails by name. */
function readmeTemplate(): string {
  if (readme === undefined) {
    const file = path.join(TEMPLATES_DIR, "fr", "subject-access-readme.txt");
    const text = readFileSync(file, "utf8");
    for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
      if (name !== undefined && !README_PLACEHOLDERS.includes(name))
        throw new Error(`${file}: unknown placeholder {${name}}`);
    }
    readme = text;
  }
  return readme;
}

function jsonFile(filePath: string, value: unknown): ArchiveFile {
  return { path: filePath, bytes: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8") };
}

/** Drops the keys named (security secrets and internal keys that are no information on anyone). */
function without<T extends object, K extends keyof T>(row: T, keys: readonly K[]): Omit<T, K> {
  const copy = { ...row };
  for (const key of keys) delete copy[key];
  return copy;
}

function subjectFiles(data: SubjectData, generatedAt: Date) {
  const { subscriber } = data;
  const caseReference = new Map(data.cases.map((row) => [row.id, row.reference]));
  const noticeReference = new Map(data.notices.map((row) => [row.id, row.reference]));

  const contractsFile = data.contracts.map((contract) => ({
    ...contract,
    lines: data.lines
      .filter((line) => line.contractId === contract.id)
      .map((line) => without(line, ["operatorId", "contractId"])),
    equipment: data.equipment
      .filter((item) => item.contractId === contract.id)
      .map((item) => without(item, ["contractId"])),
  }));

  const casesFile = {
    cases: data.cases.map((row) => {
      const equipmentReturn = data.returns.find((ret) => ret.caseId === row.id);
      return {
        ...without(row, ["accessTokenHash", "idempotencyKey"]),
        contractIds: data.caseContracts
          .filter((link) => link.caseId === row.id)
          .map((link) => link.contractId),
        lines: data.caseLines.filter((line) => line.caseId === row.id).map((l) => l.phoneNumber),
        equipmentReturn: equipmentReturn && {
          ...equipmentReturn,
          items: data.returnItems.filter((item) => item.returnId === equipmentReturn.id),
          carrierEvents: data.carrierEvents.filter(
            (event) => event.returnId === equipmentReturn.id,
          ),
        },
        refunds: data.refunds.filter((refund) => refund.caseId === row.id),
      };
    }),
    /** Notices sent through the portal: matched to one of the cases above, or from their address. */
    notices: data.notices.map((notice) => without(notice, ["idempotencyKey"])),
  };

  const surveysFile = data.surveys.map((survey) => ({
    caseReference: caseReference.get(survey.caseId) ?? null,
    ...survey,
  }));

  const winbackFile = data.winback.map(({ item, offerCode, offerName }) => ({
    ...item,
    caseReference: caseReference.get(item.caseId) ?? null,
    offer: offerCode === null ? null : { code: offerCode, name: offerName },
    contactAttempts: data.attempts
      .filter(({ attempt }) => attempt.winbackItemId === item.id)
      .map(({ attempt, offerCode: attemptOffer }) => ({ ...attempt, offerCode: attemptOffer })),
  }));

  const emailsFile = data.emails.map((email) => ({
    ...email,
    caseReference: email.caseId ? (caseReference.get(email.caseId) ?? null) : null,
    noticeReference: email.noticeId ? (noticeReference.get(email.noticeId) ?? null) : null,
  }));

  const consentsFile = {
    doNotContact: {
      suppressed: subscriber.marketingSuppressed,
      since: subscriber.marketingSuppressedAt,
    },
    surveyConsents: data.surveys.map((survey) => ({
      caseReference: caseReference.get(survey.caseId) ?? null,
      surveyResponseId: survey.id,
      contactConsent: survey.contactConsent,
      channel: survey.contactChannel,
      window: survey.contactWindow,
      givenAt: survey.contactConsent ? survey.createdAt : null,
      withdrawnAt: survey.consentWithdrawnAt,
    })),
    /** Every withdrawal recorded in the audit trail, with how it was made. */
    withdrawals: data.events
      .filter((event) => event.type === "consent.withdrawn")
      .map((event) => ({
        occurredAt: event.occurredAt,
        via: (event.data as { via?: string }).via ?? null,
        actorType: event.actorType,
        stream: event.stream,
        seq: event.seq,
      })),
  };

  // Documents in one folder per case (or notice) reference; purged ones keep only their hash.
  const kept = data.documents.filter((document) => document.purgedAt === null);
  const folderOf = (document: (typeof kept)[number]) =>
    `documents/${safeFileName(
      (document.caseId && caseReference.get(document.caseId)) ||
        (document.noticeId && noticeReference.get(document.noticeId)) ||
        "autres",
    )}`;
  const documentPaths = new Map<string, string>();
  for (const folder of new Set(kept.map(folderOf))) {
    const inFolder = kept.filter((document) => folderOf(document) === folder);
    const paths = uniquePaths(
      folder,
      inFolder.map((document) => document.fileName),
    );
    inFolder.forEach((document, index) => documentPaths.set(document.id, paths[index]!));
  }

  const readmeText = interpolate(readmeTemplate(), {
    operator: data.operator?.legalName ?? "",
    generatedAt: generatedAt.toISOString(),
    customerNumber: subscriber.customerNumber,
  });
  const files: ArchiveFile[] = [
    { path: "README.txt", bytes: Buffer.from(readmeText, "utf8") },
    jsonFile("subscriber.json", {
      operator: data.operator?.legalName ?? null,
      ...without(subscriber, ["stopContactTokenHash"]),
    }),
    jsonFile("contracts.json", contractsFile),
    jsonFile("cases.json", casesFile),
    jsonFile("survey-answers.json", surveysFile),
    jsonFile("winback.json", winbackFile),
    jsonFile("emails.json", emailsFile),
    jsonFile("consents.json", consentsFile),
    {
      path: "events.jsonl",
      bytes: Buffer.from(data.events.map(toExportRow).map(jsonLine).join(""), "utf8"),
    },
    ...kept.map((document) => ({ path: documentPaths.get(document.id)!, bytes: document.bytes })),
  ];
  return { files, documentPaths };
}

/** The subject-access export of a subscriber, or null when there is no such subscriber. */
export async function exportSubjectAccess(
  deps: SubjectAccessDeps,
  input: { subscriberId: string; staffId: string; actor: Actor; meta: RequestMeta },
): Promise<SubjectAccessExport | null> {
  if (!isUuid(input.subscriberId)) return null;
  const before = await loadSubjectData(deps.db, input.subscriberId);
  if (!before) return null;
  const exported = await recordEvent(deps.db, {
    stream: streamForSubscriber(before.subscriber.id),
    type: "subject_access.exported",
    actor: input.actor,
    meta: input.meta,
    data: {
      subscriberId: before.subscriber.id,
      caseIds: before.cases.map((row) => row.id),
      documents: before.documents.length,
    },
  });
  // Read again: the export holds its own record, like everything else of the subscriber's chain.
  const data = (await loadSubjectData(deps.db, input.subscriberId)) ?? before;
  const generatedAt = exported.occurredAt;
  const { files, documentPaths } = subjectFiles(data, generatedAt);
  const unsigned = {
    version: 1,
    subscriberId: data.subscriber.id,
    generatedAt: generatedAt.toISOString(),
    generatedBy: input.staffId,
    files: files.map((file) => ({
      path: file.path,
      bytes: file.bytes.length,
      sha256: sha256Hex(file.bytes),
    })),
    documents: data.documents.map((document) => ({
      id: document.id,
      kind: document.kind,
      path: documentPaths.get(document.id) ?? null,
      bytes: document.sizeBytes,
      sha256: document.sha256,
      createdAt: document.createdAt.toISOString(),
      purgedAt: document.purgedAt?.toISOString() ?? null,
    })),
    keyId: deps.signer.keyId,
  };
  const manifest = { ...unsigned, signature: deps.signer.sign(canonicalJson(unsigned)) };
  const day = generatedAt.toISOString().slice(0, 10);
  return {
    fileName: safeFileName(`donnees-${data.subscriber.customerNumber}-${day}.zip`),
    body: zipArchive([...files, jsonFile("manifest.json", manifest)], generatedAt),
  };
}
