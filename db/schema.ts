import { sql, type InferInsertModel, type InferSelectModel, type SQL } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  char,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  ACTOR_TYPES,
  API_SCOPES,
  CARRIER_EVENT_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_WINDOWS,
  CONTRACT_CATEGORIES,
  CONTRACT_STATUSES,
  DOCUMENT_KINDS,
  EMAIL_KINDS,
  EMAIL_STATUSES,
  EQUIPMENT_KINDS,
  AUDIT_EXPORT_FORMATS,
  AUDIT_EXPORT_STATUSES,
  EXIT_REASONS,
  ITEM_CONDITIONS,
  JURISDICTIONS,
  LANGUAGES,
  NOTICE_STATUSES,
  REFUND_KINDS,
  REFUND_STATUSES,
  RETURN_METHODS,
  RETURN_STATUSES,
  STAFF_ROLES,
  TERMINATION_TYPES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WINBACK_CLOSE_REASONS,
  WINBACK_QUEUES,
  WINBACK_STATUSES,
} from "../app/domain/enums";

// Conventions: uuid keys; money in integer cents + ISO currency; legal dates as `date`
// (computed in the jurisdiction's time zone); instants as timestamptz. Vocabularies are text
// columns with check constraints built from app/domain/enums.ts.

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => instant("created_at").notNull().defaultNow();
const updatedAt = () => instant("updated_at").notNull().defaultNow();
const legalDate = (name: string) => date(name, { mode: "string" });
const currency = () => char("currency", { length: 3 }).notNull().default("EUR");

function oneOf(column: SQL | ReturnType<typeof sql.raw> | unknown, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(", "))})`;
}
const sha256Hex = (column: unknown) => sql`${column} ~ '^[0-9a-f]{64}$'`;

// ---------------------------------------------------------------------------------------------
// Operator and customers
// ---------------------------------------------------------------------------------------------

export const operators = pgTable(
  "operator",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    legalName: text("legal_name").notNull(),
    displayName: text("display_name").notNull(),
    addressLine1: text("address_line1").notNull(),
    addressLine2: text("address_line2"),
    postalCode: text("postal_code").notNull(),
    city: text("city").notNull(),
    country: char("country", { length: 2 }).notNull(),
    registrationNumber: text("registration_number").notNull(),
    vatNumber: text("vat_number"),
    jurisdiction: text("jurisdiction").$type<(typeof JURISDICTIONS)[number]>().notNull(),
    defaultLanguage: text("default_language").$type<(typeof LANGUAGES)[number]>().notNull(),
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    supportEmail: text("support_email").notNull(),
    supportPhone: text("support_phone"),
    returnDeadlineDays: integer("return_deadline_days").notNull().default(30),
    returnMethods: text("return_methods")
      .array()
      .$type<(typeof RETURN_METHODS)[number][]>()
      .notNull(),
    returnAddress: text("return_address").notNull(),
    auditRetentionYears: integer("audit_retention_years").notNull().default(5),
    prospectRetentionMonths: integer("prospect_retention_months").notNull().default(36),
    /** Retention policy: contact attempts per win-back item, and how long an item stays open. */
    winbackMaxAttempts: integer("winback_max_attempts").notNull().default(2),
    winbackMaxAgeDays: integer("winback_max_age_days").notNull().default(30),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("operator_slug_key").on(t.slug),
    check("operator_jurisdiction_check", oneOf(t.jurisdiction, JURISDICTIONS)),
    check("operator_language_check", oneOf(t.defaultLanguage, LANGUAGES)),
    check("operator_return_deadline_check", sql`${t.returnDeadlineDays} between 1 and 365`),
    check(
      "operator_retention_check",
      sql`${t.auditRetentionYears} >= 1 and ${t.prospectRetentionMonths} >= 0`,
    ),
    check(
      "operator_winback_policy_check",
      sql`${t.winbackMaxAttempts} between 1 and 10 and ${t.winbackMaxAgeDays} between 1 and 365`,
    ),
  ],
);

/** Non-return charge per equipment model, the operator's tariff. */
export const equipmentModelCharges = pgTable(
  "equipment_model_charge",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    kind: text("kind").$type<(typeof EQUIPMENT_KINDS)[number]>().notNull(),
    model: text("model").notNull(),
    chargeCents: integer("charge_cents").notNull(),
    currency: currency(),
  },
  (t) => [
    uniqueIndex("equipment_model_charge_model_key").on(t.operatorId, t.model),
    check("equipment_model_charge_kind_check", oneOf(t.kind, EQUIPMENT_KINDS)),
    check("equipment_model_charge_amount_check", sql`${t.chargeCents} >= 0`),
  ],
);

export const subscribers = pgTable(
  "subscriber",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    customerNumber: text("customer_number").notNull(),
    externalId: text("external_id"),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    /** "first last", lower case without accents: the key the journey matches names on. */
    nameKey: text("name_key").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    addressLine1: text("address_line1"),
    postalCode: text("postal_code"),
    city: text("city"),
    country: char("country", { length: 2 }).notNull().default("FR"),
    region: text("region"),
    language: text("language").$type<(typeof LANGUAGES)[number]>().notNull().default("fr"),
    marketingSuppressed: boolean("marketing_suppressed").notNull().default(false),
    marketingSuppressedAt: instant("marketing_suppressed_at"),
    /** SHA-256 of the "stop contacting me" link's token (derived, so every email has the same link). */
    stopContactTokenHash: char("stop_contact_token_hash", { length: 64 }),
    /** When the data-retention job replaced this subscriber's personal data with pseudonyms. */
    pseudonymisedAt: instant("pseudonymised_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("subscriber_customer_number_key").on(t.operatorId, t.customerNumber),
    uniqueIndex("subscriber_external_id_key").on(t.operatorId, t.externalId),
    uniqueIndex("subscriber_stop_contact_token_key").on(t.stopContactTokenHash),
    index("subscriber_email_idx").on(sql`lower(${t.email})`),
    index("subscriber_name_key_idx").on(t.nameKey),
    check("subscriber_language_check", oneOf(t.language, LANGUAGES)),
  ],
);

export const contracts = pgTable(
  "contract",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id),
    contractNumber: text("contract_number").notNull(),
    externalId: text("external_id"),
    offerName: text("offer_name").notNull(),
    category: text("category").$type<(typeof CONTRACT_CATEGORIES)[number]>().notNull(),
    /** The rule pack the contract follows (a French operator may have a Portuguese subsidiary). */
    jurisdiction: text("jurisdiction").$type<(typeof JURISDICTIONS)[number]>().notNull(),
    monthlyPriceCents: integer("monthly_price_cents").notNull(),
    currency: currency(),
    startDate: legalDate("start_date").notNull(),
    commitmentMonths: integer("commitment_months").notNull().default(0),
    tacitlyRenewed: boolean("tacitly_renewed").notNull().default(false),
    subsidisedDeviceValueCents: integer("subsidised_device_value_cents").notNull().default(0),
    depositCents: integer("deposit_cents").notNull().default(0),
    prepaidThrough: legalDate("prepaid_through"),
    creditBalanceCents: integer("credit_balance_cents").notNull().default(0),
    withdrawalPeriodEnds: legalDate("withdrawal_period_ends"),
    status: text("status").$type<(typeof CONTRACT_STATUSES)[number]>().notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contract_number_key").on(t.operatorId, t.contractNumber),
    uniqueIndex("contract_external_id_key").on(t.operatorId, t.externalId),
    index("contract_subscriber_idx").on(t.subscriberId),
    check("contract_category_check", oneOf(t.category, CONTRACT_CATEGORIES)),
    check("contract_jurisdiction_check", oneOf(t.jurisdiction, JURISDICTIONS)),
    check("contract_status_check", oneOf(t.status, CONTRACT_STATUSES)),
    check(
      "contract_amounts_check",
      sql`${t.monthlyPriceCents} >= 0 and ${t.subsidisedDeviceValueCents} >= 0 and ${t.depositCents} >= 0 and ${t.creditBalanceCents} >= 0`,
    ),
    // EECC art. 105 / L224-28 / § 56 TKG: a commitment never exceeds 24 months.
    check("contract_commitment_check", sql`${t.commitmentMonths} between 0 and 24`),
  ],
);

/** A phone line of a contract, in E.164 (`+33123456789`). */
export const lines = pgTable(
  "line",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    phoneNumber: text("phone_number").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("line_phone_number_key").on(t.operatorId, t.phoneNumber),
    index("line_contract_idx").on(t.contractId),
    check("line_phone_number_check", sql`${t.phoneNumber} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);

