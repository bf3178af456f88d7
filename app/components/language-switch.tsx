import { Link, useLocation } from "@remix-run/react";
import { LANGUAGES } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";

/**
 * Plain links (`?lang=xx` on the current page) so that switching works without JavaScript. They
 * reload the document: the whole page, its title and `<html lang>` change at once.
 */
export function LanguageSwitch() {
  const { lang, t } = useI18n();
  const { pathname, search } = useLocation();

  return (
    <nav className="language-switch" aria-label={t("site.languageNav")}>
      <ul className="language-switch__list" role="list">
        {LANGUAGES.map((option) => {
          const params = new URLSearchParams(search);
          params.set("lang", option);
          return (
            <li key={option}>
              <Link
                className="language-switch__link"
                to={`${pathname}?${params.toString()}`}
                hrefLang={option}
                lang={option}
                aria-current={option === lang ? "true" : undefined}
                reloadDocument
              >
                {t(`language.${option}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
