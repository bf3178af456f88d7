import { z } from "zod";
import { AuditEventSchema } from "~/audit/events";
import { instantInZone, isValidIsoDate } from "~/domain/dates";
import { ACTOR_TYPES, AUDIT_EXPORT_FORMATS, type ActorType } from "~/domain/enums";
import type { StaffMessageKey } from "~/i18n/messages/staff.fr";

// What an export of the audit trail selects (docs/decisions/009, "Export format"), parsed by one
// schema for the page, its download route and `npm run audit:export`. Browser-safe: the page
// shows the schema's messages, which are translation keys.

/** Dates typed without a time are days in the operator's zone. */
export const EXPORT_TIME_ZONE = "Europe/Paris";

/** Every audit event type, in the catalogue's order. */
export const AUDIT_EVENT_TYPES = AuditEventSchema.options.map((option) => option.shape.type.value);

const REFERENCE = /^[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

const message = (key: StaffMessageKey) => key;

/** A day (`2026-11-01`, midnight in Europe/Paris) or an ISO instant with its offset. */
function boundary(key: StaffMessageKey) {
  return z
    .string()
    .trim()
    .max(40, message(key))
    .transform((value, context): Date | undefined => {
      if (value === "") return undefined;
      let instant: Date | null = null;
      if (isValidIsoDate(value)) instant = instantInZone(`${value}T00:00`, EXPORT_TIME_ZONE);
      else if (ISO_INSTANT.test(value) && isValidIsoDate(value.slice(0, 10))) {
        const parsed = new Date(value);
        instant = Number.isNaN(parsed.getTime()) ? null : parsed;
      }
      if (instant === null) {
        context.addIssue({ code: "custom", message: message(key) });
        return z.NEVER;
      }
      return instant;
    });
}

/** A case by its reference (`RX-7K2M-9QFD`, typed loosely) or its id. */
const CaseSchema = z
  .string()
  .trim()
  .max(60, message("staff.auditExport.error.case"))
  .transform((value, context): CaseSelector | undefined => {
    if (value === "") return undefined;
    if (UUID.test(value)) return { caseId: value.toLowerCase() };
    const compact = value.toUpperCase().replace(/[^0-9A-Z]/g, "");
    const reference =
      compact.length === 10
        ? `${compact.slice(0, 2)}-${compact.slice(2, 6)}-${compact.slice(6)}`
        : value.toUpperCase();
    if (!REFERENCE.test(reference)) {
      context.addIssue({ code: "custom", message: message("staff.auditExport.error.case") });
      return z.NEVER;
    }
    return { reference };
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => value ?? "");

export type CaseSelector = { caseId: string } | { reference: string };

export const AuditExportRequestSchema = z
  .object({
    from: optionalText.pipe(boundary("staff.auditExport.error.from")),
    to: optionalText.pipe(boundary("staff.auditExport.error.to")),
    format: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value === "" ? "csv" : value))
      .pipe(z.enum(AUDIT_EXPORT_FORMATS, { error: message("staff.auditExport.error.format") })),
    gzip: z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined || value === "" || value === "0" || value === "false") return false;
        if (value === "1" || value === "on" || value === "true") return true;
        context.addIssue({ code: "custom", message: message("staff.auditExport.error.gzip") });
        return z.NEVER;
      }),
    case: optionalText.pipe(CaseSchema),
    type: z
      .array(z.enum(AUDIT_EVENT_TYPES, { error: message("staff.auditExport.error.type") }))
      .max(AUDIT_EVENT_TYPES.length, message("staff.auditExport.error.type"))
      .optional()
      .transform((types) => [...new Set(types ?? [])].sort()),
    actorType: z
      .string()
      .optional()
      .transform((value) => (value === "" ? undefined : value))
      .pipe(
        z.enum(ACTOR_TYPES, { error: message("staff.auditExport.error.actorType") }).optional(),
      ),
    actorId: optionalText.pipe(
      z
        .string()
        .trim()
        .max(120, message("staff.auditExport.error.actorId"))
        .regex(/^[\w:.@-]*$/, message("staff.auditExport.error.actorId")),
    ),
  })
  .superRefine((value, context) => {
    if (value.from && value.to && value.from.getTime() >= value.to.getTime())
      context.addIssue({
        code: "custom",
        path: ["to"],
        message: message("staff.auditExport.error.range"),
      });
  })
  .transform((value): AuditExportRequest => ({
    format: value.format,
    gzip: value.gzip,
    filters: {
      from: value.from ?? null,
      to: value.to ?? null,
      case: value.case ?? null,
      types: value.type,
      actorType: value.actorType ?? null,
      actorId: value.actorId === "" ? null : value.actorId,
    },
  }));

export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** The filters as typed, parsed; the case is resolved to an id by the exporter. */
export interface AuditExportFilterInput {
  from: Date | null;
  to: Date | null;
  case: CaseSelector | null;
  types: string[];
  actorType: ActorType | null;
  actorId: string | null;
}

export interface AuditExportRequest {
  format: AuditExportFormat;
  gzip: boolean;
  filters: AuditExportFilterInput;
}

/** The names of the form fields and query parameters (the CLI's flags are the same). */
export const EXPORT_FIELDS = ["from", "to", "format", "gzip", "case", "actorType", "actorId"];

/** The schema's input from a query string (`type` may repeat). */
export function exportRequestInput(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of EXPORT_FIELDS) {
    const value = params.get(name);
    if (value !== null) input[name] = value;
  }
  const types = params.getAll("type").filter((type) => type !== "");
  if (types.length > 0) input.type = types;
  return input;
}

/** Whether the query string carries any export parameter (the page's form was submitted). */
export function hasExportParams(params: URLSearchParams): boolean {
  return [...EXPORT_FIELDS, "type"].some((name) => params.has(name));
}

/**
 * The filters as the manifest and the `audit.exported` event record them: codes and ids only.
 * Instants are ISO strings (UTC, milliseconds).
 */
export interface AuditExportFilters {
  from: string | null;
  to: string | null;
  caseId: string | null;
  caseReference: string | null;
  types: string[];
  actorType: ActorType | null;
  actorId: string | null;
}

/** Whether the filters pick rows inside chains (dates, types, actor) rather than whole chains. */
export function selectsWithinChains(filters: AuditExportFilters): boolean {
  return (
    filters.from !== null ||
    filters.to !== null ||
    filters.types.length > 0 ||
    filters.actorType !== null ||
    filters.actorId !== null
  );
}
