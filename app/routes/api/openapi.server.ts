import { z } from "zod";
import { API_SCOPES, CONTRACT_STATUSES } from "~/domain/enums";
import { ContractRecord } from "~/domain/integration/contract-record";
import { API_ERROR_STATUS, type ApiErrorCode } from "./api-response.server";
import { IDEMPOTENCY_KEY_HOURS } from "./api-v1.server";
import { CarrierEventBodySchema } from "./carrier-events";
import {
  CarrierEventResultSchema,
  CaseEventListSchema,
  CaseEventsQuerySchema,
  CaseListQuerySchema,
  CaseListSchema,
  CaseSchema,
  ErrorSchema,
  RefundEventBodySchema,
  RefundSchema,
} from "./v1-schemas";

// The OpenAPI 3.1 document of /api/v1, generated from the very zod schemas the endpoints
// validate with (zod 4's z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses it).
// Served at /api/v1/openapi.json and rendered at /api/v1/docs.

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: Json) => ({ "application/json": { schema } });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed JSON or an invalid Idempotency-Key header.",
  401: "No API key, an unknown key, or a revoked key.",
  403: "The key lacks the scope of this operation.",
  404: "Not found.",
  409: "Refused in the current state.",
  415: "The body is not sent as application/json.",
  422: "A field is invalid (`field` names it), or the Idempotency-Key was used for another request.",
  429: "Too many requests with this key: wait Retry-After seconds.",
};

