import type { Lang } from "../i18n/i18n";
import { fill, type EmailMessageKey, type EmailTemplates } from "./email-templates";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Escaped text with its https links made clickable. */
function htmlParagraph(text: string): string {
  return escapeHtml(text)
    .replace(/(https?:\/\/[^\s<]+[^\s<.,;:)])/g, '<a href="$1" style="color:#1d3f8f">$1</a>')
    .replace(/\n/g, "<br>\n");
}

/**
 * Plain text and simple HTML from the same wording. No tracking pixel, no remote image, no
 * script: what the subscriber receives is what they can keep.
 */
export function renderEmail(
  templates: EmailTemplates,
  kind: EmailMessageKey,
  values: Record<string, string>,
  lang: Lang,
): RenderedEmail {
  const message = templates[kind];
  return renderMessage({
    subject: fill(message.subject, values),
    paragraphs: message.paragraphs.map((paragraph) => fill(paragraph, values)),
    footer: [templates.footer.identity, templates.footer.contact, templates.footer.automatic].map(
      (line) => fill(line, values),
    ),
    sender: values.operatorName ?? "",
    lang,
  });
}

/** The one layout of every email the portal sends (subscribers and staff). */
export function renderMessage(input: {
  subject: string;
  paragraphs: string[];
  footer: string[];
  sender: string;
  lang: string;
}): RenderedEmail {
  const { subject, paragraphs, footer, lang } = input;
  const text = `${paragraphs.join("\n\n")}\n\n--\n${footer.join("\n")}\n`;
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f6fa;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b2430;line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-weight:700;color:#1d3f8f">${escapeHtml(input.sender)}</p>
${paragraphs.map((paragraph) => `<p style="margin:0 0 14px">${htmlParagraph(paragraph)}</p>`).join("\n")}
<hr style="border:0;border-top:1px solid #dde3ec;margin:24px 0 12px">
${footer.map((line) => `<p style="margin:0 0 4px;font-size:13px;color:#4a5568">${htmlParagraph(line)}</p>`).join("\n")}
</div>
</body>
</html>
`;
  return { subject, text, html };
}
