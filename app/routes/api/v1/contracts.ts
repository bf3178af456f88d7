import type { ActionFunctionArgs } from "@remix-run/node";
import { ContractRecord } from "~/domain/integration/contract-record";
import { loadApiContract } from "~/services/api/api-contracts.server";
import {
  ContractRecordConflictError,
  upsertContractRecords,
} from "~/services/integration/upsert-contracts.server";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import {
  apiError,
  invalidFieldError,
  methodNotAllowed,
  readJsonBody,
} from "../api-response.server";
import { fail, guardApiRequest, ok, runIdempotent } from "../api-v1.server";

// PUT /api/v1/contracts/{externalId} — the BSS creates or updates one contract with its
// subscriber, lines and equipment (the same rules as the bulk import: upsertContractRecords).
// 201 when created, 200 when updated or unchanged; the body is the contract as stored.
// Scope `contracts:write`; Idempotency-Key honoured.

export function loader(): Response {
  return methodNotAllowed(["PUT"]);
}

export async function action({ request, context, params }: ActionFunctionArgs): Promise<Response> {
  if (request.method !== "PUT") return methodNotAllowed(["PUT"]);
  const guard = await guardApiRequest(request, context, "contracts:write");
  if (!guard.ok) return guard.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ContractRecord.safeParse(read.body);
  if (!parsed.success) return invalidFieldError(parsed.error);
  const record = parsed.data;
  const externalId = params.externalId ?? "";
  if (record.contract.externalId !== externalId)
    return apiError("invalid_field", "contract.externalId must be the externalId of the address.", {
      field: "contract.externalId",
    });
  const operator = await requirePortalOperator(context);

  return runIdempotent(
    context.db,
    { request, apiKeyId: guard.key.id, body: read.body },
    async (tx) => {
      let outcome: string;
      let contractId: string;
      try {
        const [result] = await upsertContractRecords(tx, {
          operatorId: operator.id,
          records: [record],
          actor: { type: "integration", id: guard.key.id },
          meta: context.requestMeta,
          source: "api",
        });
        if (!result) throw new Error("upsertContractRecords returned no result");
        ({ outcome, contractId } = result);
      } catch (error) {
        if (!(error instanceof ContractRecordConflictError)) throw error;
        const [conflict] = error.conflicts;
        return fail("conflict", conflict?.message ?? error.message, conflict?.field);
      }
      context.logger.info({ contractId, apiKeyId: guard.key.id, outcome }, "contract upserted");
      return ok(
        { outcome, ...(await loadApiContract(tx, contractId)) },
        outcome === "created" ? 201 : 200,
      );
    },
  );
}
