import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { dateInZone } from "~/domain/dates";
import { STAFF_TIME_ZONE } from "~/components/staff-frame";
import { resolveLang } from "~/i18n/lang.server";
import { accessLogCsvStream } from "~/services/access-log/access-log-csv.server";
import { recordAccessLogUse } from "~/services/access-log/record-access-log-use.server";
import { readAccessLogQuery } from "./access-log-query.server";

/**
 * The staff access log for the page's filters as CSV (`/staff/conformite/acces/csv?…`), streamed.
 * The download is itself audited (`access_log.exported`) before the first byte.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { staff, actor } = await requireStaff(args, STAFF_ACCESS.accessLogCsv);
  const { db, requestMeta } = args.context;
  const query = await readAccessLogQuery(db, new URL(args.request.url));
  if (!query.ok) throw data({ reason: "bad_request" }, { status: 400 });
  await recordAccessLogUse(db, {
    kind: "exported",
    staffId: staff.id,
    actor,
    filters: query.recorded,
    meta: requestMeta,
  });
  const today = dateInZone(new Date(), STAFF_TIME_ZONE);
  const { lang } = resolveLang(args.request);
  return new Response(accessLogCsvStream(db, { filter: query.filter, lang }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${lang === "fr" ? "journal-des-acces" : "staff-access-log"}_${today}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
