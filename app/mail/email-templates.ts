import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Lang } from "../i18n/i18n";

// Email wording lives in templates/<jurisdiction>/emails.<language>.json, so that a compliance
// person can change a sentence without touching code. A missing sentence fails loudly by name.

export const EMAIL_TEMPLATE_KINDS = [
  "acknowledgment",
  "withdrawal_confirmation",
  "contract_ends_today",
  "notice_received",
  "notice_rejected",
  "return_receipt",
  "return_reminder",
  "return_charged",
  "refund_issued",
  "winback",
] as const;
export type EmailTemplateKind = (typeof EMAIL_TEMPLATE_KINDS)[number];

/**
 * Every message a template file words: the kinds, plus the acknowledgment of a withdrawal from
 * the contract (sent as the kind `acknowledgment`, worded for a contract that ends on receipt).
 */
export const EMAIL_MESSAGE_KEYS = [...EMAIL_TEMPLATE_KINDS, "acknowledgment_withdrawal"] as const;
export type EmailMessageKey = (typeof EMAIL_MESSAGE_KEYS)[number];

const Message = z.strictObject({
  subject: z.string().min(1),
  paragraphs: z.array(z.string().min(1)).min(1),
});
const EmailTemplatesSchema = z.strictObject({
  acknowledgment: Message,
  /** The acknowledgment when the subscriber withdraws from the contract (CRD art. 11a). */
  acknowledgment_withdrawal: Message,
  withdrawal_confirmation: Message,
  contract_ends_today: Message,
  notice_received: Message,
  notice_rejected: Message,
  return_receipt: Message,
  return_reminder: Message,
  return_charged: Message,
  refund_issued: Message,
  /** The retention email an agent sends (offer, reply invitation, "stop contacting me" link). */
  winback: Message,
  /** One sentence per reason operations can give for rejecting a notice. */
  rejectionReasons: z.strictObject({
    no_contract_found: z.string().min(1),
    identity_mismatch: z.string().min(1),
    already_terminated: z.string().min(1),
    duplicate: z.string().min(1),
    other: z.string().min(1),
  }),
  footer: z.strictObject({ identity: z.string(), contact: z.string(), automatic: z.string() }),
  values: z.strictObject({
    noEquipment: z.string(),
    noRefund: z.string(),
    equipmentBy: z.string(),
    noFee: z.string(),
    winbackOffer: z.string().min(1),
    winbackNoOffer: z.string().min(1),
  }),
  /** Pieces of the return and refund emails (item lines, the deposit statement). */
  returns: z.strictObject({
    itemLine: z.string().min(1),
    chargeLine: z.string().min(1),
    expectedLine: z.string().min(1),
    conditionOk: z.string().min(1),
    conditionDamaged: z.string().min(1),
    allBack: z.string().min(1),
    stillExpected: z.string().min(1),
    depositDue: z.string().min(1),
    depositPending: z.string().min(1),
    depositWithheld: z.string().min(1),
    noDeposit: z.string().min(1),
    inSevenDays: z.string().min(1),
    tomorrow: z.string().min(1),
    statementDeposit: z.string().min(1),
    statementOffset: z.string().min(1),
    statementNet: z.string().min(1),
    statementRemaining: z.string().min(1),
    statementNoDeposit: z.string().min(1),
    statementPaid: z.string().min(1),
  }),
});
export type EmailTemplates = z.infer<typeof EmailTemplatesSchema>;

// Resolved from the working directory (the project root, as npm runs every script): the same
// path from the source, from the Vite build and from tests.
const TEMPLATES_DIR = path.resolve("templates");
const cache = new Map<string, EmailTemplates>();

/** Validates parsed JSON as an email template file; `source` names the file in the error. */
export function parseEmailTemplates(raw: unknown, source: string): EmailTemplates {
  const parsed = EmailTemplatesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where =
      issue.code === "unrecognized_keys"
        ? [...issue.path, issue.keys.join(", ")].join(".")
        : issue.path.join(".");
    throw new Error(`${source}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** templates/<jurisdiction>/emails.<language>.json, validated once per process. */
export function loadEmailTemplates(jurisdiction: string, language: Lang): EmailTemplates {
  const file = path.join(TEMPLATES_DIR, jurisdiction.toLowerCase(), `emails.${language}.json`);
  let templates = cache.get(file);
  if (!templates) {
    templates = parseEmailTemplates(JSON.parse(readFileSync(file, "utf8")), file);
    cache.set(file, templates);
  }
  return templates;
}

/** `{name}` placeholders; an unknown placeholder is an error (a typo must not reach a customer). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`email template placeholder {${name}} has no value`);
    return value;
  });
}
