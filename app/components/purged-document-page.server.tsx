import { renderToStaticMarkup } from "react-dom/server";
import type { DocumentRow } from "../../db/schema";
import { formatDate, translate, type Lang } from "~/i18n/i18n";
import styles from "~/styles/app.css?url";

// A download whose bytes the retention job purged (issue #8): instead of an empty, broken file,
// a small page that says what happened, answered with 410 Gone. Download routes are resource
// routes (no React tree around them), so the page is rendered here, whole, with the site's
// stylesheet and no script — it works for the subscriber's case link and for staff alike.

export function purgedDocumentResponse(input: {
  /** Null: the subscriber was pseudonymised before this document was ever produced. */
  document: Pick<DocumentRow, "fileName" | "sha256" | "purgedAt"> | null;
  lang: Lang;
  operatorName: string;
  backHref: string;
  audience: "subscriber" | "staff";
}): Response {
  const { lang, document } = input;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(lang, key, params);
  const title = t("dataRetention.gone.title");
  const markup = renderToStaticMarkup(
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} — ${input.operatorName}`}</title>
        <link rel="stylesheet" href={styles} />
      </head>
      <body>
        <header className="site-header">
          <div className="container site-header__inner">
            <a className="site-header__brand" href={input.audience === "staff" ? "/staff" : "/"}>
              {input.operatorName}
            </a>
          </div>
        </header>
        <main id="main" className="page">
          <div className="container container--narrow stack stack--large">
            <div className="stack">
              <h1>{title}</h1>
              <p className="lead">
                {t("dataRetention.gone.text", { operator: input.operatorName })}
              </p>
              {document?.purgedAt ? (
                <p>{t("dataRetention.gone.when", { date: formatDate(document.purgedAt, lang) })}</p>
              ) : null}
              {document ? (
                <>
                  <p>{t("dataRetention.gone.fingerprint", { file: document.fileName })}</p>
                  <p className="mono hash">{document.sha256}</p>
                </>
              ) : null}
              <p>
                {t(
                  input.audience === "staff"
                    ? "dataRetention.gone.staffHelp"
                    : "dataRetention.gone.subscriberHelp",
                )}
              </p>
              <p>
                <a href={input.backHref}>
                  {t(
                    input.audience === "staff"
                      ? "dataRetention.gone.staffBack"
                      : "dataRetention.gone.subscriberBack",
                  )}
                </a>
              </p>
            </div>
          </div>
        </main>
      </body>
    </html>,
  );
  return new Response(`<!DOCTYPE html>${markup}`, {
    status: 410,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
