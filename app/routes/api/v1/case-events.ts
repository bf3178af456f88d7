import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { listApiCaseEvents, loadApiCase } from "~/services/api/api-cases.server";
import { apiError, apiJson, invalidFieldError, methodNotAllowed } from "../api-response.server";
import { decodeCursor, encodeCursor, guardApiRequest } from "../api-v1.server";
import { CaseEventsQuerySchema } from "../v1-schemas";

// GET /api/v1/cases/{reference}/events — the case's audit events in chain order (references
// and codes only), cursor-paginated. Scope `cases:read`.

const CursorSchema = z.strictObject({ s: z.int().min(0) });

export async function loader({ request, context, params }: LoaderFunctionArgs): Promise<Response> {
  const guard = await guardApiRequest(request, context, "cases:read");
  if (!guard.ok) return guard.response;
  const query = CaseEventsQuerySchema.safeParse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  if (!query.success) return invalidFieldError(query.error);
  let afterSeq = 0;
  if (query.data.cursor !== undefined) {
    const decoded = CursorSchema.safeParse(decodeCursor(query.data.cursor));
    if (!decoded.success)
      return apiError("invalid_field", "This cursor is not one the API gave.", {
        field: "cursor",
      });
    afterSeq = decoded.data.s;
  }
  const operator = await requirePortalOperator(context);
  const found = await loadApiCase(context.db, operator.id, params.reference ?? "");
  if (!found) return apiError("not_found", "No case has this reference.", { field: "reference" });
  const page = await listApiCaseEvents(context.db, {
    caseId: found.id,
    limit: query.data.limit,
    afterSeq,
  });
  return apiJson({
    data: page.events,
    next_cursor: page.nextSeq === null ? null : encodeCursor({ s: page.nextSeq }),
  });
}

export function action(_args: ActionFunctionArgs): Response {
  return methodNotAllowed(["GET"]);
}
