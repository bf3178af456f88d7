import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { operators, staffUsers } from "../../../db/schema";
import type { Env } from "../../config/env.server";
import { translate, type Lang } from "../../i18n/i18n";
import type { Mailer } from "../../mail/mailer.server";
import { renderMessage } from "../../mail/render-email";
import { RESET_MINUTES, WELCOME_HOURS, resetToken, resetUrl } from "./staff-accounts.server";

/** Emails a staff member the link to choose a password (welcome) or reset it. */
export async function sendStaffLink(
  deps: { db: Db; mailer: Mailer; env: Env },
  input: { staffUserId: string; nonce: string; purpose: "reset" | "welcome"; lang: Lang },
): Promise<void> {
  const [user] = await deps.db
    .select({ id: staffUsers.id, email: staffUsers.email, displayName: staffUsers.displayName })
    .from(staffUsers)
    .where(eq(staffUsers.id, input.staffUserId));
  if (!user) return;
  const [operator] = await deps.db
    .select({ displayName: operators.displayName })
    .from(operators)
    .limit(1);
  const sender = operator?.displayName ?? "Easy Exit";
  const lang = input.lang;
  const url = resetUrl(deps.env.APP_URL, resetToken(deps.env.SESSION_SECRET, input.nonce));
  const welcome = input.purpose === "welcome";
  const params = {
    name: user.displayName,
    operator: sender,
    url,
    minutes: RESET_MINUTES,
    hours: WELCOME_HOURS,
  };
  const rendered = renderMessage({
    subject: translate(
      lang,
      welcome ? "staffMail.welcomeSubject" : "staffMail.resetSubject",
      params,
    ),
    paragraphs: [
      translate(lang, "staffMail.greeting", params),
      translate(lang, welcome ? "staffMail.welcomeText" : "staffMail.resetText", params),
      url,
      translate(lang, welcome ? "staffMail.welcomeExpiry" : "staffMail.resetExpiry", params),
      translate(lang, "staffMail.notYou", params),
    ],
    footer: [translate(lang, "staffMail.footer", params)],
    sender,
    lang,
  });
  const host = new URL(deps.env.APP_URL).hostname;
  await deps.mailer.send({
    messageId: `<staff-${input.nonce.slice(0, 16)}@${host}>`,
    to: user.email,
    ...rendered,
  });
}
