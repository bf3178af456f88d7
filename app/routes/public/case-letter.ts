import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCaseByToken } from "./case-access.server";
import { letterResponse, purgedDownload } from "./letter-response.server";

// GET /dossier/:token/lettre.pdf — only for the holder of the case link.
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const from = { request, context, backHref: `/dossier/${params.token}` };
  // Once pseudonymised, a letter is never rendered again (it would carry the pseudonym).
  if (view.pseudonymisedAt !== null) {
    const letter = view.documents.find((document) => document.kind === "termination_letter");
    if (letter === undefined) return purgedDownload(null, from);
  }
  return letterResponse(view.case.id, from);
}
