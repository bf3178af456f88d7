import type { LoaderFunctionArgs } from "@remix-run/node";
import { ensureReturnLabel } from "~/services/returns/ensure-return-label.server";
import { loadCaseReturnAndRefunds } from "~/services/returns/load-case-return.server";
import { requireCaseByToken } from "./case-access.server";
import { documentResponse, purgedDownload } from "./letter-response.server";

// GET /dossier/:token/etiquette-retour.pdf — the return label, only for the holder of the link.
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const tracking = await loadCaseReturnAndRefunds(context.db, view.case.id);
  if (tracking.equipmentReturn === null || tracking.equipmentReturn.status === "cancelled")
    throw new Response("Not Found", { status: 404 });
  const from = { request, context, backHref: `/dossier/${params.token}` };
  // Once pseudonymised, a label is never rendered again (it would carry the pseudonym).
  if (
    view.pseudonymisedAt !== null &&
    !view.documents.some((document) => document.kind === "return_label")
  )
    return purgedDownload(null, from);
  return documentResponse(await ensureReturnLabel(context.db, view.case.id), from);
}
