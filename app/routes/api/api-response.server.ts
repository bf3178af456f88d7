import type { ZodError } from "zod";

// The JSON answers of the integration API (/api/v1): one error shape for every refusal,
// `{"error":{"code","message","field"?}}`, English messages, never cached.

/** Every error code the API answers with, and its HTTP status. */
export const API_ERROR_STATUS = {
  unauthorized: 401,
  insufficient_scope: 403,
  unknown_return: 404,
  not_found: 404,
  method_not_allowed: 405,
  duplicate_event: 409,
  return_closed: 409,
  refund_refused: 409,
  conflict: 409,
  invalid_idempotency_key: 400,
  idempotency_key_reused: 422,
  unsupported_media_type: 415,
  malformed_json: 400,
  invalid_field: 422,
  rate_limited: 429,
  // Answered by server/app.ts before the app, in the same shape.
  length_required: 411,
  payload_too_large: 413,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

export function apiJson(body: unknown, init: { status?: number; headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  return Response.json(body, { status: init.status ?? 200, headers });
}

/** The body of an error answer (kept apart so that idempotent answers can store it). */
export function apiErrorBody(code: ApiErrorCode, message: string, field?: string): ApiErrorBody {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

export function apiError(
  code: ApiErrorCode,
  message: string,
  options: { field?: string; headers?: HeadersInit } = {},
): Response {
  return apiJson(apiErrorBody(code, message, options.field), {
    status: API_ERROR_STATUS[code],
    headers: options.headers,
  });
}

/** 422 for the first problem zod found, naming the field (`occurredAt`, `items.0.id`). */
export function invalidFieldError(error: ZodError): Response {
  const issue = error.issues[0];
  if (!issue) return apiError("invalid_field", "The request body is not valid.");
  // An unknown property has the object's path; name the property itself.
  const path =
    issue.code === "unrecognized_keys" && issue.keys[0] !== undefined
      ? [...issue.path, issue.keys[0]]
      : issue.path;
  const field = path.map(String).join(".");
  return apiError("invalid_field", issue.message, field === "" ? {} : { field });
}

/** 405 with the methods a resource answers to. */
export function methodNotAllowed(allow: string[]): Response {
  return apiError("method_not_allowed", `Use ${allow.join(" or ")} on this address.`, {
    headers: { Allow: allow.join(", ") },
  });
}

/**
 * The body of a JSON request: 415 unless `Content-Type: application/json`, 400 unless it parses.
 */
export async function readJsonBody(
  request: Request,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return {
      ok: false,
      response: apiError(
        "unsupported_media_type",
        "Send the body as JSON with Content-Type: application/json.",
      ),
    };
  }
  const text = await request.text();
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      response: apiError("malformed_json", "The request body is not valid JSON."),
    };
  }
}
