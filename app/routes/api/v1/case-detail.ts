import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { loadApiCase } from "~/services/api/api-cases.server";
import { apiError, apiJson, methodNotAllowed } from "../api-response.server";
import { guardApiRequest } from "../api-v1.server";

// GET /api/v1/cases/{reference} — one case. Scope `cases:read`.

export async function loader({ request, context, params }: LoaderFunctionArgs): Promise<Response> {
  const guard = await guardApiRequest(request, context, "cases:read");
  if (!guard.ok) return guard.response;
  const operator = await requirePortalOperator(context);
  const found = await loadApiCase(context.db, operator.id, params.reference ?? "");
  if (!found) return apiError("not_found", "No case has this reference.", { field: "reference" });
  return apiJson(found.json);
}

export function action(_args: ActionFunctionArgs): Response {
  return methodNotAllowed(["GET"]);
}