export const equipment = pgTable(
  "equipment",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    kind: text("kind").$type<(typeof EQUIPMENT_KINDS)[number]>().notNull(),
    model: text("model").notNull(),
    serial: text("serial"),
    /** The operator's id of this item (the BSS), for idempotent upserts by the API and import. */
    externalId: text("external_id"),
    mustReturn: boolean("must_return").notNull(),
    nonReturnChargeCents: integer("non_return_charge_cents").notNull().default(0),
    depositCents: integer("deposit_cents").notNull().default(0),
    currency: currency(),
    createdAt: createdAt(),
  },
  (t) => [
    index("equipment_contract_idx").on(t.contractId),
    uniqueIndex("equipment_external_id_key").on(t.contractId, t.externalId),
    check("equipment_kind_check", oneOf(t.kind, EQUIPMENT_KINDS)),
    check(
      "equipment_amounts_check",
      sql`${t.nonReturnChargeCents} >= 0 and ${t.depositCents} >= 0`,
    ),
    // A SIM card never needs returning.
    check("equipment_sim_not_returned_check", sql`not (${t.kind} = 'sim' and ${t.mustReturn})`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Cancellations
// ---------------------------------------------------------------------------------------------

export const staffUsers = pgTable(
  "staff_user",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<(typeof STAFF_ROLES)[number]>().notNull(),
    totpSecret: text("totp_secret"),
    failedSignIns: integer("failed_sign_ins").notNull().default(0),
    lockedUntil: instant("locked_until"),
    disabledAt: instant("disabled_at"),
    lastSignInAt: instant("last_sign_in_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("staff_user_email_key").on(sql`lower(${t.email})`),
    check("staff_user_role_check", oneOf(t.role, STAFF_ROLES)),
  ],
);

export const cancellationCases = pgTable(
  "cancellation_case",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    /** Human-friendly reference in unambiguous characters, e.g. `RX-7K3M-9QPD`. */
    reference: text("reference").notNull(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id),
    jurisdiction: text("jurisdiction").$type<(typeof JURISDICTIONS)[number]>().notNull(),
    language: text("language").$type<(typeof LANGUAGES)[number]>().notNull(),
    /** The legal receipt time: the moment the notify button was pressed. */
    receivedAt: instant("received_at").notNull(),
    requestedEndDate: legalDate("requested_end_date"),
    effectiveEndDate: legalDate("effective_end_date").notNull(),
    terminationType: text("termination_type").$type<(typeof TERMINATION_TYPES)[number]>().notNull(),
    legitimateReason: text("legitimate_reason"),
    feeBreakdown: jsonb("fee_breakdown")
      .notNull()
      .default(sql`'{}'::jsonb`),
    feeTotalCents: integer("fee_total_cents").notNull().default(0),
    currency: currency(),
    status: text("status").$type<(typeof CASE_STATUSES)[number]>().notNull().default("received"),
    source: text("source").$type<(typeof CASE_SOURCES)[number]>().notNull().default("journey"),
    /** Where the acknowledgment goes (typed by the subscriber; may differ from the file). */
    acknowledgmentEmail: text("acknowledgment_email").notNull(),
    /** SHA-256 of the private case-link token; the token itself is never stored. */
    accessTokenHash: char("access_token_hash", { length: 64 }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    withdrawnAt: instant("withdrawn_at"),
    effectiveAt: instant("effective_at"),
    closedAt: instant("closed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cancellation_case_reference_key").on(t.reference),
    uniqueIndex("cancellation_case_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("cancellation_case_access_token_key").on(t.accessTokenHash),
    index("cancellation_case_subscriber_idx").on(t.subscriberId),
    index("cancellation_case_received_idx").on(t.receivedAt, t.id),
    index("cancellation_case_status_end_idx").on(t.status, t.effectiveEndDate),
    index("cancellation_case_ack_email_idx").on(sql`lower(${t.acknowledgmentEmail})`),
    check("cancellation_case_status_check", oneOf(t.status, CASE_STATUSES)),
    check("cancellation_case_type_check", oneOf(t.terminationType, TERMINATION_TYPES)),
    check("cancellation_case_source_check", oneOf(t.source, CASE_SOURCES)),
    check("cancellation_case_jurisdiction_check", oneOf(t.jurisdiction, JURISDICTIONS)),
    check("cancellation_case_language_check", oneOf(t.language, LANGUAGES)),
    check("cancellation_case_fee_check", sql`${t.feeTotalCents} >= 0`),
    check("cancellation_case_token_check", sha256Hex(t.accessTokenHash)),
    check(
      "cancellation_case_end_after_receipt_check",
      sql`${t.effectiveEndDate} >= (${t.receivedAt} at time zone 'UTC')::date - 1`,
    ),
    check(
      "cancellation_case_withdrawn_check",
      sql`(${t.status} = 'withdrawn') = (${t.withdrawnAt} is not null)`,
    ),
  ],
);

/**
 * The contracts a case terminates. `open` stays true while the case can still end the contract
 * (received/confirmed); the partial unique index makes a second open case for one contract
 * impossible, whatever the application does.
 */
export const caseContracts = pgTable(
  "case_contract",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    open: boolean("open").notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.contractId] }),
    uniqueIndex("case_contract_one_open_case_key")
      .on(t.contractId)
      .where(sql`${t.open}`),
  ],
);

