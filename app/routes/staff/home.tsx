import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS, canView } from "~/auth/staff-access";
import { refundAlarmText } from "~/components/refund-urgency";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { dateInZone } from "~/domain/dates";
import { localeFor, translate, type Lang } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadUrgentComplianceFigures } from "~/services/compliance-kpis/load-compliance-kpis.server";
import { countRefundAlarms } from "~/services/staff/list-refunds.server";
import { countReturnsToReceive } from "~/services/staff/list-returns.server";
import { countPendingNotices } from "~/services/staff/unmatched-notices.server";
import {
  countMyOpenWinback,
  countOpenWinback,
  countUnclaimedWinback,
} from "~/services/winback/load-workspace.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.home.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.home);
  const { db } = args.context;
  const pendingNotices = canView(staff.role, "notices") ? await countPendingNotices(db) : null;
  // The reception desk's and the payers' workload, for those who do that work.
  const operating = staff.role === "operations" || staff.role === "admin";
  const [returnsToReceive, refundAlarms] = operating
    ? await Promise.all([
        countReturnsToReceive(db),
        countRefundAlarms(db, dateInZone(new Date(), STAFF_TIME_ZONE)),
      ])
    : [null, null];
  // The retention team's numbers: items to claim, the agent's own, first contacts past SLA.
  const winback = canView(staff.role, "winbackQueue")
    ? await Promise.all([
        countUnclaimedWinback(db),
        staff.role === "agent" ? countMyOpenWinback(db, staff.id) : null,
        countOpenWinback(db, new Date()),
      ]).then(([unclaimed, mine, perQueue]) => ({
        unclaimed,
        mine,
        overdue: perQueue.reduce((sum, row) => sum + row.overdue, 0),
      }))
    : null;
  // Compliance's two most urgent legal-deadline figures (the KPI page has the rest).
  const urgent = canView(staff.role, "complianceKpis")
    ? await loadUrgentComplianceFigures(db, dateInZone(new Date(), STAFF_TIME_ZONE))
    : null;
  return {
    staff: { displayName: staff.displayName, role: staff.role },
    urgent,
    pendingNotices,
    returnsToReceive,
    refundAlarms,
    winback,
  };
}

/** "one" or "other" in the reader's language (French says "0 abonné", English "0 subscribers"). */
function plural(lang: Lang, count: number): "one" | "other" {
  return new Intl.PluralRules(localeFor(lang)).select(count) === "one" ? "one" : "other";
}

export default function StaffHome() {
  const { t, lang } = useI18n();
  const { staff, urgent, pendingNotices, returnsToReceive, refundAlarms, winback } =
    useLoaderData<typeof loader>();
  return (
    <div className="stack stack--large">
      <StaffHeading
        title={t("staff.home.title", { name: staff.displayName })}
        lead={t(`staff.home.lead.${staff.role}`)}
      />
      <div className="card-grid">
        <section className="card stack stack--small" aria-labelledby="home-cases">
          <h2 id="home-cases">{t("staff.nav.cases")}</h2>
          <p>{t("staff.home.casesText")}</p>
          <form method="get" action="/staff/dossiers" role="search" className="search-inline">
            <label htmlFor="home-q" className="visually-hidden">
              {t("staff.cases.searchLabel")}
            </label>
            <input id="home-q" name="q" type="search" className="input" spellCheck={false} />
            <button type="submit" className="button button--primary">
              {t("staff.cases.search")}
            </button>
          </form>
        </section>
        {pendingNotices !== null ? (
          <section className="card stack stack--small" aria-labelledby="home-notices">
            <h2 id="home-notices">{t("staff.nav.notices")}</h2>
            <p>{t("staff.home.noticesText", { count: pendingNotices })}</p>
            <p>
              <Link to="/staff/avis">{t("staff.home.noticesLink")}</Link>
            </p>
          </section>
        ) : null}
        {returnsToReceive !== null ? (
          <section className="card stack stack--small" aria-labelledby="home-returns">
            <h2 id="home-returns">{t("staff.nav.returns")}</h2>
            <p>
              {t(
                returnsToReceive === 1
                  ? "staff.home.returnsText.one"
                  : "staff.home.returnsText.other",
                { count: returnsToReceive },
              )}
            </p>
            <p>
              <Link to="/staff/retours">{t("staff.home.returnsLink")}</Link>
            </p>
          </section>
        ) : null}
        {refundAlarms !== null ? (
          <section className="card stack stack--small" aria-labelledby="home-refunds">
            <h2 id="home-refunds">{t("staff.nav.refunds")}</h2>
            <p className={refundAlarms.overdue > 0 ? "alarm" : undefined}>
              {refundAlarmText(t, refundAlarms)}
            </p>
            <p>
              <Link to="/staff/remboursements">{t("staff.home.refundsLink")}</Link>
            </p>
          </section>
        ) : null}
        {winback !== null ? (
          <section className="card stack stack--small" aria-labelledby="home-winback">
            <h2 id="home-winback">{t("staff.nav.winback")}</h2>
            <ul className="list">
              <li>
                {t(`staff.home.winbackUnclaimed.${plural(lang, winback.unclaimed)}`, {
                  count: winback.unclaimed,
                })}
              </li>
              {winback.mine !== null ? (
                <li>
                  {t(`staff.home.winbackMine.${plural(lang, winback.mine)}`, {
                    count: winback.mine,
                  })}
                </li>
              ) : null}
              <li className={winback.overdue > 0 ? "alarm" : undefined}>
                {t(`staff.home.winbackOverdue.${plural(lang, winback.overdue)}`, {
                  count: winback.overdue,
                })}
              </li>
            </ul>
            <p>
              <Link to="/staff/reconquete">{t("staff.home.winbackLink")}</Link>
            </p>
          </section>
        ) : null}
        {canView(staff.role, "compliance") ? (
          <section className="card stack stack--small" aria-labelledby="home-compliance">
            <h2 id="home-compliance">{t("staff.nav.compliance")}</h2>
            <p>{t("staff.home.complianceText")}</p>
            {urgent !== null ? (
              <ul className="list">
                <li className={urgent.refundsOverdue.refunds > 0 ? "alarm" : undefined}>
                  {t(
                    `staff.kpis.home.refundsOverdue.${plural(lang, urgent.refundsOverdue.refunds)}`,
                    { count: urgent.refundsOverdue.refunds },
                  )}
                </li>
                <li>
                  {t(
                    `staff.kpis.home.noticesPending.${plural(lang, urgent.noticesPending.notices)}`,
                    { count: urgent.noticesPending.notices },
                  )}
                </li>
              </ul>
            ) : null}
            <p>
              <Link to="/staff/conformite">{t("staff.home.complianceLink")}</Link>
            </p>
            {urgent !== null ? (
              <ul className="list">
                <li>
                  <Link to="/staff/conformite/indicateurs">{t("staff.kpis.home.kpisLink")}</Link>
                </li>
                <li>
                  <Link to="/staff/conformite/acces">{t("staff.kpis.home.accessLink")}</Link>
                </li>
              </ul>
            ) : null}
          </section>
        ) : null}
        {canView(staff.role, "staffList") ? (
          <section className="card stack stack--small" aria-labelledby="home-staff">
            <h2 id="home-staff">{t("staff.nav.staff")}</h2>
            <p>{t("staff.home.staffText")}</p>
            <p>
              <Link to="/staff/comptes">{t("staff.home.staffLink")}</Link>
            </p>
          </section>
        ) : null}
      </div>
    </div>
  );
}
