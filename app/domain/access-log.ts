// The staff access log (issue #8): who among the staff viewed or exported what. It lists the
// audit events whose actor is a staff member and whose type is a reading or an export. Pure and
// browser-safe.

/**
 * The audit event types that are readings or exports by staff. Some are written by other parts
 * of the compliance work (exports, evidence packs, subject access, verification): listed by
 * name so that they appear here as soon as they are recorded.
 */
export const ACCESS_LOG_TYPES = [
  // A case opened, or one of its documents downloaded (`view`: "detail", "document:<kind>" …).
  "case.viewed",
  // An unmatched notice opened.
  "notice.viewed",
  // An export of the audit trail (CSV / JSON Lines).
  "audit.exported",
  // A case's evidence pack (ZIP) downloaded.
  "evidence.downloaded",
  // Everything held on one subscriber, exported (GDPR subject access).
  "subject_access.exported",
  // The audit trail's chains and checkpoints verified.
  "audit.verified",
  // A legal-deadline KPI downloaded as CSV.
  "kpi.exported",
  // This log, viewed or downloaded.
  "access_log.viewed",
  "access_log.exported",
] as const;
export type AccessLogType = (typeof ACCESS_LOG_TYPES)[number];

export function isAccessLogType(value: string): value is AccessLogType {
  return (ACCESS_LOG_TYPES as readonly string[]).includes(value);
}

/** The filters' query parameters (a GET form; the CSV link carries the same). */
export const ACCESS_LOG_PARAMS = {
  staff: "membre",
  reference: "reference",
  type: "type",
  from: "du",
  to: "au",
  cursor: "apres",
} as const;

export const ACCESS_LOG_PAGE_SIZE = 50;