export const caseLines = pgTable(
  "case_line",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    lineId: uuid("line_id")
      .notNull()
      .references(() => lines.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.lineId] }), index("case_line_line_idx").on(t.lineId)],
);

/** A notice that could not be matched: received, acknowledged, and left to operations. */
export const unmatchedNotices = pgTable(
  "unmatched_notice",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    reference: text("reference").notNull(),
    receivedAt: instant("received_at").notNull(),
    /** What the subscriber typed (names, reference, lines, wished end date). */
    submitted: jsonb("submitted").notNull(),
    email: text("email").notNull(),
    language: text("language").$type<(typeof LANGUAGES)[number]>().notNull(),
    status: text("status").$type<(typeof NOTICE_STATUSES)[number]>().notNull().default("pending"),
    matchedCaseId: uuid("matched_case_id").references(() => cancellationCases.id),
    rejectionReason: text("rejection_reason"),
    resolvedAt: instant("resolved_at"),
    resolvedBy: uuid("resolved_by").references(() => staffUsers.id),
    idempotencyKey: text("idempotency_key").notNull(),
    /** When the data-retention job removed what was typed (names, email) from this notice. */
    pseudonymisedAt: instant("pseudonymised_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("unmatched_notice_reference_key").on(t.reference),
    uniqueIndex("unmatched_notice_idempotency_key").on(t.idempotencyKey),
    index("unmatched_notice_status_idx").on(t.status, t.receivedAt),
    check("unmatched_notice_status_check", oneOf(t.status, NOTICE_STATUSES)),
    check("unmatched_notice_language_check", oneOf(t.language, LANGUAGES)),
    check(
      "unmatched_notice_resolution_check",
      sql`(${t.status} = 'pending' and ${t.resolvedAt} is null)
        or (${t.status} = 'matched' and ${t.matchedCaseId} is not null and ${t.resolvedAt} is not null)
        or (${t.status} = 'rejected' and ${t.rejectionReason} is not null and ${t.resolvedAt} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Audit trail: append-only (trigger in migration 0001), one hash chain per stream
// ---------------------------------------------------------------------------------------------

export const auditEvents = pgTable(
  "audit_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The hash chain the event belongs to: `case:<uuid>`, `notice:<uuid>`, `staff:<uuid>` or `system`. */
    stream: text("stream").notNull(),
    caseId: uuid("case_id").references(() => cancellationCases.id),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    actorType: text("actor_type").$type<(typeof ACTOR_TYPES)[number]>().notNull(),
    actorId: text("actor_id"),
    /** References and codes only, never free-text personal data. */
    data: jsonb("data").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    occurredAt: instant("occurred_at").notNull(),
    prevHash: char("prev_hash", { length: 64 }).notNull(),
    hash: char("hash", { length: 64 }).notNull(),
  },
  (t) => [
    uniqueIndex("audit_event_stream_seq_key").on(t.stream, t.seq),
    index("audit_event_case_idx").on(t.caseId, t.seq),
    index("audit_event_occurred_idx").on(t.occurredAt, t.id),
    index("audit_event_type_idx").on(t.type, t.occurredAt),
    // The staff access log: who viewed or exported what, newest first.
    index("audit_event_actor_idx").on(t.actorType, t.actorId, t.occurredAt),
    check("audit_event_actor_check", oneOf(t.actorType, ACTOR_TYPES)),
    check("audit_event_seq_check", sql`${t.seq} >= 1`),
    check("audit_event_hash_check", sql`${sha256Hex(t.hash)} and ${sha256Hex(t.prevHash)}`),
  ],
);

export const documents = pgTable(
  "document",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").references(() => cancellationCases.id),
    noticeId: uuid("notice_id").references(() => unmatchedNotices.id),
    kind: text("kind").$type<(typeof DOCUMENT_KINDS)[number]>().notNull(),
    contentType: text("content_type").notNull(),
    fileName: text("file_name").notNull(),
    bytes: bytea("bytes").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: char("sha256", { length: 64 }).notNull(),
    language: text("language").$type<(typeof LANGUAGES)[number]>(),
    /**
     * When the data-retention job erased the bytes (they hold personal data); the SHA-256 and
     * the size stay, so the audit trail still proves what the document was.
     */
    purgedAt: instant("purged_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("document_case_idx").on(t.caseId, t.kind),
    // One termination letter per case (rendered by a job or on first download, whichever is first).
    uniqueIndex("document_one_letter_key")
      .on(t.caseId, t.kind)
      .where(sql`${t.kind} = 'termination_letter'`),
    // One return label per case, likewise.
    uniqueIndex("document_one_label_key")
      .on(t.caseId, t.kind)
      .where(sql`${t.kind} = 'return_label'`),
    check("document_kind_check", oneOf(t.kind, DOCUMENT_KINDS)),
    check("document_sha256_check", sha256Hex(t.sha256)),
    check(
      "document_size_check",
      sql`${t.sizeBytes} = octet_length(${t.bytes}) or (${t.purgedAt} is not null and octet_length(${t.bytes}) = 0)`,
    ),
  ],
);

/** Every email the portal sends: what operations look at when an address keeps failing. */
export const emailMessages = pgTable(
  "email_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").references(() => cancellationCases.id),
    noticeId: uuid("notice_id").references(() => unmatchedNotices.id),
    kind: text("kind").$type<(typeof EMAIL_KINDS)[number]>().notNull(),
    toAddress: text("to_address").notNull(),
    language: text("language").$type<(typeof LANGUAGES)[number]>().notNull(),
    status: text("status").$type<(typeof EMAIL_STATUSES)[number]>().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    smtpMessageId: text("smtp_message_id"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    /**
     * Tells apart emails of one kind that a case gets several times (a receipt per reception,
     * a reminder 7 days and 1 day before the deadline, a notice per refund issued); '' otherwise.
     */
    dedupeKey: text("dedupe_key").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    // One email per case, kind and key: the job that sends it can run again safely.
    uniqueIndex("email_message_case_kind_key").on(t.caseId, t.kind, t.dedupeKey),
    uniqueIndex("email_message_notice_kind_key").on(t.noticeId, t.kind),
    index("email_message_failed_idx").on(t.status, t.createdAt),
    check("email_message_kind_check", oneOf(t.kind, EMAIL_KINDS)),
    check("email_message_status_check", oneOf(t.status, EMAIL_STATUSES)),
  ],
);

// ---------------------------------------------------------------------------------------------
// Equipment returns and refunds
// ---------------------------------------------------------------------------------------------

export const equipmentReturns = pgTable(
  "equipment_return",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    returnNumber: text("return_number").notNull(),
    method: text("method").$type<(typeof RETURN_METHODS)[number]>(),
    /** Courier pick-up slot chosen by the subscriber. */
    pickupDate: legalDate("pickup_date"),
    pickupSlot: text("pickup_slot"),
    deadline: legalDate("deadline").notNull(),
    status: text("status")
      .$type<(typeof RETURN_STATUSES)[number]>()
      .notNull()
      .default("awaiting_shipment"),
    labelDocumentId: uuid("label_document_id").references(() => documents.id),
    receivedAt: instant("received_at"),
    /** When the deadline passed with items missing and they were charged (once). */
    chargedAt: instant("charged_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("equipment_return_case_key").on(t.caseId),
    uniqueIndex("equipment_return_number_key").on(t.returnNumber),
    index("equipment_return_status_deadline_idx").on(t.status, t.deadline),
    check(
      "equipment_return_method_check",
      sql`${t.method} is null or ${oneOf(t.method, RETURN_METHODS)}`,
    ),
    check("equipment_return_status_check", oneOf(t.status, RETURN_STATUSES)),
  ],
);

export const returnItems = pgTable(
  "return_item",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    returnId: uuid("return_id")
      .notNull()
      .references(() => equipmentReturns.id),
    equipmentId: uuid("equipment_id")
      .notNull()
      .references(() => equipment.id),
    condition: text("condition").$type<(typeof ITEM_CONDITIONS)[number]>(),
    receivedAt: instant("received_at"),
    photoDocumentId: uuid("photo_document_id").references(() => documents.id),
    /** Items received together share one reception (one itemised receipt email). */
    receptionId: uuid("reception_id"),
    /** The non-return charge shown to the subscriber before notifying: never more is charged. */
    nonReturnChargeCents: integer("non_return_charge_cents").notNull().default(0),
    chargeCents: integer("charge_cents").notNull().default(0),
    currency: currency(),
  },
  (t) => [
    uniqueIndex("return_item_equipment_key").on(t.returnId, t.equipmentId),
    index("return_item_reception_idx").on(t.receptionId),
    check(
      "return_item_condition_check",
      sql`${t.condition} is null or ${oneOf(t.condition, ITEM_CONDITIONS)}`,
    ),
    check(
      "return_item_charge_check",
      sql`${t.chargeCents} >= 0 and ${t.chargeCents} <= ${t.nonReturnChargeCents}`,
    ),
    check(
      "return_item_received_check",
      sql`(${t.receivedAt} is null) = (${t.condition} is null or ${t.condition} = 'missing')`,
    ),
  ],
);

export const carrierEvents = pgTable(
  "carrier_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    returnId: uuid("return_id")
      .notNull()
      .references(() => equipmentReturns.id),
    kind: text("kind").$type<(typeof CARRIER_EVENT_KINDS)[number]>().notNull(),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    occurredAt: instant("occurred_at").notNull(),
    source: text("source").$type<"api" | "manual">().notNull(),
    /** The carrier's own event id: the same event posted twice is refused (a replay). */
    externalId: text("external_id"),
    location: text("location"),
    createdAt: createdAt(),
  },
  (t) => [
    index("carrier_event_return_idx").on(t.returnId, t.occurredAt),
    uniqueIndex("carrier_event_external_key").on(t.externalId),
    check("carrier_event_kind_check", oneOf(t.kind, CARRIER_EVENT_KINDS)),
    check("carrier_event_source_check", oneOf(t.source, ["api", "manual"])),
  ],
);

export const refunds = pgTable(
  "refund",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    kind: text("kind").$type<(typeof REFUND_KINDS)[number]>().notNull(),
    amountCents: integer("amount_cents").notNull(),
    /** Non-return charges offset against this refund (deposits only). */
    offsetCents: integer("offset_cents").notNull().default(0),
    currency: currency(),
    /** Unknown until its trigger happens (equipment back, last invoice paid). */
    legalDueDate: legalDate("legal_due_date"),
    /** The day the legal clock started (equipment back or charged, last invoice paid). */
    clockStartedOn: legalDate("clock_started_on"),
    status: text("status").$type<(typeof REFUND_STATUSES)[number]>().notNull().default("scheduled"),
    paymentReference: text("payment_reference"),
    issuedAt: instant("issued_at"),
    withheldReason: text("withheld_reason"),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("refund_case_kind_key").on(t.caseId, t.kind),
    index("refund_status_due_idx").on(t.status, t.legalDueDate),
    check("refund_kind_check", oneOf(t.kind, REFUND_KINDS)),
    check("refund_status_check", oneOf(t.status, REFUND_STATUSES)),
    check(
      "refund_amount_check",
      sql`${t.amountCents} >= 0 and ${t.offsetCents} between 0 and ${t.amountCents}`,
    ),
    check(
      "refund_issued_check",
      sql`(${t.status} <> 'issued') or (${t.paymentReference} is not null and ${t.issuedAt} is not null)`,
    ),
    check(
      "refund_withheld_check",
      sql`(${t.status} <> 'withheld') or (${t.withheldReason} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Exit survey and win-back
// ---------------------------------------------------------------------------------------------

export const surveyResponses = pgTable(
  "survey_response",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    reason: text("reason").$type<(typeof EXIT_REASONS)[number]>().notNull(),
    details: text("details"),
    competitor: text("competitor"),
    wouldComeBack: smallint("would_come_back"),
    contactConsent: boolean("contact_consent").notNull().default(false),
    contactChannel: text("contact_channel").$type<(typeof CONTACT_CHANNELS)[number]>(),
    contactWindow: text("contact_window").$type<(typeof CONTACT_WINDOWS)[number]>(),
    consentWithdrawnAt: instant("consent_withdrawn_at"),
    /** When the data-retention job erased the free text (details, competitor) of this answer. */
    pseudonymisedAt: instant("pseudonymised_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("survey_response_case_key").on(t.caseId),
    index("survey_response_created_idx").on(t.createdAt),
    check("survey_response_reason_check", oneOf(t.reason, EXIT_REASONS)),
    check(
      "survey_response_score_check",
      sql`${t.wouldComeBack} is null or ${t.wouldComeBack} between 0 and 10`,
    ),
    check(
      "survey_response_consent_check",
      sql`not ${t.contactConsent} or (${t.contactChannel} is not null and ${t.contactWindow} is not null)`,
    ),
    check(
      "survey_response_channel_check",
      sql`${t.contactChannel} is null or ${oneOf(t.contactChannel, CONTACT_CHANNELS)}`,
    ),
    check(
      "survey_response_window_check",
      sql`${t.contactWindow} is null or ${oneOf(t.contactWindow, CONTACT_WINDOWS)}`,
    ),
  ],
);

export const offers = pgTable(
  "offer",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("offer_code_key").on(t.operatorId, t.code)],
);

/**
 * Where a survey answer with consent goes, per exit reason: a queue (or none) and how soon the
 * first contact is due. Admin edits it; a reason without a row follows DEFAULT_ROUTING.
 */
export const winbackRoutes = pgTable(
  "winback_route",
  {
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    reason: text("reason").$type<(typeof EXIT_REASONS)[number]>().notNull(),
    queue: text("queue").$type<(typeof WINBACK_QUEUES)[number]>(),
    slaHours: integer("sla_hours").notNull(),
    updatedBy: uuid("updated_by").references(() => staffUsers.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.reason] }),
    check("winback_route_reason_check", oneOf(t.reason, EXIT_REASONS)),
    check(
      "winback_route_queue_check",
      sql`${t.queue} is null or ${oneOf(t.queue, WINBACK_QUEUES)}`,
    ),
    check("winback_route_sla_check", sql`${t.slaHours} between 1 and 720`),
  ],
);

export const winbackItems = pgTable(
  "winback_item",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cancellationCases.id),
    surveyResponseId: uuid("survey_response_id")
      .notNull()
      .references(() => surveyResponses.id),
    /** The case's subscriber, so that a suppression closes every open item at once. */
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => subscribers.id),
    queue: text("queue").$type<(typeof WINBACK_QUEUES)[number]>().notNull(),
    priority: integer("priority").notNull(),
    status: text("status").$type<(typeof WINBACK_STATUSES)[number]>().notNull().default("new"),
    claimedBy: uuid("claimed_by").references(() => staffUsers.id),
    claimedAt: instant("claimed_at"),
    slaDueAt: instant("sla_due_at").notNull(),
    offerId: uuid("offer_id").references(() => offers.id),
    firstContactAt: instant("first_contact_at"),
    closedAt: instant("closed_at"),
    /** Why a closed item closed: an outcome, the attempt limit, its age, or a suppression. */
    closeReason: text("close_reason").$type<(typeof WINBACK_CLOSE_REASONS)[number]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("winback_item_survey_key").on(t.surveyResponseId),
    index("winback_item_queue_idx").on(t.queue, t.status, t.priority),
    index("winback_item_subscriber_idx").on(t.subscriberId),
    index("winback_item_open_idx")
      .on(t.slaDueAt)
      .where(sql`${t.status} in ('new', 'claimed', 'contacted')`),
    check(
      "winback_item_close_check",
      sql`(${t.status} in ('new', 'claimed', 'contacted')) = (${t.closedAt} is null) and (${t.closedAt} is null) = (${t.closeReason} is null)`,
    ),
    check(
      "winback_item_close_reason_check",
      sql`${t.closeReason} is null or ${oneOf(t.closeReason, WINBACK_CLOSE_REASONS)}`,
    ),
    check("winback_item_queue_check", oneOf(t.queue, WINBACK_QUEUES)),
    check("winback_item_status_check", oneOf(t.status, WINBACK_STATUSES)),
    check("winback_item_claim_check", sql`(${t.claimedBy} is null) = (${t.claimedAt} is null)`),
  ],
);

