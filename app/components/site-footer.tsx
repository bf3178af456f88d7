import { useI18n, useSiteData } from "~/i18n/use-i18n";

export function SiteFooter() {
  const { operatorLegalName } = useSiteData();
  const { t } = useI18n();

  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        {operatorLegalName ? <p className="site-footer__operator">{operatorLegalName}</p> : null}
        <p>{t("site.footerTagline")}</p>
      </div>
    </footer>
  );
}
