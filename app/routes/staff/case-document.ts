import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
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
  return new Response(new Uint8Array(document.bytes), {
    headers: {
      "Content-Type": document.contentType,
      "Content-Length": String(document.sizeBytes),
      "Content-Disposition": `attachment; filename="${document.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
