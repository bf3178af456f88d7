import type { ActionFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { cancellationCases, refunds } from "../../../../db/schema";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { applyRefundAction, type RefundAction } from "~/services/returns/refund-actions.server";
import { invalidFieldError, methodNotAllowed, readJsonBody } from "../api-response.server";
import { fail, guardApiRequest, ok, runIdempotent } from "../api-v1.server";
import { RefundEventBodySchema } from "../v1-schemas";

// POST /api/v1/refund-events — the BSS reports that a refund was paid (with its payment
// reference: the subscriber is emailed) or that its payment failed. The same operation as the
// staff refund page (applyRefundAction), audited with the API key as actor. Scope
// `refunds:write`; Idempotency-Key honoured.

export function loader(): Response {
  return methodNotAllowed(["POST"]);
}

export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const guard = await guardApiRequest(request, context, "refunds:write");
  if (!guard.ok) return guard.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = RefundEventBodySchema.safeParse(read.body);
  if (!parsed.success) return invalidFieldError(parsed.error);
  const body = parsed.data;
  const operator = await requirePortalOperator(context);
  const refundAction: RefundAction =
    body.outcome === "paid"
      ? { kind: "issue", paymentReference: body.paymentReference }
      : { kind: "fail", reason: body.failureReason };

  return runIdempotent(
    context.db,
    { request, apiKeyId: guard.key.id, body: read.body },
    async (tx) => {
      const [target] = await tx
        .select({ refundId: refunds.id, reference: cancellationCases.reference })
        .from(refunds)
        .innerJoin(cancellationCases, eq(cancellationCases.id, refunds.caseId))
        .where(
          and(
            eq(cancellationCases.operatorId, operator.id),
            eq(cancellationCases.reference, body.caseReference.toUpperCase()),
            eq(refunds.kind, body.kind),
          ),
        );
      if (!target)
        return fail("not_found", "This case has no refund of this kind.", "caseReference");
      const result = await applyRefundAction(
        { db: tx, jobs: context.jobs },
        {
          refundId: target.refundId,
          action: refundAction,
          actor: { type: "integration", id: guard.key.id },
          meta: context.requestMeta,
        },
      );
      if (result.kind === "not_found")
        return fail("not_found", "This case has no refund of this kind.", "caseReference");
      if (result.kind === "refused")
        return fail(
          "refund_refused",
          `A refund that is ${result.from} cannot be marked ${body.outcome}.`,
          "outcome",
        );
      const { refund } = result;
      context.logger.info(
        { refundId: refund.id, apiKeyId: guard.key.id, status: refund.status },
        "refund event recorded",
      );
      return ok({
        caseReference: target.reference,
        kind: refund.kind,
        status: refund.status,
        amountCents: refund.amountCents,
        offsetCents: refund.offsetCents,
        currency: refund.currency,
        paymentReference: refund.paymentReference,
        issuedAt: refund.issuedAt === null ? null : refund.issuedAt.toISOString(),
        failureReason: refund.failureReason,
      });
    },
  );
}
