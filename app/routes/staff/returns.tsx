import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import {
  ReturnStatusBadge,
  STAFF_TIME_ZONE,
  StaffHeading,
  StatusTabs,
} from "~/components/staff-frame";
import { dateInZone } from "~/domain/dates";
import { isOpenReturn, isPastDeadline } from "~/domain/returns";
import { formatDate, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import {
  findReturnNumber,
  listReturns,
  RETURNS_PAGE_SIZE,
  type ReturnTab,
} from "~/services/staff/list-returns.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.returns.metaTitle", { operator: operatorName }) }];
};

const TABS = ["to_receive", "late", "done", "all"] as const satisfies readonly ReturnTab[];

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.returns);
  const { db } = args.context;
  const url = new URL(args.request.url);
  // A barcode scanner types the number and Enter: an exact match opens the reception page.
  const typed = (url.searchParams.get("numero") ?? "").trim().slice(0, 60);
  if (typed !== "") {
    const returnNumber = await findReturnNumber(db, typed);
    if (returnNumber !== null) throw redirect(`/staff/retours/${returnNumber}`);
  }
  const param = url.searchParams.get("statut");
  const tab = TABS.find((value) => value === param) ?? "to_receive";
  const rows = await listReturns(db, tab);
  return {
    typed,
    notFound: typed !== "",
    tab,
    rows,
    today: dateInZone(new Date(), STAFF_TIME_ZONE),
    full: rows.length === RETURNS_PAGE_SIZE,
  };
}

export default function StaffReturns() {
  const { t, lang } = useI18n();
  const { typed, notFound, tab, rows, today, full } = useLoaderData<typeof loader>();
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.returns.title")} lead={t("staff.returns.lead")} />
      <Form method="get" role="search" className="filters">
        <div className={notFound ? "field field--error" : "field"}>
          <label className="field__label" htmlFor="numero">
            {t("staff.returns.scanLabel")}
          </label>
          <p className="field__hint" id="numero-hint">
            {t("staff.returns.scanHint")}
          </p>
          {notFound ? (
            <p className="field__error" id="numero-error" role="alert">
              <span className="visually-hidden">{t("form.errorPrefix")} </span>
              {t("staff.returns.notFound", { number: typed })}
            </p>
          ) : null}
          {/* Remounted after each look-up so that focus comes back, with the text selected: the
              next scan replaces it instead of being appended to it. */}
          <input
            key={typed}
            className="input mono"
            id="numero"
            name="numero"
            type="text"
            defaultValue={typed}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={60}
            // The scanner's page: the cursor must be in the field when the page opens.
            autoFocus
            onFocus={(event) => event.currentTarget.select()}
            aria-invalid={notFound ? true : undefined}
            aria-describedby={notFound ? "numero-hint numero-error" : "numero-hint"}
          />
        </div>
        <div className="filters__submit">
          <button type="submit" className="button button--primary">
            {t("staff.returns.scanSubmit")}
          </button>
        </div>
      </Form>

      <section className="stack" aria-labelledby="returns-list">
        <h2 id="returns-list">{t("staff.returns.listTitle")}</h2>
        <StatusTabs
          label={t("staff.returns.tabsLabel")}
          path="/staff/retours"
          values={TABS}
          current={tab}
          labelOf={(value) => t(`staff.returns.tab.${value}`)}
        />
        {rows.length === 0 ? (
          <div className="notice notice--success">
            <p>{t(`staff.returns.empty.${tab}`)}</p>
          </div>
        ) : (
          <>
            <div className="table-wrapper">
              <table className="table">
                <caption className="visually-hidden">{t(`staff.returns.tab.${tab}`)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("staff.returns.colNumber")}</th>
                    <th scope="col">{t("staff.returns.colCase")}</th>
                    <th scope="col">{t("staff.returns.colItems")}</th>
                    <th scope="col">{t("staff.returns.colMethod")}</th>
                    <th scope="col">{t("staff.returns.colDeadline")}</th>
                    <th scope="col">{t("staff.returns.colStatus")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id}>
                      <td>
                        <Link to={`/staff/retours/${row.returnNumber}`} className="mono">
                          {row.returnNumber}
                        </Link>
                      </td>
                      <td>
                        <Link to={`/staff/dossiers/${row.caseId}`} className="mono">
                          {row.caseReference}
                        </Link>
                      </td>
                      <td className="nowrap">
                        {t("staff.returns.itemsCount", {
                          received: row.receivedCount,
                          total: row.itemCount,
                        })}
                      </td>
                      <td className="nowrap">
                        {row.method ? (
                          t(`returnMethod.${row.method}`)
                        ) : (
                          <span className="muted">{t("staff.returns.noMethod")}</span>
                        )}
                      </td>
                      <td>
                        <span className="nowrap">
                          {formatDate(row.deadline, lang, { dateStyle: "medium" })}
                        </span>
                        {isOpenReturn(row.status) && isPastDeadline(row.deadline, today) ? (
                          <>
                            {" "}
                            <span className="badge badge--danger">
                              {t("staff.returns.pastDeadline")}
                            </span>
                          </>
                        ) : null}
                      </td>
                      <td>
                        <ReturnStatusBadge status={row.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {full ? (
              <p className="muted">{t("staff.returns.firstOnly", { count: rows.length })}</p>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
