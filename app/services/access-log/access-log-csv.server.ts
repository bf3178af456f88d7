import type { Queryable } from "../../../db/client";
import { canonicalJson } from "../../audit/canonical";
import { createTranslate, type Lang } from "../../i18n/i18n";
import { CSV_BOM, toCsv } from "../analytics/csv";
import { accessDetailText, accessTypeLabel } from "./describe-access";
import {
  eachAccessLogRow,
  type AccessLogFilter,
  type AccessLogRow,
} from "./search-access-log.server";

// The staff access log as CSV: the page's rows for the same filters, all of them, newest first,
// streamed a thousand at a time (keyset), so memory stays flat whatever the log's length.
// Instants in ISO 8601 UTC; codes next to their labels; the event's data as canonical JSON.

function header(lang: Lang): string[] {
  const t = createTranslate(lang);
  return [
    t("staff.accessLog.csv.eventId"),
    t("staff.accessLog.csv.occurredAt"),
    t("staff.accessLog.csv.staffId"),
    t("staff.accessLog.colWho"),
    t("staff.accessLog.csv.role"),
    t("staff.accessLog.csv.type"),
    t("staff.accessLog.colWhat"),
    t("staff.accessLog.csv.detail"),
    t("staff.accessLog.csv.case"),
    t("staff.accessLog.csv.notice"),
    t("staff.accessLog.colIp"),
    t("staff.accessLog.csv.userAgent"),
    t("staff.accessLog.csv.data"),
  ];
}

function line(lang: Lang, row: AccessLogRow): string {
  const t = createTranslate(lang);
  return toCsv(
    [],
    [
      [
        row.id,
        row.occurredAt.toISOString(),
        row.staffId,
        row.staffName,
        row.staffRole,
        row.type,
        accessTypeLabel(t, row.type),
        accessDetailText(t, row.type, row.data),
        row.caseReference,
        row.noticeReference,
        row.ip,
        row.userAgent,
        canonicalJson(row.data),
      ],
    ],
  ).replace(/^\r\n/, "");
}

export function accessLogCsvStream(
  db: Queryable,
  input: { filter: AccessLogFilter; lang: Lang },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = eachAccessLogRow(db, input.filter);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + toCsv(header(input.lang), [])));
        return;
      }
      // Up to 200 rows per chunk: few, large writes.
      let chunk = "";
      for (let count = 0; count < 200; count += 1) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += line(input.lang, next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
