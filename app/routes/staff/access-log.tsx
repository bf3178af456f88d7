import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, TextField, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import {
  ACCESS_LOG_PAGE_SIZE,
  ACCESS_LOG_PARAMS as P,
  ACCESS_LOG_TYPES,
} from "~/domain/access-log";
import { formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { recordAccessLogUse } from "~/services/access-log/record-access-log-use.server";
import {
  decodeAccessCursor,
  listStaffForAccessLog,
  searchAccessLog,
} from "~/services/access-log/search-access-log.server";
import { accessDetailText, accessTypeLabel } from "~/services/access-log/describe-access";
import { readAccessLogQuery } from "./access-log-query.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

// The staff access log (issue #8): who among the staff viewed or exported what, newest first,
// searchable by staff member, case or notice reference, event type and days. Reading it is
// itself recorded (`access_log.viewed`), page by page.

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.accessLog.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { staff, actor } = await requireStaff(args, STAFF_ACCESS.accessLog);
  const { db, requestMeta } = args.context;
  const url = new URL(args.request.url);
  const [query, staffList] = await Promise.all([
    readAccessLogQuery(db, url),
    listStaffForAccessLog(db),
  ]);
  if (!query.ok)
    return {
      typed: query.typed,
      errors: query.errors as FieldErrors,
      staffList,
      rows: [],
      nextCursor: null,
      paged: false,
      filtered: true,
    };
  const cursorParam = url.searchParams.get(P.cursor);
  await recordAccessLogUse(db, {
    kind: "viewed",
    staffId: staff.id,
    actor,
    filters: query.recorded,
    meta: requestMeta,
  });
  const { rows, nextCursor } = await searchAccessLog(db, {
    filter: query.filter,
    cursor: decodeAccessCursor(cursorParam),
    pageSize: ACCESS_LOG_PAGE_SIZE,
  });
  return {
    typed: query.typed,
    errors: {} as FieldErrors,
    staffList,
    rows: rows.map(({ position: _position, ...row }) => row),
    nextCursor,
    paged: cursorParam !== null,
    filtered: Object.keys(query.recorded).length > 0,
  };
}

export default function StaffAccessLog() {
  const { t, lang } = useI18n();
  const { typed, errors, staffList, rows, nextCursor, paged, filtered } =
    useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  const params = new URLSearchParams();
  for (const name of [P.staff, P.reference, P.type, P.from, P.to])
    if (typed[name]) params.set(name, typed[name]!);
  const firstPage = `/staff/conformite/acces?${params.toString()}`;
  const csv = `/staff/conformite/acces/csv?${params.toString()}`;
  if (nextCursor) params.set(P.cursor, nextCursor);
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.accessLog.title")} lead={t("staff.accessLog.lead")} />
      <ErrorSummary errors={errors} />
      <Form
        method="get"
        role="search"
        className="filters"
        aria-label={t("staff.accessLog.filters")}
      >
        <div className={errors[P.staff] ? "field field--error" : "field"}>
          <label className="field__label" htmlFor={P.staff}>
            {t("staff.accessLog.staffLabel")}
          </label>
          <select
            key={`staff-${typed[P.staff]}`}
            className="select"
            id={P.staff}
            name={P.staff}
            defaultValue={typed[P.staff]}
          >
            <option value="">{t("staff.accessLog.anyStaff")}</option>
            {staffList.map((member) => (
              <option key={member.id} value={member.id}>
                {t(
                  member.disabled
                    ? "staff.accessLog.staffOptionDisabled"
                    : "staff.accessLog.staffOption",
                  { name: member.displayName, role: t(`staff.role.${member.role}`) },
                )}
              </option>
            ))}
          </select>
        </div>
        <TextField
          key={`reference-${typed[P.reference]}`}
          name={P.reference}
          label={t("staff.accessLog.referenceLabel")}
          hint={t("staff.accessLog.referenceHint")}
          defaultValue={typed[P.reference]}
          error={errors[P.reference]}
          spellCheck={false}
          maxLength={40}
        />
        <div className={errors[P.type] ? "field field--error" : "field"}>
          <label className="field__label" htmlFor={P.type}>
            {t("staff.accessLog.typeLabel")}
          </label>
          <select
            key={`type-${typed[P.type]}`}
            className="select"
            id={P.type}
            name={P.type}
            defaultValue={typed[P.type]}
          >
            <option value="">{t("staff.accessLog.anyType")}</option>
            {ACCESS_LOG_TYPES.map((type) => (
              <option key={type} value={type}>
                {accessTypeLabel(t, type)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          key={`from-${typed[P.from]}`}
          name={P.from}
          type="date"
          label={t("staff.accessLog.from")}
          hint={t("staff.kpis.dateHint")}
          defaultValue={typed[P.from]}
          error={errors[P.from]}
        />
        <TextField
          key={`to-${typed[P.to]}`}
          name={P.to}
          type="date"
          label={t("staff.accessLog.to")}
          hint={t("staff.kpis.dateHint")}
          defaultValue={typed[P.to]}
          error={errors[P.to]}
        />
        <div className="filters__submit">
          <button type="submit" className="button button--primary">
            {t("staff.accessLog.search")}
          </button>
        </div>
      </Form>
      {hasErrors ? null : (
        <p>
          <a href={csv} download>
            {t(filtered ? "staff.accessLog.downloadFiltered" : "staff.accessLog.downloadAll")}
          </a>
        </p>
      )}
      <div aria-live="polite" aria-busy={loading}>
        {hasErrors ? null : rows.length === 0 ? (
          <div className="notice">
            <p>{t(filtered ? "staff.accessLog.noMatch" : "staff.accessLog.empty")}</p>
          </div>
        ) : (
          <div
            className="table-wrapper"
            role="region"
            aria-labelledby="access-log-caption"
            tabIndex={0}
          >
            <table className="table">
              <caption id="access-log-caption" className="visually-hidden">
                {t("staff.accessLog.caption")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.accessLog.colWhen")}</th>
                  <th scope="col">{t("staff.accessLog.colWho")}</th>
                  <th scope="col">{t("staff.accessLog.colWhat")}</th>
                  <th scope="col">{t("staff.accessLog.colSubject")}</th>
                  <th scope="col">{t("staff.accessLog.colIp")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} data-event-id={row.id}>
                    <td>{formatDateTime(row.occurredAt, lang, STAFF_TIME_ZONE)}</td>
                    <td>
                      {row.staffName ?? t("staff.accessLog.unknownStaff")}
                      {row.staffRole ? (
                        <>
                          <br />
                          <span className="muted">{t(`staff.role.${row.staffRole}`)}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {accessTypeLabel(t, row.type)}
                      <Detail text={accessDetailText(t, row.type, row.data)} />
                    </td>
                    <td>
                      {row.caseId && row.caseReference ? (
                        <Link to={`/staff/dossiers/${row.caseId}`} className="mono">
                          {row.caseReference}
                        </Link>
                      ) : row.noticeId && row.noticeReference ? (
                        <Link to={`/staff/avis/${row.noticeId}`} className="mono">
                          {row.noticeReference}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="mono">{row.ip ?? "—"}</td>
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
            <Link to={`/staff/conformite/acces?${params.toString()}`} rel="next">
              {t("staff.pagination.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

function Detail({ text }: { text: string | null }) {
  if (text === null) return null;
  return (
    <>
      <br />
      <span className="muted">{text}</span>
    </>
  );
}
