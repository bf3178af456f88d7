import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useI18n } from "~/i18n/use-i18n";

/**
 * Errors of a staff page, shown inside the back-office frame: 403 (role), 404, or a generic
 * message — never a stack trace. Every staff page re-exports it as its ErrorBoundary.
 */
export function StaffErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 403 ? "forbidden" : status === 404 ? "notFound" : "generic";
  return (
    <div className="stack">
      <h1>{t(`staff.error.${key}Title`)}</h1>
      <p className="lead">{t(`staff.error.${key}Text`)}</p>
      <p>
        <Link to="/staff">{t("staff.error.homeLink")}</Link>
      </p>
    </div>
  );
}
