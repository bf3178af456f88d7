import type { AppLoadContext } from "@remix-run/node";
import type { DocumentRow } from "../../../db/schema";
import { ensureTerminationLetter } from "~/services/ensure-termination-letter.server";

/** A stored document as a download, private to whoever may see it. */
export function documentResponse(document: DocumentRow): Response {
  return new Response(new Uint8Array(document.bytes), {
    headers: {
      "Content-Type": document.contentType,
      "Content-Length": String(document.sizeBytes),
      "Content-Disposition": `attachment; filename="${document.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The termination letter as a download (rendered now if its job has not run yet). */
export async function letterResponse(context: AppLoadContext, caseId: string): Promise<Response> {
  return documentResponse(await ensureTerminationLetter(context.db, caseId, context.env.APP_URL));
}
