import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { useI18n } from "~/i18n/use-i18n";
import { readMailboxMessage } from "~/mail/dev-mailbox.server";
import { requireMailboxDir } from "./mailbox-access.server";

export const meta: MetaFunction = () => [
  { title: "Mailbox — Easy Exit" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const message = await readMailboxMessage(requireMailboxDir(context), params.id ?? "");
  if (message === null) throw new Response("Not Found", { status: 404 });
  const { attachments, ...rest } = message;
  return data(
    {
      ...rest,
      hasHtml: message.html !== null,
      attachments: attachments.map(({ filename, contentType, size }) => ({
        filename,
        contentType,
        size,
      })),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function MailboxMessagePage() {
  const { t } = useI18n();
  const message = useLoaderData<typeof loader>();
  return (
    <PublicPage>
      <p>
        <Link to="..">{t("mailbox.back")}</Link>
      </p>
      <h1>{message.subject || t("mailbox.noSubject")}</h1>
      <dl className="summary-list">
        <div>
          <dt>{t("mailbox.from")}</dt>
          <dd>{message.from}</dd>
        </div>
        <div>
          <dt>{t("mailbox.to")}</dt>
          <dd>{message.to}</dd>
        </div>
      </dl>
      {message.hasHtml ? (
        <p>
          <a href={`/dev/mailbox/${message.id}/html`}>{t("mailbox.viewHtml")}</a>
        </p>
      ) : null}
      {message.attachments.length > 0 ? (
        <section className="stack" aria-labelledby="attachments-title">
          <h2 id="attachments-title">{t("mailbox.attachments")}</h2>
          <ul className="list">
            {message.attachments.map((attachment, index) => (
              <li key={`${attachment.filename}-${index}`}>
                <a href={`/dev/mailbox/${message.id}/attachments/${index}`}>
                  {attachment.filename}
                </a>{" "}
                ({attachment.contentType}, {Math.ceil(attachment.size / 1024)} Ko)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="stack" aria-labelledby="text-title">
        <h2 id="text-title">{t("mailbox.textPart")}</h2>
        <pre className="mail-text">{message.text}</pre>
      </section>
    </PublicPage>
  );
}