export const contactAttempts = pgTable(
  "contact_attempt",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    winbackItemId: uuid("winback_item_id")
      .notNull()
      .references(() => winbackItems.id),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id),
    channel: text("channel").$type<(typeof CONTACT_CHANNELS)[number]>().notNull(),
    outcome: text("outcome").$type<(typeof CONTACT_OUTCOMES)[number]>().notNull(),
    note: text("note"),
    offerId: uuid("offer_id").references(() => offers.id),
    attemptedAt: instant("attempted_at").notNull().defaultNow(),
  },
  (t) => [
    index("contact_attempt_item_idx").on(t.winbackItemId),
    check("contact_attempt_channel_check", oneOf(t.channel, CONTACT_CHANNELS)),
    check("contact_attempt_outcome_check", oneOf(t.outcome, CONTACT_OUTCOMES)),
  ],
);

// ---------------------------------------------------------------------------------------------
// Staff access and integrations
// ---------------------------------------------------------------------------------------------

export const staffSessions = pgTable(
  "staff_session",
  {
    /** SHA-256 of the session cookie's token. */
    tokenHash: char("token_hash", { length: 64 }).primaryKey(),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    secondFactorDone: boolean("second_factor_done").notNull().default(false),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("staff_session_user_idx").on(t.staffUserId),
    index("staff_session_expires_idx").on(t.expiresAt),
  ],
);

