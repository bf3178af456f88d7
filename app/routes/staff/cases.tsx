import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS, canView } from "~/auth/staff-access";
import { CaseStatusBadge, STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import {
  KPI_CASE_SETS,
  KPI_PARAM,
  KPI_TIME_ZONE,
  PERIOD_FROM_PARAM,
  PERIOD_TO_PARAM,
  TIMELESS_CASE_SETS,
  caseSetFromSlug,
  parseKpiPeriod,
  periodQuery,
} from "~/domain/compliance-kpis";
import { dateInZone } from "~/domain/dates";
import { CASE_STATUSES, type CaseStatus } from "~/domain/enums";
import { formatDate, formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { countCaseSet } from "~/services/compliance-kpis/case-sets.server";
import { searchCases } from "~/services/staff/search-cases.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.cases.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.cases);
  const url = new URL(args.request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const statusParam = url.searchParams.get("status");
  const status = (CASE_STATUSES as readonly string[]).includes(statusParam ?? "")
    ? (statusParam as CaseStatus)
    : null;
  const cursor = url.searchParams.get("after");
  // The cases behind a figure of the compliance KPIs (`?indicateur=…&du=…&au=…`).
  const set = caseSetFromSlug(url.searchParams.get(KPI_PARAM));
  const today = dateInZone(new Date(), KPI_TIME_ZONE);
  const period = set === null ? null : parseKpiPeriod(url.searchParams, today);
  const caseSet = set !== null && period?.ok ? { set, period: period.period, today } : null;
  const [result, setCount] = await Promise.all([
    searchCases(args.context.db, { q, status, cursor, caseSet }),
    caseSet ? countCaseSet(args.context.db, caseSet) : null,
  ]);
  return {
    q,
    status,
    paged: cursor !== null,
    kpi: caseSet
      ? {
          set: caseSet.set,
          period: caseSet.period,
          timeless: TIMELESS_CASE_SETS.includes(caseSet.set),
          cases: setCount ?? 0,
          canOpenKpis: canView(staff.role, "complianceKpis"),
        }
      : null,
    badKpiLink: set === null ? url.searchParams.has(KPI_PARAM) : !period?.ok,
    ...result,
  };
}

export default function StaffCases() {
  const { t, lang } = useI18n();
  const { q, status, rows, nextCursor, paged, kpi, badKpiLink } = useLoaderData<typeof loader>();
  const searching = useNavigation().state === "loading";
  const nextParams = new URLSearchParams();
  if (q) nextParams.set("q", q);
  if (status) nextParams.set("status", status);
  if (kpi) {
    nextParams.set(KPI_PARAM, KPI_CASE_SETS[kpi.set]);
    if (!kpi.timeless) {
      nextParams.set(PERIOD_FROM_PARAM, kpi.period.from);
      nextParams.set(PERIOD_TO_PARAM, kpi.period.to);
    }
  }
  const firstPage = `/staff/dossiers?${nextParams.toString()}`;
  if (nextCursor) nextParams.set("after", nextCursor);
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.cases.title")} lead={t("staff.cases.lead")} />
      {kpi ? (
        <div className="notice" role="status" data-case-set={kpi.set}>
          <p>
            {t(`staff.kpis.set.${kpi.set}`)}
            {kpi.timeless
              ? null
              : ` ${t("staff.kpis.casesFilter.period", {
                  from: formatDate(kpi.period.from, lang),
                  to: formatDate(kpi.period.to, lang),
                })}`}
          </p>
          <p>
            {t(
              kpi.cases === 1
                ? "staff.kpis.casesFilter.count.one"
                : "staff.kpis.casesFilter.count.other",
              { count: kpi.cases },
            )}{" "}
            <Link to="/staff/dossiers">{t("staff.kpis.casesFilter.clear")}</Link>
            {kpi.canOpenKpis ? (
              <>
                {" · "}
                <Link
                  to={`/staff/conformite/indicateurs${kpi.timeless ? "" : `?${periodQuery(kpi.period)}`}`}
                >
                  {t("staff.kpis.casesFilter.back")}
                </Link>
              </>
            ) : null}
          </p>
        </div>
      ) : badKpiLink ? (
        <div className="notice notice--warning" role="status">
          <p>{t("staff.kpis.casesFilter.invalid")}</p>
        </div>
      ) : null}
      <Form method="get" role="search" className="filters">
        {kpi ? (
          <>
            <input type="hidden" name={KPI_PARAM} value={KPI_CASE_SETS[kpi.set]} />
            {kpi.timeless ? null : (
              <>
                <input type="hidden" name={PERIOD_FROM_PARAM} value={kpi.period.from} />
                <input type="hidden" name={PERIOD_TO_PARAM} value={kpi.period.to} />
              </>
            )}
          </>
        ) : null}
        <div className="field">
          <label className="field__label" htmlFor="q">
            {t("staff.cases.searchLabel")}
          </label>
          <p className="field__hint" id="q-hint">
            {t("staff.cases.searchHint")}
          </p>
          <input
            className="input"
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            aria-describedby="q-hint"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="status">
            {t("staff.cases.statusLabel")}
          </label>
          <select className="select" id="status" name="status" defaultValue={status ?? ""}>
            <option value="">{t("staff.cases.anyStatus")}</option>
            {CASE_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`staff.caseStatus.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__submit">
          <button type="submit" className="button button--primary">
            {t("staff.cases.search")}
          </button>
        </div>
      </Form>
      <div aria-live="polite" aria-busy={searching}>
        {rows.length === 0 ? (
          <div className="notice">
            <p>{q || status || kpi ? t("staff.cases.noMatch") : t("staff.cases.empty")}</p>
          </div>
        ) : (
          <div className="table-wrapper">
            <table className="table">
              <caption className="visually-hidden">{t("staff.cases.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.cases.colReference")}</th>
                  <th scope="col">{t("staff.cases.colSubscriber")}</th>
                  <th scope="col">{t("staff.cases.colContracts")}</th>
                  <th scope="col">{t("staff.cases.colReceived")}</th>
                  <th scope="col">{t("staff.cases.colEnd")}</th>
                  <th scope="col">{t("staff.cases.colStatus")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <Link to={`/staff/dossiers/${row.id}`} className="mono">
                        {row.reference}
                      </Link>
                    </td>
                    <td>
                      {row.firstName} {row.lastName}
                      <br />
                      <span className="muted mono">{row.customerNumber}</span>
                    </td>
                    <td className="mono">{row.contractNumbers.join(", ")}</td>
                    <td>{formatDateTime(row.receivedAt, lang, STAFF_TIME_ZONE)}</td>
                    <td>{formatDate(row.effectiveEndDate, lang)}</td>
                    <td>
                      <CaseStatusBadge status={row.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {paged || nextCursor ? (
        <nav className="pagination" aria-label={t("staff.pagination.label")}>
          {paged ? <Link to={firstPage}>{t("staff.pagination.first")}</Link> : null}
          {nextCursor ? (
            <Link to={`/staff/dossiers?${nextParams.toString()}`} rel="next">
              {t("staff.pagination.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
