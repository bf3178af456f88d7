import type {
  ActionFunctionArgs,
  AppLoadContext,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { formatDate, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { suppressSubscriber } from "~/services/winback/actions.server";
import { findStopContactSubscriber } from "~/services/winback/stop-contact.server";

// The "stop contacting me" link of every retention email. Opening it is the one click: the
// objection is honoured at once, without a login or a form (decision 005). Mail clients' one-click
// unsubscribe (RFC 8058) POSTs to the same address.

type StopContactView =
  | { kind: "done" | "already"; operatorName: string; since: string; timeZone: string }
  | { kind: "invalid" };

const NO_STORE = { "Cache-Control": "no-store" };

async function stopContact(context: AppLoadContext, token: string | undefined) {
  const subscriber =
    token === undefined ? null : await findStopContactSubscriber(context.db, token);
  // Unknown, altered or truncated: a 404 that says nothing about why, nor about anyone.
  if (subscriber === null)
    return data<StopContactView>({ kind: "invalid" }, { status: 404, headers: NO_STORE });
  const { operatorName, timeZone } = subscriber;
  if (subscriber.suppressed && subscriber.suppressedAt) {
    const since = subscriber.suppressedAt.toISOString();
    return data<StopContactView>(
      { kind: "already", operatorName, since, timeZone },
      { headers: NO_STORE },
    );
  }
  const now = new Date();
  const result = await suppressSubscriber(context.db, {
    subscriberId: subscriber.id,
    via: "email_link",
    actor: { type: "subscriber", id: subscriber.id },
    meta: context.requestMeta,
    now,
  });
  // A second click that raced the first one: the date is the winner's.
  const since = result.alreadySuppressed
    ? ((await findStopContactSubscriber(context.db, token!))?.suppressedAt ?? now)
    : now;
  return data<StopContactView>(
    {
      kind: result.alreadySuppressed ? "already" : "done",
      operatorName,
      since: since.toISOString(),
      timeZone,
    },
    { headers: NO_STORE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data: view }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  const key = view?.kind === "invalid" ? "stopContact.invalidMetaTitle" : "stopContact.metaTitle";
  return [
    { title: translate(lang, key, { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

// The page is about one person: no cache may keep it (the root's Vary stays).
export const headers: HeadersFunction = ({ parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  return stopContact(context, params.token);
}

/** RFC 8058 one-click: the mail provider POSTs `List-Unsubscribe=One-Click` here. */
export async function action({ params, context }: ActionFunctionArgs) {
  return stopContact(context, params.token);
}

export default function StopContactPage() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  // After a POST the loader runs again and finds it already done: the action's answer wins.
  const view = useActionData<typeof action>() ?? loaded;

  if (view.kind === "invalid") {
    return (
      <PublicPage>
        <h1>{t("stopContact.invalidTitle")}</h1>
        <p className="lead">{t("stopContact.invalidText")}</p>
        <p>
          <Link to="/">{t("error.homeLink")}</Link>
        </p>
      </PublicPage>
    );
  }

  const date = formatDate(view.since, lang, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: view.timeZone,
  });
  const done = view.kind === "done";
  return (
    <PublicPage>
      <div className="notice notice--success stack" role="status">
        <h1>{t(done ? "stopContact.doneTitle" : "stopContact.alreadyTitle")}</h1>
        <p className="lead">
          {t(done ? "stopContact.doneLead" : "stopContact.alreadyLead", {
            operator: view.operatorName,
          })}
        </p>
      </div>
      <dl className="summary-list">
        <div>
          <dt>{t("stopContact.requestDate")}</dt>
          <dd>
            <time dateTime={view.since}>{date}</time>
          </dd>
        </div>
      </dl>
      <p>{t("stopContact.cancellation")}</p>
      <p>{t("stopContact.nothingElse")}</p>
    </PublicPage>
  );
}
