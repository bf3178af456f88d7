import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { listApiCases, type CaseCursor } from "~/services/api/api-cases.server";
import { apiError, apiJson, invalidFieldError, methodNotAllowed } from "../api-response.server";
import { decodeCursor, encodeCursor, guardApiRequest } from "../api-v1.server";
import { CaseListQuerySchema } from "../v1-schemas";

// GET /api/v1/cases — the operator's cases, oldest change first, cursor-paginated
// (`?cursor=…&limit=…`), filtered by `status` and `updated_since`. Scope `cases:read`.

const CursorSchema = z.strictObject({
  u: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  i: z.uuid(),
});

export async function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  const guard = await guardApiRequest(request, context, "cases:read");
  if (!guard.ok) return guard.response;
  const query = CaseListQuerySchema.safeParse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  if (!query.success) return invalidFieldError(query.error);
  let cursor: CaseCursor | null = null;
  if (query.data.cursor !== undefined) {
    const decoded = CursorSchema.safeParse(decodeCursor(query.data.cursor));
    if (!decoded.success)
      return apiError("invalid_field", "This cursor is not one the API gave.", {
        field: "cursor",
      });
    cursor = decoded.data;
  }
  const operator = await requirePortalOperator(context);
  const page = await listApiCases(context.db, {
    operatorId: operator.id,
    limit: query.data.limit,
    cursor,
    status: query.data.status,
    updatedSince:
      query.data.updated_since === undefined ? undefined : new Date(query.data.updated_since),
  });
  return apiJson({
    data: page.cases,
    next_cursor: page.next === null ? null : encodeCursor(page.next),
  });
}

export function action(_args: ActionFunctionArgs): Response {
  return methodNotAllowed(["GET"]);
}
