import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { operators, staffUsers, webhookEndpoints } from "../../../db/schema";
import type { Env } from "../../config/env.server";
import { AUTO_DISABLE_FAILURES, AUTO_DISABLE_MIN_HOURS } from "../../domain/webhooks";
import { translate, type Lang } from "../../i18n/i18n";
import type { Mailer } from "../../mail/mailer.server";
import { renderMessage } from "../../mail/render-email";

/**
 * Emails every active admin that an endpoint was disabled after failing for a day (the
 * `webhook.notify-disabled` job). Staff accounts have no language of their own: the message is
 * written in French, then in English. One message per admin, with a stable Message-ID so that a
 * retry of the job is recognisable.
 */
export async function notifyEndpointDisabled(
  deps: { db: Db; mailer: Mailer; env: Env },
  input: { endpointId: string },
): Promise<number> {
  const [endpoint] = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, input.endpointId));
  if (!endpoint || endpoint.enabled) return 0;
  const admins = await deps.db
    .select({ id: staffUsers.id, email: staffUsers.email, displayName: staffUsers.displayName })
    .from(staffUsers)
    .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)));
  const [operator] = await deps.db
    .select({ displayName: operators.displayName })
    .from(operators)
    .limit(1);
  const sender = operator?.displayName ?? "Easy Exit";
  const url = new URL(`/staff/reglages/webhooks/${endpoint.id}`, deps.env.APP_URL).toString();
  const host = new URL(deps.env.APP_URL).hostname;
  const params = {
    operator: sender,
    endpoint: endpoint.url,
    failures: AUTO_DISABLE_FAILURES,
    hours: AUTO_DISABLE_MIN_HOURS,
  };
  const inLanguage = (lang: Lang, name: string) => [
    translate(lang, "staffMail.greeting", { name }),
    translate(lang, "staffMail.webhookDisabledText", params),
    translate(lang, "staffMail.webhookDisabledAction", params),
  ];
  for (const admin of admins) {
    const rendered = renderMessage({
      subject: `${translate("fr", "staffMail.webhookDisabledSubject", params)} / ${translate("en", "staffMail.webhookDisabledSubject", params)}`,
      paragraphs: [
        ...inLanguage("fr", admin.displayName),
        url,
        "—",
        ...inLanguage("en", admin.displayName),
        url,
      ],
      footer: [
        translate("fr", "staffMail.footer", params),
        translate("en", "staffMail.footer", params),
      ],
      sender,
      lang: "fr",
    });
    const stamp = (endpoint.disabledAt ?? new Date()).getTime();
    await deps.mailer.send({
      messageId: `<webhook-disabled-${endpoint.id}-${stamp}-${admin.id.slice(0, 8)}@${host}>`,
      to: admin.email,
      ...rendered,
    });
  }
  return admins.length;
}
