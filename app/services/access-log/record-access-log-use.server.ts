import type { Queryable } from "../../../db/client";
import type { Actor, AuditEventData, RequestMeta } from "../../audit/events";
import { recordEvent, streamForStaff } from "../../audit/record-event.server";

export type AccessLogFilters = AuditEventData<"access_log.viewed">["filters"];

/**
 * Reading the access log is itself a reading: each view (every page of it) and each CSV
 * download is an audit event in the reader's own chain, with the filters used.
 */
export async function recordAccessLogUse(
  db: Queryable,
  input: {
    kind: "viewed" | "exported";
    staffId: string;
    actor: Actor;
    filters: AccessLogFilters;
    meta: RequestMeta;
  },
): Promise<void> {
  await recordEvent(db, {
    stream: streamForStaff(input.staffId),
    type: input.kind === "viewed" ? "access_log.viewed" : "access_log.exported",
    actor: input.actor,
    meta: input.meta,
    data: { filters: input.filters },
  });
}
