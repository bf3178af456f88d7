import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { STAFF_TIME_ZONE, StaffHeading, StatusTabs } from "~/components/staff-frame";
import { NOTICE_STATUSES } from "~/domain/enums";
import { formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import type { NoticeSubmitted } from "~/domain/notice-rejection";
import { listNotices } from "~/services/staff/unmatched-notices.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.notices.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.notices);
  const param = new URL(args.request.url).searchParams.get("statut");
  const status = NOTICE_STATUSES.find((value) => value === param) ?? "pending";
  const rows = await listNotices(args.context.db, status);
  return {
    status,
    now: new Date().toISOString(),
    rows: rows.map((row) => ({ ...row, submitted: row.submitted as NoticeSubmitted })),
  };
}

function ageInDays(from: string | Date, now: string): number {
  return Math.floor((new Date(now).getTime() - new Date(from).getTime()) / 86_400_000);
}

export default function StaffNotices() {
  const { t, lang } = useI18n();
  const { status, rows, now } = useLoaderData<typeof loader>();
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.notices.title")} lead={t("staff.notices.lead")} />
      <StatusTabs
        label={t("staff.notices.tabsLabel")}
        path="/staff/avis"
        values={NOTICE_STATUSES}
        current={status}
        labelOf={(value) => t(`staff.noticeStatus.${value}`)}
      />
      {rows.length === 0 ? (
        <div className="notice notice--success">
          <p>{t(status === "pending" ? "staff.notices.emptyPending" : "staff.notices.empty")}</p>
        </div>
      ) : (
        <div className="table-wrapper">
          <table className="table">
            <caption className="visually-hidden">{t(`staff.noticeStatus.${status}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.notices.colReference")}</th>
                <th scope="col">{t("staff.notices.colReceived")}</th>
                <th scope="col">{t("staff.notices.colTyped")}</th>
                <th scope="col">{t("staff.notices.colAge")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const age = ageInDays(row.receivedAt, now);
                return (
                  <tr key={row.id}>
                    <td>
                      <Link to={`/staff/avis/${row.id}`} className="mono">
                        {row.reference}
                      </Link>
                    </td>
                    <td>{formatDateTime(row.receivedAt, lang, STAFF_TIME_ZONE)}</td>
                    <td>
                      {row.submitted.firstName} {row.submitted.lastName}
                      <br />
                      <span className="mono muted">{row.submitted.reference}</span>
                    </td>
                    <td>
                      <span className={`badge badge--${age >= 2 ? "danger" : "info"}`}>
                        {t("staff.notices.age", { days: age })}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
