import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { CancelSteps } from "~/components/cancel-steps";
import { SiteFooter } from "~/components/site-footer";
import {
  cancelPathFor,
  GERMAN_CANCEL_PATH,
  SiteHeader,
  WITHDRAW_PATH,
} from "~/components/site-header";
import { translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n, useSiteData } from "~/i18n/use-i18n";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "home.metaTitle", { operator: operatorName }) },
    {
      name: "description",
      content: translate(lang, "home.metaDescription", { operator: operatorName }),
    },
  ];
};

export default function HomePage() {
  const { t, lang } = useI18n();
  const { operatorName } = useSiteData();

  return (
    <>
      <SiteHeader />
      <main id="main" className="page page--home">
        <div className="hero">
          <div className="container hero__inner">
            <h1>{t("home.title", { operator: operatorName })}</h1>
            <p className="lead">{t("home.lead")}</p>
          </div>
        </div>

        <div className="container stack stack--large">
          <section className="card card--highlight leave-card">
            <div className="leave-card__intro stack">
              <h2>{t("home.leaveTitle")}</h2>
              <p className="lead">{t("home.leaveText")}</p>
              <p>
                <Link className="button button--primary button--large" to={cancelPathFor(lang)}>
                  {t("site.cancelCta")}
                </Link>
              </p>
            </div>
            <div className="leave-card__steps stack">
              <h3>{t("home.stepsTitle")}</h3>
              <CancelSteps />
            </div>
          </section>

          <section className="stack" aria-labelledby="other-exits-title">
            <h2 id="other-exits-title">{t("home.otherTitle")}</h2>
            <ul className="card-grid" role="list">
              <li className="card stack">
                <h3>{t("home.withdrawTitle")}</h3>
                <p>{t("home.withdrawText")}</p>
                <p>
                  <Link className="button" to={WITHDRAW_PATH}>
                    {t("home.withdrawLink")}
                  </Link>
                </p>
              </li>
              {lang === "de" ? null : (
                <li className="card stack">
                  <h3>{t("home.germanTitle")}</h3>
                  <p>{t("home.germanText")}</p>
                  <p>
                    <Link className="button" to={GERMAN_CANCEL_PATH} lang="de">
                      Verträge hier kündigen
                    </Link>
                  </p>
                </li>
              )}
            </ul>
          </section>

          <section className="stack">
            <h2>{t("home.afterTitle")}</h2>
            <ul className="card-grid" role="list">
              <li className="card stack">
                <h3>{t("home.trackTitle")}</h3>
                <p>{t("home.trackText")}</p>
                <p>
                  <Link to="/dossier">{t("home.trackLink")}</Link>
                </p>
              </li>
              <li className="card stack">
                <h3>{t("home.equipmentTitle")}</h3>
                <p>{t("home.equipmentText")}</p>
              </li>
              <li className="card stack">
                <h3>{t("home.refundsTitle")}</h3>
                <p>{t("home.refundsText")}</p>
              </li>
            </ul>
          </section>
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
