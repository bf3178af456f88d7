import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { UrgencyFlag, refundAlarmText } from "~/components/refund-urgency";
import {
  RefundStatusBadge,
  STAFF_TIME_ZONE,
  StaffHeading,
  StatusTabs,
} from "~/components/staff-frame";
import { dateInZone, daysBetween } from "~/domain/dates";
import { refundUrgency } from "~/domain/returns";
import { formatDate, formatMoney, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import {
  countRefundAlarms,
  listRefunds,
  REFUNDS_PAGE_SIZE,
  type RefundTab,
} from "~/services/staff/list-refunds.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.refunds.metaTitle", { operator: operatorName }) }];
};

const TABS = [
  "to_pay",
  "scheduled",
  "withheld",
  "paid",
  "all",
] as const satisfies readonly RefundTab[];

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.refunds);
  const { db } = args.context;
  const param = new URL(args.request.url).searchParams.get("statut");
  const tab = TABS.find((value) => value === param) ?? "to_pay";
  const today = dateInZone(new Date(), STAFF_TIME_ZONE);
  const [rows, alarms] = await Promise.all([listRefunds(db, tab), countRefundAlarms(db, today)]);
  return {
    tab,
    alarms,
    full: rows.length === REFUNDS_PAGE_SIZE,
    rows: rows.map((row) => ({
      ...row,
      urgency: refundUrgency(row, today),
      daysLeft: row.legalDueDate ? daysBetween(today, row.legalDueDate) : null,
    })),
  };
}

export default function StaffRefunds() {
  const { t, lang } = useI18n();
  const { tab, rows, alarms, full } = useLoaderData<typeof loader>();
  const tone = alarms.overdue > 0 ? "danger" : alarms.soon > 0 ? "warning" : "success";
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.refunds.title")} lead={t("staff.refunds.lead")} />
      <div className={`notice notice--${tone}`} role="status">
        <p>
          <strong>{refundAlarmText(t, alarms)}</strong>
        </p>
      </div>
      <StatusTabs
        label={t("staff.refunds.tabsLabel")}
        path="/staff/remboursements"
        values={TABS}
        current={tab}
        labelOf={(value) => t(`staff.refunds.tab.${value}`)}
      />
      {rows.length === 0 ? (
        <div className="notice notice--success">
          <p>{t(`staff.refunds.empty.${tab}`)}</p>
        </div>
      ) : (
        <>
          <div className="table-wrapper">
            <table className="table">
              <caption className="visually-hidden">{t(`staff.refunds.tab.${tab}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.refunds.colCase")}</th>
                  <th scope="col">{t("staff.refunds.colSubscriber")}</th>
                  <th scope="col">{t("staff.refunds.colKind")}</th>
                  <th scope="col" className="numeric">
                    {t("staff.refunds.colAmount")}
                  </th>
                  <th scope="col">{t("staff.refunds.colDue")}</th>
                  <th scope="col">{t("staff.refunds.colUrgency")}</th>
                  <th scope="col">{t("staff.refunds.colStatus")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("staff.refunds.colAction")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <Link to={`/staff/dossiers/${row.caseId}`} className="mono">
                        {row.caseReference}
                      </Link>
                    </td>
                    <td>
                      {row.firstName} {row.lastName}
                    </td>
                    <td>{t(`refund.${row.kind}`)}</td>
                    <td className="numeric">
                      {formatMoney(row.amountCents - row.offsetCents, row.currency, lang)}
                      {row.offsetCents > 0 ? (
                        <span className="muted amount-detail">
                          {t("staff.refunds.amountDetail", {
                            deposit: formatMoney(row.amountCents, row.currency, lang),
                            charges: formatMoney(row.offsetCents, row.currency, lang),
                          })}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      {row.legalDueDate ? (
                        <span className="nowrap">
                          {formatDate(row.legalDueDate, lang, { dateStyle: "medium" })}
                        </span>
                      ) : (
                        <span className="muted">{t("staff.refunds.noDueDate")}</span>
                      )}
                    </td>
                    <td>
                      {row.status === "issued" && row.issuedAt ? (
                        <span className="muted nowrap">
                          {t("staff.refunds.paidOn", {
                            date: formatDate(row.issuedAt, lang, {
                              dateStyle: "medium",
                              timeZone: STAFF_TIME_ZONE,
                            }),
                          })}
                        </span>
                      ) : (
                        <UrgencyFlag urgency={row.urgency} daysLeft={row.daysLeft} />
                      )}
                    </td>
                    <td>
                      <RefundStatusBadge status={row.status} />
                    </td>
                    <td>
                      <Link to={`/staff/remboursements/${row.id}`}>
                        {t(
                          row.status === "issued" || row.status === "cancelled"
                            ? "staff.refunds.view"
                            : "staff.refunds.handle",
                        )}
                        <span className="visually-hidden">
                          {" "}
                          — {t(`refund.${row.kind}`)} {row.caseReference}
                        </span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {full ? (
            <p className="muted">{t("staff.refunds.firstOnly", { count: rows.length })}</p>
          ) : null}
        </>
      )}
    </div>
  );
}
