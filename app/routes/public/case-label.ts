import type { LoaderFunctionArgs } from "@remix-run/node";
import { ensureReturnLabel } from "~/services/returns/ensure-return-label.server";
import { loadCaseReturnAndRefunds } from "~/services/returns/load-case-return.server";
import { requireCaseByToken } from "./case-access.server";
import { documentResponse } from "./letter-response.server";

// GET /dossier/:token/etiquette-retour.pdf — the return label, only for the holder of the link.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const tracking = await loadCaseReturnAndRefunds(context.db, view.case.id);
  if (tracking.equipmentReturn === null || tracking.equipmentReturn.status === "cancelled")
    throw new Response("Not Found", { status: 404 });
  return documentResponse(await ensureReturnLabel(context.db, view.case.id));
}
