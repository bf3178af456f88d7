import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { listStaff } from "~/services/staff/staff-accounts.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.accounts.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.staffList);
  return { people: await listStaff(args.context.db), now: new Date().toISOString() };
}

export default function StaffList() {
  const { t, lang } = useI18n();
  const { people, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.accounts.title")} lead={t("staff.accounts.lead")} />
      {params.get("created") ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.accounts.created")}</p>
        </div>
      ) : null}
      <p>
        <Link className="button button--primary" to="/staff/comptes/nouveau">
          {t("staff.accounts.new")}
        </Link>
      </p>
      <div className="table-wrapper">
        <table className="table">
          <caption className="visually-hidden">{t("staff.accounts.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.case.name")}</th>
              <th scope="col">{t("staff.field.email")}</th>
              <th scope="col">{t("staff.field.role")}</th>
              <th scope="col">{t("staff.accounts.colStatus")}</th>
              <th scope="col">{t("staff.accounts.colLastSignIn")}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => {
              const locked =
                person.lockedUntil !== null && new Date(person.lockedUntil) > new Date(now);
              return (
                <tr key={person.id}>
                  <td>
                    <Link to={`/staff/comptes/${person.id}`}>{person.displayName}</Link>
                  </td>
                  <td>{person.email}</td>
                  <td>{t(`staff.role.${person.role}`)}</td>
                  <td>
                    {person.disabledAt ? (
                      <span className="badge badge--danger">{t("staff.accounts.disabled")}</span>
                    ) : locked ? (
                      <span className="badge badge--warning">{t("staff.accounts.locked")}</span>
                    ) : (
                      <span className="badge badge--success">{t("staff.accounts.active")}</span>
                    )}{" "}
                    {person.totp ? (
                      <span className="badge badge--info">{t("staff.accounts.totp")}</span>
                    ) : null}
                  </td>
                  <td>
                    {person.lastSignInAt
                      ? formatDateTime(person.lastSignInAt, lang, STAFF_TIME_ZONE)
                      : t("staff.accounts.never")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