export const staffPasswordResets = pgTable(
  "staff_password_reset",
  {
    tokenHash: char("token_hash", { length: 64 }).primaryKey(),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("staff_password_reset_user_idx").on(t.staffUserId)],
);

export const apiKeys = pgTable(
  "api_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists to tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: char("key_hash", { length: 64 }).notNull(),
    scopes: text("scopes").array().$type<(typeof API_SCOPES)[number][]>().notNull(),
    createdBy: uuid("created_by").references(() => staffUsers.id),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_key_prefix_key").on(t.prefix),
    uniqueIndex("api_key_hash_key").on(t.keyHash),
    check(
      "api_key_scopes_check",
      sql`${t.scopes} <@ array[${sql.raw(API_SCOPES.map((s) => `'${s}'`).join(", "))}]::text[]`,
    ),
  ],
);

export const webhookEndpoints = pgTable(
  "webhook_endpoint",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: text("event_types")
      .array()
      .$type<(typeof WEBHOOK_EVENT_TYPES)[number][]>()
      .notNull(),
    secret: text("secret").notNull(),
    /** The secret before the last rotation, still signed with until it expires. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: instant("previous_secret_expires_at"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: instant("disabled_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("webhook_endpoint_url_check", sql`${t.url} ~ '^https?://'`),
    check(
      "webhook_endpoint_events_check",
      sql`${t.eventTypes} <@ array[${sql.raw(WEBHOOK_EVENT_TYPES.map((s) => `'${s}'`).join(", "))}]::text[]`,
    ),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_delivery",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: uuid("event_id").notNull(),
    /** A subscribed type, or `webhook.test` for the admin's test event (no check constraint). */
    eventType: text("event_type")
      .$type<(typeof WEBHOOK_EVENT_TYPES)[number] | "webhook.test">()
      .notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status")
      .$type<(typeof WEBHOOK_DELIVERY_STATUSES)[number]>()
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastDurationMs: integer("last_duration_ms"),
    lastAttemptAt: instant("last_attempt_at"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_delivery_event_key").on(t.endpointId, t.eventId),
    index("webhook_delivery_status_idx").on(t.status, t.createdAt),
    check("webhook_delivery_status_check", oneOf(t.status, WEBHOOK_DELIVERY_STATUSES)),
  ],
);

