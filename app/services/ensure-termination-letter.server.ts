import type { Db } from "../../db/client";
import type { DocumentRow } from "../../db/schema";
import { buildTerminationLetterData } from "../documents/build-termination-letter-data.server";
import {
  renderTerminationLetter,
  terminationLetterFileName,
  TERMINATION_LETTER_CONTENT_TYPE,
} from "../documents/render-termination-letter";
import { ensureCaseDocument } from "./ensure-case-document.server";

/** The termination letter of a case, rendered once and stored with its SHA-256. */
export async function ensureTerminationLetter(
  db: Db,
  caseId: string,
  appUrl: string,
): Promise<DocumentRow> {
  return ensureCaseDocument(db, caseId, "termination_letter", async () => {
    const data = await buildTerminationLetterData(db, caseId, appUrl);
    return {
      bytes: await renderTerminationLetter(data),
      contentType: TERMINATION_LETTER_CONTENT_TYPE,
      fileName: terminationLetterFileName(data),
      language: data.language,
      createdAt: new Date(data.receivedAt),
    };
  });
}
