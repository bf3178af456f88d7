import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { CARRIER_EVENT_KINDS } from "~/domain/enums";
import { recordCarrierEvent } from "~/services/returns/record-carrier-event.server";
import { invalidFieldError, methodNotAllowed, readJsonBody } from "./api-response.server";
import { fail, guardApiRequest, ok, runIdempotent } from "./api-v1.server";

// POST /api/v1/carrier-events — a carrier or the operator's BSS reports where a return parcel
// is (handed in, in transit, delivered). Authenticated by an API key with `returns:write`;
// exempt from the cookie CSRF check (server/app.ts, decision 004). Idempotency-Key honoured.

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const CarrierEventBodySchema = z.strictObject({
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
  const guard = await guardApiRequest(request, context, "returns:write");
  if (!guard.ok) return guard.response;

  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = CarrierEventBodySchema.safeParse(read.body);
  if (!parsed.success) return invalidFieldError(parsed.error);
  const body = parsed.data;

  return runIdempotent(
    context.db,
    { request, apiKeyId: guard.key.id, body: read.body },
    async (tx) => {
      const result = await recordCarrierEvent(
        tx,
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
        { type: "integration", id: guard.key.id },
        context.requestMeta,
      );
      switch (result.kind) {
        case "recorded":
          context.logger.info(
            {
              carrierEventId: result.carrierEventId,
              apiKeyId: guard.key.id,
              status: result.status,
            },
            "carrier event recorded",
          );
          return ok(
            {
              carrierEventId: result.carrierEventId,
              returnNumber: result.returnNumber,
              status: result.status,
            },
            201,
          );
        case "unknown_return":
          return fail("unknown_return", "No return has this number.", "returnNumber");
        case "duplicate":
          return fail(
            "duplicate_event",
            "An event with this eventId was already recorded.",
            "eventId",
          );
        case "return_closed":
          return fail(
            "return_closed",
            "This return was cancelled: it takes no more events.",
            "returnNumber",
          );
      }
    },
  );
}
