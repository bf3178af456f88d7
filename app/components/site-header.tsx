import { Link, useLocation } from "@remix-run/react";
import { useI18n, useSiteData } from "~/i18n/use-i18n";
import { LanguageSwitch } from "./language-switch";

export const CANCEL_PATH = "/resilier";

export function SiteHeader() {
  const { operatorName } = useSiteData();
  const { t } = useI18n();
  const { pathname } = useLocation();

  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link className="site-header__brand" to="/">
          {operatorName}
        </Link>
        <LanguageSwitch />
        <Link
          className="button button--primary site-header__cta"
          to={CANCEL_PATH}
          aria-current={pathname === CANCEL_PATH ? "page" : undefined}
        >
          {t("site.cancelCta")}
        </Link>
      </div>
    </header>
  );
}
