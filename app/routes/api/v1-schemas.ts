import { z } from "zod";
import {
  CASE_SOURCES,
  CASE_STATUSES,
  REFUND_KINDS,
  REFUND_STATUSES,
  TERMINATION_TYPES,
} from "~/domain/enums";
import { REFUND_FAILURE_REASONS } from "~/domain/returns";

// The zod schemas of /api/v1: the endpoints validate with them and the OpenAPI document
// (openapi.server.ts) is generated from them, so the two cannot drift apart.

export const ErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().meta({ description: "A stable, machine-readable code." }),
    message: z.string().meta({ description: "An English explanation for developers." }),
    field: z
      .string()
      .optional()
      .meta({ description: "The offending field's path, e.g. `contract.startDate`." }),
  }),
});

const Instant = z.iso.datetime({ offset: true });
const IsoDate = z.iso.date();

export const CaseSchema = z.strictObject({
  reference: z.string().meta({ description: "The case reference, e.g. `RX-7K3M-9QPD`." }),
  status: z.enum(CASE_STATUSES),
  source: z.enum(CASE_SOURCES),
  terminationType: z.enum(TERMINATION_TYPES),
  language: z.string(),
  receivedAt: Instant.meta({ description: "The legal receipt time of the notice." }),
  requestedEndDate: IsoDate.nullable(),
  effectiveEndDate: IsoDate,
  feeTotalCents: z.int(),
  currency: z.string().length(3),
  withdrawnAt: Instant.nullable(),
  effectiveAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
  subscriber: z.strictObject({
    customerNumber: z.string(),
    externalId: z.string().nullable(),
  }),
  contracts: z.array(
    z.strictObject({
      contractNumber: z.string(),
      externalId: z.string().nullable(),
      open: z.boolean().meta({ description: "False once the contract left the case." }),
    }),
  ),
  refunds: z.array(
    z.strictObject({
      kind: z.enum(REFUND_KINDS),
      status: z.enum(REFUND_STATUSES),
      amountCents: z.int(),
      offsetCents: z.int(),
      currency: z.string().length(3),
      legalDueDate: IsoDate.nullable(),
      paymentReference: z.string().nullable(),
      issuedAt: Instant.nullable(),
    }),
  ),
});
export type CaseJson = z.infer<typeof CaseSchema>;

export const CaseListSchema = z.strictObject({
  data: z.array(CaseSchema),
  next_cursor: z
    .string()
    .nullable()
    .meta({ description: "Pass it as `cursor` for the next page; null on the last page." }),
});

export const CaseEventSchema = z.strictObject({
  seq: z.int().min(1).meta({ description: "The event's position in the case's hash chain." }),
  type: z.string().meta({ description: "e.g. `case.notified`, `refund.updated`." }),
  occurredAt: Instant,
  actorType: z.string(),
  data: z
    .record(z.string(), z.unknown())
    .meta({ description: "References and codes only, never free text." }),
});

export const CaseEventListSchema = z.strictObject({
  data: z.array(CaseEventSchema),
  next_cursor: z.string().nullable(),
});

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Cursor = z.string().min(1).max(500).optional();

export const CaseListQuerySchema = z.strictObject({
  cursor: Cursor.meta({ description: "The `next_cursor` of the previous page." }),
  limit: Limit.meta({ description: "Cases per page, 1 to 200 (50 by default)." }),
  status: z.enum(CASE_STATUSES).optional(),
  updated_since: Instant.optional().meta({
    description: "Only cases changed at or after this time (ISO 8601 with an offset).",
  }),
});

export const CaseEventsQuerySchema = z.strictObject({
  cursor: Cursor,
  limit: Limit,
});

const PaymentReference = z
  .string()
  .trim()
  .min(3)
  .max(60)
  .regex(/^[A-Za-z0-9 _-]+$/, { error: "Letters, digits, spaces, - and _ only." });

const RefundTarget = {
  caseReference: z.string().trim().min(1).max(40),
  kind: z.enum(REFUND_KINDS).meta({ description: "Which refund of the case (one per kind)." }),
};

export const RefundEventBodySchema = z.discriminatedUnion("outcome", [
  z.strictObject({
    ...RefundTarget,
    outcome: z.literal("paid"),
    paymentReference: PaymentReference.meta({
      description: "Your payment's reference (shown to the subscriber).",
    }),
  }),
  z.strictObject({
    ...RefundTarget,
    outcome: z.literal("failed"),
    failureReason: z.enum(REFUND_FAILURE_REASONS),
  }),
]);
export type RefundEventBody = z.infer<typeof RefundEventBodySchema>;

export const RefundSchema = z.strictObject({
  caseReference: z.string(),
  kind: z.enum(REFUND_KINDS),
  status: z.enum(REFUND_STATUSES),
  amountCents: z.int(),
  offsetCents: z.int(),
  currency: z.string().length(3),
  paymentReference: z.string().nullable(),
  issuedAt: Instant.nullable(),
  failureReason: z.string().nullable(),
});

export const CarrierEventResultSchema = z.strictObject({
  carrierEventId: z.uuid(),
  returnNumber: z.string(),
  status: z.string(),
});
