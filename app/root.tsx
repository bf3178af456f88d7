import { data } from "@remix-run/node";
import type {
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import { DEFAULT_LANG, translate } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadOperatorBranding } from "~/services/load-operator-branding.server";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { lang, setCookie } = resolveLang(request);
  const branding = await loadOperatorBranding(context);
  const cspNonce = context.cspNonce;

  // The page language depends on these request headers: shared caches must not mix them up.
  const headers = new Headers({ Vary: "Accept-Language, Cookie" });
  if (setCookie) headers.append("Set-Cookie", setCookie);

  return data(
    { lang, operatorName: branding.displayName, operatorLegalName: branding.legalName, cspNonce },
    { headers },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  const vary = loaderHeaders.get("Vary");
  if (vary) headers.set("Vary", vary);
  return headers;
};

// Child routes replace this; it names the error pages rendered by the boundary below.
export const meta: MetaFunction = ({ matches, error }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  if (!error) return [{ title: operatorName }];
  const key =
    isRouteErrorResponse(error) && error.status === 404
      ? "error.notFoundMetaTitle"
      : "error.metaTitle";
  return [{ title: translate(lang, key, { operator: operatorName }) }];
};

export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const lang = rootData?.lang ?? DEFAULT_LANG;

  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {translate(lang, "site.skipLink")}
        </a>
        {children}
        {/* Without the root loader there is no CSP nonce: the scripts would be blocked, and every
            public page works without JavaScript, so the error page is served without them. */}
        {rootData ? (
          <>
            <ScrollRestoration nonce={rootData.cspNonce} />
            <Scripts nonce={rootData.cspNonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const notFound = isRouteErrorResponse(error) && error.status === 404;

  return (
    <>
      <SiteHeader />
      <main id="main" className="page">
        <div className="container stack">
          <h1>{t(notFound ? "error.notFoundTitle" : "error.genericTitle")}</h1>
          <p className="lead">{t(notFound ? "error.notFoundText" : "error.genericText")}</p>
          <p>
            <Link to="/">{t("error.homeLink")}</Link>
          </p>
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
