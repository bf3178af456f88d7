import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateApiKey } from "~/auth/api-keys.server";
import { consumeLimits } from "~/auth/rate-limit.server";
import { CARRIER_EVENT_KINDS } from "~/domain/enums";
import { recordCarrierEvent } from "~/services/returns/record-carrier-event.server";
import {
  apiError,
  apiJson,
  invalidFieldError,
  methodNotAllowed,
  readJsonBody,
} from "./api-response.server";

// POST /api/v1/carrier-events — a carrier or the operator's BSS reports where a return parcel
// is (handed in, in transit, delivered). Authenticated by an API key with `returns:write`;
// exempt from the cookie CSRF check (server/app.ts, decision 004).

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const REALM = 'Bearer realm="easy-exit"';

const CarrierEventBodySchema = z.strictObject({
  eventId: z.string().min(1).max(100),
  returnNumber: z.string().trim().min(1).max(40),
  kind: z.enum(CARRIER_EVENT_KINDS),
  occurredAt: z.iso
    .datetime({ offset: true, error: "Use an ISO 8601 date-time with an offset or Z." })
    .refine((value) => Date.parse(value) <= Date.now() + MAX_CLOCK_SKEW_MS, {
      error: "occurredAt is in the future.",
    }),
  carrier: z.string().max(60).optional(),
  trackingNumber: z.string().max(60).optional(),
  location: z.string().max(120).optional(),
});
export type CarrierEventBody = z.infer<typeof CarrierEventBodySchema>;

export function loader(): Response {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);

  const authorization = request.headers.get("authorization");
  const auth = await authenticateApiKey(context.db, authorization, "returns:write");
  if (!auth.ok && auth.code === "unauthorized") {
    return apiError("unauthorized", "A valid API key is required: Authorization: Bearer <key>.", {
      headers: {
        "WWW-Authenticate": authorization === null ? REALM : `${REALM}, error="invalid_token"`,
      },
    });
  }
  if (!auth.ok) {
    return apiError("insufficient_scope", "This API key does not have the returns:write scope.", {
      headers: {
        "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="returns:write"`,
      },
    });
  }
  const limit = await consumeLimits(context.db, [{ name: "apiByKey", key: auth.key.id }]);
  if (!limit.ok) {
    return apiError(
      "rate_limited",
      `Too many requests with this key: try again in ${limit.retryAfterSeconds} seconds.`,
      { headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }

  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = CarrierEventBodySchema.safeParse(read.body);
  if (!parsed.success) return invalidFieldError(parsed.error);
  const body = parsed.data;

  const result = await recordCarrierEvent(
    context.db,
    {
      returnNumber: body.returnNumber,
      kind: body.kind,
      occurredAt: new Date(body.occurredAt),
      carrier: body.carrier ?? null,
      trackingNumber: body.trackingNumber ?? null,
      location: body.location ?? null,
      externalId: body.eventId,
      source: "api",
    },
    { type: "integration", id: auth.key.id },
    context.requestMeta,
  );
  switch (result.kind) {
    case "recorded":
      context.logger.info(
        { carrierEventId: result.carrierEventId, apiKeyId: auth.key.id, status: result.status },
        "carrier event recorded",
      );
      return apiJson(
        {
          carrierEventId: result.carrierEventId,
          returnNumber: result.returnNumber,
          status: result.status,
        },
        { status: 201 },
      );
    case "unknown_return":
      return apiError("unknown_return", "No return has this number.", { field: "returnNumber" });
    case "duplicate":
      return apiError("duplicate_event", "An event with this eventId was already recorded.", {
        field: "eventId",
      });
    case "return_closed":
      return apiError("return_closed", "This return was cancelled: it takes no more events.", {
        field: "returnNumber",
      });
  }
}
