import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCaseByToken } from "./case-access.server";
import { letterResponse } from "./letter-response.server";

// GET /dossier/:token/lettre.pdf — only for the holder of the case link.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  return letterResponse(context, view.case.id);
}
