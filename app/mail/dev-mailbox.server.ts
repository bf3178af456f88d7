import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";

// The development mailbox's messages (one .eml file each, written by the mail catcher).
const MESSAGE_ID = /^\d+-\d+-\d+$/;

export interface MailboxEntry {
  id: string;
  date: string | null;
  to: string;
  subject: string;
  attachments: number;
}

async function parse(dir: string, id: string): Promise<ParsedMail | null> {
  if (!MESSAGE_ID.test(id)) return null;
  try {
    return await simpleParser(readFileSync(path.join(dir, `${id}.eml`)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function addresses(parsed: ParsedMail): string {
  const to = parsed.to;
  if (to === undefined) return "";
  return (Array.isArray(to) ? to : [to]).map((item) => item.text).join(", ");
}

export async function listMailbox(dir: string, limit = 200): Promise<MailboxEntry[]> {
  const ids = readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => name.slice(0, -4))
    .filter((id) => MESSAGE_ID.test(id))
    .sort((a, b) => Number(b.split("-")[0]) - Number(a.split("-")[0]) || b.localeCompare(a))
    .slice(0, limit);
  const entries: MailboxEntry[] = [];
  for (const id of ids) {
    const parsed = await parse(dir, id);
    if (!parsed) continue;
    entries.push({
      id,
      date: parsed.date?.toISOString() ?? null,
      to: addresses(parsed),
      subject: parsed.subject ?? "",
      attachments: parsed.attachments.length,
    });
  }
  return entries;
}

export async function readMailboxMessage(dir: string, id: string) {
  const parsed = await parse(dir, id);
  if (!parsed) return null;
  return {
    id,
    date: parsed.date?.toISOString() ?? null,
    from: parsed.from?.text ?? "",
    to: addresses(parsed),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : null,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? "attachment",
      contentType: attachment.contentType,
      size: attachment.size,
      content: attachment.content,
    })),
  };
}
