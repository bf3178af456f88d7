// The closed vocabularies of the domain, shared by the schema (check constraints), the state
// machines and the forms. Adding a value here needs a migration (`npm run db:generate`).

export const JURISDICTIONS = ["FR", "DE", "PT"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const LANGUAGES = ["fr", "en", "de", "pt"] as const;
export type Language = (typeof LANGUAGES)[number];

export const CONTRACT_CATEGORIES = ["internet", "mobile", "tv", "bundle"] as const;
export const CONTRACT_STATUSES = ["active", "cancellation_pending", "terminated"] as const;

export const EQUIPMENT_KINDS = [
  "box",
  "tv_decoder",
  "sim",
  "remote",
  "powerline",
  "phone",
  "other",
] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

export const CASE_STATUSES = ["received", "confirmed", "effective", "closed", "withdrawn"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const TERMINATION_TYPES = [
  "ordinary",
  "legitimate_reason",
  "extraordinary",
  "withdrawal",
] as const;
export const CASE_SOURCES = ["journey", "notice_match", "staff", "api"] as const;

export const NOTICE_STATUSES = ["pending", "matched", "rejected"] as const;

export const ACTOR_TYPES = ["subscriber", "staff", "system", "integration"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const DOCUMENT_KINDS = [
  "termination_letter",
  "withdrawal_letter",
  "return_label",
  "return_receipt",
  "evidence_pack",
  "proof",
  "item_photo",
] as const;

export const RETURN_METHODS = ["relay_point", "post_office", "shop", "courier_pickup"] as const;
export const RETURN_STATUSES = [
  "awaiting_shipment",
  "in_transit",
  "received",
  "inspected",
  "overdue",
  "charged",
  "cancelled",
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export const ITEM_CONDITIONS = ["ok", "damaged", "missing"] as const;
export const CARRIER_EVENT_KINDS = ["handed_in", "in_transit", "delivered"] as const;

export const REFUND_KINDS = ["deposit", "advance_payment", "credit_balance"] as const;
export const REFUND_STATUSES = [
  "scheduled",
  "due",
  "issued",
  "failed",
  "withheld",
  "cancelled",
] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type RefundKind = (typeof REFUND_KINDS)[number];
export type ReturnMethod = (typeof RETURN_METHODS)[number];
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];
export type CarrierEventKind = (typeof CARRIER_EVENT_KINDS)[number];
export const PICKUP_SLOTS = ["morning", "afternoon"] as const;

export const EXIT_REASONS = [
  "price",
  "competitor",
  "outages",
  "speed",
  "moving",
  "customer_service",
  "no_longer_needed",
  "other",
] as const;
export const CONTACT_CHANNELS = ["phone", "email", "sms"] as const;
export const CONTACT_WINDOWS = ["morning", "afternoon", "evening", "any"] as const;

export const WINBACK_QUEUES = ["offers", "service_recovery", "new_address", "apology"] as const;
export const WINBACK_STATUSES = [
  "new",
  "claimed",
  "contacted",
  "won_back",
  "declined",
  "no_answer",
  "do_not_contact",
  "expired",
] as const;
/**
 * Why a win-back item closed: its outcome, the attempt limit, its age, a suppression, or the
 * subscriber withdrew the cancellation (they stayed: nobody calls to win them back).
 */
export const WINBACK_CLOSE_REASONS = [
  "outcome",
  "attempt_limit",
  "expired",
  "suppressed",
  "case_withdrawn",
] as const;
export const OPEN_WINBACK_STATUSES = ["new", "claimed", "contacted"] as const;
export type WinbackStatus = (typeof WINBACK_STATUSES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ContactWindow = (typeof CONTACT_WINDOWS)[number];
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
export const CONTACT_OUTCOMES = [
  "reached",
  "no_answer",
  "voicemail",
  "sent",
  "won_back",
  "declined",
  "do_not_contact",
] as const;

export const STAFF_ROLES = ["agent", "operations", "compliance", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const API_SCOPES = [
  "contracts:write",
  "cases:read",
  "returns:write",
  "refunds:write",
] as const;

export const AUDIT_EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];
export const AUDIT_EXPORT_STATUSES = ["running", "complete", "failed"] as const;

export const WEBHOOK_EVENT_TYPES = [
  "case.notified",
  "case.withdrawn",
  "case.effective",
  "return.item_received",
  "refund.issued",
  "survey.answered",
  "winback.outcome",
] as const;
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed", "abandoned"] as const;

export const EMAIL_KINDS = [
  "acknowledgment",
  "withdrawal_confirmation",
  "contract_ends_today",
  "notice_received",
  "notice_rejected",
  "return_receipt",
  "return_reminder",
  "return_charged",
  "refund_issued",
  "password_reset",
  "winback",
] as const;
export const EMAIL_STATUSES = ["queued", "sent", "failed"] as const;
