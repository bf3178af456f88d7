import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { documents, type DocumentRow } from "../../db/schema";
import { recordEvent } from "../audit/record-event.server";
import type { Language } from "../domain/enums";

/** A document a case has exactly one of (a unique index per kind): the letter, the return label. */
export type SingleCaseDocumentKind = "termination_letter" | "return_label";

export interface RenderedDocument {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  language: Language;
  /** Pinned to the case, so that a re-render gives the same bytes and the same row. */
  createdAt: Date;
}

async function findDocument(
  db: Db,
  caseId: string,
  kind: SingleCaseDocumentKind,
): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.caseId, caseId), eq(documents.kind, kind)));
  return row;
}

/**
 * A case's document: rendered once (by its job, or on the first download if that comes first),
 * stored with its SHA-256 and recorded in the case's audit trail. Rendering is deterministic, so
 * a render racing another one produces the same bytes; the first insert wins.
 */
export async function ensureCaseDocument(
  db: Db,
  caseId: string,
  kind: SingleCaseDocumentKind,
  render: () => Promise<RenderedDocument>,
): Promise<DocumentRow> {
  const existing = await findDocument(db, caseId, kind);
  if (existing) return existing;
  const rendered = await render();
  const sha256 = createHash("sha256").update(rendered.bytes).digest("hex");
  await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(documents)
      .values({
        caseId,
        kind,
        contentType: rendered.contentType,
        fileName: rendered.fileName,
        bytes: rendered.bytes,
        sizeBytes: rendered.bytes.length,
        sha256,
        language: rendered.language,
        createdAt: rendered.createdAt,
      })
      .onConflictDoNothing()
      .returning({ id: documents.id });
    if (inserted) {
      await recordEvent(tx, {
        caseId,
        type: "document.created",
        actor: { type: "system", id: null },
        meta: { ip: null, userAgent: null },
        data: { documentId: inserted.id, kind, sha256 },
      });
    }
  });
  const stored = await findDocument(db, caseId, kind);
  if (!stored) throw new Error(`the ${kind} of case ${caseId} was not stored`);
  return stored;
}
