import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "../api-response.server";
import { buildOpenApiDocument } from "../openapi.server";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of the integration API (public).

export function loader({ context }: LoaderFunctionArgs): Response {
  return Response.json(buildOpenApiDocument(context.env.APP_URL), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}

export function action(): Response {
  return methodNotAllowed(["GET"]);
}
