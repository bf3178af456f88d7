import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { formatDate } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import { listMailbox } from "~/mail/dev-mailbox.server";
import { requireMailboxDir } from "./mailbox-access.server";

export const meta: MetaFunction = () => [
  { title: "Mailbox — Easy Exit" },
  { name: "robots", content: "noindex" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const messages = await listMailbox(requireMailboxDir(context));
  return data({ messages }, { headers: { "Cache-Control": "no-store" } });
}

export default function MailboxPage() {
  const { t, lang } = useI18n();
  const { messages } = useLoaderData<typeof loader>();
  return (
    <PublicPage wide>
      <div className="stack">
        <h1>{t("mailbox.title")}</h1>
        <p className="lead">{t("mailbox.lead")}</p>
      </div>
      {messages.length === 0 ? (
        <p>{t("mailbox.empty")}</p>
      ) : (
        <div className="table-wrapper">
          <table className="table">
            <caption className="visually-hidden">{t("mailbox.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("mailbox.date")}</th>
                <th scope="col">{t("mailbox.to")}</th>
                <th scope="col">{t("mailbox.subject")}</th>
                <th scope="col" className="numeric">
                  {t("mailbox.attachments")}
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>
                    {message.date
                      ? formatDate(message.date, lang, {
                          dateStyle: "short",
                          timeStyle: "medium",
                          timeZone: "Europe/Paris",
                        })
                      : "—"}
                  </td>
                  <td>{message.to}</td>
                  <td>
                    <Link to={message.id}>{message.subject || t("mailbox.noSubject")}</Link>
                  </td>
                  <td className="numeric">{message.attachments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PublicPage>
  );
}
