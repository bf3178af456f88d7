import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { recordCaseView } from "~/services/staff/load-staff-case.server";
import { documents } from "../../../db/schema";

const UUID = /^[0-9a-f-]{36}$/i;

/** A stored document of a case (letter, proof, label), downloaded by staff; the download is audited. */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.caseDocument);
  const { caseId = "", documentId = "" } = args.params;
  if (!UUID.test(caseId) || !UUID.test(documentId))
    throw data({ reason: "not_found" }, { status: 404 });
  const [document] = await args.context.db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.caseId, caseId)));
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
