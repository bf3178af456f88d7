import type { AppLoadContext } from "@remix-run/node";

/** The development mailbox exists only when no SMTP_URL is set; otherwise these pages are 404. */
export function requireMailboxDir(context: AppLoadContext): string {
  const dir = context.mailer.mailboxDir;
  if (dir === null) throw new Response("Not Found", { status: 404 });
  return dir;
}
