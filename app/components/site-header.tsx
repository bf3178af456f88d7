import { Link, useLocation } from "@remix-run/react";
import type { Lang } from "~/i18n/i18n";
import { useI18n, useSiteData } from "~/i18n/use-i18n";
import { LanguageSwitch } from "./language-switch";

/** The journey's entry; German readers get Germany's one-page form (§ 312k BGB). */
export function cancelPathFor(lang: Lang): string {
  return lang === "de" ? GERMAN_CANCEL_PATH : "/resilier";
}
export const GERMAN_CANCEL_PATH = "/kuendigen";
export const WITHDRAW_PATH = "/retractation";

export function SiteHeader() {
  const { operatorName } = useSiteData();
  const { t, lang } = useI18n();
  const { pathname } = useLocation();
  const cancelPath = cancelPathFor(lang);

  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link className="site-header__brand" to="/">
          {operatorName}
        </Link>
        <LanguageSwitch />
        <Link
          className="button button--primary site-header__cta"
          to={cancelPath}
          aria-current={pathname === cancelPath ? "page" : undefined}
        >
          {t("site.cancelCta")}
        </Link>
      </div>
    </header>
  );
}