/** One attempt to deliver a webhook: the delivery log (response code, time, error). */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempt",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer("attempt").notNull(),
    /** `manual` when an admin asked for a redelivery. */
    trigger: text("trigger").$type<"automatic" | "manual">().notNull().default("automatic"),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    /** The first characters of the receiver's answer, to help debugging. */
    responseExcerpt: text("response_excerpt"),
    attemptedAt: instant("attempted_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_delivery_attempt_key").on(t.deliveryId, t.attempt),
    check("webhook_delivery_attempt_trigger_check", sql`${t.trigger} in ('automatic', 'manual')`),
    check("webhook_delivery_attempt_duration_check", sql`${t.durationMs} >= 0`),
  ],
);

/**
 * A POST of the integration API answered once per (key, Idempotency-Key): a retry with the same
 * key and the same body gets the stored answer; the same key with another body gets 422.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_key",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** SHA-256 of the request body. */
    requestHash: char("request_hash", { length: 64 }).notNull(),
    statusCode: integer("status_code").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.key] }),
    index("api_idempotency_key_created_idx").on(t.createdAt),
  ],
);

/** A bulk import of subscribers, contracts, lines and equipment (CSV, from the CLI or admin). */
export const importRuns = pgTable(
  "import_run",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id),
    source: text("source").$type<"cli" | "upload">().notNull(),
    fileName: text("file_name").notNull(),
    status: text("status").$type<"running" | "complete" | "failed">().notNull().default("running"),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsCreated: integer("rows_created").notNull().default(0),
    rowsUpdated: integer("rows_updated").notNull().default(0),
    rowsUnchanged: integer("rows_unchanged").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** The rejected rows (line number, field, message), the first 1,000. */
    errors: jsonb("errors")
      .$type<{ line: number; field: string | null; message: string }[]>()
      .notNull()
      .default([]),
    startedBy: uuid("started_by").references(() => staffUsers.id),
    startedAt: instant("started_at").notNull().defaultNow(),
    finishedAt: instant("finished_at"),
  },
  (t) => [
    index("import_run_started_idx").on(t.startedAt),
    check("import_run_source_check", sql`${t.source} in ('cli', 'upload')`),
    check("import_run_status_check", sql`${t.status} in ('running', 'complete', 'failed')`),
  ],
);

