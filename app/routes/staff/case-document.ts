import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { purgedDocumentResponse } from "~/components/purged-document-page.server";
import { resolveLang } from "~/i18n/lang.server";
import { loadOperatorBranding } from "~/services/load-operator-branding.server";
import { loadCaseDocument, recordCaseView } from "~/services/staff/load-staff-case.server";

/** A stored document of a case (letter, proof, label), downloaded by staff; the download is audited. */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.caseDocument);
  const { caseId = "", documentId = "" } = args.params;
  const document = await loadCaseDocument(args.context.db, caseId, documentId);
  if (!document) throw data({ reason: "not_found" }, { status: 404 });
  await recordCaseView(args.context.db, {
    caseId,
    staff,
    view: `document:${document.kind}`,
    meta: args.context.requestMeta,
  });
  // The retention policy purged its bytes: a page that says so (410), not an empty file.
  if (document.purgedAt !== null) {
    const branding = await loadOperatorBranding(args.context);
    return purgedDocumentResponse({
      document,
      lang: resolveLang(args.request).lang,
      operatorName: branding.displayName,
      backHref: `/staff/dossiers/${caseId}`,
      audience: "staff",
    });
  }
  return new Response(new Uint8Array(document.bytes), {
    headers: {
      "Content-Type": document.contentType,
      "Content-Length": String(document.sizeBytes),
      "Content-Disposition": `attachment; filename="${document.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
