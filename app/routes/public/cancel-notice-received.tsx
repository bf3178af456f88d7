import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { loadUnmatchedNotice } from "~/services/record-unmatched-notice.server";
import { readJourney } from "./journey-session.server";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "notice.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { journey } = await readJourney(request, context);
  if (journey.noticeId === undefined) throw redirect("/resilier");
  const notice = await loadUnmatchedNotice(context.db, journey.noticeId);
  if (!notice) throw redirect("/resilier");
  const operator = await requirePortalOperator(context);
  return data(
    { ...notice, receivedAt: notice.receivedAt.toISOString(), timeZone: operator.timeZone },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function NoticeReceivedPage() {
  const { t, lang } = useI18n();
  const notice = useLoaderData<typeof loader>();
  return (
    <PublicPage>
      <div className="notice notice--success stack" role="status">
        <h1>{t("notice.title")}</h1>
        <p className="lead">{t("notice.lead")}</p>
      </div>
      <dl className="summary-list">
        <div>
          <dt>{t("notice.reference")}</dt>
          <dd>
            <strong>{notice.reference}</strong>
          </dd>
        </div>
        <div>
          <dt>{t("ack.receivedAt")}</dt>
          <dd>
            <time dateTime={notice.receivedAt}>
              {formatDateTime(notice.receivedAt, lang, notice.timeZone)}
            </time>
          </dd>
        </div>
        <div>
          <dt>{t("ack.sentTo")}</dt>
          <dd>{notice.email}</dd>
        </div>
      </dl>
      <p>{t("notice.next")}</p>
    </PublicPage>
  );
}
