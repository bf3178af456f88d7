import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { CaseStatusBadge, STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { CASE_STATUSES, type CaseStatus } from "~/domain/enums";
import { formatDate, formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { searchCases } from "~/services/staff/search-cases.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.cases.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.cases);
  const url = new URL(args.request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const statusParam = url.searchParams.get("status");
  const status = (CASE_STATUSES as readonly string[]).includes(statusParam ?? "")
    ? (statusParam as CaseStatus)
    : null;
  const cursor = url.searchParams.get("after");
  const result = await searchCases(args.context.db, { q, status, cursor });
  return { q, status, paged: cursor !== null, ...result };
}

export default function StaffCases() {
  const { t, lang } = useI18n();
  const { q, status, rows, nextCursor, paged } = useLoaderData<typeof loader>();
  const searching = useNavigation().state === "loading";
  const nextParams = new URLSearchParams();
  if (q) nextParams.set("q", q);
  if (status) nextParams.set("status", status);
  const firstPage = `/staff/dossiers?${nextParams.toString()}`;
  if (nextCursor) nextParams.set("after", nextCursor);
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.cases.title")} lead={t("staff.cases.lead")} />
      <Form method="get" role="search" className="filters">
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
            <p>{q || status ? t("staff.cases.noMatch") : t("staff.cases.empty")}</p>
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
