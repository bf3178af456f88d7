import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { analyticsPeriod, chartFromSlug, parsePeriodWeeks } from "~/domain/analytics";
import { resolveLang } from "~/i18n/lang.server";
import { chartCsv } from "~/services/analytics/chart-csv.server";

/**
 * One dashboard chart's figures as CSV (`/staff/analyse/motifs/csv?semaines=26`), in the
 * language the back office is shown in (the same cookie as the page that links here).
 */
export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.analyticsCsv);
  const chart = chartFromSlug(args.params.chart);
  if (chart === null) throw data({ reason: "not_found" }, { status: 404 });
  const period = analyticsPeriod(
    parsePeriodWeeks(new URL(args.request.url).searchParams),
    new Date(),
  );
  const { fileName, body } = await chartCsv(args.context.db, {
    chart,
    period,
    lang: resolveLang(args.request).lang,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
