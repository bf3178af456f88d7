import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Env } from "../config/env.server";
import type { Logger } from "../config/logger.server";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.server";

export interface OutgoingEmail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Extra headers, e.g. List-Unsubscribe on retention emails (RFC 8058). */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ smtpMessageId: string; response: string }>;
  /** Where the development mailbox keeps messages (no SMTP_URL), else null. */
  mailboxDir: string | null;
  close(): Promise<void>;
}

/**
 * SMTP_URL in production; without it, a development mailbox: a real SMTP server on 127.0.0.1
 * that keeps each message under DATA_DIR/mailbox, shown at /dev/mailbox.
 */
export async function createMailer(env: Env, logger: Logger): Promise<Mailer> {
  let catcher: MailCatcher | undefined;
  let mailboxDir: string | null = null;
  let url = env.SMTP_URL;
  if (url === undefined) {
    const dir = path.resolve(env.DATA_DIR, "mailbox");
    mkdirSync(dir, { recursive: true });
    mailboxDir = dir;
    let counter = 0;
    catcher = await startMailCatcher((message) => {
      counter += 1;
      writeFileSync(path.join(dir, `${Date.now()}-${process.pid}-${counter}.eml`), message.raw);
    });
    url = catcher.url;
    logger.info(
      { port: catcher.port },
      "no SMTP_URL: emails go to the development mailbox at /dev/mailbox",
    );
  }
  const parsed = new URL(url);
  const transport = nodemailer.createTransport(
    {
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === "smtps:" ? 465 : 587)),
      secure: parsed.protocol === "smtps:",
      auth: parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : undefined,
      // The development mailbox speaks plain SMTP on loopback; a real server must offer STARTTLS.
      ignoreTLS: catcher !== undefined || parsed.searchParams.get("tls") === "off",
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: env.MAIL_FROM },
  );
  return {
    mailboxDir,
    async send(email) {
      const info = await transport.sendMail({
        messageId: email.messageId,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments: email.attachments,
        headers: email.headers,
      });
      return { smtpMessageId: info.messageId, response: info.response };
    },
    async close() {
      transport.close();
      await catcher?.close();
    },
  };
}