/** Counters of rate-limiter-flexible (RateLimiterDrizzle): identification, sign-in, API. */
export const rateLimits = pgTable("rate_limit", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: instant("expire"),
});

// ---------------------------------------------------------------------------------------------
// Compliance: signed checkpoints over every hash chain, and the exports of the audit trail
// (docs/decisions/009).
// ---------------------------------------------------------------------------------------------

/** Every Ed25519 key that ever signed a checkpoint or a manifest, published at /.well-known. */
export const auditSigningKeys = pgTable("audit_signing_key", {
  keyId: text("key_id").primaryKey(),
  publicKeyPem: text("public_key_pem").notNull(),
  firstUsedAt: instant("first_used_at").notNull().defaultNow(),
});

/** A signed statement of every chain's head at one moment: the root of a Merkle tree over them. */
export const auditCheckpoints = pgTable(
  "audit_checkpoint",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    takenAt: instant("taken_at").notNull(),
    streams: integer("streams").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
    root: char("root", { length: 64 }).notNull(),
    /** The previous checkpoint's root (64 zeros for the first): checkpoints form a chain too. */
    previousRoot: char("previous_root", { length: 64 }).notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => auditSigningKeys.keyId),
    /** The exact string signed (canonical JSON), kept so that anyone can check the signature. */
    payload: text("payload").notNull(),
    /** Base64 Ed25519 signature over the UTF-8 bytes of `payload`. */
    signature: text("signature").notNull(),
  },
  (t) => [
    index("audit_checkpoint_taken_idx").on(t.takenAt),
    check(
      "audit_checkpoint_root_check",
      sql`${sha256Hex(t.root)} and ${sha256Hex(t.previousRoot)}`,
    ),
    check("audit_checkpoint_counts_check", sql`${t.streams} >= 0 and ${t.events} >= 0`),
  ],
);

/**
 * The chain heads of a checkpoint, stored incrementally: only the streams whose head changed
 * since the previous checkpoint. The head set of checkpoint N is, per stream, the row with the
 * greatest checkpoint id ≤ N.
 */
export const auditCheckpointHeads = pgTable(
  "audit_checkpoint_head",
  {
    checkpointId: bigint("checkpoint_id", { mode: "number" })
      .notNull()
      .references(() => auditCheckpoints.id),
    stream: text("stream").notNull(),
    seq: integer("seq").notNull(),
    hash: char("hash", { length: 64 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.checkpointId, t.stream] }),
    index("audit_checkpoint_head_stream_idx").on(t.stream, t.checkpointId),
    check("audit_checkpoint_head_seq_check", sql`${t.seq} >= 1`),
    check("audit_checkpoint_head_hash_check", sha256Hex(t.hash)),
  ],
);

