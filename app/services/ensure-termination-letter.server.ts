import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { documents, type DocumentRow } from "../../db/schema";
import { recordEvent } from "../audit/record-event.server";
import { buildTerminationLetterData } from "../documents/build-termination-letter-data.server";
import {
  renderTerminationLetter,
  terminationLetterFileName,
  TERMINATION_LETTER_CONTENT_TYPE,
} from "../documents/render-termination-letter";

async function findLetter(db: Db, caseId: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.caseId, caseId), eq(documents.kind, "termination_letter")));
  return row;
}

/**
 * The termination letter of a case: rendered once (by its job, or on the first download if that
 * comes first), stored with its SHA-256, and recorded in the case's audit trail. Rendering is
 * deterministic, so a render racing another one produces the same bytes; the first insert wins.
 */
export async function ensureTerminationLetter(
  db: Db,
  caseId: string,
  appUrl: string,
): Promise<DocumentRow> {
  const existing = await findLetter(db, caseId);
  if (existing) return existing;
  const data = await buildTerminationLetterData(db, caseId, appUrl);
  const bytes = await renderTerminationLetter(data);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(documents)
      .values({
        caseId,
        kind: "termination_letter",
        contentType: TERMINATION_LETTER_CONTENT_TYPE,
        fileName: terminationLetterFileName(data),
        bytes,
        sizeBytes: bytes.length,
        sha256,
        language: data.language,
        createdAt: new Date(data.receivedAt),
      })
      .onConflictDoNothing()
      .returning({ id: documents.id });
    if (inserted) {
      await recordEvent(tx, {
        caseId,
        type: "document.created",
        actor: { type: "system", id: null },
        meta: { ip: null, userAgent: null },
        data: { documentId: inserted.id, kind: "termination_letter", sha256 },
      });
    }
  });
  const stored = await findLetter(db, caseId);
  if (!stored) throw new Error(`the letter of case ${caseId} was not stored`);
  return stored;
}
