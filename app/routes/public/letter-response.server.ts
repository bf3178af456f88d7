import type { AppLoadContext } from "@remix-run/node";
import type { DocumentRow } from "../../../db/schema";
import { purgedDocumentResponse } from "~/components/purged-document-page.server";
import { resolveLang } from "~/i18n/lang.server";
import { ensureTerminationLetter } from "~/services/ensure-termination-letter.server";
import { loadOperatorBranding } from "~/services/load-operator-branding.server";

/** Where a download was asked from: enough to answer a clear page when its contents are gone. */
export interface DownloadRequest {
  request: Request;
  context: AppLoadContext;
  /** The page to go back to (the case page, the acknowledgment). */
  backHref: string;
}

/**
 * 410 Gone with a page that explains: the retention policy purged the document's bytes (issue
 * #8), or the subscriber was pseudonymised before it was ever rendered (never rendered now:
 * it would carry a pseudonym).
 */
export async function purgedDownload(
  document: Pick<DocumentRow, "fileName" | "sha256" | "purgedAt"> | null,
  from: DownloadRequest,
): Promise<Response> {
  const branding = await loadOperatorBranding(from.context);
  return purgedDocumentResponse({
    document,
    lang: resolveLang(from.request).lang,
    operatorName: branding.displayName,
    backHref: from.backHref,
    audience: "subscriber",
  });
}

/** A stored document as a download, private to whoever may see it. */
export async function documentResponse(
  document: DocumentRow,
  from: DownloadRequest,
): Promise<Response> {
  if (document.purgedAt !== null) return purgedDownload(document, from);
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
export async function letterResponse(caseId: string, from: DownloadRequest): Promise<Response> {
  return documentResponse(
    await ensureTerminationLetter(from.context.db, caseId, from.context.env.APP_URL),
    from,
  );
}
