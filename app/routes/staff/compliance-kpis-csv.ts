import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { KPI_TIME_ZONE, kpiFromSlug, parseKpiPeriod } from "~/domain/compliance-kpis";
import { dateInZone } from "~/domain/dates";
import { resolveLang } from "~/i18n/lang.server";
import { kpiCsv } from "~/services/compliance-kpis/kpi-csv.server";
import { recordKpiExport } from "~/services/compliance-kpis/record-kpi-export.server";

/**
 * One KPI's table as CSV (`/staff/conformite/indicateurs/retraits/csv?du=…&au=…`),
 * in the language the back office is shown in. The download is audited (`kpi.exported`).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { staff, actor } = await requireStaff(args, STAFF_ACCESS.complianceKpisCsv);
  const searchParams = new URL(args.request.url).searchParams;
  const kpi = kpiFromSlug(args.params.kpi);
  if (kpi === null) throw data({ reason: "not_found" }, { status: 404 });
  const today = dateInZone(new Date(), KPI_TIME_ZONE);
  const parsed = parseKpiPeriod(searchParams, today);
  if (!parsed.ok) throw data({ reason: "bad_request" }, { status: 400 });
  const { db, requestMeta } = args.context;
  const { fileName, body } = await kpiCsv(db, {
    kpi,
    period: parsed.period,
    today,
    lang: resolveLang(args.request).lang,
  });
  await recordKpiExport(db, {
    kpi,
    period: parsed.period,
    staffId: staff.id,
    actor,
    meta: requestMeta,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
