import type { Db } from "../../../db/client";
import { ACCESS_LOG_PARAMS as P } from "~/domain/access-log";
import { addDays, instantInZone, type IsoDate } from "~/domain/dates";
import type { MessageKey } from "~/i18n/i18n";
import type { AccessLogFilters } from "~/services/access-log/record-access-log-use.server";
import {
  resolveAccessTarget,
  type AccessLogFilter,
} from "~/services/access-log/search-access-log.server";
import { STAFF_TIME_ZONE } from "~/components/staff-frame";
import { AccessLogFilterSchema, typedAccessLogFilters } from "./access-log-schema";

/** Midnight starting a day in the back office's zone. */
function midnight(date: IsoDate): Date {
  return instantInZone(`${date}T00:00`, STAFF_TIME_ZONE)!;
}

export type AccessLogQuery =
  | {
      ok: true;
      typed: Record<string, string>;
      filter: AccessLogFilter;
      /** As recorded in the audit event of the reading (codes and references only). */
      recorded: AccessLogFilters;
    }
  | { ok: false; typed: Record<string, string>; errors: Partial<Record<string, MessageKey>> };

/**
 * The filters of a request to the access log (page or CSV): parsed by the form's schema, the
 * reference looked up (a case or a notice), days turned into instants in the staff's zone.
 */
export async function readAccessLogQuery(db: Db, url: URL): Promise<AccessLogQuery> {
  const typed = typedAccessLogFilters(url.searchParams);
  const parsed = AccessLogFilterSchema.safeParse(typed);
  if (!parsed.success) {
    const errors: Partial<Record<string, MessageKey>> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      errors[field] ??= issue.message as MessageKey;
    }
    return { ok: false, typed, errors };
  }
  const form = parsed.data;
  const reference = form[P.reference];
  const target = reference === null ? null : await resolveAccessTarget(db, reference);
  if (reference !== null && target === null)
    return {
      ok: false,
      typed,
      errors: { [P.reference]: "staff.accessLog.error.unknownReference" },
    };
  const from = form[P.from];
  const to = form[P.to];
  const staffId = form[P.staff];
  const type = form[P.type];
  return {
    ok: true,
    typed,
    filter: {
      staffId,
      target,
      type,
      start: from === null ? null : midnight(from),
      end: to === null ? null : midnight(addDays(to, 1)),
    },
    recorded: {
      ...(staffId ? { staffId } : {}),
      ...(target ? { reference: target.reference } : {}),
      ...(type ? { type } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    },
  };
}