function errorResponses(codes: ApiErrorCode[]): Json {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) {
    const status = API_ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Json = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${ERROR_DESCRIPTIONS[status] ?? "Error."} Codes: ${list.map((code) => `\`${code}\``).join(", ")}.`,
      ...(status === 429
        ? { headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } }
        : {}),
      content: jsonContent(ref("Error")),
    };
  }
  return responses;
}

const COMMON_ERRORS: ApiErrorCode[] = ["unauthorized", "insufficient_scope", "rate_limited"];
const WRITE_ERRORS: ApiErrorCode[] = [
  ...COMMON_ERRORS,
  "malformed_json",
  "invalid_idempotency_key",
  "unsupported_media_type",
  "invalid_field",
  "idempotency_key_reused",
];

function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = jsonSchema(field as z.ZodType, "input");
    const { description, ...rest } = fieldSchema;
    return {
      name,
      in: "query",
      required: false,
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const pathParameter = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string", minLength: 1 },
});

const idempotencyParameter = { $ref: "#/components/parameters/IdempotencyKey" };
const security = (scope: string) => [{ apiKey: [scope] }];

export function buildOpenApiDocument(serverUrl: string): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Easy Exit integration API",
      version: "1.0.0",
      description: [
        "The API the operator's BSS and carriers use to talk to the cancellation portal.",
        "",
        "**Authentication**: `Authorization: Bearer ee_<prefix>_<secret>`, a key an admin creates at",
        "/staff/reglages/api (or with `npm run api-key:create`), with one or more scopes.",
        "",
        `**Idempotency**: every POST and PUT accepts an \`Idempotency-Key\` header. The same key with the same body within ${IDEMPOTENCY_KEY_HOURS} hours answers the stored response (same status and body, header \`Idempotent-Replayed: true\`) without running the operation again; the same key with another body is refused with 422 \`idempotency_key_reused\`.`,
        "",
        "**Pagination**: list endpoints answer `{ data, next_cursor }`; pass `next_cursor` as `cursor` to get the next page, until it is null. Cursors are opaque.",
        "",
        '**Errors**: always `{ "error": { "code", "message", "field"? } }`, `field` being the offending field\'s path (`contract.startDate`).',
        "",
        "**Rate limit**: 600 requests per minute and key; beyond, 429 with `Retry-After`.",
      ].join("\n"),
      license: { name: "AGPL-3.0-or-later", identifier: "AGPL-3.0-or-later" },
    },
    servers: [{ url: serverUrl }],
    security: [],
    tags: [
      { name: "Contracts", description: "The BSS sends its contracts." },
      { name: "Cases", description: "The cancellation cases and their audit trail." },
      { name: "Refunds", description: "The BSS reports refund payments." },
      { name: "Returns", description: "Carriers report where return parcels are." },
    ],
    paths: {
      "/api/v1/contracts/{externalId}": {
        put: {
          operationId: "upsertContract",
          tags: ["Contracts"],
          summary: "Create or update one contract",
          description:
            "Creates or updates the contract with its subscriber, lines and equipment, identified by the BSS's own ids. A contract with an open cancellation case is frozen (only its subscriber's details change). 201 when created, 200 when updated or unchanged; the body is the contract as stored.",
          security: security("contracts:write"),
          parameters: [
            pathParameter("externalId", "The BSS's id of the contract (= contract.externalId)."),
            idempotencyParameter,
          ],
          requestBody: {
            required: true,
            content: jsonContent(ref("ContractRecord")),
          },
          responses: {
            "200": {
              description: "Updated or unchanged.",
              content: jsonContent(ref("StoredContract")),
            },
            "201": { description: "Created.", content: jsonContent(ref("StoredContract")) },
            ...errorResponses([...WRITE_ERRORS, "conflict"]),
          },
        },
      },
      "/api/v1/cases": {
        get: {
          operationId: "listCases",
          tags: ["Cases"],
          summary: "List cases, oldest change first",
          description:
            "Cursor-paginated by last change (`updatedAt`, then id). To sync, remember the last `updatedAt` you saw and pass it as `updated_since` next time.",
          security: security("cases:read"),
          parameters: queryParameters(CaseListQuerySchema),
          responses: {
            "200": { description: "A page of cases.", content: jsonContent(ref("CaseList")) },
            ...errorResponses([...COMMON_ERRORS, "invalid_field"]),
          },
        },
      },
      "/api/v1/cases/{reference}": {
        get: {
          operationId: "getCase",
          tags: ["Cases"],
          summary: "One case",
          security: security("cases:read"),
          parameters: [pathParameter("reference", "The case reference, e.g. RX-7K3M-9QPD.")],
          responses: {
            "200": { description: "The case.", content: jsonContent(ref("Case")) },
            ...errorResponses([...COMMON_ERRORS, "not_found"]),
          },
        },
      },
      "/api/v1/cases/{reference}/events": {
        get: {
          operationId: "listCaseEvents",
          tags: ["Cases"],
          summary: "The audit events of a case",
          description:
            "The case's hash-chained audit events in order (references and codes only), cursor-paginated.",
          security: security("cases:read"),
          parameters: [
            pathParameter("reference", "The case reference."),
            ...queryParameters(CaseEventsQuerySchema),
          ],
          responses: {
            "200": {
              description: "A page of events.",
              content: jsonContent(ref("CaseEventList")),
            },
            ...errorResponses([...COMMON_ERRORS, "invalid_field", "not_found"]),
          },
        },
      },
      "/api/v1/refund-events": {
        post: {
          operationId: "reportRefundEvent",
          tags: ["Refunds"],
          summary: "Report a refund paid or failed",
          description:
            "Marks the case's refund of this kind as issued (with your payment reference; the subscriber is emailed) or failed. Audited with the key as actor.",
          security: security("refunds:write"),
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: jsonContent(ref("RefundEvent")) },
          responses: {
            "200": { description: "The refund as it is now.", content: jsonContent(ref("Refund")) },
            ...errorResponses([...WRITE_ERRORS, "not_found", "refund_refused"]),
          },
        },
      },
      "/api/v1/carrier-events": {
        post: {
          operationId: "reportCarrierEvent",
          tags: ["Returns"],
          summary: "Report where a return parcel is",
          security: security("returns:write"),
          parameters: [idempotencyParameter],
          requestBody: { required: true, content: jsonContent(ref("CarrierEvent")) },
          responses: {
            "201": {
              description: "Recorded.",
              content: jsonContent(ref("CarrierEventResult")),
            },
            ...errorResponses([
              ...WRITE_ERRORS,
              "unknown_return",
              "duplicate_event",
              "return_closed",
            ]),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "ee_<prefix>_<secret>",
          description: `An API key with scopes: ${API_SCOPES.map((scope) => `\`${scope}\``).join(", ")}.`,
        },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: `A unique key per operation (a UUID), remembered ${IDEMPOTENCY_KEY_HOURS} hours: a retry with the same key and body gets the stored response.`,
          schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
        },
      },
      headers: {
        RetryAfter: {
          description: "Seconds to wait before the next request.",
          schema: { type: "integer", minimum: 1 },
        },
      },
      schemas: {
        Error: jsonSchema(ErrorSchema, "output"),
        ContractRecord: jsonSchema(ContractRecord, "input"),
        StoredContract: withOutcome(jsonSchema(ContractRecord, "output")),
        Case: jsonSchema(CaseSchema, "output"),
        CaseList: replaceItems(jsonSchema(CaseListSchema, "output"), "Case"),
        CaseEventList: jsonSchema(CaseEventListSchema, "output"),
        RefundEvent: jsonSchema(RefundEventBodySchema, "input"),
        Refund: jsonSchema(RefundSchema, "output"),
        CarrierEvent: jsonSchema(CarrierEventBodySchema, "input"),
        CarrierEventResult: jsonSchema(CarrierEventResultSchema, "output"),
      },
    },
  };
}

/** `{ data: [<inline>] }` → `{ data: [$ref] }`, to keep the document short. */
function replaceItems(schema: Json, name: string): Json {
  const properties = schema.properties as Json;
  return { ...schema, properties: { ...properties, data: { type: "array", items: ref(name) } } };
}

/** The stored contract: the record with its defaults, and what the upsert did. */
function withOutcome(schema: Json): Json {
  const properties = schema.properties as Record<string, Json>;
  const contract = properties.contract!;
  return {
    ...schema,
    properties: {
      outcome: { type: "string", enum: ["created", "updated", "unchanged"] },
      ...properties,
      // Once a case is open, the portal's own status of the contract shows.
      contract: {
        ...contract,
        properties: {
          ...(contract.properties as Json),
          status: { type: "string", enum: [...CONTRACT_STATUSES] },
        },
      },
    },
    required: ["outcome", ...((schema.required as string[] | undefined) ?? [])],
  };
}
