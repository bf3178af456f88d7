import { z } from "zod";
import { ACCESS_LOG_PARAMS as P, isAccessLogType, type AccessLogType } from "~/domain/access-log";
import { isValidIsoDate, type IsoDate } from "~/domain/dates";
import { isUuid } from "~/domain/ids";
import type { MessageKey } from "~/i18n/i18n";

// The staff access log's filters (a GET form; the CSV link carries the same parameters), shared
// by the page and its CSV download. Messages are translation keys; every field name is also its
// input's id, so an error links to its field.

const optionalDate = (message: MessageKey) =>
  z
    .string()
    .trim()
    .refine((value) => value === "" || isValidIsoDate(value), message)
    .transform((value) => (value === "" ? null : (value as IsoDate)));

export const AccessLogFilterSchema = z
  .object({
    [P.staff]: z
      .string()
      .trim()
      .refine((value) => value === "" || isUuid(value), "staff.accessLog.error.staff")
      .transform((value) => (value === "" ? null : value.toLowerCase())),
    [P.reference]: z
      .string()
      .trim()
      .max(40, "staff.accessLog.error.reference")
      .transform((value) => (value === "" ? null : value)),
    [P.type]: z
      .string()
      .refine((value) => value === "" || isAccessLogType(value), "staff.accessLog.error.type")
      .transform((value) => (value === "" ? null : (value as AccessLogType))),
    [P.from]: optionalDate("staff.accessLog.error.date"),
    [P.to]: optionalDate("staff.accessLog.error.date"),
  })
  .refine(
    (value) => {
      const from = value[P.from];
      const to = value[P.to];
      return from === null || to === null || from <= to;
    },
    { path: [P.from], message: "staff.accessLog.error.order" },
  );

export type AccessLogForm = z.infer<typeof AccessLogFilterSchema>;

/** What was typed, to show it again (every field, empty when absent). */
export function typedAccessLogFilters(searchParams: URLSearchParams): Record<string, string> {
  return Object.fromEntries(
    [P.staff, P.reference, P.type, P.from, P.to].map((name) => [
      name,
      (searchParams.get(name) ?? "").slice(0, 60),
    ]),
  );
}