/** One export of the audit trail (UI or CLI): its filters, and once written, its manifest. */
export const auditExports = pgTable(
  "audit_export",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Who exported (null: the command line). */
    staffUserId: uuid("staff_user_id").references(() => staffUsers.id),
    format: text("format").$type<(typeof AUDIT_EXPORT_FORMATS)[number]>().notNull(),
    gzip: boolean("gzip").notNull().default(false),
    filters: jsonb("filters").notNull(),
    status: text("status")
      .$type<(typeof AUDIT_EXPORT_STATUSES)[number]>()
      .notNull()
      .default("running"),
    rows: bigint("rows", { mode: "number" }),
    bytes: bigint("bytes", { mode: "number" }),
    sha256: char("sha256", { length: 64 }),
    checkpointId: bigint("checkpoint_id", { mode: "number" }).references(() => auditCheckpoints.id),
    /** The signed manifest (docs/decisions/009), once the file is complete. */
    manifest: jsonb("manifest"),
    createdAt: createdAt(),
    completedAt: instant("completed_at"),
  },
  (t) => [
    index("audit_export_created_idx").on(t.createdAt),
    check("audit_export_format_check", oneOf(t.format, AUDIT_EXPORT_FORMATS)),
    check("audit_export_status_check", oneOf(t.status, AUDIT_EXPORT_STATUSES)),
    check(
      "audit_export_complete_check",
      sql`(${t.status} = 'complete') = (${t.completedAt} is not null and ${t.sha256} is not null and ${t.manifest} is not null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Retention analytics: rollups rebuilt every 5 minutes by the `analytics.refresh` job
// (app/services/analytics/refresh-analytics.server.ts). The dashboard reads only these, so it
// stays fast with millions of answers. Weeks start on Monday in Europe/Paris.
// ---------------------------------------------------------------------------------------------

/**
 * Survey answers per week of answering and per dimension of the dashboard. Answers of withdrawn
 * cases are left out (those subscribers stayed).
 */
export const surveyWeeklyRollup = pgTable(
  "survey_weekly_rollup",
  {
    week: legalDate("week").notNull(),
    reason: text("reason").$type<(typeof EXIT_REASONS)[number]>().notNull(),
    /** The category of the case's first contract (earliest start date). */
    category: text("category").$type<(typeof CONTRACT_CATEGORIES)[number]>().notNull(),
    /** Whole years from the first contract's start to the receipt, capped at 3 (36+ months). */
    tenureBand: smallint("tenure_band").notNull(),
    /** The subscriber's region; null when unknown. */
    region: text("region"),
    answers: integer("answers").notNull(),
  },
  (t) => [
    index("survey_weekly_rollup_week_idx").on(t.week),
    check("survey_weekly_rollup_tenure_check", sql`${t.tenureBand} between 0 and 3`),
  ],
);

/**
 * Cancellation cases (withdrawn ones left out) per week of receipt and product category, with
 * how many of them have a survey answer and how many of those agreed to be contacted: the share
 * answered and the consent rate are about the cases of a week, so they never exceed 100 %.
 */
export const caseWeeklyRollup = pgTable(
  "case_weekly_rollup",
  {
    week: legalDate("week").notNull(),
    category: text("category").$type<(typeof CONTRACT_CATEGORIES)[number]>().notNull(),
    cases: integer("cases").notNull(),
    answered: integer("answered").notNull(),
    withConsent: integer("with_consent").notNull(),
  },
  (t) => [primaryKey({ columns: [t.week, t.category] })],
);

/** Win-back items per week of creation, queue, offer made (null: none) and status. */
export const winbackWeeklyRollup = pgTable(
  "winback_weekly_rollup",
  {
    week: legalDate("week").notNull(),
    queue: text("queue").$type<(typeof WINBACK_QUEUES)[number]>().notNull(),
    offerId: uuid("offer_id"),
    status: text("status").$type<(typeof WINBACK_STATUSES)[number]>().notNull(),
    items: integer("items").notNull(),
  },
  (t) => [index("winback_weekly_rollup_week_idx").on(t.week)],
);

/**
 * Time to first contact of win-back items per week of creation and queue: a histogram by whole
 * minutes (exact medians) with the items contacted within their SLA. Items not contacted yet
 * have a null `first_contact_minutes` and `within_sla`.
 */
export const winbackContactRollup = pgTable(
  "winback_contact_rollup",
  {
    week: legalDate("week").notNull(),
    queue: text("queue").$type<(typeof WINBACK_QUEUES)[number]>().notNull(),
    firstContactMinutes: integer("first_contact_minutes"),
    withinSla: boolean("within_sla"),
    items: integer("items").notNull(),
  },
  (t) => [
    index("winback_contact_rollup_week_idx").on(t.week, t.queue),
    check(
      "winback_contact_rollup_contact_check",
      sql`(${t.firstContactMinutes} is null) = (${t.withinSla} is null)`,
    ),
  ],
);

/** When the rollups were last rebuilt: one row. */
export const analyticsRefresh = pgTable(
  "analytics_refresh",
  {
    id: smallint("id").primaryKey().default(1),
    refreshedAt: instant("refreshed_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [check("analytics_refresh_single_row_check", sql`${t.id} = 1`)],
);

// ---------------------------------------------------------------------------------------------
// Row types
// ---------------------------------------------------------------------------------------------

export type Operator = InferSelectModel<typeof operators>;
export type Subscriber = InferSelectModel<typeof subscribers>;
export type NewSubscriber = InferInsertModel<typeof subscribers>;
export type Contract = InferSelectModel<typeof contracts>;
export type NewContract = InferInsertModel<typeof contracts>;
export type Line = InferSelectModel<typeof lines>;
export type Equipment = InferSelectModel<typeof equipment>;
export type CancellationCase = InferSelectModel<typeof cancellationCases>;
export type NewCancellationCase = InferInsertModel<typeof cancellationCases>;
export type UnmatchedNotice = InferSelectModel<typeof unmatchedNotices>;
export type AuditEventRow = InferSelectModel<typeof auditEvents>;
export type DocumentRow = InferSelectModel<typeof documents>;
export type EmailMessage = InferSelectModel<typeof emailMessages>;
export type EquipmentReturn = InferSelectModel<typeof equipmentReturns>;
export type ReturnItem = InferSelectModel<typeof returnItems>;
export type Refund = InferSelectModel<typeof refunds>;
export type SurveyResponse = InferSelectModel<typeof surveyResponses>;
export type WinbackItem = InferSelectModel<typeof winbackItems>;
export type WinbackRoute = InferSelectModel<typeof winbackRoutes>;
export type ContactAttempt = InferSelectModel<typeof contactAttempts>;
export type Offer = InferSelectModel<typeof offers>;
export type StaffUser = InferSelectModel<typeof staffUsers>;
export type StaffSession = InferSelectModel<typeof staffSessions>;
export type ApiKey = InferSelectModel<typeof apiKeys>;
export type WebhookEndpoint = InferSelectModel<typeof webhookEndpoints>;
export type WebhookDelivery = InferSelectModel<typeof webhookDeliveries>;
export type WebhookDeliveryAttempt = InferSelectModel<typeof webhookDeliveryAttempts>;
export type ImportRun = InferSelectModel<typeof importRuns>;
export type AuditCheckpoint = InferSelectModel<typeof auditCheckpoints>;
export type AuditCheckpointHead = InferSelectModel<typeof auditCheckpointHeads>;
export type AuditExport = InferSelectModel<typeof auditExports>;
