import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { STAFF_ACCESS, canView, type StaffPage } from "~/auth/staff-access";
import type { CaseStatus, RefundStatus, ReturnStatus, StaffRole } from "~/domain/enums";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n, useSiteData } from "~/i18n/use-i18n";
import { LanguageSwitch } from "./language-switch";

export interface SignedInStaff {
  displayName: string;
  role: StaffRole;
}

const NAV: { page: StaffPage; label: MessageKey }[] = [
  { page: "cases", label: "staff.nav.cases" },
  { page: "notices", label: "staff.nav.notices" },
  { page: "returns", label: "staff.nav.returns" },
  { page: "refunds", label: "staff.nav.refunds" },
  { page: "winbackQueue", label: "staff.nav.winback" },
  { page: "analytics", label: "staff.nav.analytics" },
  { page: "compliance", label: "staff.nav.compliance" },
  { page: "staffList", label: "staff.nav.staff" },
  { page: "winbackSettings", label: "staff.winbackSettings.nav" },
  { page: "apiKeys", label: "staff.apiKeys.nav" },
  { page: "webhookSettings", label: "staff.webhooks.nav" },
  { page: "contractImport", label: "staff.import.nav" },
];

/** The back office's frame: navigation by role, who is signed in, sign-out. */
export function StaffFrame({ staff, children }: { staff: SignedInStaff; children: ReactNode }) {
  const { t } = useI18n();
  const { operatorName } = useSiteData();
  return (
    <>
      <header className="staff-header">
        <div className="staff-header__inner">
          <Link className="staff-header__brand" to="/staff">
            {operatorName} <span className="staff-header__product">{t("staff.productName")}</span>
          </Link>
          <nav className="staff-nav" aria-label={t("staff.nav.label")}>
            <ul role="list">
              {NAV.filter((item) => canView(staff.role, item.page)).map((item) => (
                <li key={item.page}>
                  <NavLink to={`/${STAFF_ACCESS[item.page].path}`} prefetch="intent">
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="staff-header__user">
            <Link to="/staff/compte" className="staff-header__account">
              {staff.displayName}
              <span className="visually-hidden">, </span>
              <span className="badge badge--info">{t(`staff.role.${staff.role}`)}</span>
            </Link>
            <Form method="post" action="/staff/deconnexion" reloadDocument>
              <button type="submit" className="button button--small">
                {t("staff.signOut")}
              </button>
            </Form>
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" className="staff-main">
        {children}
      </main>
    </>
  );
}

/** Sign-in, code and password pages: a narrow card, no navigation. */
export function StaffAuthPage({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { operatorName } = useSiteData();
  return (
    <>
      <header className="staff-header">
        <div className="staff-header__inner">
          <span className="staff-header__brand">
            {operatorName} <span className="staff-header__product">{t("staff.productName")}</span>
          </span>
          <div className="staff-header__user">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" className="page">
        <div className="container container--narrow stack stack--large">{children}</div>
      </main>
    </>
  );
}

/** A page title with an optional line under it. */
export function StaffHeading({ title, lead }: { title: string; lead?: ReactNode }) {
  return (
    <div className="stack stack--small">
      <h1>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
    </div>
  );
}

/** Times in the back office are shown in the operator's zone, with the zone named. */
export const STAFF_TIME_ZONE = "Europe/Paris";

const STATUS_TONE: Record<CaseStatus, string> = {
  received: "info",
  confirmed: "info",
  effective: "success",
  closed: "success",
  withdrawn: "warning",
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${STATUS_TONE[status]}`}>{t(`staff.caseStatus.${status}`)}</span>
  );
}

const RETURN_TONE: Record<ReturnStatus, string> = {
  awaiting_shipment: "info",
  in_transit: "info",
  received: "warning",
  inspected: "success",
  overdue: "danger",
  charged: "danger",
  cancelled: "neutral",
};

export function ReturnStatusBadge({ status }: { status: ReturnStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${RETURN_TONE[status]}`}>
      {t(`staff.returnStatus.${status}`)}
    </span>
  );
}

const REFUND_TONE: Record<RefundStatus, string> = {
  scheduled: "neutral",
  due: "info",
  issued: "success",
  failed: "danger",
  withheld: "warning",
  cancelled: "neutral",
};

export function RefundStatusBadge({ status }: { status: RefundStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${REFUND_TONE[status]}`}>
      {t(`staff.refundStatus.${status}`)}
    </span>
  );
}

/** The filter tabs above a staff list: one link per value, the current one marked. */
export function StatusTabs<T extends string>({
  label,
  path,
  values,
  current,
  labelOf,
  keep,
}: {
  label: string;
  /** The list's path; each tab adds `?statut=<value>`. */
  path: string;
  values: readonly T[];
  current: T;
  labelOf: (value: T) => string;
  /** Other query parameters the tabs keep (e.g. a filter). */
  keep?: Record<string, string>;
}) {
  return (
    <nav aria-label={label} className="tabs">
      <ul role="list">
        {values.map((value) => (
          <li key={value}>
            <Link
              to={`${path}?${new URLSearchParams({ statut: value, ...keep }).toString()}`}
              aria-current={value === current ? "page" : undefined}
            >
              {labelOf(value)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
